"""The candidate: what one run builds before anything is published.

`build/` belongs to the run that holds the writer lock. It starts as a copy of the published
warehouse when that warehouse holds the history of the accepted delivery (so the incremental
models only add to it), and empty otherwise: a new history, in which every model is rebuilt.
Each step records in `candidate.json` what it built and what its checks found; the publish step
decides from that record alone whether the candidate is complete and valid.
"""

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from dagster_project.settings import WAREHOUSE_FILE, DataLayout
from dagster_project.warehouse.files import read_json, write_json
from dagster_project.warehouse.release import published_release

RECORD = "candidate.json"


@dataclass(frozen=True)
class Candidate:
    """The build folder of one run."""

    dir: Path

    @property
    def warehouse(self) -> Path:
        return self.dir / WAREHOUSE_FILE

    @property
    def reports_dir(self) -> Path:
        return self.dir / "reports"

    @property
    def dbt_docs_dir(self) -> Path:
        return self.dir / "dbt_docs"

    def record(self) -> dict:
        return read_json(self.dir / RECORD) or {}

    def update(self, section: str, entries: dict) -> None:
        """Merge entries into one section of the record (dbt_nodes, checks, reports)."""
        record = self.record()
        record.setdefault(section, {}).update(entries)
        write_json(self.dir / RECORD, record)

    def set(self, **fields: object) -> None:
        record = self.record()
        record.update(fields)
        write_json(self.dir / RECORD, record)


def candidate_of_run(layout: DataLayout, run_id: str) -> Candidate | None:
    """The build folder if this run started it, else None."""
    record = read_json(layout.build_dir / RECORD)
    return Candidate(layout.build_dir) if record and record.get("run_id") == run_id else None


def open_candidate(layout: DataLayout, run_id: str, accepted: dict | None) -> Candidate:
    """This run's build folder, started now if the run has none yet.

    A build folder left by another run (one that died, or failed its checks) was never
    published: it is discarded.
    """
    existing = candidate_of_run(layout, run_id)
    if existing:
        return existing
    shutil.rmtree(layout.build_dir, ignore_errors=True)
    layout.build_dir.mkdir(parents=True)
    published = published_release(layout)
    history_id = accepted["history_id"] if accepted else None
    same_history = published is not None and published.get("history_id") == history_id
    if same_history:
        shutil.copyfile(layout.published_warehouse, layout.build_dir / WAREHOUSE_FILE)
    write_json(
        layout.build_dir / RECORD,
        {
            "run_id": run_id,
            "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "base_release": published["release_id"] if same_history else None,
            "history_id": history_id,
            # what the warehouse was built from: the published delivery until staging is rebuilt
            "snapshot_id": published["snapshot_id"] if same_history else None,
            "scenario": published["scenario"] if same_history else None,
            "end_date": published["end_date"] if same_history else None,
            "dbt_nodes": {},
            "checks": {},
            "reports": {},
        },
    )
    return Candidate(layout.build_dir)
