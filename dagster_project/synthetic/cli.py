"""Command line: emr-generate --scenario FILE --out DIR [--seed N] [--patients N] [--start] [--end]
[--max-encounters N]. Writes DIR/feed/<table>/ and DIR/answer_key/defect_ledger/."""

import argparse
import sys
import time
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="emr-generate", description="Write a synthetic EMR extract as Parquet."
    )
    parser.add_argument("--scenario", required=True, type=Path, help="scenario YAML file")
    parser.add_argument("--out", required=True, type=Path, help="output folder (replaced atomically)")
    parser.add_argument("--seed", type=int, help="override the scenario seed")
    parser.add_argument("--patients", type=int, help="override the number of patients")
    parser.add_argument("--start", help="override start_date (YYYY-MM-DD)")
    parser.add_argument("--end", help="override end_date (YYYY-MM-DD)")
    parser.add_argument(
        "--max-encounters",
        type=int,
        default=None,
        help="refuse scenarios larger than this (default 5,000,000): raise it on purpose for a large run",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .extract import generate_extract
    from .scenario import ScenarioError, load_scenario
    from .size import DEFAULT_MAX_ENCOUNTERS, check_size

    overrides = {
        "seed": args.seed,
        "patients": args.patients,
        "start_date": args.start,
        "end_date": args.end,
    }
    try:
        scenario = load_scenario(args.scenario, {k: v for k, v in overrides.items() if v is not None})
        size = check_size(scenario, args.max_encounters or DEFAULT_MAX_ENCOUNTERS)
    except ScenarioError as error:
        print(f"emr-generate: {error}", file=sys.stderr)
        return 2
    print(f"emr-generate: {args.scenario} asks for {size.describe()}.", file=sys.stderr)
    began = time.perf_counter()
    rows = generate_extract(scenario, args.out)
    elapsed = time.perf_counter() - began
    width = max(len(name) for name in rows)
    for name, count in rows.items():
        print(f"{name:<{width}}  {count:>12,}")
    print(f"elapsed seconds: {elapsed:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
