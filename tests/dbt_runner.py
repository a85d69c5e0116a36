"""Run the real dbt CLI against a data directory, as Dagster does, for tests that need dbt
without the whole Dagster run."""

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).parent / "dbt"


def run_dbt(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """`dbt <args>` in dbt/, writing the warehouse, artifacts and logs under data_dir."""
    artifacts = data_dir / "dbt_runs" / "tests"
    completed = subprocess.run(
        [str(DBT), *args, "--target-path", str(artifacts), "--log-path", str(artifacts)],
        cwd=REPO_ROOT / "dbt",
        env={**os.environ, "EMR_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    return completed


def land_extract(scenario, data_dir: Path) -> dict[str, int]:
    """Generate the scenario's raw extract and the reference code set into data_dir."""
    from dagster_project.reference_codes import write_icd10cm_codes
    from dagster_project.synthetic.extract import generate_extract

    rows = generate_extract(scenario, data_dir / "raw")
    write_icd10cm_codes(data_dir / "reference")
    return rows
