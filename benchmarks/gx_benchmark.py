"""Great Expectations benchmark: every suite of every stage over one data directory.

Run from the repository root, on a data directory a full run has filled (raw extract and
warehouse), with the scenario it was generated from:

    EMR_DATA_DIR=/tmp/gx_bench/data EMR_SCENARIO=/tmp/gx_bench/scenario.yaml \\
        .venv/bin/python benchmarks/gx_benchmark.py [--workers 2] [--no-docs]

For ~1 million encounters, copy scenarios/default.yaml with `patients: 348000` (2.87
encounters per patient over its two years) and run `make run` with those two variables.
Each suite runs exactly as its Dagster check does (same reader, columns, parameters and
Data Docs), timed in two parts: reading the table into pandas (Parquet, or the DuckDB model,
which for a staging view includes computing the view) and Great Expectations itself
(validation, storing the result, rendering its Data Docs page). The project's runs execute
in process, one check after the other (`--workers 1`, the default); `--workers N` shows what
running suites side by side in N processes would gain.
"""

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dagster_project import settings  # noqa: E402
from dagster_project.defs.quality import data_docs_dir, read_table, suite_files  # noqa: E402


def run_suite(stage: str, path: Path, docs: bool) -> dict:
    """Read and validate one suite's table as its check does; time both parts."""
    from dagster_project.quality.parameters import suite_parameters
    from dagster_project.quality.validation import referenced_columns, validate_dataframe

    start = time.perf_counter()
    dataframe = read_table(stage, path.stem, referenced_columns(path))
    read_seconds = time.perf_counter() - start
    start = time.perf_counter()
    outcome = validate_dataframe(
        path,
        dataframe,
        parameters=suite_parameters(settings.scenario_path(), stage, path.stem, len(dataframe)),
        docs_dir=data_docs_dir() if docs else None,
    )
    return {
        "name": f"{stage}/{path.stem}",
        "rows": len(dataframe),
        "read": read_seconds,
        "gx": time.perf_counter() - start,
        "failed": outcome.failed,
        "critical": len(outcome.critical_failures),
    }


def _import_gx() -> None:
    import great_expectations  # noqa: F401


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1, help="suites validated side by side")
    parser.add_argument("--no-docs", action="store_true", help="validate only, no results or Data Docs kept")
    args = parser.parse_args()
    if "EMR_DATA_DIR" not in os.environ:
        parser.error("set EMR_DATA_DIR (and EMR_SCENARIO) to a filled data directory")

    started = time.perf_counter()
    suites = suite_files()
    print(f"{'suite':<50} {'rows':>12} {'read s':>8} {'gx s':>8}  result")
    with ProcessPoolExecutor(max_workers=args.workers, initializer=_import_gx) as pool:
        results = list(
            pool.map(run_suite, *zip(*suites, strict=True), [not args.no_docs] * len(suites), chunksize=1)
        )
    for r in results:
        result = f"{len(r['failed'])} failed ({r['critical']} critical)" if r["failed"] else "pass"
        print(f"{r['name']:<50} {r['rows']:>12,} {r['read']:>8.2f} {r['gx']:>8.2f}  {result}")
    total = time.perf_counter() - started
    read, gx = sum(r["read"] for r in results), sum(r["gx"] for r in results)
    print(
        f"\n{len(results)} suites, {sum(r['rows'] for r in results):,} rows, {args.workers} worker(s): "
        f"read + convert {read:.1f} s, GX {gx:.1f} s (summed over suites); wall clock {total:.1f} s "
        "(includes importing GX in each worker)"
    )
    for r in results:
        for o in r["failed"]:
            print(
                f"  FAILED {r['name']} [{o.severity}] {o.expectation} {o.column or ''}: "
                f"observed {o.observed}, unexpected {o.unexpected_count}, sample {o.unexpected_sample}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
