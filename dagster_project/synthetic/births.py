"""Deliveries and the newborns they bring, as an EMR records them.

The panel's women deliver at an age-specific rate (scenario `births`). A delivery is an
Obstetrics inpatient stay whose principal diagnosis is a delivery code of its mode (vaginal or
cesarean, from the catalog). Each baby becomes a new patient of the shard, born during the
mother's stay, with a birth stay in Pediatrics (admission type "newborn", source "born in
hospital") whose principal diagnosis is Z38.00 (single liveborn infant, delivered vaginally)
or Z38.01 (delivered by cesarean). The birth stay carries the mother's delivery encounter as
`mother_encounter_id` (docs/design.md). Twins are not simulated.

The simulator (encounters.py) wires these functions into its months; nothing here draws
encounters itself.
"""

from functools import cache

import numpy as np

from .catalogs import load
from .diagnosis_catalog import diagnosis_catalog
from .pools import Pools
from .population import Population, birthday, medicare_age_classes, payer_rows
from .scenario import Births, Scenario

DELIVERY_GAP_DAYS = 300  # a woman delivers again at the earliest about ten months later
# Deliveries are short and alike (NCHS, NHDS 1992: mean 2.6 days, median 2): a narrow lognormal
# around the mode's mean, whatever the scenario's los_sigma for other stays.
DELIVERY_LOS_SIGMA = 0.35
NICU_LOS_SIGMA = 0.7
LABOR_HOURS_MAX = 18.0  # the baby is born within 18 hours of admission (and in the first half of the stay)
NEWBORN_CODE = {"vaginal": "Z38.00", "cesarean": "Z38.01"}
DELIVERY_GROUP = {"vaginal": "vaginal_delivery", "cesarean": "cesarean_delivery"}


@cache
def _codes() -> dict[str, np.ndarray]:
    """Catalog rows of each mode's delivery codes, and the two liveborn codes."""
    cat = diagnosis_catalog()
    rows = {mode: np.flatnonzero(cat.group == group) for mode, group in DELIVERY_GROUP.items()}
    for mode, code in NEWBORN_CODE.items():
        rows[f"newborn_{mode}"] = np.flatnonzero(cat.code == code)
    missing = [name for name, found in rows.items() if len(found) == 0]
    if missing:
        raise ValueError(f"catalogs/diagnoses.csv has no codes for {missing} (births.py needs them)")
    return rows


def monthly_delivery_probability(births: Births, age_years: np.ndarray) -> np.ndarray:
    """The chance that a woman of this age delivers in a given month (the yearly rate / 12)."""
    ages = np.array(sorted(births.deliveries_per_1000_women))
    rates = np.array([births.deliveries_per_1000_women[a] for a in ages]) / 1000.0
    step = np.searchsorted(ages, age_years, side="right") - 1
    return np.where(step >= 0, rates[np.maximum(step, 0)], 0.0) / 12.0


def delivery_principals(rng: np.random.Generator, cesarean: np.ndarray) -> np.ndarray:
    """A delivery code (catalog row) of each delivery's mode, by the catalog's weights."""
    cat, codes = diagnosis_catalog(), _codes()
    u = rng.random(len(cesarean))
    picked = np.zeros(len(cesarean), dtype=np.int64)
    for mode, mask in (("vaginal", ~cesarean), ("cesarean", cesarean)):
        rows = codes[mode]
        cdf = np.cumsum(cat.weight[rows])
        picked[mask] = rows[np.minimum(np.searchsorted(cdf / cdf[-1], u[mask], side="right"), len(rows) - 1)]
    return picked


def is_delivery(principal: np.ndarray) -> np.ndarray:
    return np.isin(diagnosis_catalog().group[principal], list(DELIVERY_GROUP.values()))


def is_cesarean(principal: np.ndarray) -> np.ndarray:
    return diagnosis_catalog().group[principal] == DELIVERY_GROUP["cesarean"]


def newborn_principals(cesarean: np.ndarray) -> np.ndarray:
    codes = _codes()
    return np.where(cesarean, codes["newborn_cesarean"][0], codes["newborn_vaginal"][0])


def stay_hours(rng: np.random.Generator, mean_days: np.ndarray, sigma: float) -> np.ndarray:
    """Lognormal stay lengths in hours with the given means."""
    noise = rng.standard_normal(len(mean_days))
    return np.exp(np.log(mean_days * 24.0) - sigma**2 / 2 + sigma * noise)


def newborns(
    rng: np.random.Generator,
    scenario: Scenario,
    pools: Pools,
    pop: Population,
    mothers: np.ndarray,
    mother_payer: np.ndarray,
    birth_day: np.ndarray,
    first_number: int,
) -> Population:
    """One new patient per delivery: sex, first name and a payer of its own; race, ethnicity,
    family name and address of the mother; no chronic condition; the youngest age band."""
    k = len(mothers)
    female = rng.random(k) < scenario.births.female_share
    first = rng.integers(0, len(pools.female_first), k)
    payer_class = load("payers")["payer_class"]
    mother_class = payer_class[mother_payer]
    # The baby shares the mother's plan, except Medicare (hers by disability): a baby gets Medicaid.
    own_class = np.where(mother_class == "medicare", "medicaid", mother_class)
    before = np.where(own_class == mother_class, mother_payer, payer_rows(rng, own_class, k))
    from_65 = payer_rows(rng, medicare_age_classes(scenario, rng.random(k)), k)
    return Population(
        patient_number=first_number + np.arange(k, dtype=np.int64),
        birth_day=birth_day,
        female=female,
        band=np.zeros(k, dtype=np.int64),
        race=pop.race[mothers],
        ethnicity=pop.ethnicity[mothers],
        first_name=np.where(female, pools.female_first[first], pools.male_first[first]),
        last_name=pop.last_name[mothers],
        state=pop.state[mothers],
        address=pop.address[mothers],
        conditions=np.zeros((k, pop.conditions.shape[1]), dtype=bool),
        payer_before_65=before,
        payer_from_65=from_65,
        turns_65_day=birthday(birth_day, 65),
    )
