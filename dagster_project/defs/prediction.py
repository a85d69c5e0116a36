"""The readmission risk model asset and its blocking check: thin wiring around
dagster_project/prediction. The model, its card, metrics and its scores of the recent
discharges are written into this run's candidate (models/readmission_risk/), so they are
published with the warehouse; dbt builds the follow-up list mart from the scores
(emr_prediction_models), and that mart's Great Expectations suite checks them.

The generator's answer key (planted probabilities) is read here only, to score the model
against the truth (the oracle AUC); the features never see it.
"""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from dagster_project.defs.concurrency import WAREHOUSE_POOL
from dagster_project.defs.dbt_models import emr_mart_models
from dagster_project.defs.resources import Warehouse
from dagster_project.prediction.evaluation import MIN_TEST_READMISSIONS, auc_text
from dagster_project.prediction.readmission_model import FEATURES_MART
from dagster_project.settings import READMISSION_MODEL_DIR

PLANTED_TABLE = "planted_readmission_risk"


def _planted(warehouse: Warehouse):
    """The accepted delivery's planted 30-day probabilities by stay, or None without an answer key."""
    import duckdb

    from dagster_project.warehouse.snapshots import answer_key_dir

    folder = answer_key_dir(warehouse.layout().accepted_link.resolve()) / PLANTED_TABLE
    if not any(folder.glob("*.parquet")):
        return None
    frame = duckdb.sql(f"select * from read_parquet('{folder}/*.parquet')").df()
    return frame.set_index("encounter_id")["planted_probability_30d"]


@dg.asset(
    deps=[get_asset_key_for_model([emr_mart_models], FEATURES_MART)],
    description=(
        "Readmission risk at discharge: a logistic regression and a gradient-boosted model trained on "
        "the earlier discharges of fct_readmission_risk_features and tested on the later ones, against "
        "LACE and the planted probabilities (oracle AUC); the better one scores the recent discharges, "
        "which dbt ranks into the follow-up list. Model file, card, metrics and scores are published "
        "with the warehouse."
    ),
    group_name="prediction",
    kinds={"python", "scikit-learn"},
    owners=["team:analytics"],
    pool=WAREHOUSE_POOL,
)
def readmission_risk_model(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    from dagster_project.prediction import followup

    candidate = warehouse.candidate(context.run.run_id)
    with warehouse.read_only(candidate.warehouse) as connection:
        features = connection.execute(f"select * from marts.{FEATURES_MART}").df()
    result = followup.run(features, _planted(warehouse))
    folder = candidate.dir.joinpath(*READMISSION_MODEL_DIR)
    files = followup.write(result, folder)
    release_paths = ["/".join((*READMISSION_MODEL_DIR, name)) for name in files]
    candidate.update("models", {"readmission_risk": release_paths})
    chosen = result.metrics[result.chosen]
    metadata = {
        "chosen_model": result.chosen,
        "test_stays": chosen["stays"],
        "test_readmitted": chosen["readmitted"],
        "training_until": str(result.split.cutoff),
        "model_auc": auc_text(chosen["model"]),
        "model_brier": round(chosen["model"]["brier"], 4),
        "lace_auc": auc_text(chosen["lace"]),
        "oracle_auc": auc_text(chosen["oracle"]) if chosen["oracle"] else "no answer key",
        **{f"{name}_auc": auc_text(metrics["model"]) for name, metrics in result.metrics.items()},
        "calibration": dg.MetadataValue.json(chosen["calibration"]),
        "top_factors": dg.MetadataValue.json(dict(list(result.top_factors.items())[:5])),
        "scored_recent_discharges": len(result.scores),
        "model_card": dg.MetadataValue.md(followup.model_card(result)),
        "path": dg.MetadataValue.path(str(folder.relative_to(warehouse.layout().root))),
    }
    return dg.MaterializeResult(metadata=metadata)


@dg.asset_check(
    asset=readmission_risk_model,
    blocking=True,
    description=(
        "The chosen model ranks the test stays at least as well as LACE (test AUC not below LACE's); "
        f"judged from {MIN_TEST_READMISSIONS} test-period readmissions on (fewer cannot tell them apart)."
    ),
)
def readmission_model_beats_lace(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse
) -> dg.AssetCheckResult:
    from dagster_project.prediction import followup
    from dagster_project.prediction.evaluation import judge_against_lace

    candidate = warehouse.candidate(context.run.run_id)
    metrics = followup.read_metrics(candidate.dir.joinpath(*READMISSION_MODEL_DIR))
    chosen = metrics["models"][metrics["chosen"]]
    passed, sentence = judge_against_lace(chosen)
    return dg.AssetCheckResult(
        passed=passed,
        metadata={
            "model_auc": round(chosen["model"]["auc"], 4),
            "lace_auc": round(chosen["lace"]["auc"], 4),
            "test_readmissions": chosen["readmitted"],
            "judged": chosen["readmitted"] >= MIN_TEST_READMISSIONS,
        },
        description=sentence,
    )
