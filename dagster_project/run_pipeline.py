"""`emr-run` (what `make run` calls): materialize every asset once on the persistent Dagster
instance in $DAGSTER_HOME, so the run shows in the UI, and keep the terminal quiet while it
works: one line per stage as it finishes (dbt's and Dagster's own output go to a log file under
the data directory), then what readers now see: the headline KPIs of the published release (each
with numerator, denominator, interval and benchmark), the checks of this run (passed, warned,
failed, each warning and failure named), the release (its delivery, end date and rows), and
where the warehouse, reports and UI are. A run that
fails says so, names what failed, and which release readers still see. Plain text, no colour.
"""

import contextlib
import os
import shlex
import sys
import threading
import time
import uuid
from pathlib import Path

from dagster_project import settings
from dagster_project.prediction.followup import FOLLOWUP_MART
from dagster_project.warehouse.lock import current_holder, describe
from dagster_project.warehouse.release import published_release

# Stages in run order: a label, and its step (a step key), its steps (a key prefix ending in
# "__") or its checks (a part of their keys; a check belongs to the first stage it matches, so
# the follow-up list's checks are not counted with the staging and mart checks they follow)
STAGES = (
    ("follow-up list checks", "_gx_staging_stg_readmission_model__followup_scores"),
    ("follow-up list checks", f"_gx_marts_{FOLLOWUP_MART}"),
    ("delivery generated and audited", "emr_extract"),
    ("reference code sets", "reference__"),
    ("dbt: seeds and staging built and tested", "emr_staging_models"),
    ("staging checks", "_gx_staging_"),
    ("dbt: intermediate and marts built and tested", "emr_mart_models"),
    ("intermediate checks", "_gx_intermediate_"),
    ("mart checks", "_gx_marts_"),
    ("readmission risk model", "readmission_risk_model"),
    ("dbt: follow-up list built and tested", "emr_prediction_models"),
    ("executive summary", "executive_summary"),
    ("dashboard", "dashboard"),
    ("published", "published__release"),
)


def stage_of(step_key: str) -> str | None:
    for label, key in STAGES:
        if step_key == key or (key.endswith("__") and step_key.startswith(key)):
            return label
        if key.startswith("_gx_") and key in step_key:
            return label
    return None


class Progress(threading.Thread):
    """Prints a line per finished stage while the run executes, read from its event log."""

    def __init__(self, instance, run_id: str, steps_per_stage: dict[str, int], out) -> None:  # noqa: ANN001
        super().__init__(daemon=True)
        self.instance, self.run_id, self.out = instance, run_id, out
        self.expected = steps_per_stage
        self.finished: dict[str, list[float]] = {}
        self.failed: set[str] = set()
        self.skipped: set[str] = set()
        self.started: dict[str, float] = {}
        self.done = threading.Event()
        self.cursor = None

    def run(self) -> None:
        while not self.done.is_set():
            self.poll()
            self.done.wait(0.5)
        self.poll()
        self.say_not_run()

    def say_not_run(self) -> None:
        """After the run: the stages whose steps did not all run. Dagster executes no step after
        a failed one and records no step event for it (only a log line), so only the missing
        events tell."""
        for stage in dict.fromkeys(label for label, _ in STAGES):
            ran, steps = len(self.finished.get(stage, [])), self.expected.get(stage, 0)
            if ran < steps:
                part = f" ({ran} of {steps} steps ran)" if ran else ""
                print(f"  not run {stage}{part}", file=self.out, flush=True)

    def poll(self) -> None:
        import dagster as dg

        kinds = {
            dg.DagsterEventType.STEP_START,
            dg.DagsterEventType.STEP_SUCCESS,
            dg.DagsterEventType.STEP_FAILURE,
            dg.DagsterEventType.STEP_SKIPPED,
        }
        records = self.instance.get_records_for_run(self.run_id, cursor=self.cursor, of_type=kinds)
        self.cursor = records.cursor
        for record in records.records:
            entry = record.event_log_entry
            stage = stage_of(entry.step_key or "")
            if stage is None:
                continue
            kind = entry.dagster_event.event_type
            if kind == dg.DagsterEventType.STEP_START:
                self.started.setdefault(stage, entry.timestamp)
                continue
            if kind == dg.DagsterEventType.STEP_FAILURE:
                self.failed.add(stage)
            elif kind == dg.DagsterEventType.STEP_SKIPPED:
                self.skipped.add(stage)
            self.finished.setdefault(stage, []).append(entry.timestamp)
            if len(self.finished[stage]) == self.expected.get(stage, 1):
                seconds = max(self.finished[stage]) - self.started.get(stage, max(self.finished[stage]))
                # a step skipped for want of an optional input did not fail
                status = "FAILED" if stage in self.failed else "skipped" if stage in self.skipped else "done"
                print(f"  {status:<6} {stage} ({seconds:.1f} s)", file=self.out, flush=True)


