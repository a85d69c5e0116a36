"""`emr-dbt`: the dbt CLI, started so that it dies with the run that started it.

Dagster's dbt resource runs this instead of `dbt` (same arguments, same output: it becomes dbt by
exec). A run killed in the middle of a build therefore never leaves a dbt process writing the
candidate warehouse after the writer lock has passed to the next run.
"""

import os
import sys
from pathlib import Path

from dagster_project.processes import die_with_parent


def main() -> None:
    dbt = str(Path(sys.executable).parent / "dbt")
    die_with_parent()
    os.execv(dbt, [dbt, *sys.argv[1:]])
