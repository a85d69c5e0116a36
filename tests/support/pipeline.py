"""Real Dagster runs of the project's definitions on a data directory, and readers of what they
published, for tests that drive the pipeline as `make run`, the schedule or the UI would."""

from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.settings import DataLayout
from tests.support.paths import SMALL_SCENARIO


def definitions(data_dir: Path, scenario: Path = SMALL_SCENARIO):  # noqa: ANN201 (dg.Definitions)
    """The project's definitions with the data directory and scenario given to the resources,
    not taken from the environment."""
    import dagster as dg

    from dagster_project.definitions import defs
    from dagster_project.defs.resources import DataDir, Warehouse

    data = DataDir(root=str(data_dir), scenario=str(scenario))
    return dg.Definitions(
        assets=defs.assets,
        asset_checks=defs.asset_checks,
        jobs=defs.jobs,
        schedules=defs.schedules,
        executor=defs.executor,
        resources={**defs.resources, "data_dir": data, "warehouse": Warehouse(data_dir=data)},
    )


def materialize(
    data_dir: Path,
    *,
    scenario: Path = SMALL_SCENARIO,
    selection: list | None = None,
    run_config: dict | None = None,
    job: str | None = None,
    instance=None,  # noqa: ANN001 (a DagsterInstance; a temporary one when None)
):  # noqa: ANN201 (an ExecuteInProcessResult)
    """Run every asset (or `selection`, or the named job) once, in process, as `emr-run` does."""
    import dagster as dg

    project = definitions(data_dir, scenario)
    job_def = project.resolve_job_def(job) if job else project.resolve_implicit_global_asset_job_def()

    def execute(dagster_instance):  # noqa: ANN001, ANN202
        return job_def.execute_in_process(
            instance=dagster_instance, raise_on_error=False, asset_selection=selection, run_config=run_config
        )

    if instance is None:
        with dg.instance_for_test() as temporary:
            return execute(temporary)
    return execute(instance)


def published_warehouse(data_dir: Path) -> Path:
    return DataLayout(data_dir).published_warehouse


def marts(warehouse: Path) -> dict[str, pd.DataFrame]:
    """Every marts table of a warehouse file, rows sorted, for comparison."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            table: connection.execute(f"select * from marts.{table} order by all").df() for table in tables
        }


def assert_same_marts(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    assert left.keys() == right.keys()
    for table in left:
        pd.testing.assert_frame_equal(left[table], right[table], check_exact=False, rtol=1e-9, obj=table)
