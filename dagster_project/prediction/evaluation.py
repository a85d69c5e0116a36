"""How good a risk score is on the test stays, and how good it could be: AUC with a DeLong
95% interval, Brier score and calibration curve of a model, LACE's AUC on the same stays, and
the oracle AUC of the probabilities the generator planted (the answer key): no model can rank
the stays better than the truth, up to chance.
"""

import numpy as np

CALIBRATION_BINS = 10
# Below this many readmissions in the test period the AUCs' intervals are too wide (about
# +-0.1 and more) to tell a model from LACE: nothing is claimed either way.
MIN_TEST_READMISSIONS = 30


def auc_with_interval(outcome: np.ndarray, score: np.ndarray) -> dict[str, float]:
    """ROC AUC and its 95% DeLong interval (DeLong et al., Biometrics 1988;44:837-45), computed
    with midranks as in Sun and Xu, IEEE Signal Processing Letters 2014;21(11):1389-93: exact
    and O(n log n), where a bootstrap would refit the AUC hundreds of times."""
    from scipy.stats import norm, rankdata

    outcome, score = np.asarray(outcome, dtype=bool), np.asarray(score, dtype=float)
    positives, negatives = score[outcome], score[~outcome]
    if len(positives) < 2 or len(negatives) < 2:
        raise ValueError(
            f"an AUC interval needs 2 stays of each outcome; got {len(positives)} and {len(negatives)}"
        )
    ranks = rankdata(np.concatenate([positives, negatives]))
    above = (ranks[: len(positives)] - rankdata(positives)) / len(negatives)  # per positive
    below = 1.0 - (ranks[len(positives) :] - rankdata(negatives)) / len(positives)  # per negative
    auc = float(above.mean())
    spread = np.sqrt(above.var(ddof=1) / len(positives) + below.var(ddof=1) / len(negatives))
    z = float(norm.ppf(0.975))
    return {
        "auc": auc,
        "auc_low": float(max(auc - z * spread, 0.0)),
        "auc_high": float(min(auc + z * spread, 1.0)),
    }


def auc_text(auc: dict[str, float]) -> str:
    """'0.761 (95% CI 0.740-0.782)': an AUC with its interval, as the reports and metadata say it."""
    return f"{auc['auc']:.3f} (95% CI {auc['auc_low']:.3f}-{auc['auc_high']:.3f})"


def calibration(outcome: np.ndarray, probability: np.ndarray) -> list[dict[str, float]]:
    """Observed readmission rate against mean predicted probability in equal-size bins."""
    from sklearn.calibration import calibration_curve

    observed, predicted = calibration_curve(
        np.asarray(outcome, dtype=int), probability, n_bins=CALIBRATION_BINS, strategy="quantile"
    )
    return [{"predicted": float(p), "observed": float(o)} for p, o in zip(predicted, observed, strict=True)]


def evaluate(outcome: np.ndarray, probability: np.ndarray, lace: np.ndarray, planted: np.ndarray) -> dict:
    """The model's metrics beside LACE's and the oracle's, on the same stays."""
    from sklearn.metrics import brier_score_loss

    outcome = np.asarray(outcome, dtype=int)
    return {
        "stays": int(len(outcome)),
        "readmitted": int(outcome.sum()),
        "model": auc_with_interval(outcome, probability)
        | {"brier": float(brier_score_loss(outcome, probability))},
        "lace": auc_with_interval(outcome, lace),
        "oracle": auc_with_interval(outcome, planted) | {"brier": float(brier_score_loss(outcome, planted))},
        "calibration": calibration(outcome, probability),
    }


def judge_against_lace(chosen: dict, min_readmissions: int = MIN_TEST_READMISSIONS) -> tuple[bool, str]:
    """Whether the chosen model ranks the test stays at least as well as LACE (chosen: its
    evaluate output with the test period's stays and readmissions), and the sentence that says
    so. With fewer than min_readmissions test-period readmissions the two AUCs' intervals are
    too wide to tell them apart: nothing is claimed either way and the check passes, saying why."""
    model, lace, readmitted = chosen["model"]["auc"], chosen["lace"]["auc"], chosen["readmitted"]
    aucs = f"test AUC {model:.3f}, LACE's {lace:.3f}, {readmitted} test-period readmissions"
    if readmitted < min_readmissions:
        return True, f"not judged: {aucs} (at least {min_readmissions} needed to tell them apart)"
    if model < lace:
        return False, f"the model ranks worse than LACE: {aucs}"
    return True, f"the model ranks at least as well as LACE: {aucs}"
