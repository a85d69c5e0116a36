"""The daily refresh: extend the extract, rebuild incrementally, and land where a full build
lands; the same refresh twice changes nothing."""

import shutil

import duckdb
import pandas as pd
import pytest

from dagster_project.defs.schedules import refresh_run_config
from tests.conftest import SMALL_SCENARIO

REFRESH_DAY = "2025-03-31"  # the small scenario ends 2024-12-31


def run_refresh(data_dir, day):
    import dagster as dg

    from dagster_project.definitions import defs

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EMR_DATA_DIR", str(data_dir))
        patch.setenv("EMR_SCENARIO", str(SMALL_SCENARIO))
        with dg.instance_for_test() as instance:
            result = defs.resolve_job_def("daily_refresh").execute_in_process(
                run_config=refresh_run_config(pd.Timestamp(day).date()), instance=instance
            )
    assert result.success


def marts(data_dir) -> dict[str, pd.DataFrame]:
    """Every marts table, rows sorted, for comparison."""
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            table: connection.execute(f"select * from marts.{table} order by all").df() for table in tables
        }


def assert_same_marts(left, right):
    assert left.keys() == right.keys()
    for table in left:
        pd.testing.assert_frame_equal(left[table], right[table], check_exact=False, rtol=1e-9, obj=table)


@pytest.fixture(scope="module")
def refreshed(pipeline_run, tmp_path_factory):
    """The end-to-end run's data, refreshed to REFRESH_DAY once, then again."""
    data_dir = tmp_path_factory.mktemp("refreshed") / "data"
    shutil.copytree(pipeline_run["data_dir"], data_dir)
    run_refresh(data_dir, REFRESH_DAY)
    once = marts(data_dir)
    run_refresh(data_dir, REFRESH_DAY)
    return {"data_dir": data_dir, "once": once, "twice": marts(data_dir)}


def test_refresh_extends_the_extract_to_the_day(refreshed):
    (last_admission,) = (
        duckdb.connect(str(refreshed["data_dir"] / "warehouse.duckdb"), read_only=True)
        .execute("select max(admission_date) from marts.fct_encounters")
        .fetchone()
    )
    assert str(last_admission) > "2025-03-01"


def test_the_same_refresh_twice_gives_the_same_warehouse(refreshed):
    assert_same_marts(refreshed["once"], refreshed["twice"])


def test_incremental_refresh_equals_a_full_build(refreshed, tmp_path_factory):
    fresh = tmp_path_factory.mktemp("fresh") / "data"
    run_refresh(fresh, REFRESH_DAY)
    assert_same_marts(marts(fresh), refreshed["twice"])
