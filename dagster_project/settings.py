"""Where things live. The repository's own folders are constants; everything the pipeline writes
lives under one data directory (EMR_DATA_DIR, default ./data), read when a function is called,
never at import time.

The data directory, as a run writes it (write, audit, publish):

    raw/snapshots/<id>/feed/<table>/         one immutable snapshot per delivery, as delivered
    raw/snapshots/<id>/answer_key/<table>/   the generator's answer key (defect ledger, planted
                                             readmission risks), never read by the warehouse
    raw/snapshots/<id>/delivery.json         what was delivered and whether its raw audit passed
    raw/accepted -> snapshots/<id>           the newest delivery whose raw checks passed
    reference/<table>/                       reference code sets (ICD-10-CM) from PyPI packages
    build/                                   the candidate of the run that holds the writer lock:
                                             warehouse.duckdb, reports/, models/, dbt_docs/,
                                             candidate.json
    releases/<id>/                           published sets, immutable, the newest few kept
    published -> releases/<id>               what every reader opens
    gx/                                      Great Expectations results and Data Docs
    dbt_runs/                                dbt artifacts and logs, the newest few kept
    dagster_home/                            the Dagster instance of `make run` and `make ui`
    writer.lock                              held by the one run that writes

Symbolic links are relative, so a data directory can be moved or restored as a whole.
"""

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
DEFAULT_SCENARIO = REPO_ROOT / "scenarios" / "default.yaml"
WAREHOUSE_FILE = "warehouse.duckdb"
# Where a candidate (and so a release) holds the readmission risk model, its card, metrics and
# the recent discharges' scores (defs/prediction.py writes them; dbt reads the scores as the
# source readmission_model.followup_scores, dbt/models/staging/_readmission_model__sources.yml).
READMISSION_MODEL_DIR = ("models", "readmission_risk")
READMISSION_SCORES_FILE = "followup_scores.parquet"


def data_dir() -> Path:
    """Root of everything the pipeline writes: EMR_DATA_DIR, default ./data."""
    return Path(os.environ.get("EMR_DATA_DIR", REPO_ROOT / "data")).resolve()


def scenario_path() -> Path:
    """The scenario the raw assets generate: EMR_SCENARIO, default scenarios/default.yaml."""
    return Path(os.environ.get("EMR_SCENARIO", DEFAULT_SCENARIO)).resolve()


def data_docs_url() -> str:
    """Where `make docs` serves the Great Expectations Data Docs, as the checks link them:
    EMR_DATA_DOCS_URL, default http://127.0.0.1:<DATA_DOCS_PORT, default 8081>."""
    port = os.environ.get("DATA_DOCS_PORT", "8081")
    return os.environ.get("EMR_DATA_DOCS_URL", f"http://127.0.0.1:{port}").rstrip("/")


@dataclass(frozen=True)
class DataLayout:
    """The folders and files of one data directory (see the module docstring)."""

    root: Path

    @property
    def snapshots_dir(self) -> Path:
        return self.root / "raw" / "snapshots"

    @property
    def accepted_link(self) -> Path:
        return self.root / "raw" / "accepted"

    def snapshot_dir(self, snapshot_id: str) -> Path:
        return self.snapshots_dir / snapshot_id

    @property
    def reference_dir(self) -> Path:
        return self.root / "reference"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def releases_dir(self) -> Path:
        return self.root / "releases"

    @property
    def published_link(self) -> Path:
        return self.root / "published"

    @property
    def published_warehouse(self) -> Path:
        return self.published_link / WAREHOUSE_FILE

    @property
    def published_reports_dir(self) -> Path:
        return self.published_link / "reports"

    @property
    def gx_dir(self) -> Path:
        """Great Expectations suites, results and Data Docs of every check run."""
        return self.root / "gx"

    @property
    def data_docs_index(self) -> Path:
        return self.gx_dir / "data_docs" / "index.html"

    @property
    def dbt_runs_dir(self) -> Path:
        """Each dbt invocation's target/ and logs, so runs write only to the data directory."""
        return self.root / "dbt_runs"

    @property
    def lock_file(self) -> Path:
        return self.root / "writer.lock"


def layout() -> DataLayout:
    """The layout of the data directory the environment names."""
    return DataLayout(data_dir())
