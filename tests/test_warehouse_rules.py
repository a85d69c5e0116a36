"""The rules of write, audit, publish, each on its own: the writer lock, what a delivery covers,
when a candidate may be published, and what is kept."""

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from dagster_project.settings import DataLayout
from dagster_project.warehouse import dbt_targets, retention
from dagster_project.warehouse.audit import problems
from dagster_project.warehouse.delivery_plan import plan_delivery
from dagster_project.warehouse.files import point_link
from dagster_project.warehouse.lock import DataDirBusy, current_holder, writer_lock
from tests.support.paths import SMALL_SCENARIO

HOLDER = {"run_id": "aaaabbbbcccc", "pid": 1, "since": "2026-01-01T00:00:00+00:00"}


def test_a_second_writer_fails_at_once_naming_the_first(tmp_path):
    layout = DataLayout(tmp_path)
    with writer_lock(layout, HOLDER) as died:
        assert died == {}
        assert current_holder(layout) == HOLDER
        with (
            pytest.raises(DataDirBusy, match="being written by run aaaabbbb .pid 1"),
            writer_lock(layout, {**HOLDER, "run_id": "other"}),
        ):
            pass
        assert current_holder(layout) == HOLDER, "the failed attempt changed nothing"
    assert current_holder(layout) is None


def test_a_writer_that_died_holding_the_lock_is_reported_to_the_next(tmp_path):
    layout = DataLayout(tmp_path)
    script = (
        "import os, sys; from pathlib import Path\n"
        "from dagster_project.settings import DataLayout\n"
        "from dagster_project.warehouse.lock import writer_lock\n"
        "with writer_lock(DataLayout(Path(sys.argv[1])), {'run_id': 'deadbeef0000', 'pid': os.getpid()}):\n"
        "    os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=False)
    assert current_holder(layout) is None, "the kernel released the dead writer's lock"
    with writer_lock(layout, HOLDER) as died:
        assert died["run_id"] == "deadbeef0000"


def test_a_delivery_never_shrinks_the_accepted_history(tmp_path):
    first = plan_delivery(SMALL_SCENARIO, None, "s1")
    assert first.scenario.end_date == dt.date(2024, 12, 31) and first.history_id.endswith("-s1")
    accepted = {
        "history_fingerprint": first.history_fingerprint,
        "history_id": first.history_id,
        "end_date": "2025-03-31",
    }
    plain = plan_delivery(SMALL_SCENARIO, accepted, "s2")
    assert plain.scenario.end_date == dt.date(2025, 3, 31) and plain.history_id == first.history_id
    extended = plan_delivery(SMALL_SCENARIO, accepted, "s3", extend_to=dt.date(2025, 4, 30))
    assert extended.scenario.end_date == dt.date(2025, 4, 30) and extended.history_id == first.history_id
    again = plan_delivery(SMALL_SCENARIO, accepted, "s4", new_history=True)
    assert again.scenario.end_date == dt.date(2024, 12, 31) and again.history_id.endswith("-s4")
    other = plan_delivery(SMALL_SCENARIO, {**accepted, "history_fingerprint": "another"}, "s5")
    assert other.scenario.end_date == dt.date(2024, 12, 31) and other.history_id.endswith("-s5")


# staging, intermediate, a KPI mart, and the follow-up list built from the KPI mart and the
# readmission model's scores (its dbt source)
GRAPH = {
    "model.p.stg": ["model.p.int", "test.p.unique_stg"],
    "model.p.int": ["model.p.kpi", "test.p.relationship_kpi_int"],
    "model.p.kpi": ["model.p.followup", "test.p.range", "test.p.relationship_kpi_int"],
    "source.p.readmission_model.followup_scores": ["model.p.followup"],
    "model.p.followup": [],
    "test.p.unique_stg": [],
    "test.p.range": [],
    "test.p.relationship_kpi_int": [],
}
TESTS_PASSED = {"test.p.unique_stg": "pass", "test.p.range": "warn", "test.p.relationship_kpi_int": "pass"}
MODELS, MARTS, SUITES = (
    {node for node in GRAPH if node.startswith("model.")},
    {"model.p.kpi", "model.p.followup"},
    {"model.p.stg": "gx_staging_stg", "model.p.kpi": "gx_marts_kpi"},
)
REPORTS = {"executive_summary": ["s.md"], "dashboard": ["d.html"]}
PASSED = {
    "gx_staging_stg": {"passed": True, "failed_critical": 0},
    "gx_marts_kpi": {"passed": True, "failed_critical": 0},
}


TRAINED = {"readmission_risk": ["models/readmission_risk/model.joblib"]}


def candidate(nodes: dict, checks: dict = PASSED, reports: dict = REPORTS, models: dict = TRAINED) -> dict:
    return {"dbt_nodes": nodes, "checks": checks, "reports": reports, "models": models}


def test_a_complete_validated_candidate_may_be_published():
    everything = {node: "success" for node in MODELS} | TESTS_PASSED
    assert problems(candidate(everything), GRAPH, MODELS, MARTS, SUITES) == []
    # the marts alone: the test of a mart and a model not rebuilt need not run again
    marts = {"model.p.kpi": "success", "model.p.followup": "success", "test.p.range": "pass"}
    assert problems(candidate(marts), GRAPH, MODELS, MARTS, SUITES) == []


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (
            candidate({"model.p.stg": "success"}),
            "downstream of it were not: model.p.followup, model.p.int, model.p.kpi",
        ),
        (
            candidate({node: "success" for node in MODELS} | {"test.p.t": "fail"}),
            "test.p.t ended with status 'fail'",
        ),
        (
            candidate(
                {node: "success" for node in MODELS},
                checks={**PASSED, "gx_marts_kpi": {"passed": False, "failed_critical": 2}},
            ),
            "check gx_marts_kpi failed (2 critical",
        ),
        (candidate({node: "success" for node in MODELS}, checks={}), "its check gx_staging_stg did not run"),
        (candidate({"model.p.kpi": "success"}, reports={}), "reports not rendered in this run"),
        (
            candidate({"model.p.kpi": "success", "model.p.followup": "success"}, models={}),
            "models not trained in this run: readmission_risk",
        ),
        (candidate({}, reports={}), "nothing was built in this run"),
        # rebuilt without its dbt tests (say, a run with the asset checks deselected)
        (
            candidate({node: "success" for node in MODELS} | {"test.p.range": "pass"}),
            "2 dbt tests of models rebuilt in this run did not run: "
            "test.p.relationship_kpi_int, test.p.unique_stg",
        ),
        # the model retrained and the reports rendered, but the follow-up list not rebuilt
        (
            candidate({}),
            "the readmission_risk model was trained in this run but these models of its scores were not "
            "built from them: model.p.followup",
        ),
        (
            candidate({"model.p.followup": "error"}),
            "dbt model.p.followup ended with status 'error'",
        ),
    ],
)
def test_an_incomplete_or_failed_candidate_is_not_published(record, reason):
    assert any(reason in text for text in problems(record, GRAPH, MODELS, MARTS, SUITES))


