"""The scenario file: every knob the generator turns, validated before anything is written.

A scenario is YAML parsed into the pydantic `Scenario` model. Unknown keys fail (extra="forbid")
so a typo never silently falls back to a default. All errors surface as `ScenarioError` with the
file, the key path and the allowed values, which the CLI prints with exit code 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

ENCOUNTER_CLASSES = ("inpatient", "emergency", "outpatient", "observation")
PAYER_CLASSES = ("private", "medicare", "medicaid", "self_pay", "other")
ADMISSION_TYPES = ("elective", "urgent", "emergency", "newborn")
DISPOSITIONS = (
    "home",
    "home_health",
    "skilled_nursing",
    "against_medical_advice",
    "transfer",
    "expired",
    "admitted_inpatient",
)
# "admitted_inpatient" (UB-04 patient status 09) ends only the ED visits the generator links to
# the inpatient stay they became; a scenario's disposition mixes draw from the others.
DRAWN_DISPOSITIONS = DISPOSITIONS[:-1]
DEPARTMENTS = (
    "Cardiology",
    "Oncology",
    "Pediatrics",
    "Orthopedics",
    "Emergency",
    "Internal Medicine",
    "Neurology",
    "Obstetrics",
    "General Surgery",
)
DEFECT_KINDS = (
    "duplicate_resend",
    "code_case",
    "code_whitespace",
    "code_missing_dot",
    "sex_spelling",
    "impossible_vital",
    "discharge_before_admit",
    "orphan_row",
    "late_arriving",
)


EXCLUDED_COHORTS = ("psychiatric", "rehabilitation")
# What is known about an inpatient stay at its discharge that raises its readmission risk
# (readmission.discharge_factors). Prior visits are counted before the stay's admission; the
# ED visit that led to the stay is not a prior one (as in LACE).
DISCHARGE_FACTORS = (
    "chronic_conditions",  # the patient's chronic conditions coded on the stay (0-3)
    "prior_emergency_visits_6m",  # ED visits in the 182 days before admission
    "prior_admissions_12m",  # inpatient admissions in the 365 days before admission
    "length_of_stay_days",  # admission to discharge, in days
    "acute_admission",  # 1 for an emergency or urgent admission (LACE's "A")
)
# The generator remembers this many of each patient's latest ED visits and admissions: a
# prior-visit factor's cap can be no higher.
PRIOR_VISIT_SLOTS = 8


@cache
def _catalog_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of catalogs/<name>.csv, for cross-checking scenario keys."""
    with open(Path(__file__).parent / "catalogs" / f"{name}.csv", newline="") as handle:
        return tuple(csv.DictReader(handle))


@cache
def _catalog_diagnoses() -> frozenset[str]:
    """Codes of the diagnosis catalog, for cross-checking scenario keys."""
    return frozenset(row["code"] for row in _catalog_rows("diagnoses"))


@cache
def chronic_condition_groups() -> tuple[str, ...]:
    """The chronic-condition groups the marts report (catalogs/chronic_condition_groups.csv,
    the same file as the warehouse's seed), in file order."""
    groups = [row["condition_group"] for row in _catalog_rows("chronic_condition_groups")]
    return tuple(dict.fromkeys(groups))


class ScenarioError(ValueError):
    """An invalid scenario: the message names the file, the key path and what is allowed."""


