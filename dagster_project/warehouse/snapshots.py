"""Raw deliveries: each lands as a new immutable snapshot; only an audited one is accepted.

A snapshot folder holds the feed as delivered (`feed/<table>/`), the generator's answer key
(`answer_key/<table>/`, never read by the warehouse) and `delivery.json`: what was delivered,
from which history, and the outcome of its raw audit. `raw/accepted` points at the newest
snapshot whose raw checks passed; dbt's sources read only that one.
"""

import datetime as dt
from pathlib import Path

from dagster_project.settings import DataLayout
from dagster_project.warehouse.files import point_link, read_json, write_json

RECORD = "delivery.json"


def new_snapshot_id(run_id: str, now: dt.datetime | None = None) -> str:
    """Sortable and unique per run: '20260101T050000Z-1a2b3c4d'."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{run_id[:8]}"


def feed_dir(snapshot_dir: Path) -> Path:
    return snapshot_dir / "feed"


def answer_key_dir(snapshot_dir: Path) -> Path:
    return snapshot_dir / "answer_key"


def write_record(snapshot_dir: Path, record: dict) -> None:
    write_json(snapshot_dir / RECORD, record)


def read_record(snapshot_dir: Path) -> dict | None:
    return read_json(snapshot_dir / RECORD)


def accepted_record(layout: DataLayout) -> dict | None:
    """The delivery record of the accepted snapshot, or None before the first accepted delivery."""
    return read_record(layout.accepted_link) if layout.accepted_link.exists() else None


def accept(layout: DataLayout, snapshot_id: str) -> None:
    """Point raw/accepted at this snapshot (one rename)."""
    point_link(layout.accepted_link, layout.snapshot_dir(snapshot_id))
