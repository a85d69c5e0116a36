"""The daily refresh: extend the delivery, rebuild incrementally, and publish what a full build
publishes; the same refresh twice changes nothing; a plain "Materialize all" afterwards never
shrinks the history; a schedule far behind catches up in bounded steps."""

import datetime as dt
import shutil

import duckdb
import pytest

from dagster_project.defs.schedules import MAX_STEP_DAYS, catch_up_days, refresh_run_config
from dagster_project.settings import DataLayout
from dagster_project.warehouse.release import published_release
from tests.support.pipeline import assert_same_marts, marts, materialize, published_warehouse

REFRESH_DAY = dt.date(2025, 3, 31)  # the small scenario ends 2024-12-31


def refresh(data_dir, day):
    result = materialize(data_dir, job="daily_refresh", run_config=refresh_run_config(day))
    assert result.success
    return result


@pytest.fixture(scope="module")
def refreshed(pipeline_run, tmp_path_factory):
    """The end-to-end run's data, refreshed to REFRESH_DAY once, then again."""
    data_dir = tmp_path_factory.mktemp("refreshed") / "data"
    shutil.copytree(pipeline_run["data_dir"], data_dir, symlinks=True)
    refresh(data_dir, REFRESH_DAY)
    once = marts(published_warehouse(data_dir))
    refresh(data_dir, REFRESH_DAY)
    return {"data_dir": data_dir, "once": once, "twice": marts(published_warehouse(data_dir))}


@pytest.mark.slow
def test_refresh_extends_the_delivery_to_the_day(refreshed):
    with duckdb.connect(str(published_warehouse(refreshed["data_dir"])), read_only=True) as connection:
        (last_admission,) = connection.execute(
            "select max(admission_date) from marts.fct_encounters"
        ).fetchone()
    assert last_admission > dt.date(2025, 3, 1)
    assert published_release(DataLayout(refreshed["data_dir"]))["end_date"] == REFRESH_DAY.isoformat()


@pytest.mark.slow
def test_the_same_refresh_twice_gives_the_same_warehouse(refreshed):
    assert_same_marts(refreshed["once"], refreshed["twice"])


@pytest.mark.slow
def test_the_second_refresh_starts_from_the_dbt_parse_of_the_first(refreshed):
    """Each run's dbt target folder starts from the data directory's previous parse
    (warehouse/dbt_targets.py): the second refresh parses nothing again."""
    logs = sorted(
        DataLayout(refreshed["data_dir"]).dbt_runs_dir.glob("*/dbt.log"), key=lambda log: log.stat().st_mtime
    )
    last_run = logs[-1].read_text()
    assert "Partial parsing enabled" in last_run
    assert "Unable to do partial parsing" not in last_run and "Starting full parse" not in last_run


@pytest.mark.slow
def test_incremental_refresh_equals_a_full_build(refreshed, tmp_path_factory):
    fresh = tmp_path_factory.mktemp("fresh") / "data"
    refresh(fresh, REFRESH_DAY)
    assert_same_marts(marts(published_warehouse(fresh)), refreshed["twice"])


def test_a_schedule_far_behind_catches_up_in_bounded_steps():
    steps = catch_up_days(dt.date(2024, 12, 31), dt.date(2026, 11, 27))
    assert steps[0] == dt.date(2024, 12, 31) + dt.timedelta(days=MAX_STEP_DAYS)
    gaps = [
        (later - earlier).days for earlier, later in zip([dt.date(2024, 12, 31), *steps], steps, strict=False)
    ]
    assert max(gaps) <= MAX_STEP_DAYS and steps == sorted(steps)
    assert catch_up_days(dt.date(2026, 11, 20), dt.date(2026, 11, 27)) == [dt.date(2026, 11, 27)]
    assert catch_up_days(dt.date(2026, 11, 27), dt.date(2026, 11, 27)) == []


@pytest.mark.slow
def test_materialize_all_after_a_refresh_never_shrinks_the_history(refreshed):
    """A plain materialization (no config; the scenario ends 2024-12-31) keeps the refreshed
    end date: it regenerates the accepted history up to where it already reaches."""
    data_dir = refreshed["data_dir"]
    assert materialize(data_dir).success
    assert published_release(DataLayout(data_dir))["end_date"] == REFRESH_DAY.isoformat()
    assert_same_marts(marts(published_warehouse(data_dir)), refreshed["twice"])
