"""The one Definitions object: the delivery and its answer key, reference codes, dbt models,
quality checks, the readmission risk model, reports, the publish step, the daily refresh
schedule and the resources."""

import dagster as dg
from dagster_dbt import DbtCliResource

from dagster_project.dbt_project import DBT_EXECUTABLE, dbt_project
from dagster_project.defs.dbt_models import emr_mart_models, emr_prediction_models, emr_staging_models
from dagster_project.defs.prediction import readmission_model_beats_lace, readmission_risk_model
from dagster_project.defs.publish import release
from dagster_project.defs.quality import build_model_checks
from dagster_project.defs.raw import emr_extract
from dagster_project.defs.reference import reference_tables
from dagster_project.defs.reports import dashboard, executive_summary
from dagster_project.defs.resources import DataDir, Warehouse
from dagster_project.defs.schedules import daily_refresh_job, daily_refresh_schedule

data_dir = DataDir()

defs = dg.Definitions(
    assets=[
        emr_extract,
        *reference_tables,
        emr_staging_models,
        emr_mart_models,
        readmission_risk_model,
        emr_prediction_models,
        executive_summary,
        dashboard,
        release,
    ],
    asset_checks=[*build_model_checks(), readmission_model_beats_lace],
    jobs=[daily_refresh_job],
    schedules=[daily_refresh_schedule],
    # One process per run: the steps share one DuckDB file that admits one writer, and the
    # run's one-writer lock (the warehouse resource) is held by that process for the whole run.
    executor=dg.in_process_executor,
    resources={
        # dbt beside this interpreter (an unactivated venv works too), through emr-dbt so that
        # it dies with the run that started it
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=str(DBT_EXECUTABLE)),
        "data_dir": data_dir,
        "warehouse": Warehouse(data_dir=data_dir),
    },
)
