"""Validate a DataFrame against a Great Expectations suite file and summarise the outcome.

Suites are JSON files under expectations/ (GX 1.x suite format, one per validated table).
They run as pandas batches in an ephemeral GX context: GX 1.24's SQL datasource fails on
DuckDB (GX issue 10738). Suite parameters (`{"$PARAMETER": name}`) are filled per run, so
one suite file serves every scenario; results and Data Docs can be kept in a folder.
great_expectations is imported inside `validate_dataframe` only, because importing it takes
seconds and the Dagster definitions must load without it.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

UNEXPECTED_SAMPLE_SIZE = 5
DOCS_SITE = "local_site"
DOCS_INDEX_RESULTS = 100


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
    unexpected_sample: list


@dataclass(frozen=True)
class SuiteOutcome:
    suite_name: str
    row_count: int
    outcomes: list[ExpectationOutcome]
    docs_page: str | None = None  # this validation's Data Docs page, when docs were built

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
    suite and the result are also stored there and its Data Docs site is updated.
    """
    import great_expectations as gx
    from great_expectations.execution_engine import pandas_execution_engine

    # GX fingerprints every DataFrame under 1 GB (pandas_execution_engine.HASH_THRESHOLD) by
    # hashing all of it, only to label the batch in the result: 13 of 24 s on 12 million
    # observations. No setting turns it off; a threshold of 0 skips it.
    pandas_execution_engine.HASH_THRESHOLD = 0
    suite_dict = load_suite(suite_path)
    context = gx.get_context(project_config=_context_config(docs_dir), mode="ephemeral")
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
        expectation_parameters=parameters or {},
        result_format="SUMMARY",
    )
    outcomes = [_outcome(expectation_result) for expectation_result in result.results]
    docs_page = _build_docs(docs_dir, result) if docs_dir else None
    return SuiteOutcome(
        suite_name=suite.name, row_count=len(dataframe), outcomes=outcomes, docs_page=docs_page
    )


def _context_config(docs_dir: Path | None):
    """An ephemeral context, its suites, results and Data Docs on disk when docs_dir is given.

    Ephemeral (no great_expectations.yml): checks may run in parallel processes, and only
    whole files of distinct names are written, never a shared config file.
    """
    from great_expectations.data_context.types.base import DataContextConfig, ProgressBarsConfig

    def backend(folder: str) -> dict:
        if docs_dir is None:
            return {"class_name": "InMemoryStoreBackend"}
        return {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir / folder)}

    in_memory = {"class_name": "InMemoryStoreBackend"}
    return DataContextConfig(
        stores={
            "expectations_store": {
                "class_name": "ExpectationsStore",
                "store_backend": backend("expectations"),
            },
            "validation_results_store": {
                "class_name": "ValidationResultsStore",
                "store_backend": backend("validations"),
            },
            "validation_definition_store": {
                "class_name": "ValidationDefinitionStore",
                "store_backend": in_memory,
            },
            "checkpoint_store": {"class_name": "CheckpointStore", "store_backend": in_memory},
        },
        expectations_store_name="expectations_store",
        validation_results_store_name="validation_results_store",
        checkpoint_store_name="checkpoint_store",
        data_docs_sites={
            DOCS_SITE: {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": backend("data_docs"),
                # every check rebuilds the index: bounded to the newest results (about two
                # runs of every suite), it costs the same on the hundredth run as on the first
                "site_index_builder": {
                    "class_name": "DefaultSiteIndexBuilder",
                    "validation_results_limit": DOCS_INDEX_RESULTS,
                },
            }
        },
        progress_bars=ProgressBarsConfig(globally=False),
    )


@cache
def _site_builder(docs_dir: Path):
    """The Data Docs builder of a docs folder, made once per process. Its views keep GX's
    compiled Jinja templates; `context.build_data_docs` makes a new builder, and compiles them
    again, for every page (most of a check's fixed cost). It reads the suites and results
    that every check's context stores in the same folder."""
    import great_expectations as gx
    from great_expectations.data_context.util import instantiate_class_from_config

    context = gx.get_context(project_config=_context_config(docs_dir), mode="ephemeral")
    return instantiate_class_from_config(
        config=context.variables.data_docs_sites[DOCS_SITE],
        runtime_environment={
            "data_context": context,
            "root_directory": context.root_directory,
            "site_name": DOCS_SITE,
        },
        config_defaults={
            "class_name": "SiteBuilder",
            "module_name": "great_expectations.render.renderer.site_builder",
        },
    )


def _build_docs(docs_dir: Path, result) -> str:
    """Render this result's page and the site index; return the page's file path."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    batch = result.meta["active_batch_definition"]
    identifier = ValidationResultIdentifier(
        expectation_suite_identifier=ExpectationSuiteIdentifier(name=result.suite_name),
        run_id=result.meta["run_id"],
        batch_identifier=f"{batch['datasource_name']}-{batch['data_asset_name']}",
    )
    builder = _site_builder(docs_dir)
    builder.build(resource_identifiers=[identifier])
    return builder.get_resource_url(resource_identifier=identifier).removeprefix("file://")


def _outcome(result) -> ExpectationOutcome:
    config = result.expectation_config
    details = result.result or {}
    observed = _exception_message(result.exception_info) or details.get("observed_value")
    return ExpectationOutcome(
        expectation=config.type,
        column=_columns(config.kwargs),
        severity=str(getattr(config.severity, "value", config.severity)),
        success=bool(result.success),
        observed=None if observed is None else str(observed),
        unexpected_count=details.get("unexpected_count"),
        unexpected_percent=details.get("unexpected_percent"),
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
