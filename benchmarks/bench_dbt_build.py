"""dbt benchmark: `dbt build` of the whole project over about 1 million encounters.

Run from the repository root:
    .venv/bin/python benchmarks/bench_dbt_build.py [--encounters 1000000]

Generates the default scenario scaled to the target encounter count (untimed), lands the
ICD-10-CM reference table, then times one `dbt build` (models, seeds, data and unit tests)
into a fresh DuckDB file, and lists the slowest nodes from run_results.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCENARIO = REPO / "scenarios" / "default.yaml"
ENCOUNTERS_PER_PATIENT = 2.87  # default scenario, two years (measured)
DBT = Path(sys.executable).parent / "dbt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encounters", type=int, default=1_000_000)
    args = parser.parse_args()
    patients = round(args.encounters / ENCOUNTERS_PER_PATIENT)
    with tempfile.TemporaryDirectory(prefix="bench-dbt-") as tmp:
        data_dir = Path(tmp)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "dagster_project.synthetic.cli",
                "--scenario",
                str(SCENARIO),
                "--out",
                str(data_dir / "raw"),
                "--patients",
                str(patients),
            ],
            cwd=REPO,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from dagster_project.reference.icd10cm import "
                "write_icd10cm_codes; write_icd10cm_codes(Path(sys.argv[1]))",
                str(data_dir / "reference"),
            ],
            cwd=REPO,
            check=True,
        )
        artifacts = data_dir / "dbt_artifacts"
        began = time.perf_counter()
        subprocess.run(
            [str(DBT), "build", "--target-path", str(artifacts), "--log-path", str(artifacts), "--quiet"],
            cwd=REPO / "dbt",
            env={**os.environ, "EMR_DATA_DIR": str(data_dir)},
            check=True,
        )
        elapsed = time.perf_counter() - began
        results = json.loads((artifacts / "run_results.json").read_text())["results"]
        import duckdb

        with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as connection:
            (encounters,) = connection.execute("select count(*) from marts.fct_encounters").fetchone()
    print(f"encounters in fct_encounters: {encounters:,}")
    print(f"dbt build: {len(results)} nodes in {elapsed:.1f} s (target <= 60 s)")
    print("slowest nodes:")
    for result in sorted(results, key=lambda r: r["execution_time"], reverse=True)[:8]:
        print(f"  {result['execution_time']:6.2f} s  {result['unique_id']}")


if __name__ == "__main__":
    main()
