"""Train, evaluate and score in one pass: what the readmission model asset writes.

The models are trained on the earlier labelled discharges and tested on the later ones
(readmission_model.temporal_split); the one with the higher test AUC scores the recent
discharges that have no 30-day outcome yet: each stay's predicted risk, top contributing
factors and risk band. Bands are cut at the test period's predicted-risk deciles: high = the
top decile, elevated = the next two, usual = the rest. These scores are all the model adds: dbt
joins them to the marts and ranks them into the follow-up list (fct_readmission_followup_list).
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dagster_project.prediction import evaluation
from dagster_project.prediction import readmission_model as rm
from dagster_project.settings import READMISSION_SCORES_FILE

# The scores file's columns: what only the model knows about each recent discharge
SCORE_COLUMNS = ("stay_id", "predicted_risk_30d", "risk_band", "top_factors", "scored_by")
FOLLOWUP_MART = "fct_readmission_followup_list"
RISK_BANDS = ("high", "elevated", "usual")


@dataclass(frozen=True)
class ModelRun:
    """Everything one training run produced."""

    chosen: str
    models: dict
    metrics: dict  # per model name: evaluation.evaluate output
    top_factors: dict[str, float]
    split: rm.Split
    scores: pd.DataFrame
    band_cuts: tuple[float, float]


def risk_bands(probability: np.ndarray, cuts: tuple[float, float]) -> np.ndarray:
    high, elevated = cuts
    return np.where(probability >= high, "high", np.where(probability >= elevated, "elevated", "usual"))


def run(features: pd.DataFrame, planted: pd.Series | None, seed: int = rm.SEED) -> ModelRun:
    """Train both models, evaluate them on the test period against LACE and the planted
    probabilities (planted: indexed by stay_id; None when the data has no answer key), and
    score the recent discharges."""
    split = rm.temporal_split(features)
    test = split.test
    outcome = test[rm.LABEL].astype(int).to_numpy()
    truth = np.full(len(test), np.nan) if planted is None else planted.reindex(test["stay_id"]).to_numpy()
    if planted is not None and np.isnan(truth).any():
        missing = int(np.isnan(truth).sum())
        raise ValueError(f"answer key planted_readmission_risk has no probability for {missing} test stays")
    models, metrics, predictions = {}, {}, {}
    for name in rm.MODELS:
        models[name] = rm.fit(name, split.train, seed)
        predictions[name] = rm.predict(models[name], test)
        oracle = truth if planted is not None else predictions[name]
        metrics[name] = evaluation.evaluate(outcome, predictions[name], test["lace_score"], oracle)
        if planted is None:
            metrics[name]["oracle"] = None
    chosen = max(metrics, key=lambda name: metrics[name]["model"]["auc"])
    cuts = tuple(float(q) for q in np.quantile(predictions[chosen], [0.9, 0.7]))
    recent = features[~features["is_index_30d"].astype(bool)].copy()
    recent["predicted_risk_30d"] = rm.predict(models[chosen], recent) if len(recent) else []
    recent["risk_band"] = risk_bands(recent["predicted_risk_30d"].to_numpy(), cuts)
    factors = rm.stay_contributions(models["logistic_regression"], recent) if len(recent) else []
    recent["top_factors"] = [", ".join(f) for f in factors]
    recent["scored_by"] = chosen
    return ModelRun(
        chosen=chosen,
        models=models,
        metrics=metrics,
        top_factors=rm.top_factors(models[chosen], test, seed),
        split=split,
        scores=recent.loc[:, list(SCORE_COLUMNS)].reset_index(drop=True),
        band_cuts=cuts,
    )


def model_card(result: ModelRun) -> str:
    """A short Markdown model card: data, features, periods, metrics, top factors."""
    split, chosen = result.split, result.metrics[result.chosen]
    lines = [
        "# Readmission risk at discharge: model card",
        "",
        f"- Outcome: unplanned readmission within 30 days of an index stay (fct_readmissions, CMS "
        f"Hospital-Wide Readmission definition). Chosen model: {result.chosen} (higher test AUC).",
        f"- Training: {len(split.train):,} stays discharged {split.train['discharged_at'].min():%Y-%m-%d} "
        f"to before {split.cutoff:%Y-%m-%d %H:%M}; test: {len(split.test):,} stays discharged from then "
        f"to {split.test['discharged_at'].max():%Y-%m-%d} ({chosen['readmitted']:,} readmitted).",
        f"- Features (known at discharge): {', '.join(rm.FEATURES)}.",
        "",
        "| score on the test stays | AUC | 95% interval | Brier |",
        "|---|---|---|---|",
    ]
    for name, metrics in result.metrics.items():
        model = metrics["model"]
        interval = f"{model['auc_low']:.3f}-{model['auc_high']:.3f}"
        lines.append(f"| {name} | {model['auc']:.3f} | {interval} | {model['brier']:.4f} |")
    lace = chosen["lace"]
    lines.append(f"| LACE index | {lace['auc']:.3f} | {lace['auc_low']:.3f}-{lace['auc_high']:.3f} | |")
    oracle = chosen["oracle"]
    if oracle:
        lines.append(
            f"| planted probability (oracle) | {oracle['auc']:.3f} | {oracle['auc_low']:.3f}-"
            f"{oracle['auc_high']:.3f} | {oracle['brier']:.4f} |"
        )
    lines += ["", "Top factors (test AUC lost when the feature is shuffled):", ""]
    lines += [f"- {name}: {drop:.4f}" for name, drop in list(result.top_factors.items())[:5]]
    return "\n".join(lines) + "\n"


def write(result: ModelRun, folder: Path) -> list[str]:
    """Write the chosen model, both metrics, the model card and the recent discharges' scores
    (settings.READMISSION_SCORES_FILE, dbt's source readmission_model.followup_scores) under
    folder; the file names written."""
    import joblib

    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump(result.models[result.chosen], folder / "model.joblib")
    (folder / "metrics.json").write_text(
        json.dumps(
            {"chosen": result.chosen, "models": result.metrics, "top_factors": result.top_factors}, indent=2
        ),
        encoding="utf-8",
    )
    (folder / "model_card.md").write_text(model_card(result), encoding="utf-8")
    result.scores.to_parquet(folder / READMISSION_SCORES_FILE, index=False)
    return ["model.joblib", "metrics.json", "model_card.md", READMISSION_SCORES_FILE]


def read_metrics(folder: Path) -> dict:
    """The metrics a model run wrote under folder."""
    return json.loads((folder / "metrics.json").read_text(encoding="utf-8"))


def read_followup_list(connection) -> pd.DataFrame:  # noqa: ANN001 (a DuckDB connection)
    """The follow-up list mart of a warehouse, riskiest stay first."""
    return connection.execute(f"select * from marts.{FOLLOWUP_MART} order by risk_rank").df()


def top_decile_expected_readmissions(listed: pd.DataFrame) -> tuple[int, float]:
    """Stays in the follow-up list's top decile (the mart's risk_decile 1) and the readmissions
    they are expected to hold (the sum of their predicted risks)."""
    top = listed[listed["risk_decile"] == 1]
    return len(top), float(top["predicted_risk_30d"].sum())


def summary_section(metrics: dict, listed: pd.DataFrame, location: str) -> str:
    """The executive summary's paragraph on the follow-up list (the mart's rows): what it holds,
    how good the ranking is on the test period (with intervals, beside LACE and the planted truth)."""

    chosen = metrics["models"][metrics["chosen"]]
    top, expected = top_decile_expected_readmissions(listed)
    model_auc, lace_auc = evaluation.auc_text(chosen["model"]), evaluation.auc_text(chosen["lace"])
    oracle_auc = evaluation.auc_text(chosen["oracle"]) if chosen["oracle"] else ""
    lines = [
        "## Readmission follow-up list",
        "",
        f"- {len(listed):,} recent discharges without 30 days of follow-up yet are ranked by predicted "
        f"30-day readmission risk in `{location}` of the published warehouse, with each stay's top "
        "factors and a risk band.",
        f"- The top decile ({top:,} stays) is expected to hold {expected:.1f} readmissions (the sum of "
        "their predicted risks).",
        f"- On the test period ({chosen['stays']:,} later discharges, {chosen['readmitted']:,} readmitted) "
        f"the {metrics['chosen'].replace('_', ' ')} ranks stays with AUC {model_auc}; LACE: {lace_auc}"
        + (
            f"; the planted probabilities (the best ranking, up to chance): {oracle_auc}."
            if chosen["oracle"]
            else "."
        ),
    ]
    judged_ok, _ = evaluation.judge_against_lace(chosen)
    if chosen["readmitted"] < evaluation.MIN_TEST_READMISSIONS:
        lines.append(
            f"- With {chosen['readmitted']:,} test-period readmissions (fewer than "
            f"{evaluation.MIN_TEST_READMISSIONS}) the model cannot be told from LACE yet: the ranking "
            "is a first guess until a longer history tests it."
        )
    elif not judged_ok:
        lines.append(
            "- The model ranks the test stays worse than LACE: rank follow-up by the LACE score (in the "
            "list) until a longer history trains a better model."
        )
    return "\n".join(lines) + "\n"
