"""How good a risk score is on the test stays, and how good it could be: AUC with a bootstrap
95% interval, Brier score and calibration curve of a model, LACE's AUC on the same stays, and
the oracle AUC of the probabilities the generator planted (the answer key): no model can rank
the stays better than the truth, up to chance.
"""

import numpy as np

BOOTSTRAP_RESAMPLES = 500
CALIBRATION_BINS = 10


def auc_with_interval(outcome: np.ndarray, score: np.ndarray, seed: int) -> dict[str, float]:
    """ROC AUC and its 95% percentile bootstrap interval (stays resampled with replacement)."""
    from scipy.stats import bootstrap
    from sklearn.metrics import roc_auc_score

    outcome, score = np.asarray(outcome, dtype=int), np.asarray(score, dtype=float)
    interval = bootstrap(
        (outcome, score),
        lambda y, s: roc_auc_score(y, s) if 0 < y.sum() < len(y) else np.nan,
        paired=True,
        vectorized=False,
        n_resamples=BOOTSTRAP_RESAMPLES,
        confidence_level=0.95,
        method="percentile",
        rng=np.random.default_rng(seed),
    ).confidence_interval
    return {
        "auc": float(roc_auc_score(outcome, score)),
        "auc_low": float(interval.low),
        "auc_high": float(interval.high),
    }


def calibration(outcome: np.ndarray, probability: np.ndarray) -> list[dict[str, float]]:
    """Observed readmission rate against mean predicted probability in equal-size bins."""
    from sklearn.calibration import calibration_curve

    observed, predicted = calibration_curve(
        np.asarray(outcome, dtype=int), probability, n_bins=CALIBRATION_BINS, strategy="quantile"
    )
    return [{"predicted": float(p), "observed": float(o)} for p, o in zip(predicted, observed, strict=True)]


def evaluate(
    outcome: np.ndarray, probability: np.ndarray, lace: np.ndarray, planted: np.ndarray, seed: int
) -> dict:
    """The model's metrics beside LACE's and the oracle's, on the same stays."""
    from sklearn.metrics import brier_score_loss

    outcome = np.asarray(outcome, dtype=int)
    return {
        "stays": int(len(outcome)),
        "readmitted": int(outcome.sum()),
        "model": auc_with_interval(outcome, probability, seed)
        | {"brier": float(brier_score_loss(outcome, probability))},
        "lace": auc_with_interval(outcome, lace, seed),
        "oracle": auc_with_interval(outcome, planted, seed)
        | {"brier": float(brier_score_loss(outcome, planted))},
        "calibration": calibration(outcome, probability),
    }
