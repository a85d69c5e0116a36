"""The readmission risk model: a temporal split, reproducible training, honest metrics, and top
factors that follow whatever the scenario plants as the driver of risk.

The unit tests run on a frame built here (the features mart's columns); the slow test builds
two warehouses from scenarios that plant different drivers and trains on each.
"""

import datetime as dt
import json

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from dagster_project.prediction import evaluation, followup
from dagster_project.prediction import readmission_model as rm
from dagster_project.quality.dbt_overlap import blocking_dbt_tests
from dagster_project.synthetic.scenario import load_scenario
from dagster_project.warehouse.snapshots import answer_key_dir
from tests.support.dbt_runner import SNAPSHOT, land_extract, run_dbt, warehouse_path
from tests.support.paths import REPO_ROOT


def stays(count: int = 2000, seed: int = 1) -> pd.DataFrame:
    """Stays whose risk rises with prior admissions only; a quarter without follow-up yet."""
    rng = np.random.default_rng(seed)
    prior = rng.poisson(0.6, count)
    risk = 1 / (1 + np.exp(-(-2.5 + 0.9 * prior)))
    discharged = pd.Timestamp("2023-01-01") + pd.to_timedelta(np.sort(rng.uniform(0, 700, count)), unit="D")
    frame = pd.DataFrame(
        {
            "stay_id": [f"S{k:05d}" for k in range(count)],
            "patient_id": [f"P{k:05d}" for k in range(count)],
            "discharged_at": discharged,
            "discharge_date": discharged.date,
            "age_at_admission": rng.integers(18, 90, count),
            "length_of_stay_days": rng.integers(0, 12, count),
            "charlson_score_1987": rng.integers(0, 4, count),
            "charlson_score_quan2011": rng.integers(0, 4, count),
            "charlson_categories": rng.integers(0, 3, count),
            "elixhauser_readmission_index": rng.integers(0, 10, count),
            "elixhauser_measures": rng.integers(0, 4, count),
            "prior_emergency_visits_6m": rng.poisson(0.7, count),
            "prior_admissions_12m": prior,
            "lace_score": rng.integers(0, 19, count),
            "department_name": rng.choice(["Cardiology", "Oncology", "Emergency"], count),
            "sex": rng.choice(["F", "M"], count),
            "payer_class": rng.choice(["private", "medicare"], count),
            "admission_type": rng.choice(["emergency", "elective"], count),
            "discharge_disposition": rng.choice(["home", "skilled_nursing"], count),
            "principal_ccs_category": rng.choice([100, 101, 108], count),
            "is_readmitted_30d": rng.random(count) < risk,
        }
    )
    frame["is_index_30d"] = np.arange(count) < int(count * 0.75)
    frame["planted"] = risk
    return frame


def test_the_split_is_temporal_and_leaves_out_stays_without_follow_up():
    frame = stays()
    split = rm.temporal_split(frame)
    assert split.train["discharged_at"].max() < split.cutoff <= split.test["discharged_at"].min()
    assert split.train["is_index_30d"].all() and split.test["is_index_30d"].all()
    assert len(split.test) == pytest.approx(0.25 * frame["is_index_30d"].sum(), abs=2)


def test_too_few_labelled_stays_is_a_clear_error():
    with pytest.raises(ValueError, match="fct_readmission_risk_features has 30 stays"):
        rm.temporal_split(stays(40))


def test_training_is_reproducible_and_finds_the_driver():
    frame = stays()
    first, second = followup.run(frame, frame.set_index("stay_id")["planted"]), followup.run(frame, None)
    assert first.scores["predicted_risk_30d"].tolist() == second.scores["predicted_risk_30d"].tolist()
    assert next(iter(first.top_factors)) == "prior_admissions_12m"
    chosen = first.metrics[first.chosen]
    assert chosen["model"]["auc_low"] <= chosen["model"]["auc"] <= chosen["model"]["auc_high"]
    assert chosen["oracle"]["auc"] >= chosen["model"]["auc"] - 0.05
    assert second.metrics[second.chosen]["oracle"] is None


