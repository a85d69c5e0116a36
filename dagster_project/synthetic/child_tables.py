"""Arrow tables for the rows that hang off encounters, plus providers and coverage periods.

Child rows are drawn for a whole simulated month and only then cut to the extract window, so
the draws of a month never depend on where the end date falls inside it.
"""

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import arrowcols as col
from . import clinical, finance
from . import rng as streams
from .catalogs import load
from .core_tables import KEY, department_ids, encounter_ids, patient_ids, provider_ids
from .encounters import Month
from .pools import Pools
from .population import US_PER_DAY, Population, Shard
from .scenario import DEPARTMENTS, Scenario
from .surveys import FREQUENCY, RECOMMEND, surveys

PROVIDER_NPI_BASE = 1_000_000_000


def _child_ids(parent_ids: pa.Array, tag: str, seq: np.ndarray) -> pa.Array:
    """Child key = parent encounter id + tag + 2-digit sequence, e.g. ENC...-D01."""
    digits = pc.utf8_lpad(pc.cast(pa.array(np.asarray(seq, dtype=np.int64)), pa.string()), 2, "0")
    return pc.binary_join_element_wise(parent_ids, pa.scalar(tag), digits, "")


def _cut(data: dict[str, np.ndarray], keep: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[keep] for k, v in data.items()}


@dataclass(frozen=True)
class MonthRows:
    """One simulated month of a shard's encounters, as every child table builder needs them."""

    scenario: Scenario
    shard: Shard
    pop: Population
    month: Month
    enc: dict[str, np.ndarray]
    end_us: int  # the extract's end (exclusive): later rows are not delivered yet
    inside: np.ndarray  # encounter admitted inside the extract window
    encounter_ids: pa.Array
    patient_ids: pa.Array
    extracted: np.ndarray  # when the source system exported each encounter's rows

    def rng(self, purpose: int) -> np.random.Generator:
        return streams.stream(self.scenario.seed, purpose, self.shard.index, self.month.index)

    def table(self, id_column: str, tag: str, rows: np.ndarray, seq: np.ndarray, columns: dict) -> pa.Table:
        """A child table: its id (the encounter id + tag + sequence), the encounter and patient,
        the given columns, and the hidden row key (encounter uid x 256 + sequence)."""
        seq = np.asarray(seq, dtype=np.int64)
        parent = self.encounter_ids.take(pa.array(rows))
        return pa.table(
            {
                id_column: _child_ids(parent, tag, seq),
                "encounter_id": parent,
                "patient_id": self.patient_ids.take(pa.array(rows)),
                **columns,
                KEY: pa.array(self.enc["uid"][rows] * 256 + seq, pa.int64()),
            }
        )


