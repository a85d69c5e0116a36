"""Readmission model benchmark: wall time of one model run (train both models on the temporal
split, evaluate them, permutation top factors, score the recent discharges) by size.

Run from the repository root, against a warehouse built by `make run` (or any data directory):
    .venv/bin/python benchmarks/bench_readmission_model.py --warehouse data/published/warehouse.duckdb \\
        --encounters 100000 1000000

The features mart of the warehouse is resampled with replacement to the number of stays that
many encounters give (its own stays per encounter), discharge times kept, so the frame has the
mart's columns and distributions at the target size. No answer key is read (the oracle AUC
costs one AUC more). Training is single-threaded, as in the asset.

With --answer-key (the extract's answer_key/planted_readmission_risk folder) it first runs the
model once on the warehouse's own stays, as the asset does, and prints its model card: the
test AUCs of both models, LACE and the planted probabilities (the oracle), with intervals.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dagster_project.prediction import followup  # noqa: E402


def features_at(warehouse: Path, encounters: int, seed: int = 1):  # noqa: ANN201 (a DataFrame)
    """The warehouse's features mart resampled to the stays of `encounters` encounters."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        features = connection.execute("select * from marts.fct_readmission_risk_features").df()
        total = connection.execute("select count(*) from staging.stg_emr__encounters").fetchone()[0]
    stays = round(encounters * len(features) / total)
    sample = features.sample(n=stays, replace=True, random_state=seed)
    sample["stay_id"] = [f"B{k:09d}" for k in range(stays)]
    return sample.sort_values("discharged_at").reset_index(drop=True)


def model_card(warehouse: Path, answer_key: Path) -> str:
    """The model card of one model run on the warehouse's own stays, scored against the answer
    key's planted probabilities (as the asset runs it)."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        features = connection.execute("select * from marts.fct_readmission_risk_features").df()
    planted = duckdb.sql(f"select * from read_parquet('{answer_key}/*.parquet')").df()
    result = followup.run(features, planted.set_index("encounter_id")["planted_probability_30d"])
    return followup.model_card(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--encounters", type=int, nargs="+", default=[100_000])
    parser.add_argument("--answer-key", type=Path, help="answer_key/planted_readmission_risk of the extract")
    args = parser.parse_args()
    if args.answer_key:
        print(model_card(args.warehouse, args.answer_key))
    print(
        "| encounters | stays | labelled | wall s (train, evaluate, score) | chosen | test AUC | LACE AUC |"
    )
    print("|---|---|---|---|---|---|---|")
    for encounters in args.encounters:
        frame = features_at(args.warehouse, encounters)
        started = time.perf_counter()
        result = followup.run(frame, None)
        elapsed = time.perf_counter() - started
        chosen = result.metrics[result.chosen]
        print(
            f"| {encounters:,} | {len(frame):,} | {int(frame['is_index_30d'].sum()):,} | {elapsed:.1f} | "
            f"{result.chosen} | {chosen['model']['auc']:.3f} | {chosen['lace']['auc']:.3f} |"
        )


if __name__ == "__main__":
    main()
