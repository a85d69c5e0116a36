"""The suite files: every one loads, every parameter it names is filled from the scenario,
dirt beyond the planted rate warns, and the readers hand GX what the suites expect."""

import csv
import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dagster_project.quality.dbt_overlap import blocking_dbt_tests, covered, repeated_expectations
from dagster_project.quality.parameters import (
    dirt_parameters,
    raw_suite_parameters,
    row_count_bounds,
    window_parameters,
)
from dagster_project.quality.readers import read_raw_table, read_warehouse_table
from dagster_project.quality.suites import STAGES, suite_files
from dagster_project.quality.validation import load_suite, referenced_columns, validate_dataframe
from dagster_project.settings import data_docs_url
from dagster_project.synthetic.scenario import load_scenario
from dagster_project.synthetic.tables import FEED_TABLES
from tests.support.paths import DEFAULT_SCENARIO, SMALL_SCENARIO
from tests.support.paths import REPO_ROOT as REPO


def all_suites() -> list[tuple[str, Path]]:
    return [(stage, path) for stage in STAGES for path in suite_files(stage)]


def parameters_of(scenario_file: Path, stage: str, table: str, row_count: int) -> dict:
    """What the pipeline fills in: a raw suite from the scenario, the others the window."""
    scenario = load_scenario(scenario_file)
    if stage == "raw":
        return raw_suite_parameters(scenario, table, row_count)
    return window_parameters(scenario.start_date, scenario.end_date)


