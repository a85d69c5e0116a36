"""Charges and payments: gross charge lines, then what each payer allows and pays.

Charges are right-skewed (lognormal) around a procedure's base charge times the age band's
charge multiplier; inpatient and observation stays add room-and-board lines. Each department's
lines are then scaled so that its encounters' mean gross charge is the scenario's
gross_charge_per_encounter: the catalog and the age multipliers shape the bills within a
department, the scenario sets their level. An inpatient procedure (ICD-10-PCS, a code of the
facility's abstract, not of its bill) is billed under its UB-04 revenue code (catalog column
revenue_code), as hospitals bill inpatient services; CPT/HCPCS procedures are billed under their
own code.
Payments apply the payer class's allowed ratio and patient share; the uninsured owe the whole
allowed amount and pay little of it.
"""

import numpy as np

from .catalogs import load
from .encounters import INPATIENT, OBSERVATION
from .population import US_PER_DAY, Population
from .scenario import DEPARTMENTS, PAYER_CLASSES, Scenario

ROOM_CODE = "0110"  # UB-04 revenue code: room and board, private
OBSERVATION_CODE = "0762"  # UB-04 revenue code: observation room
ROOM_PER_DAY = 3200.0
OBSERVATION_PER_HOUR = 95.0
CHARGE_SIGMA = 0.35


def charges(
    rng: np.random.Generator,
    scenario: Scenario,
    pop: Population,
    enc: dict[str, np.ndarray],
    procs: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Charge lines: one per procedure plus one room line per inpatient/observation stay."""
    cat = load("procedures")
    proc_row = procs["row"]
    proc_amount = cat["base_charge"][procs["procedure"]]
    proc_amount *= np.exp(CHARGE_SIGMA * rng.standard_normal(len(proc_row)) - CHARGE_SIGMA**2 / 2)

    stays = np.flatnonzero((enc["cls"] == INPATIENT) | (enc["cls"] == OBSERVATION))
    hours = (enc["discharge"][stays] - enc["admit"][stays]) / 3_600_000_000
    nights = np.maximum(np.ceil(hours / 24.0), 1)
    inpatient = enc["cls"][stays] == INPATIENT
    units = np.where(inpatient, nights, np.ceil(hours)).astype(np.int64)
    rate = np.where(inpatient, ROOM_PER_DAY, OBSERVATION_PER_HOUR)
    room_amount = units * rate

    band = np.array([b.charge_multiplier for b in scenario.population.age_bands])
    age_scale = band[pop.band[enc["patient"]]]
    proc_amount = proc_amount * age_scale[proc_row]
    room_amount = room_amount * age_scale[stays]
    level = _department_scale(
        scenario, enc, np.concatenate([proc_row, stays]), np.concatenate([proc_amount, room_amount])
    )
    proc_amount = proc_amount * level[proc_row]
    room_amount = room_amount * level[stays]

    row = np.concatenate([proc_row, stays])
    order = np.argsort(row, kind="stable")
    facility = cat["code_system"][procs["procedure"]] == "ICD10PCS"
    proc_code = np.where(facility, cat["revenue_code"][procs["procedure"]], cat["code"][procs["procedure"]])
    proc_system = np.where(facility, "REV", cat["code_system"][procs["procedure"]])
    code = np.concatenate([proc_code, np.where(inpatient, ROOM_CODE, OBSERVATION_CODE)]).astype(object)
    system = np.concatenate([proc_system, np.full(len(stays), "REV")]).astype(object)
    label = np.concatenate(
        [
            cat["label"][procs["procedure"]],
            np.where(inpatient, "Room and board", "Observation room hours").astype(object),
        ]
    )
    service_day = np.concatenate([procs["performed_at"] // US_PER_DAY, enc["admit"][stays] // US_PER_DAY])
    posted = np.concatenate([procs["performed_at"], enc["discharge"][stays]])
    units_all = np.concatenate([np.ones(len(proc_row), np.int64), units])
    amount = np.round(np.concatenate([proc_amount, room_amount]), 2)
    return {
        "row": row[order],
        "code": code[order],
        "system": system[order],
        "label": label[order],
        "service_day": service_day[order],
        "posted_at": posted[order],
        "units": units_all[order],
        "amount": amount[order],
    }


def _department_scale(
    scenario: Scenario, enc: dict[str, np.ndarray], line_row: np.ndarray, line_amount: np.ndarray
) -> np.ndarray:
    """Per encounter: the factor that brings its department's mean gross charge per encounter
    (over this month's encounters of the shard) to gross_charge_per_encounter."""
    n = len(enc["uid"])
    per_encounter = np.bincount(line_row, weights=line_amount, minlength=n)
    departments = len(DEPARTMENTS)
    total = np.bincount(enc["dept"], weights=per_encounter, minlength=departments)
    count = np.bincount(enc["dept"], minlength=departments)
    target = np.array([scenario.departments[d].gross_charge_per_encounter for d in DEPARTMENTS])
    factor = np.divide(target * count, total, out=np.zeros(departments), where=total > 0)
    return factor[enc["dept"]]


def payments(
    rng: np.random.Generator, scenario: Scenario, enc: dict[str, np.ndarray], gross: np.ndarray
) -> dict[str, np.ndarray]:
    """One remittance per encounter: allowed, payer paid, patient responsibility and paid."""
    payers = load("payers")
    payer_class = np.array([PAYER_CLASSES.index(c) for c in payers["payer_class"]])[enc["payer"]]
    classes = [scenario.payers.classes[c] for c in PAYER_CLASSES]
    allowed_ratio = np.array([c.allowed_ratio for c in classes])[payer_class]
    patient_share = np.array([c.patient_share for c in classes])[payer_class]
    collection = np.array([c.patient_collection_rate for c in classes])[payer_class]
    n = len(gross)
    allowed = np.round(gross * allowed_ratio * np.clip(1 + 0.05 * rng.standard_normal(n), 0.8, 1.2), 2)
    allowed = np.minimum(allowed, gross)
    responsibility = np.round(allowed * patient_share, 2)
    payer_paid = np.round(allowed - responsibility, 2)
    patient_paid = np.where(rng.random(n) < collection, responsibility, 0.0)
    lag_days = 14 + rng.gamma(2.0, 12.0, n)
    posted = enc["discharge"] + (lag_days * US_PER_DAY).astype(np.int64)
    return {
        "allowed": allowed,
        "payer_paid": payer_paid,
        "responsibility": responsibility,
        "patient_paid": patient_paid,
        "posted_at": posted - posted % 60_000_000,
    }
