"""Month-by-month simulation of one shard's encounters, with readmissions from each history.

Each month draws from its own streams (seed, shard, month), so the months before an old end date
come out identical when the end date moves. Readmissions are not flags: an inpatient discharge
schedules a later inpatient stay of the same patient with a risk set by department, age band,
disposition, payer, principal diagnosis and what else is known at discharge (chronic conditions,
prior ED visits and admissions, length of stay, acute admission: readmission.discharge_factors);
each stay keeps the probabilities it was given (planted_risk_60d/30d) for the answer key; stays
that would overlap another stay, start before birth or after death are dropped, so every
patient's timeline is consistent. Deliveries bring
newborn patients and their birth stays (births.py); an inpatient stay admitted through the
emergency department follows the ED visit that ended in it, which names it (admitted_uid).

Scheduled readmissions are unplanned by the CMS Planned Readmission Algorithm: no always-planned
principal diagnosis (catalog inpatient_role planned_stay) and no potentially planned procedure
(clinical.procedures). A discharge without one may schedule a planned follow-up stay instead
(scenario readmission.planned_stays, catalogs/planned_stays.csv): its principal diagnosis and
procedure make it planned. Inpatient admissions of chosen departments get a principal diagnosis
of a cohort the CMS measure excludes (readmission.excluded_cohorts).
"""

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from . import births
from . import rng as streams
from .catalogs import load
from .diagnosis_catalog import diagnosis_catalog, diagnosis_fits, pick_principal
from .pools import Pools
from .population import (
    DAYS_PER_YEAR,
    NEWBORN_FIRST_NUMBER,
    NEWBORNS_PER_SHARD,
    US_PER_DAY,
    Population,
    Shard,
)
from .scenario import (
    ADMISSION_TYPES,
    DEPARTMENTS,
    DISCHARGE_FACTORS,
    DISPOSITIONS,
    ENCOUNTER_CLASSES,
    PAYER_CLASSES,
    PRIOR_VISIT_SLOTS,
    Scenario,
    chronic_condition_groups,
)

US_PER_HOUR = 3_600_000_000
US_PER_MINUTE = 60_000_000
NEVER = np.iinfo(np.int64).max
INPATIENT = ENCOUNTER_CLASSES.index("inpatient")
EMERGENCY = ENCOUNTER_CLASSES.index("emergency")
OUTPATIENT = ENCOUNTER_CLASSES.index("outpatient")
OBSERVATION = ENCOUNTER_CLASSES.index("observation")
HOME = DISPOSITIONS.index("home")
EXPIRED = DISPOSITIONS.index("expired")
ADMITTED = DISPOSITIONS.index("admitted_inpatient")
NEWBORN = ADMISSION_TYPES.index("newborn")
ADMIT_EMERGENCY = ADMISSION_TYPES.index("emergency")
ADMIT_ELECTIVE = ADMISSION_TYPES.index("elective")
ADMIT_URGENT = ADMISSION_TYPES.index("urgent")
READMISSION_WINDOW_DAYS = 60
OUTCOME_WINDOW_DAYS = 30  # the marts' outcome: an unplanned readmission within 30 days
PRIOR_EMERGENCY_DAYS = 182  # LACE's "E": ED visits in the 6 months before admission
PRIOR_ADMISSION_DAYS = 365
PEDIATRICS = DEPARTMENTS.index("Pediatrics")
EMERGENCY_DEPT = DEPARTMENTS.index("Emergency")
OBSTETRICS = DEPARTMENTS.index("Obstetrics")
NO_LINK = -1
LONG_AGO = np.iinfo(np.int64).min // 2  # an empty prior-visit slot: before any window

# Duration of non-inpatient visits (lognormal mean hours, sigma): ED ~4.5 h door to door
# (CDC NHAMCS median ~3 h plus boarding), observation ~1 day (CMS two-midnight rule).
VISIT_HOURS = {EMERGENCY: (4.5, 0.5), OUTPATIENT: (1.5, 0.4), OBSERVATION: (28.0, 0.35)}
ADMISSION_SOURCES = (
    "emergency_department",
    "physician_referral",
    "clinic_referral",
    "transfer_from_hospital",
    "transfer_from_snf",
    "born_in_hospital",
)
FROM_EMERGENCY_DEPARTMENT = ADMISSION_SOURCES.index("emergency_department")
REFERRAL_SOURCE_WEIGHTS = np.array([0.0, 0.70, 0.20, 0.06, 0.04, 0.0])
# mother_uid: on a birth stay, the mother's delivery; admitted_uid: on an ED visit that ended in
# admission, the inpatient stay. While a month is built they hold row positions; run_month turns
# them into uids.
LINKS = ("mother_uid", "admitted_uid")
FIELDS = (
    "uid",
    "patient",
    "cls",
    "dept",
    "admit",
    "discharge",
    "adm_type",
    "adm_source",
    "disposition",
    "provider",
    "payer",
    "principal",
    "readmit",
    "planned_stay",
    "source_flag",
    "extract_lag",
    "planted_risk_60d",
    "planted_risk_30d",
    *LINKS,
)


@dataclass
class Month:
    """One calendar month of simulation; index is year * 12 + month - 1 (absolute)."""

    index: int
    start_us: int
    end_us: int  # exclusive

    @property
    def number(self) -> int:
        return self.index % 12 + 1


def months(scenario: Scenario) -> list[Month]:
    first = scenario.start_date.year * 12 + scenario.start_date.month - 1
    last = scenario.end_date.year * 12 + scenario.end_date.month - 1
    out = []
    for index in range(first, last + 1):
        start = np.datetime64(f"{index // 12:04d}-{index % 12 + 1:02d}", "M")
        out.append(
            Month(
                index,
                int(start.astype("datetime64[us]").astype(np.int64)),
                int((start + 1).astype("datetime64[us]").astype(np.int64)),
            )
        )
    return out


