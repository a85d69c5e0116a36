"""Child rows of a month of encounters: diagnoses, procedures and vital signs / labs.

Diagnoses put the principal first, add the patient's chronic conditions (diabetes with kidney
disease codes E11.22 + N18.30, hypertension I10 or I12.9) and a few common secondaries.
Vitals follow the patient: diabetics run higher glucose, hypertensive patients higher pressure,
infections raise temperature. Every table draws from its own (shard, month) stream.
"""

from functools import cache

import numpy as np

from . import rng as streams
from .catalogs import load
from .diagnosis_catalog import diagnosis_catalog, eligible
from .encounters import EMERGENCY, INPATIENT, OBSERVATION, OUTPATIENT, planned_stay_catalog
from .population import DAYS_PER_YEAR, US_PER_DAY, Population
from .scenario import DEPARTMENTS, ENCOUNTER_CLASSES

US_PER_MINUTE = 60_000_000
# Mean number of extra (non-chronic) secondary diagnoses and of procedures per class.
SECONDARY_MEAN = {INPATIENT: 2.5, OBSERVATION: 1.5, EMERGENCY: 0.8, OUTPATIENT: 0.5}
PROCEDURE_MEAN = {INPATIENT: 2.5, OBSERVATION: 1.2, EMERGENCY: 1.6, OUTPATIENT: 0.7}
INFECTIOUS_GROUPS = ("infection", "respiratory")


def _per_class(mapping: dict[int, float], cls: np.ndarray) -> np.ndarray:
    return np.array([mapping[k] for k in range(len(ENCOUNTER_CLASSES))])[cls]


def positions(rows: np.ndarray) -> np.ndarray:
    """1-based position of each row within its run of equal (sorted) encounter rows."""
    first = np.ones(len(rows), bool)
    first[1:] = rows[1:] != rows[:-1]
    return np.arange(len(rows)) - np.maximum.accumulate(np.where(first, np.arange(len(rows)), 0)) + 1


def _normal(seed: int, salt: int, keys: np.ndarray) -> np.ndarray:
    """A standard normal per key (Box-Muller on two row hashes): stable per patient."""
    u1 = streams.row_uniform(seed, salt, keys)
    u2 = streams.row_uniform(seed, salt + 1, keys)
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2 * np.pi * u2)


