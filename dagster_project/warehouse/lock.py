"""One writer per data directory: an exclusive, non-blocking lock on <data dir>/writer.lock.

A second writer fails at once with a message naming the holder, and changes nothing. The kernel
releases the lock when its holder dies, however it dies; the holder's record stays in the file,
so the next writer learns which run died while writing (and can mark it failed).
"""

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager

from dagster_project.settings import DataLayout


class DataDirBusy(RuntimeError):
    """Another run holds the writer lock of the data directory."""


def _read(descriptor: int) -> dict:
    os.lseek(descriptor, 0, os.SEEK_SET)
    text = os.read(descriptor, 65536).decode("utf-8", errors="replace").strip()
    try:
        return json.loads(text) if text else {}
    except json.JSONDecodeError:
        return {}


def _write(descriptor: int, record: dict) -> None:
    os.ftruncate(descriptor, 0)
    os.lseek(descriptor, 0, os.SEEK_SET)
    os.write(descriptor, json.dumps(record).encode("utf-8"))
    os.fsync(descriptor)


def describe(holder: dict) -> str:
    """'run 1a2b3c4d (pid 123, since 2026-01-01T05:00:00Z)', from a holder record."""
    if not holder:
        return "another process"
    run_id, pid, since = (holder.get(key, "?") for key in ("run_id", "pid", "since"))
    return f"run {run_id[:8]} (pid {pid}, since {since})"


@contextmanager
def writer_lock(layout: DataLayout, holder: dict) -> Iterator[dict]:
    """Hold the data directory's writer lock for the with-block.

    `holder` (run id, pid, start time) is written into the lock file while held. Yields the
    record of the previous holder if it died holding the lock, else an empty dict.
    """
    layout.root.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(layout.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        current = _read(descriptor)
        os.close(descriptor)
        raise DataDirBusy(
            f"The data directory {layout.root} is being written by {describe(current)}. "
            "Nothing was changed; run again when it has finished."
        ) from None
    try:
        died = _read(descriptor)
        _write(descriptor, holder)
        yield died
    finally:
        _write(descriptor, {})
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


def current_holder(layout: DataLayout) -> dict | None:
    """The holder's record if another process holds the lock now, else None. Changes nothing:
    the record of a holder that died stays for the next writer to report."""
    if not layout.lock_file.exists():
        return None
    descriptor = os.open(layout.lock_file, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _read(descriptor) or {"run_id": "", "pid": "?", "since": "?"}
    else:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return None
    finally:
        os.close(descriptor)
