"""The curated ICD-10-CM catalog and the principal-diagnosis draw that respects each patient.

A code is eligible for an encounter only when its department, sex, age range and required
chronic condition fit the patient. Each code also carries the chronic-condition group the marts
report it under (catalogs/chronic_condition_groups.csv, ICD-10-CM prefixes after the CMS
Chronic Conditions Data Warehouse), which is what a scenario's seasonal rise lifts.
A code with an inpatient role (column inpatient_role) is the principal diagnosis of inpatient
stays only where the scenario plants it: planned_stay (maintenance chemotherapy or
radiotherapy, the principal of planned follow-up stays, catalogs/planned_stays.csv), or an
excluded cohort of the CMS readmission measure (psychiatric, rehabilitation; scenario key
readmission.excluded_cohorts). Ordinary draws for inpatient stays skip them, so the scenario
alone sets how often they happen.
Delivery and liveborn codes are never drawn here: births.py assigns them to the deliveries and
birth stays it makes, so no ordinary visit or readmission becomes a delivery.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np

from .catalogs import load
from .population import CONDITIONS
from .scenario import DEPARTMENTS, chronic_condition_groups

BIRTH_GROUPS = ("vaginal_delivery", "cesarean_delivery", "liveborn")


@dataclass(frozen=True)
class DiagnosisCatalog:
    code: np.ndarray
    group: np.ndarray
    department: np.ndarray  # index into DEPARTMENTS
    weight: np.ndarray
    sex: np.ndarray  # "any", "F" or "M"
    min_age: np.ndarray
    max_age: np.ndarray
    requires: np.ndarray  # index into CONDITIONS, -1 for none
    drawable: np.ndarray  # bool: an ordinary principal diagnosis (not a birth group)
    chronic_group: np.ndarray  # index into scenario.chronic_condition_groups(), -1 for none
    inpatient_role: np.ndarray  # "", "planned_stay", "psychiatric" or "rehabilitation"


@cache
def diagnosis_catalog() -> DiagnosisCatalog:
    raw = load("diagnoses")
    requires = np.array([CONDITIONS.index(r) if r else -1 for r in raw["requires"]])
    return DiagnosisCatalog(
        code=raw["code"],
        group=raw["group"],
        department=np.array([DEPARTMENTS.index(d) for d in raw["department"]]),
        weight=raw["weight"],
        sex=raw["sex"],
        min_age=raw["min_age"],
        max_age=raw["max_age"],
        requires=requires,
        drawable=~np.isin(raw["group"], BIRTH_GROUPS),
        chronic_group=np.array([_chronic_group(code) for code in raw["code"]]),
        inpatient_role=raw["inpatient_role"],
    )


def _chronic_group(code: str) -> int:
    """The chronic-condition group of an ICD-10-CM code by its prefix, -1 for none."""
    prefixes = load("chronic_condition_groups")
    groups = chronic_condition_groups()
    for prefix, group in zip(prefixes["icd10_prefix"], prefixes["condition_group"], strict=True):
        if code.startswith(prefix):
            return groups.index(group)
    return -1


def eligible(
    sex: np.ndarray,
    min_age: np.ndarray,
    max_age: np.ndarray,
    requires: np.ndarray,
    age: np.ndarray,
    female: np.ndarray,
    conditions: np.ndarray | None,
) -> np.ndarray:
    """[rows, codes] mask: sex, age range and (when given) the required chronic condition."""
    ok = (age[:, None] >= min_age[None, :]) & (age[:, None] < max_age[None, :] + 1)
    ok &= (sex[None, :] == "any") | ((sex[None, :] == "F") == female[:, None])
    if conditions is not None:
        has = np.concatenate([conditions, np.ones((len(age), 1), dtype=bool)], axis=1)
        ok &= has[:, requires]  # requires == -1 picks the all-true column
    return ok


def diagnosis_fits(
    cat: DiagnosisCatalog, rows: np.ndarray, age: np.ndarray, female: np.ndarray
) -> np.ndarray:
    """[patients, rows] mask: the catalog rows whose sex and age range fit each patient."""
    return eligible(
        cat.sex[rows], cat.min_age[rows], cat.max_age[rows], cat.requires[rows], age, female, None
    )


def pick_principal(
    rng: np.random.Generator,
    department: np.ndarray,
    age: np.ndarray,
    female: np.ndarray,
    conditions: np.ndarray,
    ordinary_only: np.ndarray | None = None,
    role: str = "",
    required: np.ndarray | None = None,
) -> np.ndarray:
    """A catalog row per encounter from its department's codes; raises if none can fit an
    encounter that requires one (all do unless `required` says otherwise).

    Where ordinary_only is set (inpatient stays), codes with an inpatient role are skipped.
    With a role, only codes of that role are drawn, and encounters none fits get -1; so do
    encounters that need no code (a delivery brings its own) and none fits. Every encounter
    draws its uniform either way, so the others' codes do not depend on which need one.
    """
    cat = diagnosis_catalog()
    if ordinary_only is None:
        ordinary_only = np.zeros(len(department), dtype=bool)
    if required is None:
        required = np.ones(len(department), dtype=bool)
    u = rng.random(len(department))
    picked = np.full(len(department), -1, dtype=np.int64)
    for d in np.unique(department):
        rows = np.flatnonzero(department == d)
        codes = np.flatnonzero((cat.department == d) & cat.drawable)
        mask = eligible(
            cat.sex[codes],
            cat.min_age[codes],
            cat.max_age[codes],
            cat.requires[codes],
            age[rows],
            female[rows],
            conditions[rows],
        )
        if role:
            mask &= (cat.inpatient_role[codes] == role)[None, :]
        else:
            mask &= ~(ordinary_only[rows][:, None] & (cat.inpatient_role[codes] != "")[None, :])
        weights = mask * cat.weight[codes][None, :]
        cdf = np.cumsum(weights, axis=1)
        total = cdf[:, -1]
        if role:
            idx = (cdf <= (u[rows] * total)[:, None]).sum(axis=1)
            picked[rows] = np.where(total > 0, codes[np.minimum(idx, len(codes) - 1)], -1)
            continue
        if np.any((total <= 0) & required[rows]):
            raise ValueError(
                f"department {DEPARTMENTS[d]} has no catalog diagnosis for some patients; "
                "check its min_age/max_age/sex against catalogs/diagnoses.csv"
            )
        idx = (cdf <= (u[rows] * total)[:, None]).sum(axis=1)
        picked[rows] = np.where(total > 0, codes[np.minimum(idx, len(codes) - 1)], -1)
    return picked
