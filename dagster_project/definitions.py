"""The one Definitions object: raw extract, reference codes, dbt models, quality checks,
the daily refresh schedule and resources."""

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from dagster_project.dbt_project import dbt_project
from dagster_project.defs.dbt_models import emr_mart_models, emr_staging_models
from dagster_project.defs.quality import build_suite_checks
from dagster_project.defs.raw import emr_extract
from dagster_project.defs.reference import icd10cm_codes
from dagster_project.defs.reports import dashboard, executive_summary
from dagster_project.defs.schedules import daily_refresh_job, daily_refresh_schedule

defs = dg.Definitions(
    assets=[emr_extract, icd10cm_codes, emr_staging_models, emr_mart_models, executive_summary, dashboard],
    asset_checks=build_suite_checks(),
    jobs=[daily_refresh_job],
    schedules=[daily_refresh_schedule],
    # One process per run: the steps share one DuckDB file that admits one writer, so parallel
    # step processes gain little on two cores and each would pay seconds of imports.
    executor=dg.in_process_executor,
    resources={
        # the dbt installed beside this interpreter, so an unactivated venv works too
        "dbt": DbtCliResource(
            project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt")
        ),
    },
)
