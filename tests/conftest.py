"""Shared, expensive fixtures: the dbt manifest, and one end-to-end pipeline run per session.

Neither is autouse: a pure unit test pays for nothing it does not ask for."""

import os
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT


@pytest.fixture(scope="session")
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
    from tests.support.pipeline import materialize

    data_dir = tmp_path_factory.mktemp("pipeline") / "data"
    skip = {".venv", ".git", "__pycache__", ".pytest_cache", "node_modules", "data"}
    repo_before = snapshot_tree(REPO_ROOT, skip)
    result = materialize(data_dir)
    return {
        "result": result,
        "data_dir": data_dir,
        "repo_before": repo_before,
        "repo_after": snapshot_tree(REPO_ROOT, skip),
    }
