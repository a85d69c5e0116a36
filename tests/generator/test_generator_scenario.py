"""Scenario files load; invalid ones fail with the file, the key path and what is allowed."""

import datetime as dt

import pytest
from generator_helpers import DEFAULT, SMALL, scenario_variant

from dagster_project.synthetic import cli
from dagster_project.synthetic.scenario import ScenarioError, load_scenario


def test_shipped_scenarios_load():
    small, default = load_scenario(SMALL), load_scenario(DEFAULT)
    assert small.patients == 300
    assert (small.end_date - small.start_date).days in range(360, 370)
    assert 20_000 <= default.patients <= 50_000
    assert (default.start_date, default.end_date) == (dt.date(2023, 1, 1), dt.date(2024, 12, 31))


def test_overrides_replace_scale_seed_and_dates():
    scenario = load_scenario(
        SMALL, {"seed": 9, "patients": 50, "start_date": "2024-03-01", "end_date": dt.date(2024, 4, 30)}
    )
    assert (scenario.seed, scenario.patients) == (9, 50)
    assert (scenario.start_date, scenario.end_date) == (dt.date(2024, 3, 1), dt.date(2024, 4, 30))


def test_unknown_override_is_rejected():
    with pytest.raises(ScenarioError, match="override 'population' is not allowed"):
        load_scenario(SMALL, {"population": {}})


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"departments__Cardiology__volume_share": 1.5},
            "departments.Cardiology.volume_share: Input should be less than or equal to 1",
        ),
        (
            {"departments__Cardiology__volume_shar": 0.1},
            "departments.Cardiology.volume_shar: Extra inputs are not permitted",
        ),
        (
            {"departments__Cardiology__class_mix": {"inpatient": 0.5, "er": 0.5}},
            "allowed: ['inpatient', 'emergency', 'outpatient', 'observation']",
        ),
        ({"departments__Oncology__volume_share": 0.3}, "volume_share shares must sum to 1"),
        (
            {"payers__mix": {"private": 0.9, "uninsured": 0.1}},
            "unknown payer class ['uninsured']; "
            "allowed: ['private', 'medicare', 'medicaid', 'self_pay', 'other']",
        ),
        ({"end_date": "2020-01-01"}, "end_date: must be on or after start_date"),
        (
            {"readmission__diagnosis_effects": {"E11.99": {"min_age": 18, "probability_60d": 0.3}}},
            "diagnosis_effects codes ['E11.99'] are not in catalogs/diagnoses.csv",
        ),
        (
            {"seasonal_rises": [{"groups": ["heart"], "months": [6], "lift": 0.5}]},
            "unknown chronic-condition groups ['heart']; allowed: ['diabetes', 'heart_disease',",
        ),
        (
            {"seasonal_rises": [{"groups": ["copd"], "months": [12, 2], "lift": 0.5}]},
            "months [12, 2] must be contiguous (December to February is [12, 1, 2])",
        ),
        (
            {
                "payers__mix": {
                    "private": 0.5,
                    "medicare": 0.1,
                    "medicaid": 0.2,
                    "self_pay": 0.1,
                    "other": 0.1,
                }
            },
            "payers.mix.medicare: 0.100 of patients is less than the patients 65 and over alone bring",
        ),
        (
            {
                "departments__Obstetrics__satisfaction_mean": 9.5,
                "surveys__shifts": [
                    {"department": "Obstetrics", "from_date": "2024-03-01", "relative_change": 0.1}
                ],
            },
            "Obstetrics would need a mean rating of 10.45, above the 0-10 scale",
        ),
        (
            {"readmission__planned_stays__probability_60d": {"Neurology": 0.1}},
            "departments ['Neurology'] have no rows in catalogs/planned_stays.csv",
        ),
        (
            {
                "readmission__discharge_factors": {
                    "prior_visits": {"relative_risk": 1.2, "reference": 0, "cap": 2}
                }
            },
            "discharge_factors: unknown factors ['prior_visits']",
        ),
        (
            {
                "readmission__discharge_factors": {
                    "prior_admissions_12m": {"relative_risk": 1.2, "reference": 0, "cap": 9}
                }
            },
            "discharge_factors.prior_admissions_12m.cap: 9 is above 8",
        ),
        (
            {"readmission__planned_stays__probability_60d": {"Oncolgy": 0.1}},
            "probability_60d: unknown departments ['Oncolgy']",
        ),
        (
            {"readmission__planned_stays__min_delay_days": 50},
            "min_delay_days 50 is above max_delay_days 42",
        ),
        (
            {"readmission__excluded_cohorts__cancer": {"share": 0.1, "departments": ["Oncology"]}},
            "excluded_cohorts: unknown cohorts ['cancer']; allowed: ['psychiatric', 'rehabilitation']",
        ),
        (
            {"readmission__excluded_cohorts__psychiatric__departments": ["Obstetrics"]},
            "excluded_cohorts.psychiatric.departments: ['Obstetrics'] have no psychiatric codes",
        ),
        ({"defects__code_case": 0.9}, "defects.code_case: Input should be less than or equal to 0.5"),
        ({"seed": "abc"}, "seed: Input should be a valid integer"),
    ],
)
def test_invalid_scenario_names_key_and_allowed_values(tmp_path, changes, expected):
    path = scenario_variant(tmp_path, **changes)
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_unreadable_or_non_mapping_file(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "missing.yaml")
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n- 2\n")
    with pytest.raises(ScenarioError, match="YAML mapping"):
        load_scenario(listed)


