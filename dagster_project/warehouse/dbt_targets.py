"""dbt target folders, one per run, each started from the parse of the data directory's last run.

dbt skips parsing when its target folder holds the partial_parse.msgpack of an earlier parse
with the same profile, vars and environment. dagster-dbt copies the one `make manifest` wrote
into dbt/target, parsed for the default data directory: a run on any other data directory
(EMR_DATA_DIR, or the DataDir resource's root) parses the whole project again in its first dbt
invocation. The data directory's previous run parsed with the settings this run uses, so its
file is the better start; dbt itself still re-parses what changed since, and the whole project
when the settings differ. A parse is only reused from the same dbt project folder, since dbt
stores the seeds' absolute paths in it.
"""

import shutil
from pathlib import Path

PARTIAL_PARSE = "partial_parse.msgpack"
PARSED_FROM = "parsed_from.txt"  # the dbt project folder that parsed into this target folder


def prepare(target_path: Path, project_dir: Path) -> Path:
    """Create the run's target folder, with the newest earlier run's parse of this project (if
    any and if the folder has none yet); returns target_path."""
    target_path.mkdir(parents=True, exist_ok=True)
    marker = target_path / PARSED_FROM
    if not marker.exists():
        marker.write_text(str(project_dir.resolve()))
    if (target_path / PARTIAL_PARSE).exists():
        return target_path
    earlier = [
        folder
        for folder in target_path.parent.iterdir()
        if folder != target_path
        and (folder / PARTIAL_PARSE).is_file()
        and (folder / PARSED_FROM).is_file()
        and (folder / PARSED_FROM).read_text() == marker.read_text()
    ]
    if earlier:
        newest = max(earlier, key=lambda folder: (folder / PARTIAL_PARSE).stat().st_mtime)
        shutil.copyfile(newest / PARTIAL_PARSE, target_path / PARTIAL_PARSE)
    return target_path
