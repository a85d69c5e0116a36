"""Run the real dbt CLI against a data directory, as Dagster does, for tests that need dbt
without the whole Dagster run: the delivery is landed as the accepted snapshot, and dbt builds
the candidate warehouse (build/warehouse.duckdb)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from dagster_project.settings import DataLayout
from tests.support.paths import REPO_ROOT

DBT = Path(sys.executable).parent / "dbt"
SNAPSHOT = "test-delivery"


def warehouse_path(data_dir: Path) -> Path:
    """The warehouse dbt builds in this data directory."""
    return data_dir / "build" / "warehouse.duckdb"


def run_dbt(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """`dbt <args>` in dbt/, writing the warehouse, artifacts and logs under data_dir."""
    artifacts = data_dir / "dbt_runs" / "tests"
    completed = subprocess.run(
        [
            str(DBT),
            *args,
            "--vars",
            json.dumps({"data_dir": str(data_dir)}),
            "--target-path",
            str(artifacts),
            "--log-path",
            str(artifacts),
        ],
        cwd=REPO_ROOT / "dbt",
        env={**os.environ, "EMR_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    return completed


def land_extract(scenario, data_dir: Path) -> dict[str, int]:
    """Generate the scenario's delivery as the accepted snapshot, and the reference tables."""
    from dagster_project.reference.landing import write_reference_tables
    from dagster_project.synthetic.extract import generate_extract
    from dagster_project.warehouse.snapshots import accept

    layout = DataLayout(data_dir)
    rows = generate_extract(scenario, layout.snapshot_dir(SNAPSHOT))
    accept(layout, SNAPSHOT)
    write_reference_tables(layout.reference_dir)
    (data_dir / "build").mkdir(exist_ok=True)
    return rows
