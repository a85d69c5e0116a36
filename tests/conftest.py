"""Shared, expensive fixtures: one dbt manifest and one end-to-end pipeline run per session."""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SMALL_SCENARIO = REPO_ROOT / "scenarios" / "small.yaml"


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest() -> Path:
    """The Dagster definitions need dbt/target/manifest.json; `make test` builds it, this
    covers a bare `pytest`."""
    from dagster_project.dbt_project import dbt_project

    if not dbt_project.manifest_path.exists():
        dbt_project.preparer.prepare(dbt_project)
    return dbt_project.manifest_path


def snapshot_tree(root: Path, skip: set[str]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under root, except in folders named in skip."""
    files = {}
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = [name for name in subdirectories if name not in skip]
        for name in names:
            path = Path(directory, name)
            stat = path.stat()
            files[str(path.relative_to(root))] = (stat.st_mtime_ns, stat.st_size)
    return files


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory, dbt_manifest):
    """Materialize every asset once, small scenario, into a temporary data directory."""
    import dagster as dg

    from dagster_project.definitions import defs

    data_dir = tmp_path_factory.mktemp("data")
    skip = {".venv", ".git", "__pycache__", ".pytest_cache"}
    repo_before = snapshot_tree(REPO_ROOT, skip)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EMR_DATA_DIR", str(data_dir))
        patch.setenv("EMR_SCENARIO", str(SMALL_SCENARIO))
        with dg.instance_for_test() as instance:
            result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
                instance=instance, raise_on_error=False
            )
            repo_after = snapshot_tree(REPO_ROOT, skip)
            yield {
                "result": result,
                "data_dir": data_dir,
                "repo_before": repo_before,
                "repo_after": repo_after,
            }