class _Model(BaseModel):
    # strict: `patients: true` or `share: "0.5"` is an error, not a silent 1 or 0.5
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _ScenarioLoader(yaml.SafeLoader):
    """YAML as the scenario needs it: a key given twice, or a date that does not exist, is an
    error with its line, not a silent last-one-wins or a traceback."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice in the same mapping", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> dt.date | dt.datetime:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid date ({error})", node.start_mark
            ) from None


_ScenarioLoader.add_constructor("tag:yaml.org,2002:timestamp", _ScenarioLoader.construct_yaml_timestamp)
_ScenarioLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _ScenarioLoader.construct_mapping
)


def _check_age_range(min_age: int, max_age: int) -> None:
    if min_age > max_age:
        raise ValueError(f"min_age {min_age} is above max_age {max_age}")


def _check_shares(shares: dict[str, float], allowed: tuple[str, ...] | None, what: str) -> None:
    """Shares must be non-negative, sum to 1 (within 1e-6) and use allowed keys only."""
    if allowed is not None:
        unknown = sorted(set(shares) - set(allowed))
        if unknown:
            raise ValueError(f"unknown {what} {unknown}; allowed: {list(allowed)}")
    if any(v < 0 for v in shares.values()):
        raise ValueError(f"{what} shares must be >= 0")
    total = sum(shares.values())
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"{what} shares must sum to 1, got {total:.6f}")


class AgeBand(_Model):
    """A band of age at the scenario start date, with utilisation, cost and risk multipliers."""

    min_age: int = Field(ge=0, le=110)
    max_age: int = Field(ge=0, le=110)
    share: float = Field(ge=0, le=1)
    female_share: float = Field(ge=0, le=1)
    encounter_rate_multiplier: float = Field(gt=0, le=20)
    charge_multiplier: float = Field(gt=0, le=10)
    readmission_multiplier: float = Field(gt=0, le=10)
    annual_mortality: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _check(self) -> AgeBand:
        _check_age_range(self.min_age, self.max_age)
        return self


class Condition(_Model):
    """A chronic condition: prevalence by age (step function keyed by minimum age)."""

    prevalence_by_age: dict[int, float]
    risk_ratio_if: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Condition:
        if 0 not in self.prevalence_by_age:
            raise ValueError("prevalence_by_age must have a key 0")
        if any(not 0 <= p <= 1 for p in self.prevalence_by_age.values()):
            raise ValueError("prevalence_by_age values must be in [0, 1]")
        return self


class Population(_Model):
    age_bands: list[AgeBand] = Field(min_length=1)
    race: dict[str, float]
    ethnicity: dict[str, float]
    states: dict[str, float]
    conditions: dict[Literal["diabetes", "hypertension", "ckd"], Condition]

    @model_validator(mode="after")
    def _check(self) -> Population:
        _check_shares({str(i): b.share for i, b in enumerate(self.age_bands)}, None, "age band")
        for prev, band in pairwise(self.age_bands):
            if band.min_age != prev.max_age + 1:
                raise ValueError("age_bands must be contiguous (min_age = previous max_age + 1)")
        _check_shares(self.race, None, "race")
        _check_shares(self.ethnicity, None, "ethnicity")
        _check_shares(self.states, None, "state")
        if any(len(s) != 2 or not s.isupper() for s in self.states):
            raise ValueError("states must be 2-letter upper-case codes")
        order = ("diabetes", "hypertension", "ckd")  # drawn in this order
        for name, cond in self.conditions.items():
            earlier = [c for c in order[: order.index(name)] if c in self.conditions]
            bad = sorted(set(cond.risk_ratio_if) - set(earlier))
            if bad:
                raise ValueError(
                    f"conditions.{name}.risk_ratio_if may only name conditions drawn before it "
                    f"({earlier}); got {bad}"
                )
        return self


class Seasonality(_Model):
    peak_months: list[int] = Field(default_factory=list)
    peak_lift: float = Field(default=0.0, ge=0, le=5)

    @model_validator(mode="after")
    def _check(self) -> Seasonality:
        if any(not 1 <= m <= 12 for m in self.peak_months):
            raise ValueError("peak_months must be month numbers 1..12")
        return self


class Department(_Model):
    """One department: its share of encounters and the effects planted in it."""

    volume_share: float = Field(ge=0, le=1)
    min_age: int = Field(default=0, ge=0, le=110)
    max_age: int = Field(default=110, ge=0, le=110)
    sex: Literal["any", "F"] = "any"
    class_mix: dict[str, float]
    seasonality: Seasonality = Seasonality()
    los_mean_days: float = Field(gt=0, le=60)
    readmission_risk_60d: float = Field(ge=0, le=1)
    satisfaction_mean: float = Field(gt=0, lt=10)
    gross_charge_per_encounter: float = Field(gt=0, le=1_000_000)
    providers: int = Field(ge=1, le=500)

    @model_validator(mode="after")
    def _check(self) -> Department:
        _check_age_range(self.min_age, self.max_age)
        _check_shares(self.class_mix, ENCOUNTER_CLASSES, "encounter class")
        return self


class Utilization(_Model):
    encounters_per_person_year: float = Field(gt=0, le=50)
    los_sigma: float = Field(gt=0, le=3)
    # Hospital-wide volume by month (every department's encounters, births aside).
    seasonality: Seasonality = Seasonality()
    admission_types: dict[str, dict[str, float]]
    dispositions: dict[str, dict[str, float]]

    @model_validator(mode="after")
    def _check(self) -> Utilization:
        for mapping, allowed, what in (
            (self.admission_types, ADMISSION_TYPES, "admission type"),
            (self.dispositions, DRAWN_DISPOSITIONS, "discharge disposition"),
        ):
            if set(mapping) != set(ENCOUNTER_CLASSES):
                raise ValueError(f"{what} mix needs exactly the classes {list(ENCOUNTER_CLASSES)}")
            for shares in mapping.values():
                _check_shares(shares, allowed, what)
        return self


class DiagnosisReadmission(_Model):
    """A diagnosis-specific readmission effect: overrides the department risk for the code."""

    min_age: int = Field(ge=0, le=110)
    probability_60d: float = Field(ge=0, le=1)


class PlannedStays(_Model):
    """Planned follow-up stays (chemotherapy cycles, staged procedures): not readmissions by
    the CMS Planned Readmission Algorithm. After an inpatient discharge alive with no unplanned
    readmission drawn, a department's probability_60d schedules one, min_delay_days to
    max_delay_days later, from its rows of catalogs/planned_stays.csv."""

    probability_60d: dict[str, float] = Field(default_factory=dict)
    min_delay_days: int = Field(default=7, ge=1, le=60)
    max_delay_days: int = Field(default=42, ge=1, le=60)

    @model_validator(mode="after")
    def _check(self) -> PlannedStays:
        if self.min_delay_days > self.max_delay_days:
            raise ValueError(
                f"min_delay_days {self.min_delay_days} is above max_delay_days {self.max_delay_days}"
            )
        unknown = sorted(set(self.probability_60d) - set(DEPARTMENTS))
        if unknown:
            raise ValueError(f"probability_60d: unknown departments {unknown}; allowed: {list(DEPARTMENTS)}")
        if any(not 0 <= p <= 1 for p in self.probability_60d.values()):
            raise ValueError("probability_60d values must be in [0, 1]")
        with_stays = {r["department"] for r in _catalog_rows("planned_stays")}
        missing = sorted(d for d, p in self.probability_60d.items() if p > 0 and d not in with_stays)
        if missing:
            raise ValueError(
                f"probability_60d: departments {missing} have no rows in catalogs/planned_stays.csv "
                f"(departments with planned stays: {sorted(with_stays)})"
            )
        return self


class DischargeFactor(_Model):
    """A readmission risk factor known at discharge: the stay's risk is multiplied by
    relative_risk ** (min(value, cap) - reference), so a stay at the reference value keeps the
    risk the department, age band, disposition and payer give it."""

    relative_risk: float = Field(gt=0, le=10)  # per unit of the factor
    reference: float = Field(ge=0)
    cap: float = Field(gt=0)


class ExcludedCohort(_Model):
    """Inpatient admissions of the given departments whose principal diagnosis is in a cohort
    the CMS Hospital-Wide Readmission measure excludes from index stays: share of them."""

    share: float = Field(ge=0, le=0.5)
    departments: list[str] = Field(min_length=1)


class Readmission(_Model):
    disposition_multiplier: dict[str, float]
    payer_multiplier: dict[str, float] = Field(default_factory=dict)  # a class left out: 1.0
    mean_delay_days: float = Field(gt=0, le=60)
    diagnosis_effects: dict[str, DiagnosisReadmission] = Field(default_factory=dict)
    planned_stays: PlannedStays = PlannedStays()
    excluded_cohorts: dict[str, ExcludedCohort] = Field(default_factory=dict)
    discharge_factors: dict[str, DischargeFactor] = Field(default_factory=dict)  # left out: none

    @model_validator(mode="after")
    def _check(self) -> Readmission:
        unknown = sorted(set(self.discharge_factors) - set(DISCHARGE_FACTORS))
        if unknown:
            raise ValueError(
                f"discharge_factors: unknown factors {unknown}; allowed: {list(DISCHARGE_FACTORS)}"
            )
        for name in ("prior_emergency_visits_6m", "prior_admissions_12m"):
            factor = self.discharge_factors.get(name)
            if factor is not None and factor.cap > PRIOR_VISIT_SLOTS:
                raise ValueError(
                    f"discharge_factors.{name}.cap: {factor.cap:g} is above {PRIOR_VISIT_SLOTS}, "
                    "the number of prior visits the generator remembers per patient"
                )
        unknown = sorted(set(self.excluded_cohorts) - set(EXCLUDED_COHORTS))
        if unknown:
            raise ValueError(
                f"excluded_cohorts: unknown cohorts {unknown}; allowed: {list(EXCLUDED_COHORTS)}"
            )
        for cohort, planted in self.excluded_cohorts.items():
            with_codes = {
                r["department"] for r in _catalog_rows("diagnoses") if r["inpatient_role"] == cohort
            }
            missing = sorted(set(planted.departments) - with_codes)
            if missing:
                raise ValueError(
                    f"excluded_cohorts.{cohort}.departments: {missing} have no {cohort} codes in "
                    f"catalogs/diagnoses.csv (departments with some: {sorted(with_codes)})"
                )
        unknown = sorted(set(self.disposition_multiplier) - set(DRAWN_DISPOSITIONS))
        if unknown:
            raise ValueError(f"unknown disposition {unknown}; allowed: {list(DRAWN_DISPOSITIONS)}")
        unknown = sorted(set(self.payer_multiplier) - set(PAYER_CLASSES))
        if unknown:
            raise ValueError(f"unknown payer class {unknown}; allowed: {list(PAYER_CLASSES)}")
        if any(
            not 0 <= m <= 10 for m in [*self.disposition_multiplier.values(), *self.payer_multiplier.values()]
        ):
            raise ValueError("disposition_multiplier and payer_multiplier values must be in [0, 10]")
        codes = _catalog_diagnoses()
        unknown = sorted(set(self.diagnosis_effects) - codes)
        if unknown:
            raise ValueError(
                f"diagnosis_effects codes {unknown} are not in catalogs/diagnoses.csv "
                "(allowed: any code listed there, e.g. E11.9)"
            )
        return self


class SeasonalRise(_Model):
    """More new inpatient admissions of some chronic-condition groups in some contiguous months.

    lift is the relative rise of the groups' new (non-readmission) inpatient admissions in those
    months over the same months without it; readmissions are not lifted (see default.yaml).
    """

    groups: list[str] = Field(min_length=1)
    months: list[int] = Field(min_length=1, max_length=11)
    lift: float = Field(gt=0, le=5)

    @model_validator(mode="after")
    def _check(self) -> SeasonalRise:
        if any(not 1 <= m <= 12 for m in self.months):
            raise ValueError("months must be month numbers 1..12")
        if len(set(self.months)) != len(self.months):
            raise ValueError(f"months {self.months} name a month twice")
        # contiguous on the calendar's circle: exactly one month whose successor is not listed
        ends = [m for m in self.months if m % 12 + 1 not in self.months]
        if len(ends) != 1:
            raise ValueError(f"months {self.months} must be contiguous (December to February is [12, 1, 2])")
        unknown = sorted(set(self.groups) - set(chronic_condition_groups()))
        if unknown:
            raise ValueError(
                f"unknown chronic-condition groups {unknown}; allowed: {list(chronic_condition_groups())}"
            )
        return self


class Births(_Model):
    """Deliveries of the panel's women and the newborn stays they bring (births.py)."""

    # Deliveries per 1,000 women per year, a step function keyed by minimum age: none below the
    # first key, and the last value must be 0 (no deliveries from that age on).
    deliveries_per_1000_women: dict[int, float]
    cesarean_share: float = Field(ge=0, le=1)
    vaginal_los_mean_days: float = Field(gt=0, le=30)
    cesarean_los_mean_days: float = Field(gt=0, le=30)
    female_share: float = Field(ge=0, le=1)  # of newborns
    nicu_share: float = Field(ge=0, le=1)  # newborns kept longer than their mother
    nicu_los_mean_days: float = Field(gt=0, le=120)

    @model_validator(mode="after")
    def _check(self) -> Births:
        rates = self.deliveries_per_1000_women
        if not rates:
            raise ValueError("deliveries_per_1000_women needs at least one age key")
        if any(not 0 <= age <= 110 for age in rates) or any(not 0 <= r <= 1000 for r in rates.values()):
            raise ValueError("deliveries_per_1000_women: ages must be in 0..110 and rates in 0..1000")
        if rates[max(rates)] != 0:
            raise ValueError(
                f"deliveries_per_1000_women: the last age key ({max(rates)}) must have rate 0, "
                "or women would deliver at any age above it"
            )
        return self

    @property
    def any(self) -> bool:
        return any(rate > 0 for rate in self.deliveries_per_1000_women.values())


