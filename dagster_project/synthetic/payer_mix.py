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
rate that gives the younger patients, together, their solved share.
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


def basis_shares(scenario: Scenario) -> tuple[float, float]:
    """(share of the basis aged 65 and over, share aged 21 and over at the start among the
    rest), in expectation over the scenario's population."""
    payers = scenario.payers
    years = payers.mix_years
    time = (np.arange(int(np.ceil(years * TIME_STEPS_PER_YEAR))) + 0.5) / TIME_STEPS_PER_YEAR
    time = time[time < years]
    senior = younger = younger_adult = 0.0
    for band in scenario.population.age_bands:
        steps = (band.max_age + 1 - band.min_age) * AGE_STEPS_PER_YEAR
        start_age = band.min_age + (np.arange(steps) + 0.5) / AGE_STEPS_PER_YEAR
        weight = band.share / len(start_age)
        rate = scenario.utilization.encounters_per_person_year * band.encounter_rate_multiplier
        alive = np.exp(-band.annual_mortality * time)  # [time]
        age = start_age[:, None] + time[None, :]  # [start age, time]
        adult = (start_age >= DISABILITY_MEDICARE_FROM_AGE)[:, None]
        if payers.mix_basis == "encounters":
            density = weight * rate * alive[None, :] / TIME_STEPS_PER_YEAR * np.ones_like(age)
            senior += density[age >= MEDICARE_FROM_AGE].sum()
            younger += density[age < MEDICARE_FROM_AGE].sum()
            younger_adult += density[(age < MEDICARE_FROM_AGE) & adult].sum()
        else:
            exposure = alive.sum() / TIME_STEPS_PER_YEAR
            seen = weight * -np.expm1(-rate * exposure)  # at least one encounter
            # the latest encounter falls about one gap (1 / rate) before the end
            latest_age = start_age + max(years - 1.0 / rate, 0.0)
            is_senior = latest_age >= MEDICARE_FROM_AGE
            senior += seen * is_senior.sum()
            younger += seen * (~is_senior).sum()
            younger_adult += seen * (~is_senior & (start_age >= DISABILITY_MEDICARE_FROM_AGE)).sum()
    total = senior + younger
    return senior / total, (younger_adult / younger if younger > 0 else 0.0)


def younger_mix(scenario: Scenario) -> YoungerMix:
    """The draw of the under-65 that makes the overall mix the scenario's; ValueError naming
    the class when no draw can (the 65 and over alone bring more of it)."""
    payers = scenario.payers
    senior, adult = basis_shares(scenario)
    solved = {}
    for payer_class, share in payers.mix.items():
        value = (share - senior * payers.over_65_mix.get(payer_class, 0.0)) / (1 - senior)
        if value < -1e-9:
            raise ValueError(
                f"payers.mix.{payer_class}: {share:.3f} of {payers.mix_basis} is less than the "
                f"patients 65 and over alone bring ({senior:.3f} of the basis x "
                f"{payers.over_65_mix.get(payer_class, 0.0):.3f} in over_65_mix)"
            )
        solved[payer_class] = max(value, 0.0)
    medicare = solved.pop("medicare", 0.0)
    if medicare > 0 and (adult <= 0 or medicare / adult > 1):
        raise ValueError(
            f"payers.mix.medicare: the patients under 65 would need {medicare:.3f} Medicare, more "
            "than the 21-64 year-olds can carry"
        )
    rest = sum(solved.values())
    return YoungerMix(
        medicare_21_to_64=medicare / adult if medicare > 0 else 0.0,
        other_classes={name: value / rest for name, value in solved.items()} if rest > 0 else {},
    )