def steps_per_stage() -> dict[str, int]:
    """How many steps each stage has: one, one per reference table, or one per suite for a
    stage of checks (each suite's check counted in the stage its step key falls in)."""
    from dagster_project.quality.suites import MODEL_STAGES, suite_files
    from dagster_project.reference.landing import REFERENCE_WRITERS

    counts = {label: 1 for label, key in STAGES if not key.startswith("_gx_")}
    counts["reference code sets"] = len(REFERENCE_WRITERS)
    for stage in MODEL_STAGES:
        for path in suite_files(stage):
            # a check's step key: its asset's key, then the check's name (defs/quality.py)
            label = stage_of(f"{stage}__{path.stem}_gx_{stage}_{path.stem}")
            counts[label] = counts.get(label, 0) + 1
    return counts


def print_rows(release: dict) -> None:
    """Rows published per schema, on one line (each table's count: the release's release.json)."""
    schemas: dict[str, list[int]] = {}
    for name, rows in release["rows"].items():
        schemas.setdefault(name.split(".", 1)[0], []).append(rows)
    print(
        "\nRows published: "
        + "; ".join(
            f"{schema} {sum(rows):,} in {len(rows)} table{'' if len(rows) == 1 else 's'}"
            for schema, rows in schemas.items()
        )
    )


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
            f" {evaluation.check_name}{check_detail(evaluation.metadata)}"
        )


def check_detail(metadata: dict) -> str:
    """What a Great Expectations check found and where its page is (make docs serves it)."""
    if "failed_expectations" not in metadata:
        return ""
    detail = (
        f": {metadata['failed_expectations'].value} of {metadata['expectations'].value} expectations failed"
    )
    if "data_docs_page" in metadata:
        detail += f", {metadata['data_docs_page'].value}"
    return detail


def print_failures(result) -> None:  # noqa: ANN001 (a Dagster ExecuteInProcessResult)
    """The first line of each failed step's error: what to look at in the log or the UI."""
    for event in result.all_events:
        if event.is_step_failure:
            message = (event.step_failure_data.error.message or "").strip().splitlines()
            print(f"  {event.step_key}: {message[0] if message else 'failed'}")


def print_headline(layout: settings.DataLayout) -> None:
    """The published release's headline KPIs, read from its warehouse."""
    import duckdb

    from dagster_project.reports import headline
    from dagster_project.reports.mart_rows import read_marts

    with duckdb.connect(str(layout.published_warehouse), read_only=True) as connection:
        marts = read_marts(connection, headline.TABLES)
    print(f"\nHeadline KPIs (data through {headline.data_through(marts)})")
    for kpi in headline.headline_kpis(marts):
        print(f"  {kpi.line()}")


def followup_query(layout: settings.DataLayout) -> str:
    """A command that shows the top of the follow-up list with what the project installs (its
    Python's duckdb; the DuckDB command-line tool is not a dependency)."""
    query = (
        "select risk_rank, discharge_date, department_name, predicted_risk_30d, risk_band, top_factors "
        f"from marts.{FOLLOWUP_MART} order by risk_rank limit 20"
    )
    warehouse = f'duckdb.connect("{layout.published_warehouse}", read_only=True)'
    code = f'import duckdb; {warehouse}.sql("{query}").show()'
    return shlex.join([sys.executable, "-c", code])


def print_where(layout: settings.DataLayout, release: dict | None, log: Path | None = None) -> None:
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
        print(f"Follow-up list:     marts.{FOLLOWUP_MART} in the warehouse: {followup_query(layout)}")
        print(f"dbt docs:           make docs    -> http://127.0.0.1:{docs_port}")
    else:
        print("\nNothing has been published in this data directory yet.")
    data_docs_port = os.environ.get("DATA_DOCS_PORT", "8081")
    print(f"GX Data Docs:       make docs    -> http://127.0.0.1:{data_docs_port} ({layout.data_docs_index})")
    if log:
        print(f"Run log (dbt too):  {log}")
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
    os.environ.setdefault("DBT_USE_COLORS", "false")  # dbt writes plain text into the run log
    job = defs.resolve_implicit_global_asset_job_def()
    instance = DagsterInstance.get()
    run_id = str(uuid.uuid4())
    log = layout.dbt_runs_dir / run_id / "emr-run.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"Materializing every asset (scenario {settings.scenario_path()}) into {layout.root}")
    before = published_release(layout)
    progress = Progress(instance, run_id, steps_per_stage(), sys.stdout)
    started = time.perf_counter()
    progress.start()
    with (
        open(log, "w", encoding="utf-8") as handle,
        contextlib.redirect_stdout(handle),
        contextlib.redirect_stderr(handle),
    ):
        result = job.execute_in_process(instance=instance, run_id=run_id, raise_on_error=False)
    progress.done.set()
    progress.join()
    release = published_release(layout)
    if result.success:
        print_headline(layout)
    print_checks(result)
    if result.success:
        print_rows(release)
        seconds = time.perf_counter() - started
        print(f"\nRun: succeeded in {seconds:.0f} s (run id {run_id}); published {release['release_id']}.")
    else:
        kept = f"readers still see release {before['release_id']}" if before else "nothing is published yet"
        print(f"\nRun: FAILED (run id {run_id}); nothing new was published: {kept}.")
        print_failures(result)
    print_where(layout, release, log)
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
