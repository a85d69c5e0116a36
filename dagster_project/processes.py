"""Child processes die with the process that started them (Linux), so a killed run never leaves
a generator worker or a dbt build behind, writing where the next run will write.

Standard library only: the generator uses it too, and the generator imports no Dagster.
"""

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1  # prctl option: the signal this process gets when its parent dies
ORPHANED = 1  # the parent an orphan is handed to (init)


def die_with_parent(parent: int | None = None) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies; a no-op off Linux.

    `parent`: the pid of the process that started this one, when known (a worker pool passes
    its own). A parent that died before this call (while the child was still starting) cannot
    send the signal any more, so this process exits at once instead.
    """
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (AttributeError, OSError):
        return
    if os.getppid() == ORPHANED or (parent is not None and os.getppid() != parent):
        os._exit(1)