@dataclass
class ShardState:
    """What carries from one month to the next for each patient of the shard."""

    last_discharge: np.ndarray
    death_us: np.ndarray
    last_delivery: np.ndarray
    # Admission times of each patient's latest ED visits and inpatient stays of earlier months,
    # ascending (LONG_AGO where there are fewer): the prior visits of a discharge factor.
    emergency_visits: np.ndarray = field(default_factory=lambda: np.zeros((0, PRIOR_VISIT_SLOTS), np.int64))
    admissions: np.ndarray = field(default_factory=lambda: np.zeros((0, PRIOR_VISIT_SLOTS), np.int64))
    pending: dict[str, np.ndarray] = field(default_factory=dict)

    def add_patients(self, count: int) -> None:
        """Room for newborns: no stay, no death, no delivery and no prior visits yet."""
        lowest = np.iinfo(np.int64).min
        self.last_discharge = np.concatenate([self.last_discharge, np.full(count, lowest)])
        self.death_us = np.concatenate([self.death_us, np.full(count, NEVER)])
        self.last_delivery = np.concatenate([self.last_delivery, np.full(count, lowest)])
        none = np.full((count, PRIOR_VISIT_SLOTS), LONG_AGO)
        self.emergency_visits = np.concatenate([self.emergency_visits, none])
        self.admissions = np.concatenate([self.admissions, none])


def _remember(slots: np.ndarray, patient: np.ndarray, times: np.ndarray) -> None:
    """Keep each patient's latest PRIOR_VISIT_SLOTS times: the old ones and these."""
    if len(patient) == 0:
        return
    order = np.lexsort((times, patient))
    patient, times = patient[order], times[order]
    who, first = np.unique(patient, return_index=True)
    rank = np.arange(len(patient)) - np.repeat(first, np.diff(np.append(first, len(patient))))
    wide = np.full((len(who), rank.max() + 1), LONG_AGO)
    wide[np.searchsorted(who, patient), rank] = times
    merged = np.sort(np.concatenate([slots[who], wide], axis=1), axis=1)
    slots[who] = merged[:, -PRIOR_VISIT_SLOTS:]


def _count_before(
    slots: np.ndarray,
    month_patient: np.ndarray,
    month_times: np.ndarray,
    patient: np.ndarray,
    before: np.ndarray,
    days: int,
) -> np.ndarray:
    """Visits of each patient in [before - days, before): earlier months' (slots) plus this
    month's (month_patient, month_times)."""
    since = before - days * US_PER_DAY
    remembered = slots[patient]
    count = ((remembered >= since[:, None]) & (remembered < before[:, None])).sum(axis=1)
    if len(month_patient) == 0 or len(patient) == 0:
        return count
    # Each stay (row) paired with every visit of its patient this month: the visits sorted by
    # patient, a stay's visits are one run of them.
    order = np.argsort(month_patient, kind="stable")
    visit_patient, visit_times = month_patient[order], month_times[order]
    first = np.searchsorted(visit_patient, patient, side="left")
    visits = np.searchsorted(visit_patient, patient, side="right") - first
    row = np.repeat(np.arange(len(patient)), visits)
    nth = np.arange(len(row)) - np.repeat(np.cumsum(visits) - visits, visits)
    at = visit_times[first[row] + nth]
    inside = (at >= since[row]) & (at < before[row])
    return count + np.bincount(row[inside], minlength=len(patient))


