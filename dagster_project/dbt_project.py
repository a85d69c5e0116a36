"""The dbt project as Dagster sees it. Kept apart from the dbt assets so that
`dagster-dbt project prepare-and-package --file dagster_project/dbt_project.py` can build
the manifest before the assets (which need it) are imported."""

from dagster_dbt import DbtProject

from dagster_project import settings

dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
