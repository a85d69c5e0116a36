"""`emr-run` in its own process, as a person starts it, and the means to stop it at a chosen
moment: poll its Dagster event log until a step has started, then SIGKILL it."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.support.paths import REPO_ROOT

INSTANCE_CONFIG = REPO_ROOT / "dagster_project" / "instance" / "dagster.yaml"
EMR_RUN = Path(sys.executable).parent / "emr-run"


def environment(data_dir: Path, scenario: Path) -> dict[str, str]:
    dagster_home = data_dir.parent / f"{data_dir.name}_dagster_home"
    dagster_home.mkdir(parents=True, exist_ok=True)
    shutil.copy(INSTANCE_CONFIG, dagster_home / "dagster.yaml")
    return {
        **os.environ,
        "EMR_DATA_DIR": str(data_dir),
        "EMR_SCENARIO": str(scenario),
        "DAGSTER_HOME": str(dagster_home),
    }


def start(data_dir: Path, scenario: Path, log: Path) -> subprocess.Popen:
    with open(log, "w") as handle:
        return subprocess.Popen(
            [str(EMR_RUN)], env=environment(data_dir, scenario), stdout=handle, stderr=subprocess.STDOUT
        )


def run(data_dir: Path, scenario: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(EMR_RUN)], env=environment(data_dir, scenario), capture_output=True, text=True)


def instance(data_dir: Path):  # noqa: ANN201 (a DagsterInstance)
    import dagster as dg

    dagster_home = data_dir.parent / f"{data_dir.name}_dagster_home"
    return dg.DagsterInstance.from_config(str(dagster_home))


def started_steps(data_dir: Path) -> list[str]:
    """Step keys started by the newest run of this data directory's instance."""
    import dagster as dg

    with instance(data_dir) as dagster:
        runs = dagster.get_runs(limit=1)
        if not runs:
            return []
        records = dagster.get_records_for_run(runs[0].run_id, of_type=dg.DagsterEventType.STEP_START).records
        return [record.event_log_entry.step_key for record in records]


def wait_until(condition, process: subprocess.Popen, seconds: float = 1200) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, (
            f"emr-run ended (exit {process.returncode}) before the moment to stop it"
        )
        if condition():
            return
        time.sleep(0.2)
    raise TimeoutError("the moment to stop emr-run never came")


def descendants(pid: int) -> set[int]:
    """Every living process below pid (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = set(), [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


def wait_until_gone(pids: set[int], seconds: float = 30) -> set[int]:
    """The processes still alive after waiting up to `seconds` for them to end."""
    deadline = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive(pids)


def kill(process: subprocess.Popen) -> set[int]:
    """SIGKILL the emr-run process alone (not its group); its children as they were just before."""
    children = descendants(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return children