class PayerClass(_Model):
    allowed_ratio: float = Field(gt=0, le=1)
    patient_share: float = Field(ge=0, le=1)
    patient_collection_rate: float = Field(ge=0, le=1)


class Payers(_Model):
    """The payer mix as the marts report it (kpi_payer_mix), by patients (payer of the latest
    encounter) or by encounters; over_65_mix is what patients 65 and over draw (payer_mix.py)."""

    mix_basis: Literal["patients", "encounters"]
    mix: dict[str, float]
    mix_years: float = Field(gt=0, le=50)
    over_65_mix: dict[str, float]
    classes: dict[str, PayerClass]

    @model_validator(mode="after")
    def _check(self) -> Payers:
        _check_shares(self.mix, PAYER_CLASSES, "payer class")
        _check_shares(self.over_65_mix, PAYER_CLASSES, "payer class")
        if set(self.classes) != set(PAYER_CLASSES):
            raise ValueError(f"classes needs exactly {list(PAYER_CLASSES)}")
        if self.over_65_mix.get("medicare", 0) == 0:
            raise ValueError("over_65_mix must give medicare a share > 0")
        return self


class SatisfactionShift(_Model):
    department: str
    from_date: dt.date = Field(strict=False)  # a date, or its ISO text
    relative_change: float = Field(ge=-0.9, le=0.9)


