"""The daily refresh: extend the extract to the scheduled day and rebuild everything on it.

The generator is prefix-stable, so moving the end date only adds records; incremental marts
then merge what is new. The schedule is RUNNING by default, so `make ui` (dagster dev, with
its daemon) refreshes without a click.
"""

import datetime as dt

import dagster as dg

daily_refresh_job = dg.define_asset_job(
    name="daily_refresh",
    selection=dg.AssetSelection.all(),
    description="Extend the synthetic extract to the day and rebuild staging, marts and reports.",
)


def refresh_run_config(day: dt.date) -> dict:
    """Run config that extends the extract up to and including `day`."""
    return {"ops": {"emr_extract": {"config": {"extend_to": day.isoformat()}}}}


@dg.schedule(
    job=daily_refresh_job,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 05:00 UTC: extend the extract to that day and rebuild.",
)
def daily_refresh_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    day = context.scheduled_execution_time.date()
    return dg.RunRequest(run_key=day.isoformat(), run_config=refresh_run_config(day))
