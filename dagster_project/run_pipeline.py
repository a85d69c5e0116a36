"""`emr-run` (what `make run` calls): materialize every asset once on the persistent Dagster
instance in $DAGSTER_HOME, so the run shows in the UI, then say what readers now see: the
published release (its delivery, end date and rows), the checks of this run, and where the
warehouse, reports and UI are. A run that fails says so, and names the release readers still see.
"""

import os
import sys

from dagster_project import settings
from dagster_project.warehouse.lock import current_holder, describe
from dagster_project.warehouse.release import published_release


def print_rows(release: dict) -> None:
    print("\nRows per published table")
    width = max((len(name) for name in release["rows"]), default=0)
    for name, rows in release["rows"].items():
        print(f"  {name:<{width}}  {rows:>12,}")


def print_checks(result) -> None:  # noqa: ANN001 (a Dagster ExecuteInProcessResult)
    evaluations = result.get_asset_check_evaluations()
    failed = [evaluation for evaluation in evaluations if not evaluation.passed]
    errors = [evaluation for evaluation in failed if evaluation.severity.value == "ERROR"]
    print(
        f"\nChecks: {len(evaluations) - len(failed)} passed, "
        f"{len(failed) - len(errors)} warned, {len(errors)} failed"
    )
    for evaluation in failed:
        print(
            f"  {'FAILED' if evaluation in errors else 'WARNED'} {evaluation.asset_key.to_user_string()}"
            f" {evaluation.check_name}"
        )


def print_where(layout: settings.DataLayout, release: dict | None) -> None:
    docs_port = os.environ.get("DOCS_PORT", "8080")
    ui_port = os.environ.get("UI_PORT", "3000")
    if release:
        print(
            f"\nPublished release {release['release_id']} (at {release['published_at']}): delivery "
            f"{release['snapshot_id']} of {release['scenario']}, data through {release['end_date']}"
        )
        print(f"Warehouse (DuckDB): {layout.published_warehouse}")
        for label, name in (
            ("Dashboard:", "dashboard.html"),
            ("Executive summary:", "executive_summary.html"),
        ):
            print(f"{label:<20}python3 -m webbrowser {(layout.published_reports_dir / name).as_uri()}")
        print(f"dbt docs:           make docs    -> http://127.0.0.1:{docs_port}")
    else:
        print("\nNothing has been published in this data directory yet.")
    print(f"GX Data Docs:       {layout.data_docs_index.as_uri()}")
    print(f"Dagster UI:         make ui      -> http://127.0.0.1:{ui_port} (this run is in its history)")


def main() -> int:
    from dagster import DagsterInstance

    from dagster_project.definitions import defs

    layout = settings.layout()
    holder = current_holder(layout)
    if holder is not None:
        print(
            f"emr-run: the data directory {layout.root} is being written by {describe(holder)}.",
            file=sys.stderr,
        )
        print("emr-run: nothing was changed; run again when it has finished.", file=sys.stderr)
        return 2
    job = defs.resolve_implicit_global_asset_job_def()
    print(f"Materializing every asset (scenario {settings.scenario_path()}) into {layout.root} ...")
    before = published_release(layout)
    result = job.execute_in_process(
        instance=DagsterInstance.get(),
        raise_on_error=False,
        # warnings and errors only on the console; the full log is in the Dagster UI
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
    )
    release = published_release(layout)
    print_checks(result)
    if result.success:
        print_rows(release)
        print(f"\nRun: succeeded (run id {result.run_id}); published {release['release_id']}.")
    else:
        kept = f"readers still see release {before['release_id']}" if before else "nothing is published yet"
        print(f"\nRun: FAILED (run id {result.run_id}); nothing new was published: {kept}.")
    print_where(layout, release)
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
