"""The suite files of the repository, and how each runs against its table.

`expectations/<stage>/<table>.json`: a raw suite validates the delivered Parquet table of that
name (before the delivery is accepted); a staging, intermediate or mart suite validates the
warehouse model of that name (its schema is the stage).
"""

from pathlib import Path

from dagster_project import settings
from dagster_project.quality.parameters import raw_suite_parameters, window_parameters
from dagster_project.quality.readers import read_raw_table, read_warehouse_table, return_freed_memory
from dagster_project.quality.validation import (
    ExpectationOutcome,
    SuiteOutcome,
    load_suite,
    referenced_columns,
    validate_dataframe,
)
from dagster_project.synthetic.scenario import Scenario

STAGES = ("raw", "staging", "intermediate", "marts")
MODEL_STAGES = STAGES[1:]
MANIFEST_MODEL = ("staging", "stg_emr__extract_manifest")


def suite_files(stage: str) -> list[Path]:
    """The suite files of one stage, in a stable order."""
    return sorted((settings.EXPECTATIONS_DIR / stage).glob("*.json"))


def unreadable(suite_path: Path, error: Exception) -> SuiteOutcome:
    """The outcome of a suite whose table cannot be read at all: one critical failure that
    names the table and the reader's error."""
    failure = ExpectationOutcome(
        expectation="table_is_readable",
        column=None,
        severity="critical",
        success=False,
        observed=f"error: {error}",
        unexpected_count=None,
        unexpected_percent=None,
        mostly=None,
        unexpected_sample=[],
    )
    return SuiteOutcome(suite_name=load_suite(suite_path)["name"], row_count=0, outcomes=[failure])


def validate_delivered_table(
    suite_path: Path, feed_dir: Path, scenario: Scenario, docs_dir: Path
) -> SuiteOutcome:
    """A raw suite against the delivered table; parameters from the delivery's scenario. A table
    that cannot be read fails the suite (it does not stop the audit of the other tables)."""
    table = suite_path.stem
    try:
        dataframe = read_raw_table(feed_dir, table, referenced_columns(suite_path))
    except (FileNotFoundError, ValueError) as error:
        return unreadable(suite_path, error)
    parameters = raw_suite_parameters(scenario, table, len(dataframe))
    outcome = validate_dataframe(suite_path, dataframe, parameters=parameters, docs_dir=docs_dir)
    del dataframe
    return_freed_memory()
    return outcome


def validate_model(suite_path: Path, stage: str, connection, docs_dir: Path) -> SuiteOutcome:  # noqa: ANN001
    """A model suite against the model in a warehouse (a read-only connection to it); the window
    from that warehouse's extract manifest."""
    dataframe = read_warehouse_table(connection, stage, suite_path.stem, referenced_columns(suite_path))
    manifest = read_warehouse_table(connection, *MANIFEST_MODEL).iloc[0]
    parameters = window_parameters(manifest["extract_start_date"].date(), manifest["extract_end_date"].date())
    outcome = validate_dataframe(suite_path, dataframe, parameters=parameters, docs_dir=docs_dir)
    del dataframe
    return_freed_memory()
    return outcome
