"""The patient population of one shard: demographics, chronic conditions and insurance.

The founding patients are drawn from (seed, shard) only, never from the date range, so extending
the end date keeps every patient; ages are relative to the scenario start date. Newborns join
the shard as they are born (births.py), numbered in order of birth after every founding patient.
"""

import datetime as dt
from dataclasses import dataclass, fields

import numpy as np

from . import rng as streams
from .catalogs import load
from .payer_mix import DISABILITY_MEDICARE_FROM_AGE, MEDICARE_FROM_AGE, younger_mix
from .pools import Pools
from .scenario import Condition, Scenario

SHARD_PATIENTS = 25_000
# Newborn numbers start above the largest founding population a scenario allows (50 million):
# the k-th newborn of shard s is NEWBORN_FIRST_NUMBER + s * NEWBORNS_PER_SHARD + k.
NEWBORN_FIRST_NUMBER = 100_000_000
NEWBORNS_PER_SHARD = 1_000_000
CONDITIONS = ("diabetes", "hypertension", "ckd")
US_PER_DAY = 86_400_000_000
DAYS_PER_YEAR = 365.2425


@dataclass(frozen=True)
class Shard:
    index: int
    first_patient: int  # global 0-based patient index of the shard's first patient
    size: int


def shards(scenario: Scenario) -> list[Shard]:
    """Fixed-size patient shards: memory stays flat and shard streams never depend on N."""
    return [
        Shard(i, start, min(SHARD_PATIENTS, scenario.patients - start))
        for i, start in enumerate(range(0, scenario.patients, SHARD_PATIENTS))
    ]


@dataclass
class Population:
    patient_number: np.ndarray  # global 1-based number for the MRN
    birth_day: np.ndarray  # days since epoch (int64)
    female: np.ndarray  # bool
    band: np.ndarray  # age band index
    race: np.ndarray
    ethnicity: np.ndarray
    first_name: np.ndarray  # object arrays of strings
    last_name: np.ndarray
    state: np.ndarray  # index into scenario states
    address: np.ndarray  # index into the state's address pool
    conditions: np.ndarray  # bool [n, 3] in CONDITIONS order
    payer_before_65: np.ndarray  # payer catalog row
    payer_from_65: np.ndarray  # payer catalog row
    turns_65_day: np.ndarray  # days since epoch of the 65th birthday

    @property
    def size(self) -> int:
        return len(self.patient_number)

    def extend(self, other: "Population") -> None:
        """Append the other population's patients (newborns) after this one's."""
        for column in fields(self):
            setattr(
                self, column.name, np.concatenate([getattr(self, column.name), getattr(other, column.name)])
            )

    def take(self, index: np.ndarray) -> "Population":
        """The patients at these positions, as a population of their own."""
        return Population(**{column.name: getattr(self, column.name)[index] for column in fields(self)})


def _day(date: dt.date) -> int:
    return int(np.datetime64(date, "D").astype(np.int64))


def _prevalence(condition: Condition, age: np.ndarray) -> np.ndarray:
    thresholds = sorted(condition.prevalence_by_age)
    values = np.array([condition.prevalence_by_age[t] for t in thresholds])
    return values[np.searchsorted(np.array(thresholds), age, side="right") - 1]


def payer_rows(rng: np.random.Generator, classes: np.ndarray, n: int) -> np.ndarray:
    """A payer within each class, by the catalog's share_in_class."""
    payers = load("payers")
    u = rng.random(n)
    rows = np.zeros(n, dtype=np.int64)
    for payer_class in np.unique(classes):
        idx = np.flatnonzero(payers["payer_class"] == payer_class)
        cdf = np.cumsum(payers["share_in_class"][idx])
        cdf /= cdf[-1]
        mask = classes == payer_class
        rows[mask] = idx[np.minimum(np.searchsorted(cdf, u[mask], side="right"), len(idx) - 1)]
    return rows