def _provider_ranges(scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """Providers per department and the number of the first one, in DEPARTMENTS order."""
    providers = np.array([scenario.departments[d].providers for d in DEPARTMENTS])
    return providers, np.concatenate([[0], np.cumsum(providers)[:-1]])


def _diagnoses(month: MonthRows) -> pa.Table:
    dx = clinical.diagnoses(month.rng(streams.DIAGNOSES), month.pop, month.enc)
    dx = _cut(dx, month.inside[dx["row"]])
    r = dx["row"]
    return month.table(
        "diagnosis_id",
        "-D",
        r,
        dx["sequence"],
        {
            "icd10_code": pa.array(dx["code"], pa.string()),
            "sequence": pa.array(dx["sequence"], pa.int32()),
            "is_principal": pa.array(dx["principal"], pa.bool_()),
            "present_on_admission": pa.array(dx["poa"], pa.string()),
            "extracted_at": col.timestamps(month.extracted[r]),
        },
    )


def _procedures(month: MonthRows, procs: dict[str, np.ndarray]) -> pa.Table:
    procs = _cut(procs, month.inside[procs["row"]] & (procs["performed_at"] < month.end_us))
    cat = load("procedures")
    r = procs["row"]
    return month.table(
        "procedure_id",
        "-P",
        r,
        procs["seq"],
        {
            "code": pa.array(cat["code"][procs["procedure"]], pa.string()),
            "code_system": pa.array(cat["code_system"][procs["procedure"]], pa.string()),
            "description": pa.array(cat["label"][procs["procedure"]], pa.string()),
            "performed_at": col.timestamps(procs["performed_at"]),
            "provider_id": provider_ids(procs["provider"]),
            "extracted_at": col.timestamps(np.maximum(month.extracted[r], procs["performed_at"])),
        },
    )


def _observations(month: MonthRows) -> pa.Table:
    obs = clinical.observations(month.scenario.seed, month.rng(streams.OBSERVATIONS), month.pop, month.enc)
    obs = _cut(obs, month.inside[obs["row"]] & (obs["observed_at"] < month.end_us))
    r = obs["row"]
    loinc = load("observations")
    return month.table(
        "observation_id",
        "-O",
        r,
        obs["set"] * 8 + obs["kind"] + 1,
        {
            "loinc_code": col.labels(obs["kind"], loinc["loinc_code"]),
            "observation_name": col.labels(obs["kind"], loinc["name"]),
            "value": pa.array(obs["value"], pa.float64()),
            "unit": col.labels(obs["kind"], loinc["unit"]),
            "observed_at": col.timestamps(obs["observed_at"]),
            "extracted_at": col.timestamps(np.maximum(month.extracted[r], obs["observed_at"])),
        },
    )


def _charges(month: MonthRows, charge: dict[str, np.ndarray]) -> pa.Table:
    charge = {**charge, "seq": clinical.positions(charge["row"])}
    charge = _cut(charge, month.inside[charge["row"]] & (charge["posted_at"] < month.end_us))
    return month.table(
        "charge_id",
        "-C",
        charge["row"],
        charge["seq"],
        {
            "line_number": pa.array(charge["seq"], pa.int32()),
            "code": pa.array(charge["code"], pa.string()),
            "code_system": pa.array(charge["system"], pa.string()),
            "description": pa.array(charge["label"], pa.string()),
            "service_date": col.dates(charge["service_day"]),
            "units": pa.array(charge["units"], pa.int32()),
            "charge_amount": pa.array(charge["amount"], pa.float64()),
            "posted_at": col.timestamps(charge["posted_at"]),
        },
    )


def _payments(month: MonthRows, paid: dict[str, np.ndarray], gross: np.ndarray) -> pa.Table:
    r = np.flatnonzero(month.inside & (paid["posted_at"] < month.end_us))
    return month.table(
        "payment_id",
        "-R",
        r,
        np.ones(len(r)),
        {
            "payer_id": col.labels(month.enc["payer"][r], load("payers")["payer_id"]),
            "gross_charge": pa.array(np.round(gross[r], 2), pa.float64()),
            "allowed_amount": pa.array(paid["allowed"][r], pa.float64()),
            "payer_paid": pa.array(paid["payer_paid"][r], pa.float64()),
            "patient_responsibility": pa.array(paid["responsibility"][r], pa.float64()),
            "patient_paid": pa.array(paid["patient_paid"][r], pa.float64()),
            "posted_at": col.timestamps(paid["posted_at"][r]),
        },
    )


def _surveys(month: MonthRows) -> pa.Table:
    sv = surveys(month.rng(streams.SURVEYS), month.scenario, month.enc)
    sv = _cut(sv, month.inside[sv["row"]] & (sv["received_at"] < month.end_us))
    return month.table(
        "survey_id",
        "-S",
        sv["row"],
        np.ones(len(sv["row"])),
        {
            "received_at": col.timestamps(sv["received_at"]),
            "overall_rating": pa.array(sv["rating"], pa.int32()),
            "would_recommend": col.labels(sv["recommend"], RECOMMEND),
            "nurse_communication": col.labels(sv["nurse"], FREQUENCY),
            "doctor_communication": col.labels(sv["doctor"], FREQUENCY),
        },
    )


def month_children(
    scenario: Scenario,
    shard: Shard,
    pop: Population,
    month: Month,
    enc: dict[str, np.ndarray],
    window: tuple[int, int],
) -> dict[str, pa.Table]:
    """Diagnoses, procedures, observations, charges, payments and surveys of one month.

    Procedures are drawn once: they are delivered, and they are what charges bill. Charges and
    then payments draw from the month's one finance stream, in that order.
    """
    start_us, end_us = window
    open_stay = enc["discharge"] >= end_us
    month_rows = MonthRows(
        scenario=scenario,
        shard=shard,
        pop=pop,
        month=month,
        enc=enc,
        end_us=end_us,
        inside=(enc["admit"] >= start_us) & (enc["admit"] < end_us),
        encounter_ids=encounter_ids(enc["uid"]),
        patient_ids=patient_ids(pop.patient_number[enc["patient"]]),
        extracted=np.where(open_stay, enc["admit"], enc["discharge"]) + enc["extract_lag"],
    )
    providers, offset = _provider_ranges(scenario)
    procs = clinical.procedures(month_rows.rng(streams.PROCEDURES), enc, providers, offset)
    procs["seq"] = clinical.positions(procs["row"])
    money = month_rows.rng(streams.FINANCE)
    charge = finance.charges(money, scenario, pop, enc, procs)
    gross = np.bincount(charge["row"], weights=charge["amount"], minlength=len(enc["uid"]))
    paid = finance.payments(money, scenario, enc, gross)
    return {
        "diagnoses": _diagnoses(month_rows),
        "procedures": _procedures(month_rows, procs),
        "observations": _observations(month_rows),
        "charges": _charges(month_rows, charge),
        "payments": _payments(month_rows, paid, gross),
        "surveys": _surveys(month_rows),
    }


def providers_table(scenario: Scenario, pools: Pools) -> pa.Table:
    """Providers numbered department by department, in DEPARTMENTS order."""
    rng = streams.stream(scenario.seed, streams.PROVIDERS)
    counts = [scenario.departments[d].providers for d in DEPARTMENTS]
    dept = np.repeat(np.arange(len(DEPARTMENTS)), counts)
    n = len(dept)
    female = rng.random(n) < 0.45
    first = rng.integers(0, len(pools.female_first), n)
    cat = load("departments")
    specialty = dict(zip(cat["department_name"], cat["specialty"], strict=True))
    return pa.table(
        {
            "provider_id": provider_ids(np.arange(n)),
            "first_name": pa.array(
                np.where(female, pools.female_first[first], pools.male_first[first]), pa.string()
            ),
            "last_name": pa.array(pools.last[rng.integers(0, len(pools.last), n)], pa.string()),
            "npi": pa.array(
                [str(v) for v in PROVIDER_NPI_BASE + rng.choice(900_000_000, n, replace=False)], pa.string()
            ),
            "department_id": col.labels(dept, department_ids()),
            "specialty": col.labels(dept, [specialty[d] for d in DEPARTMENTS]),
        }
    )


def coverage_table(scenario: Scenario, pop: Population, end_us: int) -> pa.Table:
    """Coverage periods: one open period, or two when a patient turns 65 and joins Medicare."""
    start_day = np.datetime64(scenario.start_date, "D").astype(np.int64)
    end_day = end_us // US_PER_DAY
    n = len(pop.patient_number)
    first_start = np.maximum(
        pop.birth_day,
        start_day - (streams.row_uniform(scenario.seed, 301, pop.patient_number) * 3 * 365).astype(np.int64),
    )
    switches = (pop.payer_from_65 != pop.payer_before_65) & (pop.turns_65_day > first_start)
    switches &= pop.turns_65_day < end_day
    first_payer = np.where(pop.turns_65_day <= first_start, pop.payer_from_65, pop.payer_before_65)
    number = np.concatenate([pop.patient_number, pop.patient_number[switches]])
    k = np.concatenate([np.ones(n, np.int64), np.full(int(switches.sum()), 2)])
    payer = np.concatenate([first_payer, pop.payer_from_65[switches]])
    begins = np.concatenate([first_start, pop.turns_65_day[switches]])
    ends = np.concatenate(
        [np.where(switches, pop.turns_65_day - 1, 0), np.zeros(int(switches.sum()), np.int64)]
    )
    closed = np.concatenate([switches, np.zeros(int(switches.sum()), bool)])
    order = np.lexsort((k, number))
    number, k, payer, begins, ends, closed = (a[order] for a in (number, k, payer, begins, ends, closed))
    return pa.table(
        {
            "coverage_id": col.ids("COV", number * 10 + k, 9),
            "patient_id": patient_ids(number),
            "payer_id": col.labels(payer, load("payers")["payer_id"]),
            "start_date": col.dates(begins),
            "end_date": col.dates(ends, ~closed),
            KEY: pa.array(number * 10 + k, pa.int64()),
        }
    )
