"""Validate a DataFrame against a Great Expectations suite file and summarise the outcome.

Suites are JSON files under expectations/ (GX 1.x suite format, one per validated table).
They run as pandas batches in an ephemeral, in-memory GX context: GX 1.24's SQL datasource
fails on DuckDB (GX issue 10738). Suite parameters (`{"$PARAMETER": name}`) are filled per
run, so one suite file serves every scenario.

Samples of failing values are evidence, and evidence must not disclose a patient: before a
result is summarised or stored for the Data Docs, the samples and observed values of direct
identifier columns (names, MRNs, addresses, dates of birth and death) are masked.

great_expectations is imported inside `validate_dataframe` only: importing it takes seconds
and the Dagster definitions must load without it.
"""

import gc
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

UNEXPECTED_SAMPLE_SIZE = 5
MASK = "<masked>"
# HIPAA Safe Harbor direct identifiers among the columns the feeds carry.
DIRECT_IDENTIFIERS = frozenset(
    {"patient_id", "first_name", "last_name", "address_line", "city", "zip_code", "birth_date", "death_date"}
)
SAMPLE_KEYS = (
    "partial_unexpected_list",
    "unexpected_list",
    "partial_unexpected_index_list",
    "unexpected_index_list",
)


@dataclass(frozen=True)
class ExpectationOutcome:
    """The result of one expectation, in the terms a reviewer needs."""

    expectation: str
    column: str | None
    severity: str  # "critical" blocks downstream, "warning" only reports
    success: bool
    observed: str | None
    unexpected_count: int | None
    unexpected_percent: float | None
    mostly: float | None  # the share of rows that must pass, when less than all
    unexpected_sample: list


@dataclass(frozen=True)
class SuiteOutcome:
    suite_name: str
    row_count: int
    outcomes: list[ExpectationOutcome]
    docs_page: str | None = None  # this validation's Data Docs page, when docs were built
    docs_url: str | None = None  # the same page on the docs server (make docs)

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


def referenced_columns(suite_path: Path) -> set[str]:
    """Every name a suite's expectations could refer to as a column, row conditions included.

    Row conditions are pandas query strings: every identifier in them is kept, and the
    readers keep only those that are columns of the table.
    """
    names = set()
    for expectation in load_suite(suite_path)["expectations"]:
        kwargs = expectation.get("kwargs", {})
        names.update(kwargs[key] for key in ("column", "column_A", "column_B") if key in kwargs)
        names.update(kwargs.get("column_list", []))
        names.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", kwargs.get("row_condition", "")))
    return names


def validate_dataframe(
    suite_path: Path,
    dataframe: pd.DataFrame,
    parameters: dict | None = None,
    docs_dir: Path | None = None,
) -> SuiteOutcome:
    """Run every expectation of the suite file against the DataFrame.

    `parameters` fill the suite's `{"$PARAMETER": ...}` placeholders. With `docs_dir`, the
    suite and the (masked) result are also stored there and its Data Docs page is built.
    """
    try:
        return _validate(suite_path, dataframe, parameters or {}, docs_dir)
    finally:
        release_validated_frame()


def release_validated_frame() -> None:
    """Let the frame a suite validated be freed as soon as its reader drops it.

    GX keeps the last context it made (its project manager), and the context's data source,
    batch and metric cache refer to each other and to the frame and its columns: without this
    a 10M-row frame stays resident while the next suites read theirs (the raw audit at 1M
    encounters peaked at 5.4 GB, BENCHMARKS.md). The context is let go and its cycle
    collected; a full collection of this process takes about 0.3 s, so what survives it is
    frozen, which keeps each later collection to the objects the next suite made. The price:
    an object alive now that later becomes part of a cycle is kept until the process ends (a
    run's process is short-lived). `project_manager` is a GX internal: recheck on upgrade.
    """
    from great_expectations.data_context.data_context.context_factory import project_manager

    project_manager.set_project(None)
    gc.collect()
    gc.freeze()


