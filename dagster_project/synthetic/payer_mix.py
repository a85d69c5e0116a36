"""The payer mix a scenario asks for, overall, turned into what each patient draws.

A scenario states the mix the marts report (kpi_payer_mix): by patients (the payer of each
patient's latest encounter) or by encounters. Patients 65 and over draw from over_65_mix
(Medicare eligibility is a fact, not a knob); the mix of the younger is solved so that the
overall mix comes out as stated, in expectation. That needs the share of the basis that is 65
and over, which follows from the age bands, their encounter rates and mortality, and the
length of the extract (integrated numerically below). The length is the scenario's
payers.mix_years, not its end date: extending an extract must not redraw anyone's payer, so a
longer extract reports a slightly different mix by patients (the longer the extract, the more
of the rarely seen young are seen once). Medicare before 65 (disability) needs a
work history, so nobody under 21 at the start date draws it: the 21-64 year-olds draw it at the
rate that gives the younger patients, together, their solved share. Babies born in the extract
(births.py) join the basis with their mother's class (Medicaid where hers is Medicare), and a
delivery is an encounter of the mother's: both are in the solve.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .scenario import Scenario

MEDICARE_FROM_AGE = 65
DISABILITY_MEDICARE_FROM_AGE = 21
DAYS_PER_YEAR = 365.2425
AGE_STEPS_PER_YEAR = 10
TIME_STEPS_PER_YEAR = 24


@dataclass(frozen=True)
class YoungerMix:
    """What patients under 65 draw: Medicare for the 21-64 year-olds with medicare_21_to_64,
    otherwise a class from other_classes (Medicare left out)."""

    medicare_21_to_64: float
    other_classes: dict[str, float]


@dataclass(frozen=True)
class Basis:
    """Shares of the mix's basis, in expectation: seniors (65 and over), the younger founding
    patients and the babies born in the extract (senior + younger + newborn = 1); adult: share
    of the younger founding patients 21 and over at the start; adult_mothers: share of the
    babies whose mother was."""

    senior: float
    younger: float
    newborn: float
    adult: float
    adult_mothers: float


def basis_shares(scenario: Scenario) -> Basis:
    """The basis's shares of seniors, younger patients and newborns (see Basis)."""
    from .births import monthly_delivery_probability  # births.py imports the population

    payers = scenario.payers
    years = payers.mix_years
    time = (np.arange(int(np.ceil(years * TIME_STEPS_PER_YEAR))) + 0.5) / TIME_STEPS_PER_YEAR
    time = time[time < years]
    senior = younger = younger_adult = newborn = newborn_adult = 0.0
    newborn_rate = scenario.utilization.encounters_per_person_year
    newborn_rate *= scenario.population.age_bands[0].encounter_rate_multiplier
    for band in scenario.population.age_bands:
        steps = (band.max_age + 1 - band.min_age) * AGE_STEPS_PER_YEAR
        start_age = band.min_age + (np.arange(steps) + 0.5) / AGE_STEPS_PER_YEAR
        weight = band.share / len(start_age)
        rate = scenario.utilization.encounters_per_person_year * band.encounter_rate_multiplier
        alive = np.exp(-band.annual_mortality * time)  # [time]
        age = start_age[:, None] + time[None, :]  # [start age, time]
        adult = (start_age >= DISABILITY_MEDICARE_FROM_AGE)[:, None]
        # deliveries per time step, by mother's start age and time
        births = (
            weight
            * band.female_share
            * alive[None, :]
            * 12
            * monthly_delivery_probability(scenario.births, age)
            / TIME_STEPS_PER_YEAR
        )
        if payers.mix_basis == "encounters":
            density = weight * rate * alive[None, :] / TIME_STEPS_PER_YEAR * np.ones_like(age)
            senior += density[age >= MEDICARE_FROM_AGE].sum()
            younger += density[age < MEDICARE_FROM_AGE].sum() + births.sum()  # the deliveries
            younger_adult += density[(age < MEDICARE_FROM_AGE) & adult].sum() + (births * adult).sum()
            per_baby = 1 + newborn_rate * (years - time)[None, :]  # birth stay, then visits
        else:
            exposure = alive.sum() / TIME_STEPS_PER_YEAR
            seen = weight * -np.expm1(-rate * exposure)  # at least one encounter
            # the latest encounter falls about one gap (1 / rate) before the end
            latest_age = start_age + max(years - 1.0 / rate, 0.0)
            is_senior = latest_age >= MEDICARE_FROM_AGE
            senior += seen * is_senior.sum()
            younger += seen * (~is_senior).sum()
            younger_adult += seen * (~is_senior & (start_age >= DISABILITY_MEDICARE_FROM_AGE)).sum()
            per_baby = np.ones_like(age)  # every baby is seen: its birth stay
        newborn += (births * per_baby).sum()
        newborn_adult += (births * per_baby * adult).sum()
    total = senior + younger + newborn
    return Basis(
        senior=senior / total,
        younger=younger / total,
        newborn=newborn / total,
        adult=younger_adult / younger if younger > 0 else 0.0,
        adult_mothers=newborn_adult / newborn if newborn > 0 else 0.0,
    )


def younger_mix(scenario: Scenario) -> YoungerMix:
    """The draw of the under-65 that makes the overall mix the scenario's; ValueError naming
    the class when no draw can (the 65 and over alone bring more of it).

    Medicare: senior x over_65_mix + younger x adult x m = mix, for the 21-64 year-olds' rate m.
    Other classes c: younger founding patients draw c with (1 - adult m) o_c, babies with
    (1 - adult_mothers m) o_c, plus adult_mothers m for Medicaid (a Medicare mother's baby);
    solved for the o_c."""
    payers = scenario.payers
    basis = basis_shares(scenario)
    over = payers.over_65_mix
    rest = {name: share - basis.senior * over.get(name, 0.0) for name, share in payers.mix.items()}
    for payer_class, value in rest.items():
        if value < -1e-9:
            raise ValueError(
                f"payers.mix.{payer_class}: {payers.mix[payer_class]:.3f} of {payers.mix_basis} is less "
                f"than the patients 65 and over alone bring ({basis.senior:.3f} of the basis x "
                f"{over.get(payer_class, 0.0):.3f} in over_65_mix)"
            )
    medicare = max(rest.pop("medicare", 0.0), 0.0)
    carriers = basis.younger * basis.adult
    rate = medicare / carriers if medicare > 0 else 0.0
    if medicare > 0 and (carriers <= 0 or rate > 1):
        raise ValueError(
            f"payers.mix.medicare: the patients under 65 would need {medicare:.3f} of the basis on "
            "Medicare, more than the 21-64 year-olds can carry"
        )
    babies_of_medicare_mothers = basis.newborn * basis.adult_mothers * rate
    if "medicaid" in rest:
        rest["medicaid"] -= babies_of_medicare_mothers
    others = {name: max(value, 0.0) for name, value in rest.items()}
    total = sum(others.values())
    return YoungerMix(
        medicare_21_to_64=rate,
        other_classes={name: value / total for name, value in others.items()} if total > 0 else {},
    )
