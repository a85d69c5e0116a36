"""Drive the pipeline through a real Dagster webserver and daemon, as a person does in the UI."""

import pytest

from tests.support.dagster_ui import DagsterDev
from tests.support.paths import SMALL_SCENARIO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dagster_dev(tmp_path_factory):
    server = DagsterDev(tmp_path_factory.mktemp("ui_data"), {"EMR_SCENARIO": str(SMALL_SCENARIO)})
    try:
        server.wait_until_loaded()
        yield server
    finally:
        server.stop()


def test_materialize_all_from_the_ui_and_read_back_the_checks(dagster_dev):
    run_id = dagster_dev.materialize_all()
    assert dagster_dev.wait_for_run(run_id) == "SUCCESS"
    results = dagster_dev.check_results()
    assert any(name.startswith("gx_raw_") for _, name in results)
    assert any(name.startswith("gx_staging_") for _, name in results)
    not_passed = {
        key: result for key, result in results.items() if result is None or result["status"] != "SUCCEEDED"
    }
    assert not_passed == {}


def test_two_runs_at_once_both_succeed_one_after_the_other(dagster_dev):
    """The duckdb_warehouse pool (one slot, run granularity) queues the second run instead of
    letting it fail on DuckDB's write lock."""
    first = dagster_dev.materialize_all()
    second = dagster_dev.materialize_all()
    assert dagster_dev.wait_for_run(first) == "SUCCESS"
    assert dagster_dev.wait_for_run(second) == "SUCCESS"
    earlier, later = sorted((dagster_dev.run(first), dagster_dev.run(second)), key=lambda r: r["startTime"])
    assert later["startTime"] >= earlier["endTime"], "the two runs overlapped on the warehouse"
