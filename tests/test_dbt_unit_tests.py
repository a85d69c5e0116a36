"""dbt's unit tests (the `unit_tests:` of the model yml files: the CMS readmission rules, the
readmission windows, the statistics of the findings) run here, in CI. Pipeline runs skip them
(dagster_project/defs/dbt_models.py): their inputs are fixed, so a run would only repeat them."""

import json

import pytest

from dagster_project.defs.dbt_models import PREDICTION_MODELS
from dagster_project.synthetic.scenario import load_scenario
from tests.support.dbt_runner import land_extract, run_dbt
from tests.support.paths import SMALL_SCENARIO


@pytest.mark.slow
def test_every_dbt_unit_test_passes(tmp_path, dbt_manifest):
    """dbt needs the models upstream of a unit test to exist (it reads their columns): they are
    built empty, then every unit test of the project runs and passes."""
    data_dir = tmp_path / "data"
    land_extract(load_scenario(SMALL_SCENARIO), data_dir)
    run_dbt(
        data_dir,
        "build",
        "--empty",
        "--exclude-resource-type",
        "test",
        "--exclude-resource-type",
        "unit_test",
        # they read the risk model's scores, which only a pipeline run writes
        "--exclude",
        PREDICTION_MODELS,
    )
    run_dbt(data_dir, "test", "--select", "test_type:unit")

    results = json.loads((data_dir / "dbt_runs" / "tests" / "run_results.json").read_text())["results"]
    statuses = {result["unique_id"]: result["status"] for result in results}
    unit_tests = set(json.loads(dbt_manifest.read_text())["unit_tests"])
    assert unit_tests, "the project has dbt unit tests"
    assert statuses == {unique_id: "pass" for unique_id in unit_tests}
