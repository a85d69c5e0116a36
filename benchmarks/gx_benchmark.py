"""Great Expectations benchmark: every suite of every stage over one published data directory.

Run from the repository root, on a data directory a full run has filled (a published release
and its accepted delivery):

    EMR_DATA_DIR=/tmp/gx_bench/data .venv/bin/python benchmarks/gx_benchmark.py \
        [--workers 2] [--no-docs] [--stages marts ...]

For ~1 million encounters, run `make run` with EMR_DATA_DIR=/tmp/gx_bench/data and EMR_SCENARIO
pointing at a copy of scenarios/default.yaml with `patients: 197000` (5.07 encounters per
patient over its two years). Each suite runs exactly as its check does (same reader, columns,
parameters and Data Docs): raw suites against the accepted delivery, with the parameters of the
scenario it was generated from; the others against the published warehouse. Time is split
into reading the table into pandas and Great Expectations itself (validation, storing the
result, rendering its Data Docs page); the CPU time of both is shown too (on a shared machine
it moves less with other jobs than wall clock does). A run validates in process, one suite
after the other (`--workers 1`, the default); `--workers N` shows what N processes side by side
would gain.
"""

import argparse
import datetime as dt
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dagster_project import settings  # noqa: E402
from dagster_project.quality.suites import STAGES, suite_files  # noqa: E402


def run_suite(stage: str, path: Path, docs: bool) -> dict:
    """Read and validate one suite's table as its check does; time both parts."""
    from dagster_project.quality.parameters import raw_suite_parameters, window_parameters
    from dagster_project.quality.readers import read_raw_table, read_warehouse_table
    from dagster_project.quality.validation import referenced_columns, validate_dataframe
    from dagster_project.synthetic.scenario import load_scenario
    from dagster_project.warehouse.connections import connect_read_only
    from dagster_project.warehouse.snapshots import accepted_record, feed_dir

    layout = settings.layout()
    delivery = accepted_record(layout)
    cpu_start = time.process_time()
    start = time.perf_counter()
    columns = referenced_columns(path)
    if stage == "raw":
        dataframe = read_raw_table(feed_dir(layout.accepted_link), path.stem, columns)
        scenario = load_scenario(delivery["scenario"], overrides={"end_date": delivery["end_date"]})
        parameters = raw_suite_parameters(scenario, path.stem, len(dataframe))
    else:
        with connect_read_only(layout.published_warehouse) as connection:
            dataframe = read_warehouse_table(connection, stage, path.stem, columns)
        parameters = window_parameters(
            dt.date.fromisoformat(delivery["start_date"]), dt.date.fromisoformat(delivery["end_date"])
        )
    read_seconds = time.perf_counter() - start
    start = time.perf_counter()
    outcome = validate_dataframe(path, dataframe, parameters, docs_dir=layout.gx_dir if docs else None)
    return {
        "name": f"{stage}/{path.stem}",
        "rows": len(dataframe),
        "read": read_seconds,
        "gx": time.perf_counter() - start,
        "cpu": time.process_time() - cpu_start,
        "failed": outcome.failed,
        "critical": len(outcome.critical_failures),
    }


def _import_gx() -> None:
    import great_expectations  # noqa: F401


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1, help="suites validated side by side")
    parser.add_argument("--no-docs", action="store_true", help="validate only, no results or Data Docs kept")
    parser.add_argument(
        "--stages", nargs="+", choices=STAGES, default=STAGES, help="only these stages' suites"
    )
    args = parser.parse_args()
    if "EMR_DATA_DIR" not in os.environ:
        parser.error("set EMR_DATA_DIR to a data directory a run has published")

    started = time.perf_counter()
    suites = [(stage, path) for stage in args.stages for path in suite_files(stage)]
    print(f"{'suite':<50} {'rows':>12} {'read s':>8} {'gx s':>8} {'cpu s':>8}  result")
    with ProcessPoolExecutor(max_workers=args.workers, initializer=_import_gx) as pool:
        results = list(
            pool.map(run_suite, *zip(*suites, strict=True), [not args.no_docs] * len(suites), chunksize=1)
        )
    for r in results:
        result = f"{len(r['failed'])} failed ({r['critical']} critical)" if r["failed"] else "pass"
        print(
            f"{r['name']:<50} {r['rows']:>12,} {r['read']:>8.2f} {r['gx']:>8.2f} {r['cpu']:>8.2f}  {result}"
        )
    total = time.perf_counter() - started
    read, gx, cpu = (sum(r[key] for r in results) for key in ("read", "gx", "cpu"))
    print(
        f"\n{len(results)} suites, {sum(r['rows'] for r in results):,} rows, {args.workers} worker(s): "
        f"read + convert {read:.1f} s, GX {gx:.1f} s, CPU {cpu:.1f} s (summed over suites); "
        f"wall clock {total:.1f} s "
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
