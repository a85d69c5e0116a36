"""The daily refresh: extend the delivery to the scheduled day and rebuild and publish on it.

The generator is prefix-stable, so moving the end date only adds records; incremental marts then
merge what is new. A refresh that is far behind (a first tick long after the scenario's end, or
a machine that was off) catches up in bounded steps: one run per MAX_STEP_DAYS at most, queued
in order, so no run generates months at once. The schedule is RUNNING by default, so `make ui`
(dagster dev, with its daemon) refreshes without a click.
"""

import datetime as dt

import dagster as dg

from dagster_project.defs.resources import DataDir

MAX_STEP_DAYS = 31
MAX_RUNS_PER_TICK = 12  # a year behind catches up in one tick; further behind, over several days

daily_refresh_job = dg.define_asset_job(
    name="daily_refresh",
    selection=dg.AssetSelection.all(),
    description="Extend the synthetic delivery to the day, rebuild, check and publish.",
)


def refresh_run_config(day: dt.date) -> dict:
    """Run config that extends the delivery up to and including `day`."""
    return {"ops": {"emr_extract": {"config": {"extend_to": day.isoformat()}}}}


def catch_up_days(current_end: dt.date, day: dt.date) -> list[dt.date]:
    """End dates of the runs that bring the delivery from current_end to day, in steps of at
    most MAX_STEP_DAYS, and at most MAX_RUNS_PER_TICK of them (the next tick goes on)."""
    steps, end = [], current_end
    while end < day and len(steps) < MAX_RUNS_PER_TICK:
        end = min(end + dt.timedelta(days=MAX_STEP_DAYS), day)
        steps.append(end)
    return steps


@dg.schedule(
    job=daily_refresh_job,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 05:00 UTC: extend the delivery to that day (in steps when behind) and rebuild.",
)
def daily_refresh_schedule(context: dg.ScheduleEvaluationContext, data_dir: DataDir) -> list[dg.RunRequest]:
    from dagster_project.synthetic.scenario import load_scenario
    from dagster_project.warehouse.snapshots import accepted_record

    accepted = accepted_record(data_dir.layout())
    if accepted:
        current_end = dt.date.fromisoformat(accepted["end_date"])
    else:
        current_end = load_scenario(data_dir.scenario_path()).end_date
    day = context.scheduled_execution_time.date()
    return [
        dg.RunRequest(run_key=f"extend-to-{end.isoformat()}", run_config=refresh_run_config(end))
        for end in catch_up_days(current_end, day)
    ]
