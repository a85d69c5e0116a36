"""The whole run, as a user waits for it: `emr-run` at several sizes, wall time per stage and
the peak resident memory of its whole process tree (dbt, generator workers included).

Run from the repository root:
    .venv/bin/python benchmarks/bench_pipeline.py [--sizes 100000 1000000 3000000]

Each size is a target encounter count: the default scenario with its patient count scaled. Each
run starts from an empty data directory and Dagster instance (the first delivery: every model
is built whole), executes `emr-run` as `make run` does, and reads the time of every step back
from the run's Dagster event log; generation and the raw audit are split from the delivery's
record. Stages: delivery (generate + raw audit), reference code sets, dbt staging, staging checks,
dbt intermediate and marts, intermediate and mart checks, reports, publish. What is left of the
wall time is process start, imports and Dagster's own bookkeeping.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import REPO, run_measured, scaled_scenario  # noqa: E402

EMR_RUN = Path(sys.executable).parent / "emr-run"
# Each Dagster step counts in the first stage whose pattern its step key starts with or holds
# (patterns split by |); generation and the raw audit are split from the delivery's record.
STAGES = [
    ("generate", None),
    ("raw audit", None),
    ("reference code sets", "^reference__"),
    ("dbt staging", "emr_staging_models"),
    ("risk model + follow-up list", "readmission_risk_model|emr_prediction_models|followup"),
    ("staging checks", "_gx_staging_"),
    ("dbt intermediate + marts", "emr_mart_models"),
    ("intermediate + mart checks", "_gx_intermediate_|_gx_marts_"),
    ("reports", "executive_summary|dashboard"),
    ("publish", "published__release"),
]
COLUMNS = [*(stage for stage, _ in STAGES), "outside the steps"]


def stage_of(step_key: str) -> str:
    """The stage a step counts in (the first whose pattern matches)."""
    for stage, pattern in STAGES:
        for part in (pattern or "").split("|"):
            if part and (step_key.startswith(part[1:]) if part.startswith("^") else part in step_key):
                return stage
    raise ValueError(f"step {step_key} is in no stage of the benchmark")


def stage_seconds(dagster_home: Path, data_dir: Path, wall: float) -> dict[str, float]:
    """Seconds per stage from the run's step stats; what the steps leave of the wall time is
    process start, imports, loading the definitions and Dagster's own bookkeeping."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        run = instance.get_runs(limit=1)[0]
        steps = {
            stat.step_key: stat.end_time - stat.start_time for stat in instance.get_run_step_stats(run.run_id)
        }
    delivery = json.loads((data_dir / "raw" / "accepted" / "delivery.json").read_text())
    seconds = dict.fromkeys(COLUMNS, 0.0)
    seconds["generate"] = delivery["seconds"]["generate"]
    # the delivery step: generation, the raw audit, and writing its record and metadata
    seconds["raw audit"] = steps.pop("emr_extract") - seconds["generate"]
    for key, step_seconds in steps.items():
        seconds[stage_of(key)] += step_seconds
    seconds["outside the steps"] = wall - sum(seconds.values())
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 3_000_000])
    parser.add_argument("--keep", action="store_true", help="keep the data directories (printed)")
    args = parser.parse_args()
    header = "| encounters | wall s | peak RSS (MB) | " + " | ".join(COLUMNS) + " |"
    rows = []
    for size in args.sizes:
        folder = Path(tempfile.mkdtemp(prefix=f"bench-pipeline-{size}-"))
        data_dir, dagster_home = folder / "data", folder / "dagster_home"
        dagster_home.mkdir(parents=True)
        shutil.copy(REPO / "dagster_project" / "instance" / "dagster.yaml", dagster_home / "dagster.yaml")
        environment = {
            **os.environ,
            "EMR_DATA_DIR": str(data_dir),
            "EMR_SCENARIO": str(scaled_scenario(size, folder)),
            "DAGSTER_HOME": str(dagster_home),
        }
        elapsed, peak, _ = run_measured([str(EMR_RUN)], cwd=REPO, env=environment)
        seconds = stage_seconds(dagster_home, data_dir, elapsed)
        release = json.loads((data_dir / "published" / "release.json").read_text())
        encounters = release["rows"]["marts.fct_encounters"]
        cells = " | ".join(f"{seconds[column]:.1f}" for column in COLUMNS)
        rows.append(f"| {encounters:,} | {elapsed:.1f} | {peak / 2**20:,.0f} | {cells} |")
        print(rows[-1], flush=True)
        if args.keep:
            print(f"  data directory: {data_dir}")
        else:
            shutil.rmtree(folder)
    print()
    print(header)
    print("|" + "---|" * (3 + len(COLUMNS)))
    print("\n".join(rows))


if __name__ == "__main__":
    main()
