"""What the benchmarks share: scaling a scenario to a number of encounters, and the peak
resident memory of a whole process tree (a run and every process it starts), sampled from /proc."""

import os
import subprocess
import threading
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SCENARIO = REPO / "scenarios" / "default.yaml"
ENCOUNTERS_PER_PATIENT = 5.07  # default scenario, two years, births and ED arrivals included (measured)


def patients_for(encounters: int) -> int:
    """Patients of the default scenario that give about this many encounters."""
    return round(encounters / ENCOUNTERS_PER_PATIENT)


def scaled_scenario(encounters: int, folder: Path) -> Path:
    """A copy of the default scenario with the patient count scaled to the encounters."""
    data = yaml.safe_load(SCENARIO.read_text())
    data["patients"] = patients_for(encounters)
    path = folder / f"default-{encounters}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def tree_rss_bytes(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * page
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return total


def run_measured(command: list[str], **popen: object) -> tuple[float, int, str]:
    """Run a command to its end: wall seconds, peak tree RSS bytes (every 50 ms), stdout."""
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, **popen)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_bytes(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    stdout, _ = process.communicate()
    elapsed = time.perf_counter() - began
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed with exit code {process.returncode}:\n{stdout[-3000:]}")
    return elapsed, peak, stdout
