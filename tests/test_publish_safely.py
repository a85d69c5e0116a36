"""Write, audit, publish under faults: readers only ever see a complete, validated set.

Every case starts from a copy of the session's good run (conftest `pipeline_run`), whose
published release is the set readers see. After each fault, what readers see must equal that
release row for row, or a new release in full, and the next run must succeed with no cleanup.

- SIGKILL of `emr-run` during generation, the staging build, the marts build and the mart checks
  (a real process, stopped when its Dagster event log shows the stage has started); a second
  writer started meanwhile fails at once and changes nothing; the killed process leaves no
  worker or dbt process behind; the next run marks the killed runs failed.
- Bad deliveries (a missing column, null keys, an unreadable file, a conflicting duplicate) are
  rejected by the raw audit and never accepted; a later partial materialization (everything but
  the raw assets) builds from the last accepted delivery, never from the rejected one.
- A duplicate key that only staging can see fails the build; nothing is published.
- A new history started on purpose rebuilds the incremental models from nothing.
(A refresh followed by a plain "Materialize all" is in tests/test_refresh.py.)
"""

import hashlib
import re
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from dagster_project.settings import DataLayout
from dagster_project.warehouse.release import published_release
from dagster_project.warehouse.snapshots import accepted_record, read_record
from tests.support import emr_run
from tests.support.paths import SMALL_SCENARIO
from tests.support.pipeline import assert_same_marts, marts, materialize, published_warehouse

pytestmark = pytest.mark.slow


def published_state(data_dir: Path) -> dict:
    """What readers see: the release record, every mart, and the bytes of every report."""
    layout = DataLayout(data_dir)
    reports = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(layout.published_reports_dir.iterdir())
    }
    return {
        "release": published_release(layout),
        "marts": marts(layout.published_warehouse),
        "reports": reports,
    }


def assert_published_unchanged(before: dict, data_dir: Path) -> None:
    after = published_state(data_dir)
    assert after["release"] == before["release"]
    assert after["reports"] == before["reports"]
    assert_same_marts(after["marts"], before["marts"])


@pytest.fixture(scope="module")
def good_run(pipeline_run) -> Path:
    assert pipeline_run["result"].success
    return pipeline_run["data_dir"]


