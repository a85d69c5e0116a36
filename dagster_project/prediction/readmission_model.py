"""The readmission risk models: a regularised logistic regression and a gradient-boosted model
(scikit-learn), trained on the earlier discharges of fct_readmission_risk_features and tested
on the later ones, seeded so that the same data gives the same model.

Only the FEATURES columns are read, all known at discharge; the outcome (is_readmitted_30d)
is the label. The model that scores the follow-up list is the one with the higher test AUC.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

FEATURES_MART = "fct_readmission_risk_features"  # the only table the model reads
NUMERIC_FEATURES = (
    "age_at_admission",
    "length_of_stay_days",
    "charlson_score_1987",
    "charlson_score_quan2011",
    "charlson_categories",
    "elixhauser_readmission_index",
    "elixhauser_measures",
    "prior_emergency_visits_6m",
    "prior_admissions_12m",
    "lace_score",
)
CATEGORICAL_FEATURES = (
    "department_name",
    "sex",
    "payer_class",
    "admission_type",
    "discharge_disposition",
    "principal_ccs_category",
)
FEATURES = NUMERIC_FEATURES + CATEGORICAL_FEATURES
LABEL = "is_readmitted_30d"
TEST_SHARE = 0.25  # the latest quarter of the labelled discharges
SEED = 20240101
MAX_ITERATIONS = 300


@dataclass(frozen=True)
class Split:
    """Labelled stays split by discharge time: train before `cutoff`, test from it on."""

    train: pd.DataFrame
    test: pd.DataFrame
    cutoff: pd.Timestamp


def labelled(features: pd.DataFrame) -> pd.DataFrame:
    """The stays with a known 30-day outcome (30 days of follow-up in the data)."""
    return features[features["is_index_30d"].astype(bool)]


def temporal_split(features: pd.DataFrame, test_share: float = TEST_SHARE) -> Split:
    """Earlier discharges train, later ones test; stays discharged at the cutoff go to test."""
    stays = labelled(features).sort_values(["discharged_at", "stay_id"])
    if len(stays) < 50:
        raise ValueError(
            f"{FEATURES_MART} has {len(stays)} stays with 30 days of follow-up; "
            "at least 50 are needed to train and test a model"
        )
    cutoff = stays["discharged_at"].iloc[int(len(stays) * (1 - test_share))]
    train, test = stays[stays["discharged_at"] < cutoff], stays[stays["discharged_at"] >= cutoff]
    for name, part in (("train", train), ("test", test)):
        if part[LABEL].nunique() < 2:
            raise ValueError(f"the {name} period has only one outcome; a model needs readmitted and not")
    return Split(train, test, cutoff)


def design(frame: pd.DataFrame) -> pd.DataFrame:
    """The feature columns, numbers as floats and categories as strings ('missing' for null)."""
    out = pd.DataFrame(index=frame.index)
    for column in NUMERIC_FEATURES:
        out[column] = pd.to_numeric(frame[column], errors="raise").astype(float)
    for column in CATEGORICAL_FEATURES:
        out[column] = frame[column].astype("string").fillna("missing").astype(str)
    return out


def logistic_regression(seed: int = SEED) -> "Pipeline":
    """L2-regularised logistic regression on standardised numbers and one-hot categories."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    columns = ColumnTransformer(
        [
            ("numbers", StandardScaler(), list(NUMERIC_FEATURES)),
            (
                "categories",
                OneHotEncoder(handle_unknown="ignore", min_frequency=20),
                list(CATEGORICAL_FEATURES),
            ),
        ]
    )
    return Pipeline(
        [("columns", columns), ("model", LogisticRegression(C=1.0, max_iter=1000, random_state=seed))]
    )


def gradient_boosting(seed: int = SEED) -> "Pipeline":
    """Histogram gradient boosting with native categories and early stopping."""
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OrdinalEncoder

    columns = ColumnTransformer(
        [
            ("numbers", "passthrough", list(NUMERIC_FEATURES)),
            (
                "categories",
                OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan),
                list(CATEGORICAL_FEATURES),
            ),
        ]
    )
    categorical = [False] * len(NUMERIC_FEATURES) + [True] * len(CATEGORICAL_FEATURES)
    model = HistGradientBoostingClassifier(
        learning_rate=0.05,
        max_iter=MAX_ITERATIONS,
        max_leaf_nodes=15,
        l2_regularization=1.0,
        categorical_features=categorical,
        early_stopping=True,
        validation_fraction=0.15,
        random_state=seed,
    )
    return Pipeline([("columns", columns), ("model", model)])


MODELS = {"logistic_regression": logistic_regression, "gradient_boosting": gradient_boosting}


def fit(name: str, train: pd.DataFrame, seed: int = SEED) -> "Pipeline":
    """One of MODELS fitted on the training stays, on one thread (the machine is shared)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return MODELS[name](seed).fit(design(train), train[LABEL].astype(int))


def predict(model: "Pipeline", frame: pd.DataFrame) -> np.ndarray:
    """Predicted probability of an unplanned readmission within 30 days."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return model.predict_proba(design(frame))[:, 1]


def top_factors(
    model: "Pipeline", test: pd.DataFrame, seed: int = SEED, rows: int = 5000
) -> dict[str, float]:
    """How much the test AUC falls when each feature is shuffled (permutation importance, on at
    most `rows` test stays), largest first: what drives the model's ranking."""
    from sklearn.inspection import permutation_importance
    from threadpoolctl import threadpool_limits

    sample = test.sample(n=min(rows, len(test)), random_state=seed)
    with threadpool_limits(limits=1):
        found = permutation_importance(
            model,
            design(sample),
            sample[LABEL].astype(int),
            scoring="roc_auc",
            n_repeats=3,
            random_state=seed,
        )
    drops = dict(zip(FEATURES, found.importances_mean, strict=True))
    return dict(sorted(drops.items(), key=lambda item: -item[1]))


def stay_contributions(logistic: "Pipeline", frame: pd.DataFrame, top: int = 3) -> list[list[str]]:
    """The `top` features that raise each stay's log-odds most in the logistic regression
    (coefficient x the stay's standardised or one-hot value, summed per feature): the stay's
    top contributing factors, for the follow-up list."""
    columns = logistic.named_steps["columns"]
    coefficients = logistic.named_steps["model"].coef_[0]
    encoded = columns.transform(design(frame))
    encoded = encoded.toarray() if hasattr(encoded, "toarray") else np.asarray(encoded)
    names = columns.get_feature_names_out()
    per_feature = np.zeros((len(frame), len(FEATURES)))
    for k, feature in enumerate(FEATURES):
        prefix = "numbers__" if feature in NUMERIC_FEATURES else "categories__"
        match = [
            i
            for i, name in enumerate(names)
            if name == f"{prefix}{feature}" or name.startswith(f"{prefix}{feature}_")
        ]
        per_feature[:, k] = encoded[:, match] @ coefficients[match]
    order = np.argsort(-per_feature, axis=1)[:, :top]
    return [[FEATURES[k] for k in row if per_feature[i, k] > 0] for i, row in enumerate(order)]
