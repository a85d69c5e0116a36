"""Great Expectations suites as Dagster asset checks.

Every suite file under expectations/<stage>/<table>.json becomes one check on the asset of
that table: raw suites on ["emr", <table>], staging and mart suites on the dbt model
[<stage>, <model>] (dagster-dbt keys models by schema and name; the schema is the stage).
Failed "critical" expectations make an ERROR-severity failure, which blocks the downstream
assets; failed "warning" expectations only warn. A table that cannot be read at all fails
the check step with an error naming the table, which blocks the downstream assets too.
Suite parameters come from the scenario (dagster_project/quality/parameters.py). Every
validation is kept with its Data Docs under data_docs_dir(), linked from the check metadata.
"""

import datetime as dt
from pathlib import Path

import dagster as dg

from dagster_project import settings
from dagster_project.defs.concurrency import WAREHOUSE_POOL
from dagster_project.defs.raw import raw_asset_key

STAGES = ("raw", "staging", "marts")


def suite_files() -> list[tuple[str, Path]]:
    """(stage, suite file) for every suite in the repository, in a stable order."""
    return [
        (stage, path)
        for stage in STAGES
        for path in sorted((settings.EXPECTATIONS_DIR / stage).glob("*.json"))
    ]


def data_docs_dir() -> Path:
    """GX suites, results and Data Docs of every check run: <data dir>/gx."""
    return settings.data_dir() / "gx"


def data_docs_index() -> Path:
    """The Data Docs home page: the newest validations first (quality.validation.DOCS_INDEX_RESULTS)."""
    return data_docs_dir() / "data_docs" / "index.html"


def _asset_key(stage: str, table: str) -> dg.AssetKey:
    return raw_asset_key(table) if stage == "raw" else dg.AssetKey([stage, table])


def read_table(stage: str, table: str, columns=None):
    """The validated table: a raw Parquet folder or a warehouse model (columns: only these)."""
    from dagster_project.quality.readers import read_raw_table, read_warehouse_table

    if stage == "raw":
        return read_raw_table(settings.raw_dir(), table, columns)
    return read_warehouse_table(settings.warehouse_path(), stage, table, columns)


def _extract_end_date(instance: dg.DagsterInstance) -> dt.date | None:
    """The end date the landed extract was generated to (a refresh may extend the scenario's)."""
    event = instance.get_latest_materialization_event(raw_asset_key("encounters"))
    end_date = event and event.asset_materialization.metadata.get("end_date")
    return dt.date.fromisoformat(end_date.value) if end_date else None


def _cell(value) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def _results_table(outcome) -> str:
    """Markdown: one row per expectation, failures first."""
    rows = [
        f"| {'pass' if o.success else 'FAIL'} | {o.severity} | {o.expectation} | {_cell(o.column)} "
        f"| {_cell(o.observed)} | {_cell(o.unexpected_count)} "
        f"| {'' if o.unexpected_percent is None else f'{o.unexpected_percent:.3f}%'} "
        f"| {_cell(', '.join(o.unexpected_sample))} |"
        for o in sorted(outcome.outcomes, key=lambda o: o.success)
    ]
    header = "| result | severity | expectation | column | observed | unexpected | unexpected % | sample |"
    return "\n".join([header, "|---|---|---|---|---|---|---|---|", *rows])


def _check_result(outcome) -> dg.AssetCheckResult:
    failed = outcome.failed
    severity = dg.AssetCheckSeverity.ERROR if outcome.critical_failures else dg.AssetCheckSeverity.WARN
    docs = {}
    if outcome.docs_page:
        docs = {
            "data_docs_page": dg.MetadataValue.url(Path(outcome.docs_page).as_uri()),
            "data_docs_index": dg.MetadataValue.path(str(data_docs_index())),
        }
    return dg.AssetCheckResult(
        passed=not failed,
        severity=severity,
        metadata={
            "suite": outcome.suite_name,
            "rows_validated": outcome.row_count,
            "expectations": len(outcome.outcomes),
            "failed_expectations": len(failed),
            "failed_critical": len(outcome.critical_failures),
            "results": dg.MetadataValue.md(_results_table(outcome)),
            **docs,
        },
    )


def build_suite_check(stage: str, suite_path: Path) -> dg.AssetChecksDefinition:
    table = suite_path.stem

    @dg.asset_check(
        asset=_asset_key(stage, table),
        name=f"gx_{stage}_{table}",
        description=f"Great Expectations suite expectations/{stage}/{suite_path.name}",
        blocking=True,
        pool=WAREHOUSE_POOL,
    )
    def _suite_check(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        from dagster_project.quality.validation import referenced_columns, validate_dataframe
        from dagster_project.quality.parameters import suite_parameters

        dataframe = read_table(stage, table, referenced_columns(suite_path))
        parameters = suite_parameters(
            settings.scenario_path(), stage, table, len(dataframe), _extract_end_date(context.instance)
        )
        return _check_result(
            validate_dataframe(suite_path, dataframe, parameters=parameters, docs_dir=data_docs_dir())
        )

    return _suite_check


def build_suite_checks() -> list[dg.AssetChecksDefinition]:
    return [build_suite_check(stage, path) for stage, path in suite_files()]