def copy_of(good_data_dir: Path, tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    shutil.copytree(good_data_dir, data_dir, symlinks=True)
    return data_dir


# --- SIGKILL at every stage, and a second writer ---------------------------------------------


def larger_scenario(tmp_path: Path) -> Path:
    """The small scenario with three generator shards, so generation runs in worker processes
    for long enough to be stopped."""
    data = yaml.safe_load(SMALL_SCENARIO.read_text())
    data["patients"] = 60_000
    path = tmp_path / "larger.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def generating(data_dir: Path, process) -> bool:  # noqa: ANN001
    snapshots = DataLayout(data_dir).snapshots_dir
    unfinished = snapshots.is_dir() and any(path.name.startswith(".") for path in snapshots.iterdir())
    return unfinished and len(emr_run.descendants(process.pid)) >= 2


def running_dbt(step: str):  # noqa: ANN201
    def moment(data_dir: Path, process) -> bool:  # noqa: ANN001
        if step not in emr_run.started_steps(data_dir):
            return False
        commands = []
        for pid in emr_run.descendants(process.pid):
            try:
                commands.append(Path(f"/proc/{pid}/cmdline").read_bytes())
            except OSError:
                continue
        return any(b"build" in command and b"dbt" in command for command in commands)

    return moment


def checking_marts(data_dir: Path, process) -> bool:  # noqa: ANN001, ARG001
    return any("gx_marts_" in step for step in emr_run.started_steps(data_dir))


def assert_quiet_progress(printed: str) -> None:
    """emr-run prints one plain line per stage; dbt's and Dagster's own output go to the log;
    then the published headline KPIs and the count of checks passed, warned and failed."""
    from dagster_project.run_pipeline import STAGES

    assert "\x1b[" not in printed, "no colour codes"
    assert "Running with dbt" not in printed and "STEP_SUCCESS" not in printed
    for label, _ in STAGES:
        assert f"  done   {label} (" in printed, label
    warehouse = printed.split("Warehouse (DuckDB):", 1)[1].split()[0]
    with duckdb.connect(warehouse, read_only=True) as connection:
        rate, readmissions, index_stays = connection.execute(
            "select readmission_rate_30d, readmissions_30d, index_stays_30d "
            "from marts.kpi_readmissions_overall"
        ).fetchone()
    assert "Headline KPIs (data through " in printed
    assert (
        f"  30-day readmission rate: {rate * 100:.1f}% "
        f"({readmissions:,} of {index_stays:,} index stays, 95% CI " in printed
    )
    assert re.search(r"^Checks: \d+ passed, \d+ warned, \d+ failed$", printed, re.M)
    log = Path(printed.split("Run log (dbt too):", 1)[1].split()[0])
    assert "Running with dbt" in log.read_text()


def test_sigkill_at_every_stage_changes_nothing_readers_see_and_the_next_run_succeeds(good_run, tmp_path):
    data_dir = copy_of(good_run, tmp_path)
    before = published_state(data_dir)
    stages = [
        ("generation", larger_scenario(tmp_path), generating),
        ("staging build", SMALL_SCENARIO, running_dbt("emr_staging_models")),
        ("marts build", SMALL_SCENARIO, running_dbt("emr_mart_models")),
        ("mart checks", SMALL_SCENARIO, checking_marts),
    ]
    killed = []
    for stage, scenario, moment in stages:
        process = emr_run.start(data_dir, scenario, tmp_path / f"{stage}.log")
        emr_run.wait_until(lambda moment=moment, process=process: moment(data_dir, process), process)
        if stage == "marts build":
            second = emr_run.run(data_dir, SMALL_SCENARIO)
            assert second.returncode == 2, stage
            assert "is being written by run" in second.stderr and "nothing was changed" in second.stderr
        with emr_run.instance(data_dir) as instance:
            killed.append(instance.get_runs(limit=1)[0].run_id)
        children = emr_run.kill(process)
        assert children, f"{stage}: emr-run had started no worker or dbt process"
        assert emr_run.wait_until_gone(children) == set(), f"{stage}: processes outlived the killed run"
        assert_published_unchanged(before, data_dir)

    completed = emr_run.run(data_dir, SMALL_SCENARIO)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert_quiet_progress(completed.stdout)
    with emr_run.instance(data_dir) as instance:
        statuses = {run_id: instance.get_run_by_id(run_id).status for run_id in killed}
    assert set(statuses.values()) == {dg.DagsterRunStatus.FAILURE}, statuses
    after = published_state(data_dir)
    assert after["release"]["release_id"] != before["release"]["release_id"]
    assert_same_marts(after["marts"], before["marts"])  # the same scenario and history: the same data
    assert not DataLayout(data_dir).build_dir.exists()


# --- bad deliveries -------------------------------------------------------------------------


def _rewrite(feed_dir: Path, table: str, change) -> None:  # noqa: ANN001
    """Replace a delivered table's Parquet parts with one file holding change(table)."""
    table_dir = feed_dir / table
    arrow_table = change(pq.read_table(table_dir))
    shutil.rmtree(table_dir)
    table_dir.mkdir()
    pq.write_table(arrow_table, table_dir / "part-00000.parquet")


def three_broken_tables(feed_dir: Path) -> None:
    """A column missing (patients), null keys (encounters), an unreadable file (observations)."""
    _rewrite(feed_dir, "patients", lambda t: t.drop_columns(["birth_date"]))
    _rewrite(
        feed_dir,
        "encounters",
        lambda t: t.set_column(
            t.schema.get_field_index("encounter_id"), "encounter_id", pa.nulls(t.num_rows, pa.string())
        ),
    )
    for part in (feed_dir / "observations").glob("*.parquet"):
        part.write_bytes(b"PAR1 this is not a parquet file")


def conflicting_encounter_versions(feed_dir: Path) -> None:
    """One encounter delivered twice at the same time with two departments."""

    def duplicate(table: pa.Table) -> pa.Table:
        copy = table.slice(0, 1)
        departments = sorted(
            set(table.column("department_id").to_pylist()) - set(copy.column("department_id").to_pylist())
        )
        copy = copy.set_column(
            copy.schema.get_field_index("department_id"), "department_id", pa.array(departments[:1])
        )
        return pa.concat_tables([table, copy])

    _rewrite(feed_dir, "encounters", duplicate)


def duplicate_a_diagnosis(feed_dir: Path) -> None:
    """The same diagnosis row delivered twice: dirt the raw suite tolerates, a duplicate key in staging."""
    _rewrite(feed_dir, "diagnoses", lambda t: pa.concat_tables([t, t.slice(0, 1)]))


def spoil_deliveries(spoil, monkeypatch) -> None:  # noqa: ANN001
    """From now on the generator's deliveries are spoiled by `spoil` as they land."""
    from dagster_project.synthetic import extract

    generate_extract = extract.generate_extract

    def generate_then_spoil(scenario, out_dir):  # noqa: ANN001, ANN202
        rows = generate_extract(scenario, out_dir)
        spoil(Path(out_dir) / "feed")
        return rows

    monkeypatch.setattr(extract, "generate_extract", generate_then_spoil)


def deliver_spoiled(data_dir: Path, spoil, monkeypatch) -> dg.ExecuteInProcessResult:  # noqa: ANN001
    """Every asset once, the generator's delivery spoiled by `spoil` as it lands."""
    spoil_deliveries(spoil, monkeypatch)
    result = materialize(data_dir)
    monkeypatch.undo()
    return result


def failed_check_rows(result, check_name: str) -> list[str]:  # noqa: ANN001
    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.check_name == check_name]
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR, check_name
    return [line for line in evaluation.metadata["results"].value.splitlines() if line.startswith("| FAIL")]