def test_cli_rejects_bad_scenario_before_writing(tmp_path, capsys):
    path = scenario_variant(tmp_path, departments__Cardiology__volume_share=1.5)
    out = tmp_path / "extract"
    assert cli.main(["--scenario", str(path), "--out", str(out)]) == 2
    assert "departments.Cardiology.volume_share" in capsys.readouterr().err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["variant.yaml"]


def test_cli_writes_and_reports(tmp_path, capsys):
    out = tmp_path / "extract"
    assert (
        cli.main(
            [
                "--scenario",
                str(SMALL),
                "--out",
                str(out),
                "--patients",
                "40",
                "--seed",
                "3",
                "--start",
                "2024-01-01",
                "--end",
                "2024-03-31",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "patients" in printed and "elapsed seconds:" in printed
    assert (out / "feed" / "encounters" / "part-00000.parquet").is_file()


@pytest.mark.parametrize(
    ("text_change", "expected"),
    [
        (("end_date: 2024-12-31", "end_date: 2024-02-30"), "'2024-02-30' is not a valid date"),
        (("patients: 300", "patients: true"), "patients: Input should be a valid integer"),
        (("seed: 7", "seed: 7\nseed: 8"), "key 'seed' appears twice"),
        (
            ("share: 0.22, female_share: 0.49", 'share: 0.22, female_share: "0.49"'),
            "population.age_bands.0.female_share: Input should be a valid number",
        ),
    ],
)
def test_invalid_text_names_line_or_key(tmp_path, text_change, expected):
    text = SMALL.read_text()
    old, new = text_change
    assert old in text
    path = tmp_path / "edited.yaml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    assert str(path) in str(error.value) and expected in str(error.value)


def test_an_age_range_must_not_be_inverted(tmp_path):
    path = scenario_variant(tmp_path, departments__Obstetrics__min_age=60)
    with pytest.raises(
        ScenarioError, match="departments.Obstetrics: Value error, min_age 60 is above max_age 49"
    ):
        load_scenario(path)


def test_a_large_scenario_states_its_size_and_needs_the_limit_raised(tmp_path, capsys):
    from dagster_project.synthetic.size import check_size

    large = load_scenario(DEFAULT, {"patients": 50_000_000})
    with pytest.raises(ScenarioError, match=r"about [\d,]+ encounters.*GB.*above the limit of 5,000,000"):
        check_size(large)
    assert check_size(large, max_encounters=10**9).encounters > 100_000_000
    out = tmp_path / "never"
    assert cli.main(["--scenario", str(DEFAULT), "--out", str(out), "--patients", "50000000"]) == 2
    assert "raise the limit on purpose" in capsys.readouterr().err
    assert not out.exists()
