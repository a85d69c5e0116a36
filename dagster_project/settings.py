"""Where things live. Every path comes from an environment variable with a default under
the repository, read when a function is called (never at import time)."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
DEFAULT_SCENARIO = REPO_ROOT / "scenarios" / "default.yaml"


def data_dir() -> Path:
    """Root of everything the pipeline writes: EMR_DATA_DIR, default ./data."""
    return Path(os.environ.get("EMR_DATA_DIR", REPO_ROOT / "data")).resolve()


def raw_dir() -> Path:
    """The raw landing zone: one Parquet folder per table, as delivered."""
    return data_dir() / "raw"


def reference_dir() -> Path:
    """Reference code sets (ICD-10-CM) that dbt reads as sources beside the raw extract."""
    return data_dir() / "reference"


def warehouse_path() -> Path:
    """The DuckDB warehouse file dbt builds (dbt/profiles.yml reads the same variable)."""
    return data_dir() / "warehouse.duckdb"


def dbt_run_artifacts_dir() -> Path:
    """Where each dbt invocation writes its target/ and logs, so runs write only to the data dir."""
    return data_dir() / "dbt_runs"


def scenario_path() -> Path:
    """The scenario the raw assets generate: EMR_SCENARIO, default scenarios/default.yaml."""
    return Path(os.environ.get("EMR_SCENARIO", DEFAULT_SCENARIO)).resolve()


def reports_dir() -> Path:
    """The executive summary and the dashboard (HTML files to open in a browser)."""
    return data_dir() / "reports"