def diagnoses(rng: np.random.Generator, pop: Population, enc: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Rows (encounter row, code, sequence, POA) with the principal at sequence 1."""
    cat = diagnosis_catalog()
    n = len(enc["uid"])
    patient = enc["patient"]
    conditions = pop.conditions[patient]
    age = (enc["admit"] // US_PER_DAY - pop.birth_day[patient]) / DAYS_PER_YEAR
    rows, codes, principal = [np.arange(n)], [cat.code[enc["principal"]]], [np.ones(n, bool)]

    diabetes, hypertension, ckd = conditions[:, 0], conditions[:, 1], conditions[:, 2]
    chronic = [
        (diabetes, np.where(ckd, "E11.22", np.where(age < 18, "E10.9", "E11.9"))),
        (hypertension, np.where(ckd, "I12.9", "I10")),
        (ckd, np.full(n, "N18.30")),
    ]
    for has, code in chronic:
        rows.append(np.flatnonzero(has))
        codes.append(code[has].astype(object))
        principal.append(np.zeros(int(has.sum()), bool))

    extra = load("secondary_diagnoses")
    count = np.minimum(rng.poisson(_per_class(SECONDARY_MEAN, enc["cls"])), 6)
    extra_rows = np.repeat(np.arange(n), count)
    mask = eligible(
        extra["sex"],
        extra["min_age"],
        extra["max_age"],
        np.full(len(extra["code"]), -1),
        age[extra_rows],
        pop.female[patient][extra_rows],
        None,
    )
    picked = streams.choice_rows(rng, mask * extra["weight"][None, :])
    ok = picked >= 0
    rows.append(extra_rows[ok])
    codes.append(extra["code"][picked[ok]])
    principal.append(np.zeros(int(ok.sum()), bool))

    row = np.concatenate(rows)
    code = np.concatenate(codes).astype(object)
    is_principal = np.concatenate(principal)
    # Drop repeats of a code within an encounter, keeping the principal's occurrence.
    order = np.lexsort((~is_principal, code.astype(str), row))
    row, code, is_principal = row[order], code[order], is_principal[order]
    repeat = np.zeros(len(row), bool)
    repeat[1:] = (row[1:] == row[:-1]) & (code[1:] == code[:-1])
    row, code, is_principal = row[~repeat], code[~repeat], is_principal[~repeat]
    order = np.lexsort((~is_principal, row))
    row, code, is_principal = row[order], code[order], is_principal[order]
    sequence = positions(row)
    inpatient = enc["cls"][row] == INPATIENT
    poa_u = rng.random(len(row))
    poa = np.where(is_principal | (poa_u < 0.9), "Y", np.where(poa_u < 0.97, "N", "U"))
    return {
        "row": row,
        "code": code,
        "sequence": sequence,
        "principal": is_principal,
        "poa": np.where(inpatient, poa, None).astype(object),
    }


@cache
def _procedure_table():
    cat = load("procedures")
    classes = [set(c.split(";")) for c in cat["classes"]]
    allowed = np.array(
        [[k in c for k in ENCOUNTER_CLASSES] for c in classes], dtype=bool
    )  # [procedures, classes]
    dept = np.array([-1 if d == "any" else DEPARTMENTS.index(d) for d in cat["department"]])
    return cat, allowed, dept


def procedures(
    rng: np.random.Generator, enc: dict[str, np.ndarray], providers: np.ndarray, offset: np.ndarray
):
    """One evaluation-and-management code per encounter plus department procedures (ICD-10-PCS
    for inpatient stays, CPT/HCPCS otherwise). A planned stay gets its catalog procedure; an
    unplanned readmission gets no potentially planned one (CMS Planned Readmission Algorithm
    v4.0, catalog column potentially_planned), so it stays unplanned whatever its diagnosis."""
    cat, allowed, dept = _procedure_table()
    n = len(enc["uid"])
    cls, dep = enc["cls"], enc["dept"]
    general = dept == -1
    em = streams.choice_by_group(rng, allowed[general].T * cat["weight"][general][None, :], cls)
    em_rows = np.arange(n)
    em_codes = np.flatnonzero(general)[em]
    count = rng.poisson(_per_class(PROCEDURE_MEAN, cls))
    more_rows = np.repeat(np.arange(n), count)
    unplanned_readmission = (enc["readmit"] == 1) & (enc["planned_stay"] < 0)
    # The codes that fit depend on the department, class and unplanned readmission only: one row
    # of weights per combination, numbered (department x classes + class) x 2 + unplanned.
    classes = len(ENCOUNTER_CLASSES)
    d, c, unplanned = (
        a.ravel() for a in np.meshgrid(np.arange(len(DEPARTMENTS)), np.arange(classes), [0, 1], indexing="ij")
    )
    fits = (dept[None, :] == d[:, None]) & allowed.T[c]
    fits &= ~((unplanned == 1)[:, None] & (cat["potentially_planned"] == 1)[None, :])
    kind = (dep * classes + cls) * 2 + unplanned_readmission
    picked = streams.choice_by_group(rng, fits * cat["weight"][None, :], kind[more_rows])
    ok = picked >= 0
    planned_rows = np.flatnonzero(enc["planned_stay"] >= 0)
    planned_codes = planned_stay_catalog().procedure[enc["planned_stay"][planned_rows]]
    row = np.concatenate([em_rows, more_rows[ok], planned_rows])
    proc = np.concatenate([em_codes, picked[ok], planned_codes])
    order = np.argsort(row, kind="stable")
    row, proc = row[order], proc[order]
    span = np.maximum(enc["discharge"][row] - enc["admit"][row], US_PER_MINUTE)
    at = enc["admit"][row] + (rng.random(len(row)) * span).astype(np.int64)
    at -= at % US_PER_MINUTE
    other = offset[dep[row]] + (rng.random(len(row)) * providers[dep[row]]).astype(np.int64)
    provider = np.where(rng.random(len(row)) < 0.7, enc["provider"][row], other)
    return {"row": row, "procedure": proc, "performed_at": at, "provider": provider}


def observations(seed: int, rng: np.random.Generator, pop: Population, enc: dict[str, np.ndarray]):
    """Vital-sign sets (one per stay day, up to 5) of the eight LOINC observations."""
    n = len(enc["uid"])
    stay_days = (enc["discharge"] - enc["admit"]) / US_PER_DAY
    sets = np.where(enc["cls"] == INPATIENT, np.minimum(1 + stay_days.astype(np.int64), 5), 1)
    sets = np.where(enc["cls"] == OBSERVATION, 2, sets)
    row = np.repeat(np.arange(n), sets)
    set_no = positions(row) - 1
    span = np.maximum(enc["discharge"][row] - enc["admit"][row], US_PER_MINUTE)
    at = enc["admit"][row] + (set_no + rng.random(len(row))) * span // sets[row]
    at = at.astype(np.int64)
    at -= at % US_PER_MINUTE

    patient = enc["patient"][row]
    number = pop.patient_number[patient]
    age = (at // US_PER_DAY - pop.birth_day[patient]) / DAYS_PER_YEAR
    female = pop.female[patient]
    diabetic = pop.conditions[patient, 0]
    hypertensive = pop.conditions[patient, 1]
    group = diagnosis_catalog().group[enc["principal"][row]]
    febrile = np.isin(group, INFECTIOUS_GROUPS)
    k = len(row)
    noise = rng.standard_normal((k, 8))
    child = age < 18
    # Patient baselines are hashed from the MRN so they persist across encounters.
    adult_weight = np.where(female, 76.0, 89.0) + 17.0 * _normal(seed, 201, number)
    child_weight = 3.5 + np.minimum(age, 17) * 3.6 * (1 + 0.15 * _normal(seed, 201, number))
    weight = np.where(child, child_weight, np.maximum(adult_weight, 42.0)) + 0.4 * noise[:, 7]
    systolic = np.where(child, 102.0, 116.0 + 0.35 * np.maximum(age - 40, 0))
    systolic = systolic + np.where(hypertensive, 20.0, 0.0) + 11.0 * noise[:, 0]
    diastolic = 0.55 * systolic + 8.0 + 6.0 * noise[:, 1]
    heart = np.where(child, 120.0 - 3.0 * np.minimum(age, 15), 76.0) + 10.0 * noise[:, 2]
    heart = heart + np.where(febrile, 12.0, 0.0)
    resp = np.where(child, 26.0 - 0.6 * np.minimum(age, 15), 16.0) + 2.0 * noise[:, 3]
    temp = 36.85 + 0.3 * noise[:, 4] + np.where(febrile, 1.1 + 0.5 * np.abs(noise[:, 4]), 0.0)
    spo2 = np.minimum(97.6 + 1.1 * noise[:, 5] - np.where(group == "respiratory", 3.0, 0.0), 100.0)
    glucose = np.where(diabetic, 168.0 + 48.0 * noise[:, 6], 96.0 + 13.0 * noise[:, 6])
    values = np.stack(
        [
            np.round(systolic),
            np.round(diastolic),
            np.round(heart),
            np.round(resp),
            np.round(temp, 1),
            np.round(spo2),
            np.round(np.maximum(glucose, 55.0)),
            np.round(weight, 1),
        ],
        axis=1,
    )
    return {
        "row": np.repeat(row, 8),
        "set": np.repeat(set_no, 8),
        "kind": np.tile(np.arange(8), k),
        "value": values.reshape(-1),
        "observed_at": np.repeat(at, 8),
    }
