"""Real Dagster runs of the project's definitions on a data directory, and readers of what they
published, for tests that drive the pipeline as `make run`, the schedule or the UI would."""

from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.settings import DataLayout
from tests.support.paths import SMALL_SCENARIO


def materialize(
    data_dir: Path,
    *,
    scenario: Path = SMALL_SCENARIO,
    selection: list | None = None,
    run_config: dict | None = None,
    job: str | None = None,
    instance=None,  # noqa: ANN001 (a DagsterInstance; a temporary one when None)
):  # noqa: ANN201 (an ExecuteInProcessResult)
    """Run every asset (or `selection`, or the named job) once, in process, as `emr-run` does.

    The data directory and the scenario are given to the resources, not the environment."""
    import dagster as dg

    from dagster_project.definitions import defs

    job_def = defs.resolve_job_def(job) if job else defs.resolve_implicit_global_asset_job_def()
    resources = {"data_dir": _data_dir_resource(data_dir, scenario)}
    resources["warehouse"] = _warehouse_resource(resources["data_dir"])
    if instance is None:
        with dg.instance_for_test() as temporary:
            return _execute(job_def, temporary, selection, run_config, resources)
    return _execute(job_def, instance, selection, run_config, resources)


def _data_dir_resource(data_dir: Path, scenario: Path):  # noqa: ANN202
    from dagster_project.defs.resources import DataDir

    return DataDir(root=str(data_dir), scenario=str(scenario))


def _warehouse_resource(data_dir_resource):  # noqa: ANN001, ANN202
    from dagster_project.defs.resources import Warehouse

    return Warehouse(data_dir=data_dir_resource)


def _execute(job_def, instance, selection, run_config, resources):  # noqa: ANN001, ANN202
    return job_def.execute_in_process(
        instance=instance,
        raise_on_error=False,
        asset_selection=selection,
        run_config=run_config,
        resources=resources,
    )


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
