"""The dbt project as Dagster sees it. Kept apart from the dbt assets so that
`dagster-dbt project prepare-and-package --file dagster_project/dbt_project.py` can build
the manifest before the assets (which need it) are imported."""

import sys
from pathlib import Path

from dagster_dbt import DagsterDbtProjectPreparer, DbtCliResource, DbtProject
from dagster_shared.record import replace

from dagster_project import settings

# dbt beside this interpreter, so `.venv/bin/dagster dev` works with no virtualenv on PATH
DBT_EXECUTABLE = Path(sys.executable).parent / "emr-dbt"


class VenvDbtPreparer(DagsterDbtProjectPreparer):
    """Parses the project (the manifest the assets load) with DBT_EXECUTABLE instead of the
    `dbt` found on PATH. The project has no dbt packages to install."""

    def prepare(self, project: DbtProject) -> None:
        DbtCliResource(project_dir=project, dbt_executable=str(DBT_EXECUTABLE)).cli(
            ["parse", "--quiet"], target_path=project.target_path
        ).wait()


# DbtProject builds its own preparer; a Dagster record is replaced field by field, like a namedtuple
dbt_project = replace(DbtProject(project_dir=settings.DBT_PROJECT_DIR), preparer=VenvDbtPreparer())
dbt_project.prepare_if_dev()