def _concat(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {name: np.concatenate([p[name] for p in parts]) for name in FIELDS}


def _take(batch: dict[str, np.ndarray], index: np.ndarray) -> dict[str, np.ndarray]:
    return {name: values[index] for name, values in batch.items()}


def _new_encounters(k: int, **columns: np.ndarray) -> dict[str, np.ndarray]:
    """A batch of k new encounters: the given columns (patient, cls, dept, admit, adm_type and
    any other), the rest as most encounters are: not a readmission, no planned stay, uid 0 until
    _complete numbers them."""
    return {
        "readmit": np.zeros(k, dtype=np.int64),
        "planned_stay": np.full(k, -1),
        "uid": np.zeros(k, dtype=np.int64),
        **columns,
    }


@dataclass(frozen=True)
class PlannedStayCatalog:
    """catalogs/planned_stays.csv as indices: the department, the diagnosis catalog row of the
    principal diagnosis and the procedure catalog row of the procedure of each planned stay."""

    dept: np.ndarray
    principal: np.ndarray
    procedure: np.ndarray
    weight: np.ndarray


@cache
def planned_stay_catalog() -> PlannedStayCatalog:
    rows = load("planned_stays")
    diagnoses, procedures = diagnosis_catalog(), load("procedures")
    dept = np.array([DEPARTMENTS.index(d) for d in rows["department"]])
    principal = [
        np.flatnonzero((diagnoses.code == code) & (diagnoses.department == d))
        for code, d in zip(rows["principal_code"], dept, strict=True)
    ]
    procedure = [
        np.flatnonzero((procedures["code"] == code) & (procedures["department"] == DEPARTMENTS[d]))
        for code, d in zip(rows["procedure_code"], dept, strict=True)
    ]
    codes = list(rows["principal_code"]) + list(rows["procedure_code"])
    for code, found in zip(codes, principal + procedure, strict=True):
        if len(found) != 1:
            raise ValueError(f"catalogs/planned_stays.csv: {code} is not one row of its department's catalog")
    return PlannedStayCatalog(
        dept=dept,
        principal=np.array([found[0] for found in principal]),
        procedure=np.array([found[0] for found in procedure]),
        weight=rows["weight"],
    )


class EncounterSimulator:
    """Runs the months of one shard in order, keeping the per-patient state between them."""

    def __init__(self, scenario: Scenario, shard: Shard, population: Population, pools: Pools):
        self.scenario = scenario
        self.shard = shard
        self.pop = population  # grows as newborns join
        self.pools = pools
        self.start_us = int(np.datetime64(scenario.start_date, "us").astype(np.int64))
        self.state = ShardState(
            last_discharge=np.zeros(0, dtype=np.int64),
            death_us=np.zeros(0, dtype=np.int64),
            last_delivery=np.zeros(0, dtype=np.int64),
        )
        self.state.add_patients(shard.size)
        self.state.pending = {
            k: np.zeros(0, dtype=np.int64) for k in ("patient", "admit", "dept", "planned_stay")
        }
        depts = [scenario.departments[name] for name in DEPARTMENTS]
        self.dept_share = np.array([d.volume_share for d in depts])
        self.dept_min_age = np.array([d.min_age for d in depts])
        self.dept_max_age = np.array([d.max_age for d in depts])
        self.dept_female_only = np.array([d.sex == "F" for d in depts])
        self.class_mix = np.array([[d.class_mix.get(c, 0.0) for c in ENCOUNTER_CLASSES] for d in depts])
        self.los_mean = np.array([d.los_mean_days for d in depts])
        self.readmit_risk = np.array([d.readmission_risk_60d for d in depts])
        self.providers = np.array([d.providers for d in depts])
        self.provider_offset = np.concatenate([[0], np.cumsum(self.providers)[:-1]])
        util = scenario.utilization
        hospital_season = np.ones(12)
        hospital_season[np.array(util.seasonality.peak_months, dtype=np.int64) - 1] += (
            util.seasonality.peak_lift
        )
        self.season = np.ones((12, len(depts)))
        for k, d in enumerate(depts):
            for m in d.seasonality.peak_months:
                self.season[m - 1, k] += d.seasonality.peak_lift
        self.season *= hospital_season[:, None]
        groups = chronic_condition_groups()
        self.rise_lift = np.zeros((12, len(groups)))  # [calendar month, chronic group]
        for rise in scenario.seasonal_rises:
            for m in rise.months:
                for group in rise.groups:
                    self.rise_lift[m - 1, groups.index(group)] = rise.lift
        self.type_mix = np.array(
            [[util.admission_types[c].get(t, 0.0) for t in ADMISSION_TYPES] for c in ENCOUNTER_CLASSES]
        )
        self.disp_mix = np.array(
            [[util.dispositions[c].get(t, 0.0) for t in DISPOSITIONS] for c in ENCOUNTER_CLASSES]
        )
        bands = scenario.population.age_bands
        self.band_rate = np.array([b.encounter_rate_multiplier for b in bands])
        self.band_readmit = np.array([b.readmission_multiplier for b in bands])
        self.band_mortality = np.array([b.annual_mortality for b in bands])
        readm = scenario.readmission
        self.disp_readmit = np.array([readm.disposition_multiplier.get(d, 1.0) for d in DISPOSITIONS])
        self.disp_readmit[EXPIRED] = 0.0
        payer_class = load("payers")["payer_class"]  # by payer catalog row
        self.payer_readmit = np.array([readm.payer_multiplier.get(c, 1.0) for c in PAYER_CLASSES])[
            np.array([PAYER_CLASSES.index(c) for c in payer_class])
        ]
        cat = diagnosis_catalog()
        self.chronic_group = cat.chronic_group
        self.effect_prob = np.full(len(cat.code), -1.0)
        self.effect_min_age = np.zeros(len(cat.code))
        for code, effect in readm.diagnosis_effects.items():
            rows = cat.code == code
            self.effect_prob[rows] = effect.probability_60d
            self.effect_min_age[rows] = effect.min_age
        self.planned = planned_stay_catalog()
        self.planned_prob = np.array([readm.planned_stays.probability_60d.get(d, 0.0) for d in DEPARTMENTS])
        self.factors = readm.discharge_factors
        self.cohort_share = {
            cohort: np.array([planted.share if d in planted.departments else 0.0 for d in DEPARTMENTS])
            for cohort, planted in readm.excluded_cohorts.items()
        }

    # -- helpers ---------------------------------------------------------------------------

    def _age_years(self, patient: np.ndarray, at_us: np.ndarray) -> np.ndarray:
        return (at_us // US_PER_DAY - self.pop.birth_day[patient]) / DAYS_PER_YEAR

    def _uid(self, month: Month, seq: np.ndarray) -> np.ndarray:
        return (np.int64(month.index) << 36) | (np.int64(self.shard.index) << 20) | seq

    def _complete(
        self, rng: np.random.Generator, month: Month, core: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """Draw everything about an encounter that follows from patient, time, dept and class."""
        n = len(core["patient"])
        patient, cls, dept, admit = core["patient"], core["cls"], core["dept"], core["admit"]
        age = self._age_years(patient, admit)
        sigma = self.scenario.utilization.los_sigma
        mean_hours = np.where(cls == INPATIENT, self.los_mean[dept] * 24.0, 0.0)
        shape = np.full(n, sigma)
        for k, (hours, s) in VISIT_HOURS.items():
            mean_hours = np.where(cls == k, hours, mean_hours)
            shape = np.where(cls == k, s, shape)
        hours = np.exp(np.log(mean_hours) - shape**2 / 2 + shape * rng.standard_normal(n))
        hours = np.maximum(hours, np.where(cls == INPATIENT, 6.0, 0.25))
        discharge = admit + (hours * US_PER_HOUR).astype(np.int64)
        discharge -= discharge % US_PER_MINUTE
        disposition = streams.choice_by_group(rng, self.disp_mix, cls)
        source_u = streams.choice(rng, REFERRAL_SOURCE_WEIGHTS, n)
        adm_type = core["adm_type"]
        adm_source = np.where(adm_type == ADMIT_EMERGENCY, 0, source_u)
        adm_source = np.where(adm_type == NEWBORN, ADMISSION_SOURCES.index("born_in_hospital"), adm_source)
        provider = self.provider_offset[dept] + (rng.random(n) * self.providers[dept]).astype(np.int64)
        turned_65 = admit // US_PER_DAY >= self.pop.turns_65_day[patient]
        payer = np.where(turned_65, self.pop.payer_from_65[patient], self.pop.payer_before_65[patient])
        given = core.get("principal", np.full(n, -1))
        # A delivery keeps its given code: a mother who turns 50 within the month of her
        # delivery may fit no other Obstetrics code.
        drawn = pick_principal(
            rng,
            dept,
            age,
            self.pop.female[patient],
            self.pop.conditions[patient],
            ordinary_only=cls == INPATIENT,
            required=given < 0,
        )
        principal = self._plant_cohorts(rng, np.where(given >= 0, given, drawn), core, age)
        readmit = core["readmit"]
        # The source system's own flag: mostly right, sometimes missed or set wrongly.
        flag_u = rng.random(n)
        source_flag = np.where(readmit == 1, flag_u < 0.85, flag_u < 0.01).astype(np.int64)
        extract_lag = (rng.exponential(12.0, n) * US_PER_HOUR).astype(np.int64) + US_PER_HOUR
        extract_lag -= extract_lag % US_PER_MINUTE
        return {
            **{link: np.full(n, NO_LINK, dtype=np.int64) for link in LINKS},
            "planted_risk_60d": np.full(n, np.nan),
            "planted_risk_30d": np.full(n, np.nan),
            **core,
            "discharge": discharge,
            "adm_source": adm_source,
            "disposition": disposition,
            "provider": provider,
            "payer": payer,
            "principal": principal,
            "source_flag": source_flag,
            "extract_lag": extract_lag,
        }

    def _seasonal_rise(
        self, rng: np.random.Generator, month: Month, core: dict[str, np.ndarray], extra: float
    ) -> dict[str, np.ndarray]:
        """Thin the month's candidates, drawn at (1 + extra) times the usual rate, back to the
        usual rate, except inpatient admissions of a lifted chronic group: those keep
        (1 + lift) times it. The rise is a rise of new admissions, so it owes nothing to
        stays the patient already has (no copies that overlapping stays would cancel)."""
        patient = core["patient"]
        age = self._age_years(patient, core["admit"])
        principal = pick_principal(
            rng,
            core["dept"],
            age,
            self.pop.female[patient],
            self.pop.conditions[patient],
            ordinary_only=core["cls"] == INPATIENT,
        )
        group = self.chronic_group[principal]
        lift = np.where(
            (core["cls"] == INPATIENT) & (group >= 0),
            self.rise_lift[month.number - 1, np.maximum(group, 0)],
            0.0,
        )
        kept = rng.random(len(patient)) * (1 + extra) < 1 + lift
        return _take({**core, "principal": principal}, np.flatnonzero(kept))

    def _plant_cohorts(
        self, rng: np.random.Generator, principal: np.ndarray, core: dict[str, np.ndarray], age: np.ndarray
    ) -> np.ndarray:
        """Replace the principal diagnosis of a share of inpatient admissions with one of an
        excluded cohort (readmission.excluded_cohorts), from the department's codes of it.

        The share is of all the department's inpatient admissions: a cohort's codes do not fit
        every patient (children, for most psychiatric codes), and planned follow-up stays keep
        the principal diagnosis that makes them planned (deliveries and birth stays theirs: codes
        never drawn), so the admissions a code fits are chosen more often, by the department's
        share of them in this batch."""
        inpatient = core["cls"] == INPATIENT
        dept, patient = core["dept"], core["patient"]
        drawable = diagnosis_catalog().drawable[principal]
        for cohort, share in self.cohort_share.items():
            in_departments = inpatient & (share[dept] > 0)
            candidates = in_departments & (core["planned_stay"] < 0) & drawable
            planted = np.full(len(principal), -1)
            planted[candidates] = pick_principal(
                rng,
                dept[candidates],
                age[candidates],
                self.pop.female[patient[candidates]],
                self.pop.conditions[patient[candidates]],
                role=cohort,
            )
            fits = planted >= 0
            admissions = np.bincount(dept[in_departments], minlength=len(DEPARTMENTS))
            fitting = np.bincount(dept[fits], minlength=len(DEPARTMENTS))
            chance = np.divide(share * admissions, fitting, out=np.zeros(len(DEPARTMENTS)), where=fitting > 0)
            chosen = fits & (rng.random(len(principal)) < chance[dept])
            principal[chosen] = planted[chosen]
        return principal

    def _admit_times(
        self, rng: np.random.Generator, month: Month, day: np.ndarray, cls: np.ndarray, adm_type: np.ndarray
    ) -> np.ndarray:
        """Admission on the given day of the month: emergencies around the clock, planned 07-17 h."""
        k = len(day)
        around_clock = (cls == EMERGENCY) | (cls == OBSERVATION) | (adm_type == ADMIT_EMERGENCY)
        hour = np.where(around_clock, rng.random(k) * 24.0, 7.0 + rng.random(k) * 10.0)
        admit = month.start_us + day * US_PER_DAY + (hour * US_PER_HOUR).astype(np.int64)
        return admit - admit % US_PER_MINUTE

    def _season_of_month(self, month: Month) -> np.ndarray:
        """Each department's volume factor for its new encounters this month. Deliveries
        (Obstetrics) and birth stays (Pediatrics) have no season, so a department that gets them
        lifts its other encounters by (factor - 1) x (1 + expected births / expected others):
        its whole volume then moves as the scenario says, as the marts measure it."""
        factor = self.season[month.number - 1]
        pop = self.pop
        middle = (month.start_us + month.end_us) // 2
        alive = (self.state.death_us > month.start_us) & (pop.birth_day * US_PER_DAY < month.end_us)
        age = (middle // US_PER_DAY - pop.birth_day) / DAYS_PER_YEAR
        fits = (age[:, None] >= self.dept_min_age[None, :]) & (age[:, None] < self.dept_max_age[None, :] + 1)
        fits &= ~self.dept_female_only[None, :] | pop.female[:, None]
        weights = fits * self.dept_share[None, :]
        share = weights / np.maximum(weights.sum(axis=1), 1e-12)[:, None]
        rate = np.where(alive, self.band_rate[pop.band], 0.0)
        others = (rate[:, None] * share).sum(axis=0)  # in units of the base rate
        others *= self.scenario.utilization.encounters_per_person_year / 12.0
        rested = self.state.last_delivery <= month.start_us - births.DELIVERY_GAP_DAYS * US_PER_DAY
        delivering = pop.female & rested & alive
        expected = births.monthly_delivery_probability(self.scenario.births, age)[delivering].sum()
        born = np.zeros(len(factor))
        born[[OBSTETRICS, PEDIATRICS]] = expected
        dilution = 1 + np.divide(born, others, out=np.zeros(len(factor)), where=others > 0)
        return 1 + (factor - 1) * dilution

    def _base(self, rng: np.random.Generator, month: Month) -> dict[str, np.ndarray]:
        """New (non-readmission) encounters of the month: Poisson per patient-month."""
        n = self.pop.size
        pop = self.pop
        alive = (self.state.death_us > month.start_us) & (pop.birth_day * US_PER_DAY < month.end_us)
        # Peak months add volume to their department without taking it from the others:
        # candidates are drawn at the busiest factor's rate, then each is kept with its
        # department's factor for the month over that maximum (thinning).
        # A seasonal rise works the same way: candidates at (1 + the month's largest lift) times
        # the rate, thinned in _seasonal_rise.
        season = self._season_of_month(month)
        busiest = max(self.season.max(), season.max())
        extra = self.rise_lift[month.number - 1].max()
        rate = self.scenario.utilization.encounters_per_person_year / 12.0 * self.band_rate[pop.band]
        counts = np.where(alive, rng.poisson(rate * busiest * (1 + extra), n), 0)
        patient = np.repeat(np.arange(n), counts)
        k = len(patient)
        day = rng.integers(0, (month.end_us - month.start_us) // US_PER_DAY, k)
        age = (month.start_us // US_PER_DAY + day - pop.birth_day[patient]) / DAYS_PER_YEAR
        fits = (age[:, None] >= self.dept_min_age[None, :]) & (age[:, None] < self.dept_max_age[None, :] + 1)
        fits &= ~self.dept_female_only[None, :] | pop.female[patient][:, None]
        weights = fits * self.dept_share[None, :]
        dept = streams.choice_rows(rng, weights)
        in_season = rng.random(k) * busiest < season[np.maximum(dept, 0)]
        cls = streams.choice_by_group(rng, self.class_mix, np.maximum(dept, 0))
        adm_type = streams.choice_by_group(rng, self.type_mix, cls)
        admit = self._admit_times(rng, month, day, cls, adm_type)
        keep = (dept >= 0) & in_season
        core = _new_encounters(k, patient=patient, cls=cls, dept=dept, admit=admit, adm_type=adm_type)
        core = _take(core, np.flatnonzero(keep))
        if extra > 0:
            core = self._seasonal_rise(rng, month, core, extra)
        return self._complete(rng, month, core)

    def _readmissions(
        self, rng: np.random.Generator, month: Month, scheduled: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """Complete scheduled stays: unplanned readmissions (planned_stay -1) as emergency or
        urgent inpatient stays of the same department, planned follow-up stays as elective
        stays with their catalog principal diagnosis.

        A patient who no longer fits the department (a child turned 18, a mother turned 50)
        is readmitted through Emergency instead; a planned stay that no longer fits is dropped.
        """
        patient, dept = scheduled["patient"], scheduled["dept"]
        age = self._age_years(patient, scheduled["admit"])
        fits = (age >= self.dept_min_age[dept]) & (age < self.dept_max_age[dept] + 1)
        fits &= ~self.dept_female_only[dept] | self.pop.female[patient]
        planned = scheduled["planned_stay"]
        keep = (planned < 0) | fits
        patient, dept, age, fits, planned = patient[keep], dept[keep], age[keep], fits[keep], planned[keep]
        n = len(patient)
        is_planned = planned >= 0
        unplanned_type = np.where(rng.random(n) < 0.7, ADMIT_EMERGENCY, ADMIT_URGENT)
        core = _new_encounters(
            n,
            patient=patient,
            cls=np.full(n, INPATIENT),
            dept=np.where(fits, dept, EMERGENCY_DEPT),
            admit=scheduled["admit"][keep],
            adm_type=np.where(is_planned, ADMIT_ELECTIVE, unplanned_type),
            principal=np.where(is_planned, self.planned.principal[np.maximum(planned, 0)], -1),
            readmit=(~is_planned).astype(np.int64),
            planned_stay=planned,
        )
        return self._complete(rng, month, core)

    def _due(self, rng: np.random.Generator, month: Month) -> dict[str, np.ndarray]:
        """Readmissions scheduled in earlier months that fall in this one."""
        pending = self.state.pending
        now = pending["admit"] < month.end_us
        self.state.pending = {k: v[~now] for k, v in pending.items()}
        return self._readmissions(rng, month, {k: v[now] for k, v in pending.items()})

    def _discharge_factors(
        self, batch: dict[str, np.ndarray], month_rows: dict[str, np.ndarray]
    ) -> np.ndarray:
        """Product of the readmission.discharge_factors multipliers of each stay of the batch;
        prior visits are the patient's earlier months' and this month's rows (month_rows) before
        the stay's admission."""
        patient, admit = batch["patient"], batch["admit"]
        # This month's ED visits that led to a stay come after the month's stays are known: the
        # stay's admission stands in for its ED visit.
        emergency = (month_rows["cls"] == EMERGENCY) | (
            (month_rows["cls"] == INPATIENT) & (month_rows["adm_source"] == FROM_EMERGENCY_DEPARTMENT)
        )
        values = {
            "chronic_conditions": self.pop.conditions[patient].sum(axis=1),
            "prior_emergency_visits_6m": _count_before(
                self.state.emergency_visits,
                month_rows["patient"][emergency],
                month_rows["admit"][emergency],
                patient,
                admit,
                PRIOR_EMERGENCY_DAYS,
            ),
            "prior_admissions_12m": _count_before(
                self.state.admissions,
                month_rows["patient"][month_rows["cls"] == INPATIENT],
                month_rows["admit"][month_rows["cls"] == INPATIENT],
                patient,
                admit,
                PRIOR_ADMISSION_DAYS,
            ),
            "length_of_stay_days": (batch["discharge"] - admit) / US_PER_DAY,
            "acute_admission": np.isin(batch["adm_type"], [ADMIT_EMERGENCY, ADMIT_URGENT]),
        }
        multiplier = np.ones(len(patient))
        for name in DISCHARGE_FACTORS:
            factor = self.factors.get(name)
            if factor is not None:
                capped = np.minimum(values[name].astype(np.float64), factor.cap)
                multiplier *= factor.relative_risk ** (capped - factor.reference)
        return multiplier

    def _plant_risk(self, batch: dict[str, np.ndarray], month_rows: dict[str, np.ndarray]) -> None:
        """Set each inpatient discharge's planted risk of an unplanned readmission: within 60
        days (what _schedule draws) and within 30 days counting the admissions that come anyway
        (the marts' outcome, for the answer key). Other rows keep NaN and are not computed: the
        prior-visit counts of the discharge factors are the generator's costliest step."""
        stays = np.flatnonzero(batch["cls"] == INPATIENT)
        risks = self._stay_risks(_take(batch, stays), month_rows)
        for name, risk in zip(("planted_risk_60d", "planted_risk_30d"), risks, strict=True):
            batch[name] = np.full(len(batch["cls"]), np.nan)
            batch[name][stays] = risk

    def _stay_risks(
        self, stays: dict[str, np.ndarray], month_rows: dict[str, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The planted 60-day and 30-day risks of inpatient discharges (see _plant_risk)."""
        patient = stays["patient"]
        age = self._age_years(patient, stays["discharge"])
        risk = (
            self.readmit_risk[stays["dept"]]
            * self.band_readmit[self.pop.band[patient]]
            * self.disp_readmit[stays["disposition"]]
            * self.payer_readmit[stays["payer"]]
            * self._discharge_factors(stays, month_rows)
        )
        effect = self.effect_prob[stays["principal"]]
        use_effect = (effect >= 0) & (age >= self.effect_min_age[stays["principal"]])
        use_effect &= stays["disposition"] != EXPIRED
        # The marts count any unplanned stay within 60 days, so new admissions that come anyway
        # add to a planted rate: plant what tops them up to it.
        rows = np.flatnonzero(use_effect)
        background = self._background_unplanned(patient[rows], age[rows])
        effect = effect.copy()
        effect[rows] = np.maximum(effect[rows] - background, 0.0) / (1.0 - background)
        risk = np.where(use_effect, effect, np.minimum(risk, 0.95))
        within_30d = risk * self._delay_share_within(OUTCOME_WINDOW_DAYS)
        anyway_30d = self._background_unplanned(patient, age, OUTCOME_WINDOW_DAYS)
        return risk, 1 - (1 - within_30d) * (1 - anyway_30d)

    def _delay_share_within(self, days: float) -> float:
        """Share of scheduled readmissions admitted within `days` of the discharge (the delay
        is 0.5 days plus a truncated exponential, scaled into the 60-day window: see _delay)."""
        mean, window = self.scenario.readmission.mean_delay_days, READMISSION_WINDOW_DAYS
        drawn = (days - 0.5) * window / (window - 1.0)
        return float(np.expm1(-min(drawn, window) / mean) / np.expm1(-window / mean))

    def _delay(self, v: np.ndarray) -> np.ndarray:
        """Days from discharge to a scheduled readmission for uniforms v: 0.5 days plus a
        truncated exponential (readmissions cluster early), inside the 60-day window."""
        mean, window = self.scenario.readmission.mean_delay_days, READMISSION_WINDOW_DAYS
        delay_days = -mean * np.log1p(-v * -np.expm1(-window / mean))
        return 0.5 + delay_days * ((window - 1.0) / window)

    def _schedule(self, rng: np.random.Generator, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Stays caused by this batch's inpatient discharges (alive): an unplanned readmission
        with the planted risk (_plant_risk), else perhaps a planned follow-up stay
        (planned_stay >= 0)."""
        inpatient = batch["cls"] == INPATIENT
        patient = batch["patient"]
        age = self._age_years(patient, batch["discharge"])
        n = len(patient)
        u, v = rng.random(n), rng.random(n)
        chosen = inpatient & (u < np.nan_to_num(batch["planted_risk_60d"]))
        admit = batch["discharge"] + (self._delay(v) * US_PER_DAY).astype(np.int64)

        planned = self._planned_stays(rng, batch, age)
        planned = np.where(inpatient & ~chosen & (batch["disposition"] != EXPIRED), planned, -1)
        stays = self.scenario.readmission.planned_stays
        planned_delay = stays.min_delay_days + rng.random(n) * (stays.max_delay_days - stays.min_delay_days)
        admit = np.where(
            planned >= 0, batch["discharge"] + (planned_delay * US_PER_DAY).astype(np.int64), admit
        )
        admit -= admit % US_PER_MINUTE
        scheduled = chosen | (planned >= 0)
        return {
            "patient": patient[scheduled],
            "admit": admit[scheduled],
            "dept": batch["dept"][scheduled],
            "planned_stay": planned[scheduled],
        }

    def _background_unplanned(
        self, patient: np.ndarray, age: np.ndarray, days: int = READMISSION_WINDOW_DAYS
    ) -> np.ndarray:
        """Chance of a new unplanned (non-elective) inpatient admission within `days` at this age,
        from the scenario's own rates: the patient's encounter rate, the departments open to
        them (at their yearly mean volume) and their inpatient and non-elective shares."""
        fits = (age[:, None] >= self.dept_min_age[None, :]) & (age[:, None] < self.dept_max_age[None, :] + 1)
        fits &= ~self.dept_female_only[None, :] | self.pop.female[patient][:, None]
        weights = fits * self.dept_share[None, :]
        unplanned = self.class_mix[:, INPATIENT] * self.season.mean(axis=0)
        unplanned *= 1.0 - self.type_mix[INPATIENT, ADMIT_ELECTIVE]
        per_encounter = (weights * unplanned[None, :]).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-12)
        per_day = self.scenario.utilization.encounters_per_person_year / DAYS_PER_YEAR
        per_day = per_day * self.band_rate[self.pop.band[patient]] * per_encounter
        return -np.expm1(-days * per_day)

    def _planned_stays(
        self, rng: np.random.Generator, batch: dict[str, np.ndarray], age: np.ndarray
    ) -> np.ndarray:
        """A planned stay of catalogs/planned_stays.csv per discharge, drawn with the department's
        probability among the rows of its department whose principal diagnosis fits the
        patient; -1 where none is drawn."""
        cat, diagnoses = self.planned, diagnosis_catalog()
        n = len(batch["patient"])
        drawn = rng.random(n) < self.planned_prob[batch["dept"]]
        fits = (batch["dept"][:, None] == cat.dept[None, :]) & diagnosis_fits(
            diagnoses, cat.principal, age, self.pop.female[batch["patient"]]
        )
        picked = streams.choice_rows(rng, fits * cat.weight[None, :])
        return np.where(drawn, picked, -1)

    def _resolve(self, batch: dict[str, np.ndarray]) -> np.ndarray:
        """Indices of rows kept: no overlap with earlier stays, none before birth or after death."""
        if len(batch["patient"]) == 0:
            return np.zeros(0, dtype=np.int64)
        order = np.lexsort((-batch["readmit"], batch["admit"], batch["patient"]))
        patient = batch["patient"][order]
        admit = batch["admit"][order]
        discharge = batch["discharge"][order]
        running = pd.Series(discharge).groupby(patient).cummax().to_numpy()
        first = np.ones(len(patient), dtype=bool)
        first[1:] = patient[1:] != patient[:-1]
        previous_end = np.where(first, np.iinfo(np.int64).min, np.roll(running, 1))
        previous_end = np.maximum(previous_end, self.state.last_discharge[patient])
        born = admit // US_PER_DAY >= self.pop.birth_day[patient]
        keep = (admit > previous_end) & (admit < self.state.death_us[patient]) & born
        kept = order[keep]
        self._record_deaths(_take(batch, kept))
        alive = batch["admit"][kept] < self.state.death_us[batch["patient"][kept]]
        return kept[alive]

    def _record_deaths(self, kept: dict[str, np.ndarray]) -> None:
        expired = kept["disposition"] == EXPIRED
        np.minimum.at(self.state.death_us, kept["patient"][expired], kept["discharge"][expired])

    def _drop_overlaps(self, kept: dict[str, np.ndarray], new: dict[str, np.ndarray]) -> np.ndarray:
        """Indices of new rows that overlap no kept row of the same patient (nor each other),
        come after no death among these rows, and end in no death before a kept stay."""
        both = _concat([kept, new])
        is_new = np.concatenate([np.zeros(len(kept["uid"]), bool), np.ones(len(new["uid"]), bool)])
        order = np.lexsort((both["admit"], both["patient"]))
        p, a, d, nw = both["patient"][order], both["admit"][order], both["discharge"][order], is_new[order]
        same_prev = np.zeros(len(p), bool)
        same_prev[1:] = p[1:] == p[:-1]
        same_next = np.zeros(len(p), bool)
        same_next[:-1] = same_prev[1:]
        # Against every earlier stay of the patient (a long one may contain several), not
        # just the one before: the latest discharge so far; and the next kept admission.
        latest_discharge = pd.Series(d).groupby(p).cummax().to_numpy()
        clash_prev = same_prev & (np.roll(latest_discharge, 1) > a)
        kept_admit = np.where(nw, NEVER, a)
        next_kept_or_self = pd.Series(kept_admit[::-1]).groupby(p[::-1]).cummin().to_numpy()[::-1]
        clash_next = same_next & (np.roll(next_kept_or_self, -1) < d)
        death = np.where(both["disposition"][order] == EXPIRED, d, NEVER)
        dead_before = same_prev & (np.roll(pd.Series(death).groupby(p).cummin().to_numpy(), 1) <= a)
        dies_before_kept = same_next & (death < NEVER) & (np.roll(next_kept_or_self, -1) < NEVER)
        ok = ~clash_prev & ~clash_next & ~dead_before & ~dies_before_kept
        ok &= (a > self.state.last_discharge[p]) & (a < self.state.death_us[p])
        return order[nw & ok] - len(kept["uid"])

    def _out_of_hospital_deaths(
        self, rng: np.random.Generator, month: Month, kept: dict[str, np.ndarray]
    ) -> None:
        n = self.pop.size
        monthly = self.band_mortality[self.pop.band] / 12.0
        u, t = rng.random(n), rng.random(n)
        when = month.start_us + (t * (month.end_us - month.start_us)).astype(np.int64)
        dies = (u < monthly) & (self.state.death_us == NEVER)
        when = np.where(dies, when, NEVER)
        # A death never precedes a stay of the month: move it to the day after the last discharge.
        dying = dies[kept["patient"]]
        np.maximum.at(when, kept["patient"][dying], kept["discharge"][dying] + US_PER_DAY)
        self.state.death_us = np.minimum(self.state.death_us, when)

    # -- births and the emergency department -----------------------------------------------

    def _deliveries(self, rng: np.random.Generator, month: Month) -> dict[str, np.ndarray]:
        """The month's deliveries: Obstetrics inpatient stays of women of the right age, at most
        one per woman every DELIVERY_GAP_DAYS, none before the scenario starts (a baby born
        inside the extract always has its mother's delivery inside it too)."""
        pop, n = self.pop, self.pop.size
        age = (month.start_us // US_PER_DAY - pop.birth_day) / DAYS_PER_YEAR
        rested = self.state.last_delivery <= month.start_us - births.DELIVERY_GAP_DAYS * US_PER_DAY
        alive = self.state.death_us > month.start_us
        chance = births.monthly_delivery_probability(self.scenario.births, age)
        delivers = pop.female & rested & alive & (rng.random(n) < chance)
        patient = np.flatnonzero(delivers)
        k = len(patient)
        days = (month.end_us - month.start_us) // US_PER_DAY
        admit = (
            month.start_us
            + rng.integers(0, days, k) * US_PER_DAY
            + (rng.random(k) * 24 * US_PER_HOUR).astype(np.int64)
        )
        admit -= admit % US_PER_MINUTE
        cesarean = rng.random(k) < self.scenario.births.cesarean_share
        core = _new_encounters(
            k,
            patient=patient,
            cls=np.full(k, INPATIENT),
            dept=np.full(k, OBSTETRICS),
            admit=admit,
            adm_type=np.full(k, ADMIT_URGENT),
            principal=births.delivery_principals(rng, cesarean),
        )
        rows = self._complete(rng, month, core)
        settings = self.scenario.births
        mean_days = np.where(cesarean, settings.cesarean_los_mean_days, settings.vaginal_los_mean_days)
        hours = births.stay_hours(rng, mean_days, births.DELIVERY_LOS_SIGMA)
        rows["discharge"] = admit + (np.maximum(hours, 6.0) * US_PER_HOUR).astype(np.int64)
        rows["discharge"] -= rows["discharge"] % US_PER_MINUTE
        rows["disposition"] = np.full(k, HOME)
        return _take(rows, np.flatnonzero(admit >= self.start_us))

    def _births(
        self, rng: np.random.Generator, month: Month, kept: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """A newborn patient and its birth stay for every kept delivery of the month (rows of
        `kept`); the mothers' next delivery waits."""
        mothers_row = np.flatnonzero(births.is_delivery(kept["principal"]))
        mother = kept["patient"][mothers_row]
        self.state.last_delivery[mother] = kept["admit"][mothers_row]
        k = len(mothers_row)
        admit, discharge = kept["admit"][mothers_row], kept["discharge"][mothers_row]
        labor = np.minimum(births.LABOR_HOURS_MAX * US_PER_HOUR, (discharge - admit) // 2)
        born = admit + (rng.random(k) * labor).astype(np.int64)
        born -= born % US_PER_MINUTE
        first = self.pop.size - self.shard.size  # newborns so far
        if first + k > NEWBORNS_PER_SHARD:
            raise ValueError(f"shard {self.shard.index} has more than {NEWBORNS_PER_SHARD:,} newborns")
        babies = births.newborns(
            rng,
            self.scenario,
            self.pools,
            self.pop,
            mother,
            kept["payer"][mothers_row],
            born // US_PER_DAY,
            NEWBORN_FIRST_NUMBER + self.shard.index * NEWBORNS_PER_SHARD + first,
        )
        baby = self.pop.size + np.arange(k)
        self.pop.extend(babies)
        self.state.add_patients(k)
        cesarean = births.is_cesarean(kept["principal"][mothers_row])
        core = _new_encounters(
            k,
            patient=baby,
            cls=np.full(k, INPATIENT),
            dept=np.full(k, PEDIATRICS),
            admit=born,
            adm_type=np.full(k, NEWBORN),
            principal=births.newborn_principals(cesarean),
            mother_uid=mothers_row,
        )
        rows = self._complete(rng, month, core)
        settings = self.scenario.births
        nicu = rng.random(k) < settings.nicu_share
        nicu_hours = births.stay_hours(rng, np.full(k, settings.nicu_los_mean_days), births.NICU_LOS_SIGMA)
        # A healthy baby goes home with the mother; a NICU baby stays longer.
        nicu_discharge = born + (np.maximum(nicu_hours, 48.0) * US_PER_HOUR).astype(np.int64)
        rows["discharge"] = np.where(nicu, np.maximum(nicu_discharge, discharge), discharge)
        rows["discharge"] -= rows["discharge"] % US_PER_MINUTE
        rows["disposition"] = np.full(k, HOME)
        return rows

    def _emergency_arrivals(
        self, rng: np.random.Generator, month: Month, rows: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """The ED visit before each inpatient stay admitted through the emergency department: it
        ends when the stay begins, with disposition admitted_inpatient, and names the stay. It
        starts no earlier than the patient's previous discharge, nor before the month (so a
        month's rows never reach into an earlier month)."""
        order = np.lexsort((rows["admit"], rows["patient"]))
        patient, discharge = rows["patient"][order], rows["discharge"][order]
        latest = pd.Series(discharge).groupby(patient).cummax().to_numpy()
        first = np.ones(len(order), dtype=bool)
        first[1:] = patient[1:] != patient[:-1]
        previous_end = np.empty(len(order), dtype=np.int64)
        previous_end[order] = np.maximum(
            np.where(first, np.iinfo(np.int64).min, np.roll(latest, 1)), self.state.last_discharge[patient]
        )
        stay = np.flatnonzero((rows["cls"] == INPATIENT) & (rows["adm_source"] == FROM_EMERGENCY_DEPARTMENT))
        k = len(stay)
        stay_admit = rows["admit"][stay]
        core = _new_encounters(
            k,
            patient=rows["patient"][stay],
            cls=np.full(k, EMERGENCY),
            dept=np.full(k, EMERGENCY_DEPT),
            admit=stay_admit,
            adm_type=np.full(k, ADMIT_EMERGENCY),
            principal=rows["principal"][stay],
            admitted_uid=stay,
        )
        visit = self._complete(rng, month, core)
        in_department = visit["discharge"] - visit["admit"]
        earliest = np.maximum(previous_end[stay] + US_PER_MINUTE, month.start_us)
        visit["admit"] = np.maximum(stay_admit - in_department, earliest)
        visit["admit"] -= visit["admit"] % US_PER_MINUTE
        visit["discharge"] = stay_admit
        visit["disposition"] = np.full(k, ADMITTED)
        return visit

    # -- the month -------------------------------------------------------------------------

    def run_month(self, month: Month) -> dict[str, np.ndarray]:
        """All kept encounters of the month (admitted in it; a baby born from a delivery of its
        last night may be admitted just after), in uid order."""
        rng = streams.stream(self.scenario.seed, streams.ENCOUNTERS, self.shard.index, month.index)
        birth_rng = streams.stream(self.scenario.seed, streams.BIRTHS, self.shard.index, month.index)
        batch = _concat([self._due(rng, month), self._base(rng, month), self._deliveries(birth_rng, month)])
        kept = _take(batch, self._resolve(batch))
        newborn_stays = self._births(birth_rng, month, kept)  # its mother_uid: rows of kept
        fresh = _concat([kept, newborn_stays])
        parts = [fresh]
        while len(fresh["uid"]):
            self._plant_risk(fresh, _concat(parts))  # sets the risks on fresh, a part
            scheduled = self._schedule(rng, fresh)
            now = scheduled["admit"] < month.end_us
            self.state.pending = {
                k: np.concatenate([self.state.pending[k], v[~now]]) for k, v in scheduled.items()
            }
            if not now.any():
                break
            candidates = self._readmissions(rng, month, {k: v[now] for k, v in scheduled.items()})
            fresh = _take(candidates, self._drop_overlaps(_concat(parts), candidates))
            self._record_deaths(fresh)
            parts.append(fresh)
        stays = _concat(parts)
        arrival_rng = streams.stream(
            self.scenario.seed, streams.EMERGENCY_ARRIVALS, self.shard.index, month.index
        )
        month_rows = _concat([stays, self._emergency_arrivals(arrival_rng, month, stays)])
        self._out_of_hospital_deaths(rng, month, month_rows)
        order = np.lexsort((month_rows["admit"], month_rows["patient"]))
        month_rows = _take(month_rows, order)
        month_rows["uid"] = self._uid(month, np.arange(len(order), dtype=np.int64))
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(len(order))
        for link in LINKS:
            row = month_rows[link]
            month_rows[link] = np.where(row >= 0, month_rows["uid"][position[np.maximum(row, 0)]], NO_LINK)
        if len(order):
            np.maximum.at(self.state.last_discharge, month_rows["patient"], month_rows["discharge"])
        for cls, slots in ((EMERGENCY, self.state.emergency_visits), (INPATIENT, self.state.admissions)):
            rows = month_rows["cls"] == cls
            _remember(slots, month_rows["patient"][rows], month_rows["admit"][rows])
        return month_rows