def test_a_release_without_the_follow_up_list_is_refused():
    """A project whose follow-up list reads no scores (the source gone) cannot publish a model."""
    graph = {node: children for node, children in GRAPH.items() if not node.startswith("source.")}
    everything = {node: "success" for node in MODELS} | TESTS_PASSED
    reasons = problems(candidate(everything), graph, MODELS, MARTS, SUITES)
    assert reasons == [
        "the dbt project has no source readmission_model.followup_scores "
        "for the readmission_risk model's scores"
    ]


def test_retention_keeps_the_newest_and_always_what_is_current(tmp_path):
    layout = DataLayout(tmp_path)
    for number in range(6):
        (layout.releases_dir / f"2026010{number}T000000Z-run").mkdir(parents=True)
        (layout.snapshots_dir / f"2026010{number}T000000Z-run").mkdir(parents=True)
    (layout.snapshots_dir / ".unfinished.tmp-1").mkdir()
    point_link(layout.published_link, layout.releases_dir / "20260100T000000Z-run")
    point_link(layout.accepted_link, layout.snapshots_dir / "20260101T000000Z-run")
    retention.prune(layout)
    releases = sorted(path.name for path in layout.releases_dir.iterdir())
    assert releases == [
        "20260100T000000Z-run",
        "20260103T000000Z-run",
        "20260104T000000Z-run",
        "20260105T000000Z-run",
    ]
    snapshots = sorted(path.name for path in layout.snapshots_dir.iterdir())
    assert snapshots == [
        "20260101T000000Z-run",
        "20260103T000000Z-run",
        "20260104T000000Z-run",
        "20260105T000000Z-run",
    ]
    assert os.readlink(layout.published_link) == "releases/20260100T000000Z-run", "links are relative"


