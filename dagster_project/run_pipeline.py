"""`emr-run` (what `make run` calls): materialize every asset once on the persistent Dagster
instance in $DAGSTER_HOME, so the run shows in the UI, then print a short summary: rows per
table, checks passed and failed, and where the warehouse, reports and UI are."""

import os
import sys

from dagster_project import settings
from dagster_project.defs.quality import data_docs_index

WAREHOUSE_SCHEMAS = ("staging", "intermediate", "marts")


def warehouse_row_counts() -> dict[str, int]:
    """Rows per model in the warehouse, keyed "<schema>.<model>"."""
    import duckdb

    counts = {}
    with duckdb.connect(str(settings.warehouse_path()), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ? order by table_schema, table_name",
            [list(WAREHOUSE_SCHEMAS)],
        ).fetchall()
        for schema, table in tables:
            (counts[f"{schema}.{table}"],) = connection.execute(
                f'select count(*) from "{schema}"."{table}"'
            ).fetchone()
    return counts


def raw_row_counts(result) -> dict[str, int]:
    """Rows per raw table, as the raw assets recorded them."""
    counts = {}
    for materialization in result.asset_materializations_for_node("emr_extract"):
        counts[f"raw.{materialization.asset_key.path[-1]}"] = materialization.metadata[
            "dagster/row_count"
        ].value
    return counts


def print_summary(result) -> None:
    evaluations = result.get_asset_check_evaluations()
    failed = [evaluation for evaluation in evaluations if not evaluation.passed]
    counts = raw_row_counts(result)
    if settings.warehouse_path().exists():
        counts |= warehouse_row_counts()

    print("\nRows per table")
    width = max((len(name) for name in counts), default=0)
    for name, rows in counts.items():
        print(f"  {name:<{width}}  {rows:>10,}")
    print(f"\nChecks: {len(evaluations) - len(failed)} passed, {len(failed)} failed")
    for evaluation in failed:
        print(
            f"  FAILED [{evaluation.severity.value}] {evaluation.asset_key.to_user_string()}"
            f" {evaluation.check_name}"
        )
    print(f"\nRun: {'succeeded' if result.success else 'FAILED'} (run id {result.run_id})")
    print(f"Warehouse (DuckDB): {settings.warehouse_path()}")
    print(f"Raw extract:        {settings.raw_dir()}")
    print(f"Scenario:           {settings.scenario_path()}")
    print(f"GX Data Docs:       {data_docs_index().as_uri()}")
    docs_port = os.environ.get("DOCS_PORT", "8080")
    ui_port = os.environ.get("UI_PORT", "3000")
    for label, name in (("Dashboard:", "dashboard.html"), ("Executive summary:", "executive_summary.html")):
        report = settings.reports_dir() / name
        opener = f"python3 -m webbrowser {report.as_uri()}"
        print(f"{label:<20}{opener if report.exists() else 'not built (a blocking check failed?)'}")
    print(f"dbt docs:           make docs    -> http://127.0.0.1:{docs_port}")
    print(f"Dagster UI:         make ui      -> http://127.0.0.1:{ui_port} (this run is in its history)")


def main() -> int:
    from dagster import DagsterInstance

    from dagster_project.definitions import defs

    job = defs.resolve_implicit_global_asset_job_def()
    print(f"Materializing every asset of {job.name} (scenario {settings.scenario_path()}) ...")
    result = job.execute_in_process(
        instance=DagsterInstance.get(),
        raise_on_error=False,
        # warnings and errors only on the console; the full log is in the Dagster UI
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
    )
    print_summary(result)
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
