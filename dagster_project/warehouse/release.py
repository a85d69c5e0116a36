"""Published releases: the only data readers ever see.

A release is a candidate that passed every check, renamed into `releases/<id>/` and made current
by pointing `published` at it: one rename each, so a reader opens the old release or the new
one, never a mixture. Its `release.json` says what it holds (delivery, history, end date, row
counts, checks) and when it was published.
"""

import datetime as dt
import os
from pathlib import Path

from dagster_project.settings import DataLayout
from dagster_project.warehouse.files import point_link, read_json, write_json

RECORD = "release.json"


def new_release_id(run_id: str, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{run_id[:8]}"


def published_release(layout: DataLayout) -> dict | None:
    """The record of the published release, or None before the first publication."""
    return read_json(layout.published_link / RECORD) if layout.published_link.exists() else None


def publish(layout: DataLayout, build_dir: Path, record: dict) -> Path:
    """Turn the build folder into a release and make it the published one; its new path."""
    write_json(build_dir / RECORD, record)
    target = layout.releases_dir / record["release_id"]
    layout.releases_dir.mkdir(parents=True, exist_ok=True)
    os.rename(build_dir, target)
    point_link(layout.published_link, target)
    return target
