"""Child processes die with the process that started them (Linux), so a killed run never leaves
a generator worker or a dbt build behind, writing where the next run will write.

Standard library only: the generator uses it too, and the generator imports no Dagster.
"""

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1  # prctl option: the signal this process gets when its parent dies


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies; a no-op off Linux. If the
    parent has already died (this process was re-parented), exit at once."""
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (AttributeError, OSError):
        return
    if os.getppid() != parent:
        os._exit(1)
