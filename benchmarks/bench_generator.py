"""Generator benchmarks: speed against the Faker baseline, and time and peak memory by size.

Run from the repository root:
    .venv/bin/python benchmarks/bench_generator.py [--sizes 100000 1000000 5000000]

Sizes are target encounter counts; the patient count is scaled from the default scenario's
encounters per patient. The baseline makes patients, encounters and diagnoses only; the
generator makes those and ten more tables in the same time, so both rates are printed: all
rows per second, and patient+encounter+diagnosis rows per second (a floor for like-for-like).
Each generation runs as a separate `emr-generate` process whose whole
process tree (the shard workers included) is sampled for resident memory every 50 ms.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import REPO, SCENARIO, patients_for, run_measured  # noqa: E402


def run_generator(patients: int, out: Path) -> tuple[float, int, dict[str, int]]:
    """Wall seconds, peak tree RSS bytes and rows per table of one emr-generate run."""
    command = [sys.executable, "-m", "dagster_project.synthetic.cli", "--scenario", str(SCENARIO)]
    command += ["--out", str(out), "--patients", str(patients), "--max-encounters", str(10**9)]
    elapsed, peak, stdout = run_measured(command, cwd=REPO)
    rows = {}
    for line in stdout.splitlines():
        name, _, count = line.partition("  ")
        if count.strip().replace(",", "").isdigit():
            rows[name.strip()] = int(count.strip().replace(",", ""))
    return elapsed, peak, rows


def baseline(patients: int) -> tuple[float, int]:
    import faker_baseline

    began = time.perf_counter()
    tables = faker_baseline.generate(patients)
    return time.perf_counter() - began, sum(len(t) for t in tables)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 5_000_000])
    parser.add_argument("--baseline-patients", type=int, default=2_000)
    args = parser.parse_args()

    seconds, rows = baseline(args.baseline_patients)
    base_rate = rows / seconds
    print(
        f"faker baseline: {rows:,} rows (patients+encounters+diagnoses) in {seconds:.2f} s "
        f"= {base_rate:,.0f} rows/s"
    )
    print()
    print(
        "| target encounters | patients | encounters | all rows (13 tables) | seconds | "
        "peak RSS (MB) | all rows/s | x baseline | p+e+d rows/s | x baseline |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    results = []
    with tempfile.TemporaryDirectory(dir=REPO / "benchmarks") as tmp:
        for size in args.sizes:
            patients = patients_for(size)
            elapsed, peak, counts = run_generator(patients, Path(tmp) / "extract")
            total = sum(counts.values())
            ped = counts["patients"] + counts["encounters"] + counts["diagnoses"]
            results.append((counts["encounters"], elapsed, peak))
            print(
                f"| {size:,} | {patients:,} | {counts['encounters']:,} | {total:,} | "
                f"{elapsed:.1f} | {peak / 2**20:,.0f} | {total / elapsed:,.0f} | "
                f"{total / elapsed / base_rate:.0f}x | {ped / elapsed:,.0f} | "
                f"{ped / elapsed / base_rate:.1f}x |"
            )
    if len(results) > 1:
        (e0, t0, m0), (e1, t1, m1) = results[0], results[-1]
        per_million = 1e6 / (e1 - e0)
        print()
        print(
            f"slope: {(t1 - t0) * per_million:.1f} s and {(m1 - m0) / 2**20 * per_million:,.0f} MB "
            f"peak RSS per additional million encounters"
        )


if __name__ == "__main__":
    main()
