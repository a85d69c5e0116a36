"""How big a scenario is before it runs: encounters, time and disk, and the limit a user must
raise on purpose before a large run starts.

The per-encounter costs are measured (BENCHMARKS.md, 1M encounters, idle two-core machine) and
rounded up: an estimate, said as one.
"""

from dataclasses import dataclass

import numpy as np

from .births import monthly_delivery_probability
from .scenario import Scenario, ScenarioError

DEFAULT_MAX_ENCOUNTERS = 5_000_000
RAW_BYTES_PER_ENCOUNTER = 300  # Parquet, zstd: the whole delivery (13 tables)
PIPELINE_BYTES_PER_ENCOUNTER = 4_000  # snapshots, candidate, kept releases, Data Docs
GENERATOR_SECONDS_PER_MILLION = 12
PIPELINE_SECONDS_PER_MILLION = 300  # generate, audit, build, check, report, publish


def _years(scenario: Scenario) -> float:
    return ((scenario.end_date - scenario.start_date).days + 1) / 365.25


def expected_encounters(scenario: Scenario) -> float:
    """Encounters the scenario asks for: patients x encounters per person-year x years."""
    return scenario.patients * scenario.utilization.encounters_per_person_year * _years(scenario)


def expected_births(scenario: Scenario) -> float:
    """Babies the scenario's women are expected to have (one per delivery): by age band, the
    women at the start date times the band's mean delivery rate, times the years."""
    total = 0.0
    for band in scenario.population.age_bands:
        ages = np.arange(band.min_age, band.max_age + 1) + 0.5
        yearly = 12 * monthly_delivery_probability(scenario.births, ages).mean()
        total += scenario.patients * band.share * band.female_share * yearly
    return total * _years(scenario)


@dataclass(frozen=True)
class SizeEstimate:
    encounters: int
    raw_bytes: int
    pipeline_bytes: int
    generator_seconds: float
    pipeline_seconds: float

    def describe(self) -> str:
        return (
            f"about {self.encounters:,} encounters: the extract takes ~{self.raw_bytes / 1e9:.1f} GB and "
            f"~{self.generator_seconds / 60:.0f} min to generate; the whole pipeline "
            f"~{self.pipeline_bytes / 1e9:.0f} GB of disk and ~{self.pipeline_seconds / 60:.0f} min"
        )


def estimate(scenario: Scenario) -> SizeEstimate:
    encounters = round(expected_encounters(scenario))
    millions = encounters / 1e6
    return SizeEstimate(
        encounters=encounters,
        raw_bytes=encounters * RAW_BYTES_PER_ENCOUNTER,
        pipeline_bytes=encounters * PIPELINE_BYTES_PER_ENCOUNTER,
        generator_seconds=millions * GENERATOR_SECONDS_PER_MILLION,
        pipeline_seconds=millions * PIPELINE_SECONDS_PER_MILLION,
    )


def check_size(scenario: Scenario, max_encounters: int = DEFAULT_MAX_ENCOUNTERS) -> SizeEstimate:
    """The estimate, or a ScenarioError when the scenario is larger than the limit."""
    size = estimate(scenario)
    if size.encounters > max_encounters:
        raise ScenarioError(
            f"the scenario asks for {size.describe()}. That is above the limit of "
            f"{max_encounters:,} encounters; raise the limit on purpose to run it "
            "(emr-generate --max-encounters N, or the emr_extract config max_encounters)."
        )
    return size