def test_the_scores_are_the_recent_discharges_with_bands_and_factors():
    frame = stays()
    result = followup.run(frame, None)
    scores = result.scores
    assert list(scores.columns) == list(followup.SCORE_COLUMNS)
    assert set(scores["stay_id"]) == set(frame.loc[~frame["is_index_30d"], "stay_id"])
    assert set(scores["risk_band"]) <= set(followup.RISK_BANDS)
    high = scores["risk_band"] == "high"
    assert (scores.loc[high, "predicted_risk_30d"] >= result.band_cuts[0]).all()
    assert (scores.loc[~high, "predicted_risk_30d"] < result.band_cuts[0]).all()
    assert scores["top_factors"].str.contains("prior_admissions_12m").any()
    assert set(scores["scored_by"]) == {result.chosen}


def test_the_top_decile_is_the_marts_first_decile():
    listed = pd.DataFrame({"predicted_risk_30d": [0.5, 0.4, 0.3, 0.1], "risk_decile": [1, 2, 3, 4]})
    assert followup.top_decile_expected_readmissions(listed) == (1, 0.5)


@pytest.mark.parametrize(
    ("model_auc", "readmitted", "passed", "says"),
    [
        (0.70, 120, False, "the model ranks worse than LACE"),
        (0.74, 120, True, "the model ranks at least as well as LACE"),
        (0.60, 3, True, "not judged"),
    ],
)
def test_the_model_is_judged_against_lace_only_with_enough_readmissions(model_auc, readmitted, passed, says):
    chosen = {"model": {"auc": model_auc}, "lace": {"auc": 0.72}, "readmitted": readmitted}
    verdict, sentence = evaluation.judge_against_lace(chosen, min_readmissions=30)
    assert verdict is passed and sentence.startswith(says)
    assert f"{readmitted} test-period readmissions" in sentence


@pytest.mark.parametrize(
    ("model_auc", "readmitted", "says", "not_says"),
    [
        (0.70, 120, "worse than LACE: rank follow-up by the LACE score", "cannot be told from LACE"),
        (0.74, 120, None, "LACE score"),
        (0.60, 3, "With 3 test-period readmissions (fewer than 30) the model cannot be told", "LACE score"),
    ],
)
def test_the_summary_says_how_the_model_compares_with_lace_only_when_the_data_can_tell(
    model_auc, readmitted, says, not_says
):
    def auc(value):
        return {"auc": value, "auc_low": value - 0.05, "auc_high": value + 0.05}

    chosen = {
        "model": auc(model_auc),
        "lace": auc(0.72),
        "oracle": None,
        "stays": 900,
        "readmitted": readmitted,
    }
    metrics = {"chosen": "logistic_regression", "models": {"logistic_regression": chosen}}
    listed = pd.DataFrame({"predicted_risk_30d": [], "risk_decile": []})
    text = followup.summary_section(metrics, listed, "marts.fct_readmission_followup_list")
    assert says is None or says in text
    assert not_says not in text


def test_the_auc_interval_is_delongs():
    outcome = np.array([0, 0, 1, 1, 0, 1] * 20)
    assert evaluation.auc_with_interval(outcome, outcome * 0.9)["auc"] == 1.0
    assert evaluation.auc_with_interval(outcome, np.zeros(len(outcome)))["auc"] == 0.5
    # Hanley and McNeil's classic example (Radiology 1982;143:29-36): rating data of 58
    # normal and 51 abnormal images: AUC 0.893 with a standard error of 0.032 by their
    # approximation; DeLong's is the exact Mann-Whitney one, close to it.
    normal, abnormal = [33, 6, 6, 11, 2], [3, 2, 2, 11, 33]
    ratings = np.concatenate([np.repeat(np.arange(1, 6), normal), np.repeat(np.arange(1, 6), abnormal)])
    outcome = np.concatenate([np.zeros(sum(normal)), np.ones(sum(abnormal))])
    found = evaluation.auc_with_interval(outcome, ratings)
    assert found["auc"] == pytest.approx(0.893, abs=0.001)
    standard_error = (found["auc_high"] - found["auc_low"]) / (2 * 1.96)
    assert standard_error == pytest.approx(0.032, abs=0.003)