def _validate(
    suite_path: Path, dataframe: pd.DataFrame, parameters: dict, docs_dir: Path | None
) -> SuiteOutcome:
    import great_expectations as gx
    from great_expectations.execution_engine import pandas_execution_engine

    from dagster_project.quality.data_docs import in_memory_context_config, page_url, publish_page

    # GX fingerprints every DataFrame under 1 GB (pandas_execution_engine.HASH_THRESHOLD) by
    # hashing all of it, only to label the batch in the result: 13 of 24 s on 12 million
    # observations. No setting turns it off; a threshold of 0 skips it.
    pandas_execution_engine.HASH_THRESHOLD = 0
    suite_dict = load_suite(suite_path)
    context = gx.get_context(project_config=in_memory_context_config(), mode="ephemeral")
    suite = context.suites.add_or_update(gx.ExpectationSuite(**suite_dict))
    batch_definition = (
        context.data_sources.add_pandas("pandas")
        .add_dataframe_asset(name=suite.name)
        .add_batch_definition_whole_dataframe("whole_table")
    )
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=suite)
    )
    result = validation.run(
        batch_parameters={"dataframe": dataframe},
        expectation_parameters=parameters,
        result_format="SUMMARY",
    )
    for expectation_result in result.results:
        mask_identifiers(expectation_result)
    outcomes = [_outcome(expectation_result) for expectation_result in result.results]
    docs_page = publish_page(docs_dir, suite, result) if docs_dir else None
    return SuiteOutcome(
        suite_name=suite.name,
        row_count=len(dataframe),
        outcomes=outcomes,
        docs_page=docs_page,
        docs_url=page_url(docs_dir, docs_page) if docs_page else None,
    )


def mask_identifiers(expectation_result) -> None:  # noqa: ANN001 (a GX result object)
    """Replace sampled and observed values of direct identifier columns, in place."""
    columns = _column_names(expectation_result.expectation_config.kwargs)
    if not columns & DIRECT_IDENTIFIERS:
        return
    details = expectation_result.result or {}
    for key in SAMPLE_KEYS:
        if details.get(key):
            details[key] = [MASK] * len(details[key])
    if details.get("partial_unexpected_counts"):
        details["partial_unexpected_counts"] = [
            {"value": MASK, "count": entry.get("count")} for entry in details["partial_unexpected_counts"]
        ]
    observed = details.get("observed_value")
    if observed is not None and not isinstance(observed, int | float):
        details["observed_value"] = MASK


def _column_names(kwargs: dict) -> set[str]:
    names = {kwargs[key] for key in ("column", "column_A", "column_B") if kwargs.get(key)}
    return names | set(kwargs.get("column_list") or [])


def _outcome(result) -> ExpectationOutcome:  # noqa: ANN001 (a GX result object)
    config = result.expectation_config
    details = result.result or {}
    observed = _exception_message(result.exception_info) or details.get("observed_value")
    mostly = config.kwargs.get("mostly")
    return ExpectationOutcome(
        expectation=config.type,
        column=_columns(config.kwargs),
        severity=str(getattr(config.severity, "value", config.severity)),
        success=bool(result.success),
        observed=None if observed is None else str(observed),
        unexpected_count=details.get("unexpected_count"),
        unexpected_percent=details.get("unexpected_percent"),
        mostly=float(mostly) if mostly is not None and mostly < 1 else None,
        unexpected_sample=[str(value) for value in details.get("partial_unexpected_list", [])][
            :UNEXPECTED_SAMPLE_SIZE
        ],
    )


def _columns(kwargs: dict) -> str | None:
    """The column(s) an expectation is about, for single-, pair- and multi-column types."""
    if kwargs.get("column"):
        return kwargs["column"]
    names = kwargs.get("column_list") or [kwargs[k] for k in ("column_A", "column_B") if kwargs.get(k)]
    return ", ".join(names) or None


def _exception_message(info: dict | None) -> str | None:
    """GX reports a raised exception either at the top level or keyed by the failing metric."""
    if not info:
        return None
    candidates = [info, *(value for value in info.values() if isinstance(value, dict))]
    for candidate in candidates:
        if candidate.get("raised_exception"):
            return f"error: {candidate.get('exception_message')}"
    return None
