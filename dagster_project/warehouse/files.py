"""Small atomic file operations the publishing steps share: JSON records and symbolic links
that are replaced in one rename, so a reader sees the old one or the new one, never half."""

import json
import os
import tempfile
from pathlib import Path


def write_json(path: Path, record: dict) -> None:
    """Write a JSON record atomically (a temporary sibling, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=2, sort_keys=True, default=str)
        handle.write("\n")
    os.chmod(temporary, 0o644)  # mkstemp makes it private; readers of the data directory need it
    os.replace(temporary, path)


def read_json(path: Path) -> dict | None:
    """The record at path, or None when there is none."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def point_link(link: Path, target: Path) -> None:
    """Make `link` a relative symbolic link to `target`, replacing any old one in one step."""
    link.parent.mkdir(parents=True, exist_ok=True)
    relative = os.path.relpath(target, link.parent)
    temporary = link.parent / f".{link.name}.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    os.symlink(relative, temporary)
    os.replace(temporary, link)