def _parameter_names(value) -> set[str]:
    if isinstance(value, dict):
        if "$PARAMETER" in value:
            return {value["$PARAMETER"]}
        return set().union(*(_parameter_names(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_parameter_names(v) for v in value)) if value else set()
    return set()


def test_every_raw_feed_and_model_has_a_suite():
    stems = {(stage, path.stem) for stage, path in all_suites()}
    # the defect ledger is the generator's answer key, not a feed an EMR delivers
    assert {table for stage, table in stems if stage == "raw"} == set(FEED_TABLES)
    staging_models = {path.stem for path in (REPO / "dbt" / "models" / "staging").glob("*.sql")}
    assert {table for stage, table in stems if stage == "staging"} == staging_models
    intermediate_models = {path.stem for path in (REPO / "dbt" / "models" / "intermediate").glob("*.sql")}
    assert {table for stage, table in stems if stage == "intermediate"} <= intermediate_models
    mart_models = {path.stem for path in (REPO / "dbt" / "models" / "marts").glob("*.sql")}
    assert {table for stage, table in stems if stage == "marts"} == mart_models


@pytest.mark.parametrize("scenario_file", [SMALL_SCENARIO, DEFAULT_SCENARIO], ids=["small", "default"])
def test_every_suite_parameter_is_filled_and_every_severity_set(scenario_file):
    for stage, path in all_suites():
        suite = load_suite(path)
        assert suite["name"] == f"{stage}_{path.stem}"
        assert {e["severity"] for e in suite["expectations"]} <= {"critical", "warning"}
        if stage == "staging":
            assert {e["severity"] for e in suite["expectations"]} == {"critical"}, path
        named = _parameter_names(suite["expectations"])
        missing = named - set(parameters_of(scenario_file, stage, path.stem, row_count=1000))
        assert missing == set(), f"{path} names parameters with no value: {missing}"


def test_realism_references_cite_a_source_a_range_rule_and_the_definition():
    """Every realism measure states where its figure comes from, why its range is as wide as it
    is, and how it is measured; the public figure lies inside its range."""
    with open(REPO / "dbt" / "seeds" / "realism_references.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 15
    assert len({row["measure_id"] for row in rows}) == len(rows)
    for row in rows:
        assert row["source"] and row["range_rule"] and row["definition_notes"], row["measure_id"]
        low, value, high = (float(row[key]) for key in ("reference_low", "reference_value", "reference_high"))
        assert low <= value <= high and low < high, row["measure_id"]
        assert row["unit"] in {"share", "days", "ratio"}


@pytest.mark.parametrize("scenario_file", [SMALL_SCENARIO, DEFAULT_SCENARIO], ids=["small", "default"])
def test_planted_departures_name_realism_measures(scenario_file):
    with open(REPO / "dbt" / "seeds" / "realism_references.csv", newline="") as handle:
        measures = {row["measure_id"] for row in csv.DictReader(handle)}
    planted = load_scenario(scenario_file).planted_departures
    assert planted and set(planted) <= measures


def test_patient_bounds_leave_room_for_the_babies_born():
    default = load_scenario(DEFAULT_SCENARIO)
    childless = default.model_copy(
        update={"births": default.births.model_copy(update={"deliveries_per_1000_women": {15: 0.0}})}
    )
    assert row_count_bounds(childless, "patients")[1] < row_count_bounds(default, "patients")[1]
    assert row_count_bounds(default, "patients")[1] > default.patients * 1.1


def test_row_count_bounds_follow_the_scenario():
    small, default = load_scenario(SMALL_SCENARIO), load_scenario(DEFAULT_SCENARIO)
    assert row_count_bounds(small, "patients")[0] == small.patients
    assert row_count_bounds(default, "departments") == (len(default.departments),) * 2
    low, high = row_count_bounds(default, "encounters")
    # the default extract has ~5.13 encounters per patient (benchmarks/bench_generator.py)
    assert low < 5.13 * default.patients < high
    assert row_count_bounds(small, "encounters")[1] < low


def test_dirt_thresholds_follow_the_planted_rates():
    scenario = load_scenario(DEFAULT_SCENARIO)
    parameters = dirt_parameters(scenario, row_count=100_000)
    assert parameters["mostly_sex_spelled"] == pytest.approx(1 - 1.5 * 0.03 - 0.005)
    assert parameters["mostly_unique_encounters"] == pytest.approx(1 - 1.5 * 2 * 0.02 - 0.005)
    assert parameters["max_impossible_vitals"] == int(100_000 * (1.5 * 0.002 + 0.005))
    clean = scenario.model_copy(update={"defects": type(scenario.defects)()})
    assert dirt_parameters(clean, row_count=100_000)["mostly_code_formatted"] == pytest.approx(0.995)


def test_referenced_columns_include_row_condition_names(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps(
            {
                "name": "s",
                "expectations": [
                    {
                        "type": "expect_column_values_to_be_null",
                        "kwargs": {
                            "column": "value",
                            "row_condition": 'loinc_code=="1" and value > 2',
                            "condition_parser": "pandas",
                        },
                    },
                    {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": ["a", "b"]}},
                    {
                        "type": "expect_column_pair_values_a_to_be_greater_than_b",
                        "kwargs": {"column_A": "c", "column_B": "d"},
                    },
                ],
            }
        )
    )
    assert {"value", "loinc_code", "a", "b", "c", "d"} <= referenced_columns(path)


def test_raw_reader_reads_named_columns_with_vectorisable_types(tmp_path):
    table_dir = tmp_path / "raw" / "people"
    table_dir.mkdir(parents=True)
    pq.write_table(
        pa.table(
            {"person_id": ["a", "b"], "born": pa.array([0, 1], pa.int32()).cast(pa.date32()), "extra": [1, 2]}
        ),
        table_dir / "part-0.parquet",
    )
    frame = read_raw_table(tmp_path / "raw", "people", columns={"person_id", "born", "not_there"})
    assert list(frame.columns) == ["person_id", "born"]
    assert str(frame["born"].dtype).startswith("datetime64")
    # a suite naming none of the table's columns still sees its rows (the row count checks)
    assert len(read_raw_table(tmp_path / "raw", "people", columns={"not_there"})) == 2


def test_warehouse_reader_turns_decimals_into_floats(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "create schema marts; create table marts.t as select 1.50::decimal(38,6) as amount, 'x' as name"
        )
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        frame = read_warehouse_table(connection, "marts", "t")
        assert frame["amount"].dtype == "float64" and frame["amount"].iloc[0] == 1.5
        with pytest.raises(ValueError, match="marts.absent"):
            read_warehouse_table(connection, "marts", "absent")


def test_warehouse_reader_reads_no_column_for_a_suite_that_names_none(tmp_path):
    """A suite of a row count only reads a constant per row, not every column of the model."""
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "create schema marts; create table marts.t as select range as id, 'x' as name from range(7)"
        )
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        frame = read_warehouse_table(connection, "marts", "t", columns=set())
        assert len(frame) == 7 and list(frame.columns) == ["row_present"]
        assert list(read_warehouse_table(connection, "marts", "t").columns) == ["id", "name"]


@pytest.mark.slow
def test_dirt_beyond_the_planted_rate_warns_but_does_not_block(pipeline_run):
    feed_dir = pipeline_run["data_dir"] / "raw" / "accepted" / "feed"
    suite = REPO / "expectations" / "raw" / "diagnoses.json"
    diagnoses = read_raw_table(feed_dir, "diagnoses", referenced_columns(suite))
    parameters = parameters_of(SMALL_SCENARIO, "raw", "diagnoses", len(diagnoses))
    assert validate_dataframe(suite, diagnoses, parameters).failed == []

    dirty = diagnoses.copy()
    spoiled = dirty.index[: len(dirty) // 10]
    dirty.loc[spoiled, "icd10_code"] = dirty.loc[spoiled, "icd10_code"].str.lower()
    outcome = validate_dataframe(suite, dirty, parameters)
    assert [(o.expectation, o.column, o.severity) for o in outcome.failed] == [
        ("expect_column_values_to_match_regex", "icd10_code", "warning")
    ]
    assert outcome.failed[0].unexpected_count >= len(spoiled)


def test_staging_flags_over_drops_a_flagged_row_passes_an_unflagged_one_fails():
    suite = REPO / "expectations" / "staging" / "stg_emr__encounters.json"
    window = parameters_of(SMALL_SCENARIO, "staging", "stg_emr__encounters", 2)
    admitted = pd.Timestamp("2024-03-01 10:00")
    encounters = pd.DataFrame(
        {
            "encounter_id": ["E1", "E2"],
            "patient_id": ["P1", "P2"],
            "encounter_class": ["inpatient", "emergency"],
            "admitted_at": [admitted, admitted],
            "discharged_at": [admitted - pd.Timedelta(hours=5), admitted + pd.Timedelta(hours=5)],
            "department_id": ["D1", "D1"],
            "payer_id": ["Y1", "Y1"],
            "discharge_disposition": ["home", "home"],
            "admission_type": ["urgent", "emergency"],
            "is_discharge_before_admission": [True, False],
            "is_orphan": [False, False],
        }
    )
    assert validate_dataframe(suite, encounters, window).failed == []
    unflagged = encounters.assign(is_discharge_before_admission=[False, False])
    outcome = validate_dataframe(suite, unflagged, window)
    assert [(o.expectation, o.column) for o in outcome.critical_failures] == [
        ("expect_column_pair_values_a_to_be_greater_than_b", "discharged_at, admitted_at")
    ]
    outside = encounters.assign(admitted_at=[admitted, pd.Timestamp("2031-01-01")])
    failed = validate_dataframe(suite, outside, window).critical_failures
    assert ("expect_column_values_to_be_between", "admitted_at") in [
        (o.expectation, o.column) for o in failed
    ]


@pytest.mark.slow
def test_every_check_links_its_data_docs_page_inside_the_data_dir(pipeline_run):
    data_dir = pipeline_run["data_dir"]
    evaluations = [
        e for e in pipeline_run["result"].get_asset_check_evaluations() if e.check_name.startswith("gx_")
    ]
    assert len(evaluations) == len(all_suites())
    site = data_dir / "gx" / "data_docs"
    for evaluation in evaluations:
        page = Path(evaluation.metadata["data_docs_file"].value)
        assert page.is_file() and site in page.parents, evaluation.check_name
        # the link the UI opens: the same page on the docs server (make docs)
        url = evaluation.metadata["data_docs_page"].value
        assert url == f"{data_docs_url()}/{page.relative_to(site).as_posix()}", evaluation.check_name
    index = (data_dir / "gx" / "data_docs" / "index.html").read_text()
    assert "raw_patients" in index and "marts_kpi_readmissions_overall" in index


def test_the_raw_reader_names_a_corrupted_table(tmp_path):
    table_dir = tmp_path / "feed" / "observations"
    table_dir.mkdir(parents=True)
    (table_dir / "part-00000.parquet").write_bytes(b"PAR1 this is not a parquet file")
    with pytest.raises(ValueError, match="Raw table 'observations' .* cannot be read"):
        read_raw_table(tmp_path / "feed", "observations")


def _dbt_test(model: str, name: str, config: dict | None = None, **kwargs) -> dict:
    return {
        "resource_type": "test",
        "attached_node": f"model.emr_analytics.{model}",
        "test_metadata": {"name": name, "kwargs": kwargs},
        "config": {"enabled": True, "severity": "ERROR", "where": None, "error_if": "!= 0", **(config or {})},
    }


def _dbt_model(model: str) -> dict:
    return {"resource_type": "model", "name": model, "config": {"enabled": True}}


def test_an_expectation_repeats_a_dbt_test_only_when_the_test_blocks_and_is_as_strict(tmp_path):
    manifest = {
        "nodes": {
            "model.emr_analytics.stg_x": _dbt_model("stg_x"),
            "model.emr_analytics.stg_y": _dbt_model("stg_y"),
            "unique": _dbt_test("stg_x", "unique", column_name="x_id"),
            "warn_only": _dbt_test("stg_x", "not_null", {"severity": "WARN"}, column_name="a"),
            "filtered": _dbt_test("stg_x", "not_null", {"where": "a > 0"}, column_name="b"),
            "lenient": _dbt_test("stg_x", "not_null", {"error_if": "> 5"}, column_name="c"),
            "summed": _dbt_test("stg_x", "not_null", {"fail_calc": "sum(n)"}, column_name="d"),
            "other_model": _dbt_test("stg_y", "unique", column_name="e"),
            "strict": _dbt_test("stg_x", "not_null", column_name="f"),
            "values": _dbt_test("stg_x", "accepted_values", column_name="kind", values=["p", "q"]),
            "wider": _dbt_test("stg_x", "accepted_values", column_name="band", values=["p", "q", "r"]),
            "pair": _dbt_test("stg_x", "unique_combination", columns=["b", "a"]),
        }
    }

    def expectation(kind: str, **kwargs) -> dict:
        return {"type": kind, "kwargs": kwargs, "severity": "critical"}

    repeated = [
        expectation("expect_column_values_to_be_unique", column="x_id"),
        expectation("expect_column_values_to_be_in_set", column="kind", value_set=["p", "q", "s"]),
        expectation("expect_compound_columns_to_be_unique", column_list=["a", "b"]),
        # a `mostly` only makes the expectation weaker than the dbt test
        expectation("expect_column_values_to_not_be_null", column="f", mostly=0.95),
    ]
    kept = [
        expectation("expect_column_values_to_not_be_null", column="a"),  # the dbt test only warns
        expectation("expect_column_values_to_not_be_null", column="b"),  # the dbt test filters rows
        expectation("expect_column_values_to_not_be_null", column="c"),  # the dbt test allows 5
        expectation("expect_column_values_to_not_be_null", column="d"),  # the dbt test sums another column
        expectation("expect_column_values_to_be_unique", column="e"),  # dbt tests it on another model
        expectation("expect_column_values_to_be_unique", column="x_id", row_condition="a > 1"),
        expectation("expect_column_values_to_be_in_set", column="band", value_set=["p", "q"]),
        expectation("expect_column_values_to_be_in_set", column="kind", value_set={"$PARAMETER": "kinds"}),
        expectation("expect_column_values_to_be_between", column="x_id", min_value=0),
    ]
    staging = tmp_path / "stg_x.json"
    staging.write_text(json.dumps({"name": "staging_stg_x", "expectations": repeated + kept}))
    raw = tmp_path / "raw" / "stg_x.json"  # a raw suite runs before dbt: never repeated
    raw.parent.mkdir()
    raw.write_text(staging.read_text())

    found = repeated_expectations(manifest, {"staging": [staging], "raw": [raw]})

    assert found == [(staging, e) for e in repeated]


def test_the_structural_checks_handed_to_dbt_are_still_blocking_dbt_tests():
    """Each expectation the model suites left to dbt (tests/fixtures/structural_checks_in_dbt.json)
    is still checked by a blocking dbt test of its model: deleting or weakening one (a severity
    of warn, a where) would otherwise lose the check from both tools."""
    manifest = json.loads((REPO / "dbt" / "target" / "manifest.json").read_text())
    tests = blocking_dbt_tests(manifest)
    handed = json.loads((REPO / "tests" / "fixtures" / "structural_checks_in_dbt.json").read_text())["checks"]
    keys = [
        (model, test, tuple(columns), values and frozenset(values)) for model, test, columns, values in handed
    ]
    assert len(keys) == 150
    assert [key for key in keys if not covered(key, tests)] == []


def test_no_model_suite_repeats_a_blocking_dbt_test():
    manifest = json.loads((REPO / "dbt" / "target" / "manifest.json").read_text())
    assert blocking_dbt_tests(manifest), "the manifest has no blocking dbt tests: is it parsed?"
    repeated = repeated_expectations(manifest, {stage: suite_files(stage) for stage in STAGES})
    assert [(path.name, e["type"], e["kwargs"]) for path, e in repeated] == []
