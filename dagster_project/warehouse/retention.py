"""What old artifacts are kept: the newest few of each kind, and always what is current.

Called by the publish step (which holds the writer lock), so nothing being written is removed.
"""

import shutil
from pathlib import Path

from dagster_project.settings import DataLayout

KEEP_RELEASES = 3  # the published one and the two before it, to compare or roll back
KEEP_SNAPSHOTS = 3  # besides the accepted one
KEEP_DBT_RUNS = 10  # dbt invocations (artifacts and logs) for debugging


def _newest_first(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        (path for path in folder.iterdir() if path.is_dir()), key=lambda path: path.name, reverse=True
    )


def _remove_all_but(paths: list[Path], keep: int, always: set[Path]) -> list[str]:
    removed = []
    for path in paths[keep:]:
        if path.resolve() not in always:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


def prune(layout: DataLayout) -> dict[str, list[str]]:
    """Remove old releases, snapshots and dbt run folders; what was removed, by kind."""
    published = {layout.published_link.resolve()} if layout.published_link.exists() else set()
    accepted = {layout.accepted_link.resolve()} if layout.accepted_link.exists() else set()
    snapshots = _newest_first(layout.snapshots_dir)
    return {
        "releases": _remove_all_but(_newest_first(layout.releases_dir), KEEP_RELEASES, published),
        # hidden folders are the generator's unfinished writes (a run that died mid-write)
        "snapshots": _remove_all_but(
            [path for path in snapshots if not path.name.startswith(".")], KEEP_SNAPSHOTS, accepted
        )
        + _remove_all_but([path for path in snapshots if path.name.startswith(".")], 0, set()),
        "dbt_runs": _remove_all_but(
            sorted(_newest_first(layout.dbt_runs_dir), key=lambda path: path.stat().st_mtime, reverse=True),
            KEEP_DBT_RUNS,
            set(),
        ),
    }
