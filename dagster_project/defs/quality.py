"""Great Expectations suites as Dagster asset checks.

Every suite file under expectations/<stage>/ becomes a check. Raw suites are checks of the raw
assets, run by the extract itself before it accepts a delivery (defs/raw.py). Staging,
intermediate and mart suites are checks of the dbt model of the same name (dagster-dbt keys a
model [schema, name]; the schema is the stage) and validate this run's candidate warehouse, or
the published one when the run built nothing. Failed "critical" expectations make an
ERROR-severity failure, which blocks the downstream assets and the publication; failed
"warning" expectations only warn. Each check records its outcome in the candidate, where the
publish step reads it.
"""

import html

import dagster as dg

from dagster_project.defs.concurrency import WAREHOUSE_POOL
from dagster_project.defs.resources import Warehouse
from dagster_project.quality.suites import MODEL_STAGES, suite_files
from dagster_project.quality.validation import SuiteOutcome
from dagster_project.warehouse.candidate import candidate_of_run


def _cell(value: object) -> str:
    """A Markdown table cell that shows data as text: no HTML, no broken table."""
    return "" if value is None else html.escape(str(value)).replace("|", "\\|").replace("\n", " ")


def _unexpected(outcome) -> str:  # noqa: ANN001 (an ExpectationOutcome)
    if outcome.unexpected_percent is None:
        return ""
    allowed = f", allowed {(1 - outcome.mostly) * 100:.3g}%" if outcome.mostly is not None else ""
    return f"{outcome.unexpected_percent:.3f}%{allowed}"


def results_table(suite: SuiteOutcome) -> str:
    """Markdown: one row per expectation, failures first."""
    rows = [
        f"| {'pass' if o.success else 'FAIL'} | {o.severity} | {o.expectation} | {_cell(o.column)} "
        f"| {_cell(o.observed)} | {_cell(o.unexpected_count)} | {_unexpected(o)} "
        f"| {_cell(', '.join(o.unexpected_sample))} |"
        for o in sorted(suite.outcomes, key=lambda o: o.success)
    ]
    header = "| result | severity | expectation | column | observed | unexpected | unexpected % | sample |"
    return "\n".join([header, "|---|---|---|---|---|---|---|---|", *rows])


def check_result(suite: SuiteOutcome, **key: object) -> dg.AssetCheckResult:
    """The check result of one suite run; `key` names asset and check when an asset yields it."""
    failed = suite.failed
    docs = (
        {
            "data_docs_page": dg.MetadataValue.url(suite.docs_url),
            "data_docs_file": dg.MetadataValue.path(suite.docs_page),
        }
        if suite.docs_page
        else {}
    )
    return dg.AssetCheckResult(
        passed=not failed,
        severity=dg.AssetCheckSeverity.ERROR if suite.critical_failures else dg.AssetCheckSeverity.WARN,
        metadata={
            "suite": suite.suite_name,
            "rows_validated": suite.row_count,
            "expectations": len(suite.outcomes),
            "failed_expectations": len(failed),
            "failed_critical": len(suite.critical_failures),
            "results": dg.MetadataValue.md(results_table(suite)),
            **docs,
        },
        **key,
    )


def check_record(suite: SuiteOutcome) -> dict:
    """What the candidate keeps of a suite run: enough for the publish step to decide."""
    return {
        "passed": not suite.failed,
        "failed_critical": len(suite.critical_failures),
        "rows": suite.row_count,
    }


def build_model_check(stage: str, suite_path) -> dg.AssetChecksDefinition:  # noqa: ANN001 (a Path)
    table = suite_path.stem
    name = f"gx_{stage}_{table}"

    @dg.asset_check(
        asset=dg.AssetKey([stage, table]),
        name=name,
        description=f"Great Expectations suite expectations/{stage}/{suite_path.name}",
        blocking=True,
        pool=WAREHOUSE_POOL,
    )
    def _suite_check(context: dg.AssetCheckExecutionContext, warehouse: Warehouse) -> dg.AssetCheckResult:
        from dagster_project.quality.suites import validate_model

        run_id = context.run.run_id
        with warehouse.read_only(warehouse.reading_path(run_id)) as connection:
            suite = validate_model(suite_path, stage, connection, warehouse.layout().gx_dir)
        candidate = candidate_of_run(warehouse.layout(), run_id)
        if candidate:
            candidate.update("checks", {name: check_record(suite)})
        return check_result(suite)

    return _suite_check


def build_model_checks() -> list[dg.AssetChecksDefinition]:
    return [build_model_check(stage, path) for stage in MODEL_STAGES for path in suite_files(stage)]