def test_the_schedule_catches_up_from_the_accepted_delivery(tmp_path):
    import dagster as dg

    from dagster_project.defs.resources import DataDir
    from dagster_project.defs.schedules import daily_refresh_schedule

    layout = DataLayout(tmp_path)
    snapshot = layout.snapshot_dir("s1")
    snapshot.mkdir(parents=True)
    (snapshot / "delivery.json").write_text(json.dumps({"end_date": "2025-01-31"}))
    point_link(layout.accepted_link, snapshot)
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2025, 6, 1, 5, tzinfo=dt.UTC),
        resources={"data_dir": DataDir(root=str(tmp_path), scenario=str(SMALL_SCENARIO))},
    )
    requests = daily_refresh_schedule(context)
    days = [request.run_config["ops"]["emr_extract"]["config"]["extend_to"] for request in requests]
    assert days == ["2025-03-03", "2025-04-03", "2025-05-04", "2025-06-01"]
    assert len({request.run_key for request in requests}) == len(requests)


def test_retention_keeps_the_newest_dbt_run_folders(tmp_path):
    layout = DataLayout(tmp_path)
    for number in range(retention.KEEP_DBT_RUNS + 3):
        folder = layout.dbt_runs_dir / f"run-{number:02d}"
        folder.mkdir(parents=True)
        os.utime(folder, (1_700_000_000 + number, 1_700_000_000 + number))
    retention.prune(layout)
    kept = sorted(path.name for path in layout.dbt_runs_dir.iterdir())
    assert kept == [f"run-{number:02d}" for number in range(3, retention.KEEP_DBT_RUNS + 3)]


def test_run_history_keeps_the_newest_finished_runs():
    import dagster as dg

    from dagster_project.defs.publish import prune_run_history

    def run(run_id: str, status: dg.DagsterRunStatus) -> dg.DagsterRun:
        return dg.DagsterRun(job_name="j", run_id=run_id, status=status)

    with dg.instance_for_test() as instance:
        finished = [instance.add_run(run(f"run-{n}", dg.DagsterRunStatus.SUCCESS)) for n in range(5)]
        running = instance.add_run(run("running", dg.DagsterRunStatus.STARTED))
        assert prune_run_history(instance, keep=2) == 3
        left = {run.run_id for run in instance.get_runs()}
    assert left == {finished[-1].run_id, finished[-2].run_id, running.run_id}


def test_a_run_starts_from_the_newest_parse_of_the_same_dbt_project(tmp_path):
    """dbt reuses a partial parse made with the same settings: a run's target folder gets the
    newest earlier run's, never one parsed from another project folder, never over its own."""
    runs, project = tmp_path / "dbt_runs", tmp_path / "dbt"
    older = dbt_targets.prepare(runs / "older", project)
    (older / dbt_targets.PARTIAL_PARSE).write_bytes(b"older")
    newer = dbt_targets.prepare(runs / "newer", project)
    (newer / dbt_targets.PARTIAL_PARSE).write_bytes(b"newer")
    os.utime(older / dbt_targets.PARTIAL_PARSE, (1, 1))
    moved = dbt_targets.prepare(runs / "moved", tmp_path / "elsewhere")
    (moved / dbt_targets.PARTIAL_PARSE).write_bytes(b"another project")

    run = dbt_targets.prepare(runs / "run", project)
    assert (run / dbt_targets.PARTIAL_PARSE).read_bytes() == b"newer"
    (run / dbt_targets.PARTIAL_PARSE).write_bytes(b"this run's own")
    assert (dbt_targets.prepare(runs / "run", project) / dbt_targets.PARTIAL_PARSE).read_bytes() == (
        b"this run's own"
    ), "a later invocation of the same run keeps the run's parse"
    first = dbt_targets.prepare(tmp_path / "empty" / "first", project)
    assert not (first / dbt_targets.PARTIAL_PARSE).exists(), "no earlier run: dagster-dbt copies its own"