class Surveys(_Model):
    response_rate: float = Field(ge=0, le=1)
    rating_sd: float = Field(gt=0, le=5)
    shifts: list[SatisfactionShift] = Field(default_factory=list)


class Defects(_Model):
    """Rates of dirty data planted on purpose; all zero gives a clean extract."""

    duplicate_resend: float = Field(default=0.0, ge=0, le=0.5)
    code_case: float = Field(default=0.0, ge=0, le=0.5)
    code_whitespace: float = Field(default=0.0, ge=0, le=0.5)
    code_missing_dot: float = Field(default=0.0, ge=0, le=0.5)
    sex_spelling: float = Field(default=0.0, ge=0, le=0.5)
    impossible_vital: float = Field(default=0.0, ge=0, le=0.5)
    discharge_before_admit: float = Field(default=0.0, ge=0, le=0.5)
    orphan_row: float = Field(default=0.0, ge=0, le=0.5)
    late_arriving: float = Field(default=0.0, ge=0, le=0.5)


class Scenario(_Model):
    """The whole scenario; see scenarios/default.yaml for documented values."""

    seed: int = Field(ge=0, le=2**63 - 1)
    patients: int = Field(ge=1, le=50_000_000)
    start_date: dt.date = Field(strict=False)  # a date, or its ISO text
    end_date: dt.date = Field(strict=False)
    population: Population
    utilization: Utilization
    departments: dict[str, Department]
    readmission: Readmission
    seasonal_rises: list[SeasonalRise] = Field(default_factory=list)
    births: Births
    payers: Payers
    surveys: Surveys
    defects: Defects = Defects()
    # Measures of the realism scorecard (dbt seed realism_references, by measure_id) that this
    # scenario moves away from the national figure on purpose, with the reason; the extract's
    # manifest carries them so the scorecard marks them planted, not departing.
    planted_departures: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Scenario:
        if self.end_date < self.start_date:
            raise ValueError(f"end_date: must be on or after start_date {self.start_date}")
        if self.start_date.year < 1900 or self.end_date.year > 2200:
            raise ValueError("start_date/end_date: must lie within years 1900..2200")
        unknown = sorted(set(self.departments) - set(DEPARTMENTS))
        missing = sorted(set(DEPARTMENTS) - set(self.departments))
        if unknown or missing:
            raise ValueError(
                f"departments: must be exactly {list(DEPARTMENTS)}; unknown {unknown}, missing {missing}"
            )
        try:
            _check_shares({k: d.volume_share for k, d in self.departments.items()}, None, "volume_share")
        except ValueError as error:
            raise ValueError(f"departments.*.volume_share: {error}") from None
        for shift in self.surveys.shifts:
            if shift.department not in DEPARTMENTS:
                raise ValueError(f"surveys.shifts.department: must be one of {list(DEPARTMENTS)}")
        if self.births.any and self.population.age_bands[0].min_age != 0:
            raise ValueError(
                "population.age_bands: the first band must start at min_age 0 (newborns join it)"
            )
        bad = sorted(key for key in self.planted_departures if not re.fullmatch(r"[a-z][a-z0-9_]*", key))
        if bad:
            raise ValueError(f"planted_departures: keys must be measure ids in snake_case; got {bad}")
        for name, department in self.departments.items():
            highest = department.satisfaction_mean
            for shift in self.surveys.shifts:
                if shift.department == name and shift.relative_change > 0:
                    highest *= 1 + shift.relative_change
            if highest >= 10:
                raise ValueError(
                    f"surveys.shifts: {name} would need a mean rating of {highest:.2f}, "
                    "above the 0-10 scale (satisfaction_mean x (1 + relative_change))"
                )
        from .payer_mix import younger_mix  # needs the whole scenario (ages, rates, years)

        younger_mix(self)
        lifted = [
            (group, month) for rise in self.seasonal_rises for group in rise.groups for month in rise.months
        ]
        twice = sorted({pair for pair in lifted if lifted.count(pair) > 1})
        if twice:
            raise ValueError(f"seasonal_rises: group and month lifted twice: {twice}")
        return self


