"""Validate a DataFrame against a Great Expectations suite file and summarise the outcome.

Suites are JSON files under expectations/ (GX 1.x suite format, one per validated table).
They run as pandas batches in an ephemeral GX context: GX 1.24's SQL datasource fails on
DuckDB (GX issue 10738). great_expectations is imported inside `validate_dataframe` only,
because importing it takes seconds and the Dagster definitions must load without it.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

UNEXPECTED_SAMPLE_SIZE = 5


@dataclass(frozen=True)
class ExpectationOutcome:
    """The result of one expectation, in the terms a reviewer needs."""

    expectation: str
    column: str | None
    severity: str  # "critical" blocks downstream, "warning" only reports
    success: bool
    observed: str | None
    unexpected_count: int | None
    unexpected_sample: list


@dataclass(frozen=True)
class SuiteOutcome:
    suite_name: str
    row_count: int
    outcomes: list[ExpectationOutcome]

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.success]

    @property
    def critical_failures(self) -> list[ExpectationOutcome]:
        return [outcome for outcome in self.failed if outcome.severity == "critical"]


def load_suite(path: Path) -> dict:
    """Read a suite file; a broken file names itself in the error."""
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise ValueError(f"Expectation suite {path} is not valid JSON: {error}") from error


def validate_dataframe(suite_path: Path, dataframe: pd.DataFrame) -> SuiteOutcome:
    """Run every expectation of the suite file against the DataFrame."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    suite_dict = load_suite(suite_path)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    suite = context.suites.add(gx.ExpectationSuite(**suite_dict))
    batch = (
        context.data_sources.add_pandas("pandas")
        .add_dataframe_asset(name=suite.name)
        .add_batch_definition_whole_dataframe("whole_table")
        .get_batch(batch_parameters={"dataframe": dataframe})
    )
    validation = batch.validate(suite, result_format="SUMMARY")
    outcomes = [_outcome(result) for result in validation.results]
    return SuiteOutcome(suite_name=suite.name, row_count=len(dataframe), outcomes=outcomes)


def _outcome(result) -> ExpectationOutcome:
    config = result.expectation_config
    details = result.result or {}
    observed = details.get("observed_value")
    if result.exception_info and result.exception_info.get("raised_exception"):
        observed = result.exception_info.get("exception_message")
    return ExpectationOutcome(
        expectation=config.type,
        column=config.kwargs.get("column"),
        severity=str(getattr(config.severity, "value", config.severity)),
        success=bool(result.success),
        observed=None if observed is None else str(observed),
        unexpected_count=details.get("unexpected_count"),
        unexpected_sample=[
            str(value) for value in details.get("partial_unexpected_list", [])
        ][:UNEXPECTED_SAMPLE_SIZE],
    )