# -- slow: two scenarios, two drivers ---------------------------------------------------------

SMALL = REPO_ROOT / "scenarios" / "small.yaml"
DRIVERS = {
    "prior_admissions_12m": {"relative_risk": 2.5, "reference": 0.5, "cap": 3},
    "length_of_stay_days": {"relative_risk": 1.2, "reference": 4.0, "cap": 14},
}


def train_on_scenario(tmp_path, driver: str) -> followup.ModelRun:
    """Land a 3,000-patient, two-year scenario whose only discharge factor is `driver`, build the
    features and train on them."""
    settings = yaml.safe_load(SMALL.read_text())
    settings.update(patients=3000, start_date=dt.date(2023, 1, 1), end_date=dt.date(2024, 12, 31))
    settings["readmission"]["discharge_factors"] = {driver: DRIVERS[driver]}
    scenario_file = tmp_path / f"{driver}.yaml"
    scenario_file.write_text(yaml.safe_dump(settings, sort_keys=False))
    data_dir = tmp_path / "data"
    land_extract(load_scenario(scenario_file), data_dir)
    run_dbt(data_dir, "build", "--select", "+fct_readmission_risk_features")
    with duckdb.connect(str(warehouse_path(data_dir)), read_only=True) as connection:
        features = connection.execute("select * from marts.fct_readmission_risk_features").df()
    key = answer_key_dir(data_dir / "raw" / "snapshots" / SNAPSHOT) / "planted_readmission_risk"
    planted = duckdb.sql(f"select * from read_parquet('{key}/*.parquet')").df()
    return followup.run(features, planted.set_index("encounter_id")["planted_probability_30d"])


@pytest.mark.slow
@pytest.mark.parametrize(("driver", "other"), [(a, b) for a in DRIVERS for b in DRIVERS if a != b])
def test_the_planted_driver_outranks_the_other_in_the_models_top_factors(tmp_path, driver, other):
    result = train_on_scenario(tmp_path, driver)
    factors = list(result.top_factors)
    assert factors.index(driver) < factors.index(other), result.top_factors
    chosen = result.metrics[result.chosen]
    assert chosen["model"]["auc"] > 0.5


@pytest.mark.slow  # imports Great Expectations
def test_the_scores_suite_passes_the_follow_up_list_and_fails_a_broken_one():
    from dagster_project.quality.validation import validate_dataframe
    from dagster_project.settings import EXPECTATIONS_DIR

    suite = EXPECTATIONS_DIR / "marts" / f"{followup.FOLLOWUP_MART}.json"
    listed = followup.run(stays(), None).scores
    assert not validate_dataframe(suite, listed).failed
    broken = listed.copy()
    broken.loc[0, "predicted_risk_30d"] = 1.5
    broken.loc[1, "risk_band"] = "unknown"
    broken.loc[2:, "risk_band"] = "high"
    failed = validate_dataframe(suite, broken).failed
    assert {(o.column, o.severity) for o in failed} == {
        ("predicted_risk_30d", "critical"),
        ("risk_band", "warning"),
    }
    # an unknown band is the mart's blocking dbt test, not the suite's (docs/design.md)
    manifest = json.loads((REPO_ROOT / "dbt" / "target" / "manifest.json").read_text())
    bands = {
        key[3]
        for key in blocking_dbt_tests(manifest)
        if key[:3] == (followup.FOLLOWUP_MART, "accepted_values", ("risk_band",))
    }
    assert bands == {frozenset({"high", "elevated", "usual"})}