def _key_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def _override_value(path: Path, key: str, value: Any) -> Any:  # noqa: ANN401 (a YAML value)
    """Command-line overrides arrive as text: dates become dates, with a clear error."""
    if key.endswith("_date") and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as error:
            raise ScenarioError(f"{path}: override {key}: {error} (expected YYYY-MM-DD)") from error
    return value


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Read, override and validate a scenario file; raise ScenarioError naming file and key."""
    path = Path(path)
    try:
        raw = yaml.load(path.read_text(), Loader=_ScenarioLoader)  # noqa: S506 (a SafeLoader)
    except OSError as error:
        raise ScenarioError(f"{path}: cannot read scenario file: {error}") from error
    except yaml.YAMLError as error:
        raise ScenarioError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path}: a scenario must be a YAML mapping at the top level")
    allowed_overrides = ("seed", "patients", "start_date", "end_date")
    for key, value in (overrides or {}).items():
        if key not in allowed_overrides:
            raise ScenarioError(
                f"{path}: override '{key}' is not allowed; allowed: {list(allowed_overrides)}"
            )
        if value is not None:
            raw[key] = _override_value(path, key, value)
    try:
        return Scenario.model_validate(raw)
    except ValidationError as error:
        lines = [
            f"{path}: {_key_path(e['loc'])}: {e['msg']} (got {e.get('input')!r})"
            if not isinstance(e.get("input"), dict)
            else f"{path}: {_key_path(e['loc'])}: {e['msg']}"
            for e in error.errors()
        ]
        raise ScenarioError("invalid scenario\n" + "\n".join(lines)) from error
