"""The readmission model's features (fct_readmission_risk_features) use nothing from after the
discharge: the same scenario cut at an earlier end date (the generator makes the earlier
months identical) gives every stay discharged in both extracts the same features.

A feature that read the stay's future (a later visit, the readmission itself, the follow-up
time) would differ between the cut and the whole extract.
"""

import duckdb
import pytest

from dagster_project.synthetic.scenario import load_scenario
from tests.support.dbt_runner import land_extract, run_dbt, warehouse_path
from tests.support.paths import REPO_ROOT

pytestmark = pytest.mark.slow  # two generations and two dbt builds

SMALL = REPO_ROOT / "scenarios" / "small.yaml"
OUTCOME_COLUMNS = {"is_index_30d", "is_readmitted_30d"}
FEATURES = "select * from marts.fct_readmission_risk_features order by stay_id"


def build_features(data_dir, end_date: str):
    scenario = load_scenario(SMALL, {"patients": 2500, "start_date": "2023-01-01", "end_date": end_date})
    land_extract(scenario, data_dir)
    run_dbt(data_dir, "build", "--select", "+fct_readmission_risk_features")
    with duckdb.connect(str(warehouse_path(data_dir)), read_only=True) as connection:
        return connection.execute(FEATURES).df().set_index("stay_id")


@pytest.fixture(scope="module")
def cut_and_whole(tmp_path_factory):
    cut = build_features(tmp_path_factory.mktemp("cut") / "data", "2023-12-31")
    whole = build_features(tmp_path_factory.mktemp("whole") / "data", "2024-12-31")
    return cut, whole


def test_features_are_the_same_whatever_happens_after_the_discharge(cut_and_whole):
    cut, whole = cut_and_whole
    both = cut.index.intersection(whole.index)
    assert len(both) > 200
    # Stays discharged before the cut's end: their outcome may differ (more follow-up), their
    # features must not.
    features = [column for column in cut.columns if column not in OUTCOME_COLUMNS]
    left, right = cut.loc[both, features], whole.loc[both, features]
    differing = [column for column in features if not left[column].equals(right[column])]
    assert not differing, {column: int((left[column] != right[column]).sum()) for column in differing}
    # The whole extract knows more outcomes: the check above compared stays whose future
    # differs, so it could have caught a leak.
    changed = (cut.loc[both, "is_index_30d"] != whole.loc[both, "is_index_30d"]).sum()
    assert changed > 0


def test_features_vary_and_lace_is_the_sum_of_its_parts(cut_and_whole):
    _, whole = cut_and_whole
    for column in (
        "lace_score",
        "charlson_score_1987",
        "elixhauser_readmission_index",
        "prior_emergency_visits_6m",
        "prior_admissions_12m",
        "length_of_stay_days",
    ):
        assert whole[column].nunique() > 2, column
    parts = whole[
        ["lace_length_points", "lace_acuity_points", "lace_comorbidity_points", "lace_emergency_points"]
    ]
    assert (parts.sum(axis=1) == whole["lace_score"]).all()
    assert whole["lace_score"].between(0, 19).all()
    assert (whole["discharged_at"] > whole["admitted_at"]).all()
