"""dbt benchmark: `dbt build` of the whole project over about 1 million encounters.

Run from the repository root:
    .venv/bin/python benchmarks/bench_dbt_build.py [--encounters 1000000]

Generates the default scenario scaled to the target encounter count as the accepted delivery
of a throwaway data directory (untimed), lands the reference tables (ICD-10-CM, ICD-10-PCS,
AHRQ CCS), then times one `dbt build` (seeds, models and data tests) into a fresh candidate
warehouse (build/warehouse.duckdb), and lists the slowest nodes from run_results.json.

The build is what the pipeline's two dbt ops build before the readmission risk model (the
follow-up list, built from the model's scores, is left out: it needs a trained model).
The build runs as the pipeline runs it: without dbt's unit tests (CI runs those), with the data
directory in EMR_DATA_DIR, and from a parse made before (`make manifest` parses at install; timed
here on its own), which dagster-dbt copies into each run's target folder. A cold build, parse
included, takes the parse time longer.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import REPO, scaled_scenario  # noqa: E402

from dagster_project.defs.dbt_models import PREDICTION_MODELS, SKIP_UNIT_TESTS  # noqa: E402

DBT = Path(sys.executable).parent / "dbt"
PARTIAL_PARSE = "partial_parse.msgpack"
LAND = """
import sys
from pathlib import Path
from dagster_project.reference.landing import write_reference_tables
from dagster_project.settings import DataLayout
from dagster_project.synthetic.extract import generate_extract
from dagster_project.synthetic.scenario import load_scenario
from dagster_project.warehouse.snapshots import accept
layout = DataLayout(Path(sys.argv[1]))
generate_extract(load_scenario(sys.argv[2]), layout.snapshot_dir("bench"))
accept(layout, "bench")
write_reference_tables(layout.reference_dir)
layout.build_dir.mkdir()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encounters", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-dbt-") as tmp:
        data_dir = Path(tmp) / "data"
        scenario = scaled_scenario(args.encounters, Path(tmp))
        subprocess.run([sys.executable, "-c", LAND, str(data_dir), str(scenario)], cwd=REPO, check=True)
        env = {**os.environ, "EMR_DATA_DIR": str(data_dir)}
        parsed = Path(tmp) / "parsed"
        began = time.perf_counter()
        parse = [str(DBT), "parse", "--quiet", "--target-path", str(parsed)]
        subprocess.run(parse, cwd=REPO / "dbt", env=env, check=True)
        parse_seconds = time.perf_counter() - began
        artifacts = data_dir / "dbt_runs" / "bench"
        artifacts.mkdir(parents=True)
        shutil.copyfile(parsed / PARTIAL_PARSE, artifacts / PARTIAL_PARSE)
        began = time.perf_counter()
        subprocess.run(
            [str(DBT), "build", *SKIP_UNIT_TESTS, "--exclude", PREDICTION_MODELS, "--quiet"]
            + ["--target-path", str(artifacts), "--log-path", str(artifacts)],
            cwd=REPO / "dbt",
            env=env,
            check=True,
        )
        elapsed = time.perf_counter() - began
        results = json.loads((artifacts / "run_results.json").read_text())["results"]
        import duckdb

        with duckdb.connect(str(data_dir / "build" / "warehouse.duckdb"), read_only=True) as connection:
            (encounters,) = connection.execute("select count(*) from marts.fct_encounters").fetchone()
    print(f"encounters in fct_encounters: {encounters:,}")
    print(f"dbt parse (at install): {parse_seconds:.1f} s")
    print(f"dbt build: {len(results)} nodes in {elapsed:.1f} s (target <= 60 s)")
    print("slowest nodes:")
    for result in sorted(results, key=lambda r: r["execution_time"], reverse=True)[:8]:
        print(f"  {result['execution_time']:6.2f} s  {result['unique_id']}")


if __name__ == "__main__":
    main()
