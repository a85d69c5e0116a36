"""Values that suites take at validation time.

A suite file names a value it cannot know in advance as a GX 1.x suite parameter,
`{"$PARAMETER": "min_rows"}`. Raw suites take theirs from the scenario the delivery was
generated from (the raw audit runs right after generation); staging suites take the window
from the extract's own manifest in the warehouse they validate. So the same suite file fits
the small test scenario and the default one. The rules are deliberately coarse and written
down here, once:

- Row counts. The scenario fixes the patient count at the start, the babies born since
  (expected_births, up to BIRTHS_FACTOR times as many) and the expected encounter count
  (patients x encounters_per_person_year x years in the window). Reference tables have the
  sizes the scenario gives them. Child tables are bounded by rows per expected encounter
  (ROWS_PER_ENCOUNTER, measured on the default and small scenarios and widened about two-fold
  either way); surveys also scale with the response rate. A feed outside these bounds is not
  the extract the scenario describes: a critical failure.
- Tolerated dirt. Each planted defect rate of the scenario becomes a `mostly` threshold: the
  share of clean rows must stay at or above 1 - (rows affected x DIRT_FACTOR + DIRT_MARGIN),
  half as much again as planted plus half a point, room for sampling noise in small
  extracts. More dirt is reported as a warning, never a block: staging cleans it.
- Dates. Staging admissions must fall inside the extract's window (window_start up to
  window_end, the day after the last); the raw manifest must state the scenario's window.
"""

import datetime as dt
import math

import pandas as pd

from dagster_project.synthetic.scenario import Scenario
from dagster_project.synthetic.size import expected_births, expected_encounters

# Dirt tolerated: the planted share of affected rows times DIRT_FACTOR, plus DIRT_MARGIN.
DIRT_FACTOR = 1.5
DIRT_MARGIN = 0.005

# Babies born in the window: at most this many times the scenario's expected births.
BIRTHS_FACTOR = 1.5

# (low, high) rows per expected encounter.
ROWS_PER_ENCOUNTER = {
    "encounters": (0.5, 2.0),
    "diagnoses": (1.0, 6.0),
    "procedures": (0.5, 6.0),
    "observations": (4.0, 30.0),
    "charges": (1.0, 6.0),
    "payments": (0.4, 1.5),
}
# Surveys per expected encounter, divided by the scenario's response rate (about 0.12 measured:
# only inpatient discharges alive are surveyed).
SURVEYS_PER_ENCOUNTER_AND_RESPONSE = (0.03, 0.6)
# Payers: at least one plan per payer class of the scenario, at most this sanity ceiling
# (the generator's catalog has 11 plans for the 5 classes).
MAX_PAYERS = 50


def row_count_bounds(scenario: Scenario, table: str) -> tuple[int, int]:
    """(min, max) rows of a raw table the scenario implies."""
    defects = scenario.defects
    if table == "patients":
        most = scenario.patients + BIRTHS_FACTOR * expected_births(scenario)
        return scenario.patients, math.ceil(most * (1 + defects.duplicate_resend) * 1.05)
    if table == "coverage":
        # one period per patient, a second one for those turning 65; a few patients without
        return math.floor(scenario.patients * 0.9), scenario.patients * 3
    if table == "extract_manifest":
        return 1, 1
    if table == "departments":
        return len(scenario.departments), len(scenario.departments)
    if table == "providers":
        providers = sum(department.providers for department in scenario.departments.values())
        return providers, providers
    if table == "payers":
        return len(scenario.payers.classes), MAX_PAYERS
    encounters = expected_encounters(scenario)
    if table == "surveys":
        low, high = SURVEYS_PER_ENCOUNTER_AND_RESPONSE
        encounters *= scenario.surveys.response_rate
    else:
        low, high = ROWS_PER_ENCOUNTER[table]
    return math.floor(encounters * low), math.ceil(encounters * high)


def dirt_parameters(scenario: Scenario, row_count: int) -> dict[str, float]:
    """`mostly` thresholds for the tolerated dirt, from the planted defect rates."""
    defects = scenario.defects

    def mostly(rate: float) -> float:
        return max(0.0, 1.0 - rate * DIRT_FACTOR - DIRT_MARGIN)

    return {
        # a re-sent row makes two rows share a key: both count as unexpected
        "mostly_unique_patients": mostly(2 * defects.duplicate_resend),
        "mostly_unique_encounters": mostly(2 * defects.duplicate_resend),
        "mostly_unique": mostly(0.0),
        "mostly_sex_spelled": mostly(defects.sex_spelling),
        "mostly_code_formatted": mostly(
            defects.code_case + defects.code_whitespace + defects.code_missing_dot
        ),
        # counted with a row condition (one filter instead of one per LOINC code): a count
        "max_impossible_vitals": math.floor(row_count * (1 - mostly(defects.impossible_vital))),
        "mostly_discharge_after_admission": mostly(defects.discharge_before_admit),
    }


def window_parameters(start_date: dt.date, end_date: dt.date) -> dict:
    """The extract's window, as the staging suites name it (from the extract's manifest)."""
    return {
        "window_start": pd.Timestamp(start_date),
        "window_last_day": pd.Timestamp(end_date),
        "window_end": pd.Timestamp(end_date + dt.timedelta(days=1)),
    }


def raw_suite_parameters(scenario: Scenario, table: str, row_count: int) -> dict:
    """Every parameter a raw suite may name, for the delivery generated from `scenario` (with
    the end date that delivery reaches); row_count: rows validated."""
    minimum, maximum = row_count_bounds(scenario, table)
    return {
        **window_parameters(scenario.start_date, scenario.end_date),
        **dirt_parameters(scenario, row_count),
        "min_rows": minimum,
        "max_rows": maximum,
    }