def draw_population(scenario: Scenario, shard: Shard, pools: Pools) -> Population:
    """Every patient attribute of one shard, from the shard's own stream."""
    pop = scenario.population
    n = shard.size
    rng = streams.stream(scenario.seed, streams.PATIENTS, shard.index)
    bands = pop.age_bands
    band = streams.choice(rng, np.array([b.share for b in bands]), n)
    low = np.array([b.min_age for b in bands])[band]
    high = np.array([b.max_age for b in bands])[band] + 1
    age = low + rng.random(n) * (high - low)
    start_day = _day(scenario.start_date)
    birth_day = start_day - np.floor(age * DAYS_PER_YEAR).astype(np.int64) - 1
    female = rng.random(n) < np.array([b.female_share for b in bands])[band]
    race = streams.choice(rng, np.array(list(pop.race.values())), n)
    ethnicity = streams.choice(rng, np.array(list(pop.ethnicity.values())), n)

    first_u = rng.integers(0, len(pools.female_first), n)
    first_name = np.where(female, pools.female_first[first_u], pools.male_first[first_u])
    last_name = pools.last[rng.integers(0, len(pools.last), n)]
    state = streams.choice(rng, np.array(list(pop.states.values())), n)
    address = rng.integers(0, pools.address_line.shape[1], n)

    conditions = np.zeros((n, len(CONDITIONS)), dtype=bool)
    condition_u = rng.random((n, len(CONDITIONS)))
    for name in CONDITIONS:
        if name not in pop.conditions:
            continue
        condition = pop.conditions[name]
        p = _prevalence(condition, age)
        for other, ratio in condition.risk_ratio_if.items():
            p = np.where(conditions[:, CONDITIONS.index(other)], p * ratio, p)
        k = CONDITIONS.index(name)
        conditions[:, k] = condition_u[:, k] < np.minimum(p, 1.0)

    younger = younger_mix(scenario)
    other_classes = np.array(list(younger.other_classes), dtype=object)
    other_shares = np.array(list(younger.other_classes.values()))
    medicare = (age >= DISABILITY_MEDICARE_FROM_AGE) & (rng.random(n) < younger.medicare_21_to_64)
    before = np.where(medicare, "medicare", other_classes[_cdf_pick(other_shares, rng.random(n))])
    after = medicare_age_classes(scenario, rng.random(n))
    before = np.where(age >= MEDICARE_FROM_AGE, after, before)
    payer_before = payer_rows(rng, before, n)
    payer_after = payer_rows(rng, after, n)
    payer_after = np.where(before == after, payer_before, payer_after)
    turns_65 = birthday(birth_day, 65)

    return Population(
        patient_number=np.arange(shard.first_patient, shard.first_patient + n) + 1,
        birth_day=birth_day,
        female=female,
        band=band,
        race=race,
        ethnicity=ethnicity,
        first_name=first_name,
        last_name=last_name,
        state=state,
        address=address,
        conditions=conditions,
        payer_before_65=payer_before,
        payer_from_65=payer_after,
        turns_65_day=turns_65,
    )


def medicare_age_classes(scenario: Scenario, u: np.ndarray) -> np.ndarray:
    """Payer classes from 65 on, drawn from the scenario's over-65 mix (one uniform per patient)."""
    over_classes = np.array(list(scenario.payers.over_65_mix), dtype=object)
    over = np.array(list(scenario.payers.over_65_mix.values()))
    return over_classes[_cdf_pick(over, u)]


def birthday(birth_day: np.ndarray, years: int) -> np.ndarray:
    """Days since epoch of the given birthday (29 February falls on 1 March)."""
    birth = birth_day.astype("datetime64[D]")
    month_start = birth.astype("datetime64[M]")
    year_start = birth.astype("datetime64[Y]")
    shifted = (year_start + years).astype("datetime64[M]") + (
        month_start - year_start.astype("datetime64[M]")
    )
    return (shifted.astype("datetime64[D]") + (birth - month_start.astype("datetime64[D]"))).astype(np.int64)


def _cdf_pick(weights: np.ndarray, u: np.ndarray) -> np.ndarray:
    cdf = np.cumsum(weights / weights.sum())
    cdf[-1] = 1.0
    return np.searchsorted(cdf, u, side="right")
