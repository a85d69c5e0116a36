"""Arrow tables for the reference data, patients and encounters, in the column contract.

Each row-level table carries a hidden int64 `_key` column (a stable row identity used by defect
injection); the writer drops it.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import arrowcols as col
from . import rng as streams
from .catalogs import load
from .encounters import ADMISSION_SOURCES
from .pools import Pools
from .population import US_PER_DAY, Population
from .scenario import ADMISSION_TYPES, DEPARTMENTS, DISPOSITIONS, ENCOUNTER_CLASSES, Scenario

KEY = "_key"
PATIENT_REGISTRATION_SALT = 101


def encounter_ids(uid: np.ndarray) -> pa.Array:
    """ENC + yyyymm + shard (3) + sequence (6): readable and stable under date extension."""
    month = uid >> 36
    yyyymm = (month // 12) * 100 + month % 12 + 1
    shard = (uid >> 20) & 0xFFFF
    seq = uid & 0xFFFFF
    return col.ids("ENC", yyyymm * 1_000_000_000 + shard * 1_000_000 + seq, 15)


def patient_ids(number: np.ndarray) -> pa.Array:
    return col.ids("MRN", number, 8)


def provider_ids(index: np.ndarray) -> pa.Array:
    return col.ids("PRV", np.asarray(index) + 1, 5)


def departments_table() -> pa.Table:
    cat = load("departments")
    return pa.table(
        {
            "department_id": pa.array(list(cat["department_id"]), pa.string()),
            "department_name": pa.array(list(cat["department_name"]), pa.string()),
            "specialty": pa.array(list(cat["specialty"]), pa.string()),
        }
    )


def payers_table() -> pa.Table:
    cat = load("payers")
    return pa.table(
        {
            "payer_id": pa.array(list(cat["payer_id"]), pa.string()),
            "payer_name": pa.array(list(cat["payer_name"]), pa.string()),
            "payer_class": pa.array(list(cat["payer_class"]), pa.string()),
        }
    )


def department_ids() -> list[str]:
    """Department ids in DEPARTMENTS order (the catalog may list them in any order)."""
    cat = load("departments")
    by_name = dict(zip(cat["department_name"], cat["department_id"], strict=True))
    return [by_name[name] for name in DEPARTMENTS]


def patients_table(
    scenario: Scenario, pop: Population, pools: Pools, death_us: np.ndarray, end_us: int
) -> pa.Table:
    """One clean row per patient; death_date only when the death falls before the extract end.
    A patient is registered in the first 30 days of the extract, a newborn on its birth day."""
    start_us = int(np.datetime64(scenario.start_date, "us").astype(np.int64))
    u = streams.row_uniform(scenario.seed, PATIENT_REGISTRATION_SALT, pop.patient_number)
    born_us = pop.birth_day * US_PER_DAY
    registered = np.where(
        born_us >= start_us,
        born_us + (u * US_PER_DAY).astype(np.int64),
        start_us + (u * 30 * US_PER_DAY).astype(np.int64),
    )
    registered -= registered % 60_000_000
    died = death_us < end_us
    states = list(scenario.population.states)
    return pa.table(
        {
            "patient_id": patient_ids(pop.patient_number),
            "first_name": pa.array(pop.first_name, pa.string()),
            "last_name": pa.array(pop.last_name, pa.string()),
            "birth_date": col.dates(pop.birth_day),
            "sex": col.labels(np.where(pop.female, 0, 1), ["F", "M"]),
            "race": col.labels(pop.race, scenario.population.race),
            "ethnicity": col.labels(pop.ethnicity, scenario.population.ethnicity),
            "address_line": pa.array(pools.address_line[pop.state, pop.address], pa.string()),
            "city": pa.array(pools.city[pop.state, pop.address], pa.string()),
            "state": col.labels(pop.state, states),
            "zip_code": pa.array(pools.zip_code[pop.state, pop.address], pa.string()),
            "death_date": col.dates(np.where(died, death_us // US_PER_DAY, 0), ~died),
            "extracted_at": col.timestamps(registered),
            KEY: pa.array(pop.patient_number, pa.int64()),
        }
    )


def _linked_ids(uid: np.ndarray, present: np.ndarray) -> pa.Array:
    """Encounter ids of linked encounters; null where there is no link."""
    return pc.if_else(
        pa.array(present), encounter_ids(np.where(present, uid, 0)), pa.scalar(None, pa.string())
    )


def encounters_table(rows: dict[str, np.ndarray], pop: Population, end_us: int) -> pa.Table:
    """Encounters admitted before the extract end; stays still open have no discharge yet, and
    an ED visit still open names no admission yet."""
    open_stay = rows["discharge"] >= end_us
    payers = load("payers")["payer_id"]
    last_event = np.where(open_stay, rows["admit"], rows["discharge"])
    return pa.table(
        {
            "encounter_id": encounter_ids(rows["uid"]),
            "patient_id": patient_ids(pop.patient_number[rows["patient"]]),
            "encounter_class": col.labels(rows["cls"], ENCOUNTER_CLASSES),
            "admitted_at": col.timestamps(rows["admit"]),
            "discharged_at": col.timestamps(rows["discharge"], open_stay),
            "department_id": col.labels(rows["dept"], department_ids()),
            "provider_id": provider_ids(rows["provider"]),
            "admission_type": col.labels(rows["adm_type"], ADMISSION_TYPES),
            "admission_source": col.labels(rows["adm_source"], ADMISSION_SOURCES),
            "discharge_disposition": pa.array(
                np.array(DISPOSITIONS, dtype=object)[rows["disposition"]], pa.string(), mask=open_stay
            ),
            "payer_id": col.labels(rows["payer"], payers),
            "source_readmission_flag": pa.array(rows["source_flag"].astype(bool), pa.bool_()),
            "mother_encounter_id": _linked_ids(rows["mother_uid"], rows["mother_uid"] >= 0),
            "admitted_encounter_id": _linked_ids(
                rows["admitted_uid"], (rows["admitted_uid"] >= 0) & ~open_stay
            ),
            "extracted_at": col.timestamps(last_event + rows["extract_lag"]),
            KEY: pa.array(rows["uid"], pa.int64()),
        }
    )


def planted_readmission_risk_table(rows: dict[str, np.ndarray], end_us: int) -> pa.Table:
    """The answer key's planted risks of the inpatient stays discharged before the extract end
    (the generator set them at discharge); never part of the feed."""
    planted = ~np.isnan(rows["planted_risk_60d"]) & (rows["discharge"] < end_us)
    return pa.table(
        {
            "encounter_id": encounter_ids(rows["uid"][planted]),
            "planted_probability_60d": pa.array(rows["planted_risk_60d"][planted], pa.float64()),
            "planted_probability_30d": pa.array(rows["planted_risk_30d"][planted], pa.float64()),
        }
    )