def newest_delivery(data_dir: Path) -> dict:
    snapshots = sorted(
        path for path in DataLayout(data_dir).snapshots_dir.iterdir() if not path.name.startswith(".")
    )
    return read_record(snapshots[-1])


def test_broken_tables_are_rejected_by_name_and_never_accepted(good_run, tmp_path, monkeypatch):
    data_dir = copy_of(good_run, tmp_path)
    before, accepted = published_state(data_dir), accepted_record(DataLayout(data_dir))
    result = deliver_spoiled(data_dir, three_broken_tables, monkeypatch)
    assert not result.success
    patients = failed_check_rows(result, "gx_raw_patients")
    assert any("expect_column_to_exist" in row and "| birth_date |" in row for row in patients)
    encounters = failed_check_rows(result, "gx_raw_encounters")
    assert any(
        "expect_column_values_to_not_be_null" in row and "| encounter_id |" in row for row in encounters
    )
    observations = failed_check_rows(result, "gx_raw_observations")
    assert any("table_is_readable" in row and "observations" in row for row in observations)
    delivery = newest_delivery(data_dir)
    assert delivery["status"] == "rejected"
    assert delivery["failed_suites"] == ["encounters", "observations", "patients"]
    assert accepted_record(DataLayout(data_dir)) == accepted
    assert not any(
        event.asset_key.path[0] in ("staging", "marts") for event in result.get_asset_materialization_events()
    )
    assert_published_unchanged(before, data_dir)


def test_a_rejected_delivery_is_never_built_from_whatever_is_materialized(good_run, tmp_path, monkeypatch):
    from dagster_project.definitions import defs

    data_dir = copy_of(good_run, tmp_path)
    before, accepted = published_state(data_dir), accepted_record(DataLayout(data_dir))
    result = deliver_spoiled(data_dir, conflicting_encounter_versions, monkeypatch)
    assert not result.success
    rows = failed_check_rows(result, "gx_raw_encounters")
    assert any("expect_compound_columns_to_be_unique" in row for row in rows)
    assert_published_unchanged(before, data_dir)

    # as a UI user might: materialize everything except the raw assets
    everything_but_raw = [
        spec.key for spec in defs.resolve_all_asset_specs() if spec.group_name not in ("raw", "answer_key")
    ]
    partial = materialize(data_dir, selection=everything_but_raw)
    assert partial.success
    release = published_release(DataLayout(data_dir))
    assert release["release_id"] != before["release"]["release_id"]
    assert release["snapshot_id"] == accepted["snapshot_id"] != newest_delivery(data_dir)["snapshot_id"]
    assert_same_marts(marts(published_warehouse(data_dir)), before["marts"])


def test_a_duplicate_key_only_staging_sees_fails_the_build_and_publishes_nothing(
    good_run, tmp_path, monkeypatch
):
    data_dir = copy_of(good_run, tmp_path)
    before = published_state(data_dir)
    result = deliver_spoiled(data_dir, duplicate_a_diagnosis, monkeypatch)
    assert not result.success
    raw = [e for e in result.get_asset_check_evaluations() if e.check_name == "gx_raw_diagnoses"]
    assert [e.severity for e in raw if not e.passed] in ([], [dg.AssetCheckSeverity.WARN])
    errors = [str(event.step_failure_data.error) for event in result.all_events if event.is_step_failure]
    assert any("stg_emr__diagnoses" in text and "diagnosis_id" in text for text in errors)
    assert_published_unchanged(before, data_dir)


def test_a_failed_run_says_so_and_names_the_release_readers_still_see(
    good_run, tmp_path, monkeypatch, capsys
):
    from dagster_project import run_pipeline

    data_dir = copy_of(good_run, tmp_path)
    before = published_release(DataLayout(data_dir))
    environment = emr_run.environment(data_dir, SMALL_SCENARIO)
    for name in ("EMR_DATA_DIR", "EMR_SCENARIO", "DAGSTER_HOME"):
        monkeypatch.setenv(name, environment[name])
    spoil_deliveries(three_broken_tables, monkeypatch)
    assert run_pipeline.main() == 1
    printed = capsys.readouterr().out
    assert "Run: FAILED" in printed
    assert f"readers still see release {before['release_id']}" in printed
    assert "FAILED emr/patients gx_raw_patients" in printed
    # the rejected delivery's stage failed; the stages after it never ran and say so
    assert "  FAILED delivery generated and audited (" in printed
    assert "  not run dbt: seeds and staging built and tested\n" in printed


# --- a new history on purpose -------------------------------------------------------------


def test_a_new_history_on_purpose_rebuilds_every_incremental_model(good_run, tmp_path):
    data_dir = copy_of(good_run, tmp_path)
    before = published_state(data_dir)
    config = {"ops": {"emr_extract": {"config": {"new_history": True}}}}
    assert materialize(data_dir, run_config=config).success
    after = published_state(data_dir)
    assert after["release"]["history_id"] != before["release"]["history_id"]
    assert after["release"]["base_release"] is None
    assert_same_marts(after["marts"], before["marts"])
