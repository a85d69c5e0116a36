"""Bad deliveries are stopped by the quality checks, and the last good marts survive.

Each case copies the data directory of the session's good run (conftest `pipeline_run`),
then runs every asset again with the generator's output spoiled on landing: a column
dropped, keys nulled, a Parquet file overwritten, a key duplicated. The run must fail with
a check or an error naming the table and the column, must not rebuild the marts, and the
marts of the good run must still be there, unchanged and queryable.
"""

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dagster_project.quality.readers import read_raw_table
from tests.conftest import SMALL_SCENARIO


def _rewrite(raw_dir: Path, table: str, change) -> None:
    """Replace a raw table's Parquet parts with one file holding change(table)."""
    table_dir = raw_dir / table
    arrow_table = change(pq.read_table(table_dir))
    shutil.rmtree(table_dir)
    table_dir.mkdir()
    pq.write_table(arrow_table, table_dir / "part-00000.parquet")


def drop_patient_birth_date(raw_dir: Path) -> None:
    _rewrite(raw_dir, "patients", lambda t: t.drop_columns(["birth_date"]))


def null_encounter_ids(raw_dir: Path) -> None:
    _rewrite(
        raw_dir,
        "encounters",
        lambda t: t.set_column(
            t.schema.get_field_index("encounter_id"), "encounter_id", pa.nulls(t.num_rows, pa.string())
        ),
    )


def corrupt_observations_file(raw_dir: Path) -> None:
    for part in (raw_dir / "observations").glob("*.parquet"):
        part.write_bytes(b"PAR1 this is not a parquet file")


def duplicate_a_diagnosis(raw_dir: Path) -> None:
    """The same diagnosis row delivered twice: tolerated in raw, a duplicate key in staging."""
    _rewrite(raw_dir, "diagnoses", lambda t: pa.concat_tables([t, t.slice(0, 1)]))


def run_with_bad_landing(good_data_dir: Path, data_dir: Path, spoil):
    """Every asset once on a copy of the good data dir, the generator's output spoiled by `spoil`."""
    from dagster_project.definitions import defs
    from dagster_project.synthetic import extract

    shutil.copytree(good_data_dir, data_dir)
    generate_extract = extract.generate_extract

    def generate_then_spoil(scenario, out_dir):
        rows = generate_extract(scenario, out_dir)
        spoil(Path(out_dir))
        return rows

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EMR_DATA_DIR", str(data_dir))
        patch.setenv("EMR_SCENARIO", str(SMALL_SCENARIO))
        patch.setattr(extract, "generate_extract", generate_then_spoil)
        with dg.instance_for_test() as instance:
            return defs.resolve_implicit_global_asset_job_def().execute_in_process(
                instance=instance, raise_on_error=False
            )


def mart_tables(warehouse: Path) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()
    return [name for (name,) in rows]


def assert_marts_intact(good_data_dir: Path, data_dir: Path, result) -> None:
    """No mart was materialized, and every mart still equals the good run's, row for row."""
    rebuilt = {event.asset_key.path[0] for event in result.get_asset_materialization_events()}
    assert "marts" not in rebuilt and "intermediate" not in rebuilt
    tables = mart_tables(good_data_dir / "warehouse.duckdb")
    assert len(tables) > 10
    assert mart_tables(data_dir / "warehouse.duckdb") == tables
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as connection:
        connection.execute(f"attach '{good_data_dir / 'warehouse.duckdb'}' as good (read_only)")
        for table in tables:
            (rows,) = connection.execute(f"select count(*) from marts.{table}").fetchone()
            (good_rows,) = connection.execute(f"select count(*) from good.marts.{table}").fetchone()
            (differences,) = connection.execute(
                f"select count(*) from ((select * from marts.{table} except all select * from good.marts.{table})"
                f" union all (select * from good.marts.{table} except all select * from marts.{table}))"
            ).fetchone()
            assert (rows, differences) == (good_rows, 0), table
        (encounters,) = connection.execute("select count(*) from marts.fct_encounters").fetchone()
    assert encounters > 0


def failed_check(result, check_name: str):
    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.check_name == check_name]
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.ERROR
    return evaluation


def failure_texts(result) -> list[str]:
    """What a reader of the run sees failing: failed check names and step error messages."""
    checks = [
        f"{e.asset_key.to_user_string()} {e.check_name} {e.metadata.get('results', '')}"
        for e in result.get_asset_check_evaluations()
        if not e.passed
    ]
    steps = [str(event.step_failure_data.error) for event in result.all_events if event.is_step_failure]
    return checks + steps


def failing_rows(evaluation) -> list[str]:
    """The FAIL rows of the check's markdown results table."""
    return [line for line in evaluation.metadata["results"].value.splitlines() if line.startswith("| FAIL")]


@pytest.fixture(scope="session")
def good_data_dir(pipeline_run) -> Path:
    assert pipeline_run["result"].success
    return pipeline_run["data_dir"]


def test_missing_column_fails_the_raw_check_and_blocks_everything_downstream(good_data_dir, tmp_path):
    data_dir = tmp_path / "data"
    result = run_with_bad_landing(good_data_dir, data_dir, drop_patient_birth_date)
    assert not result.success
    evaluation = failed_check(result, "gx_raw_patients")
    assert evaluation.asset_key == dg.AssetKey(["emr", "patients"])
    rows = failing_rows(evaluation)
    assert any("expect_column_to_exist" in row and "| birth_date |" in row for row in rows)
    assert all("| critical |" in row for row in rows)
    assert_marts_intact(good_data_dir, data_dir, result)


def test_null_keys_fail_the_raw_check(good_data_dir, tmp_path):
    data_dir = tmp_path / "data"
    result = run_with_bad_landing(good_data_dir, data_dir, null_encounter_ids)
    assert not result.success
    rows = failing_rows(failed_check(result, "gx_raw_encounters"))
    assert any("expect_column_values_to_not_be_null" in row and "| encounter_id |" in row for row in rows)
    assert_marts_intact(good_data_dir, data_dir, result)


def test_corrupted_parquet_is_an_error_naming_the_table(good_data_dir, tmp_path):
    data_dir = tmp_path / "data"
    result = run_with_bad_landing(good_data_dir, data_dir, corrupt_observations_file)
    assert not result.success
    # the raw asset reads its tables back for metadata, so it may fail before the check runs
    assert any("observations" in message for message in failure_texts(result))
    assert_marts_intact(good_data_dir, data_dir, result)


def test_the_raw_reader_names_a_corrupted_table(good_data_dir, tmp_path):
    raw_dir = tmp_path / "raw"
    shutil.copytree(good_data_dir / "raw" / "observations", raw_dir / "observations")
    corrupt_observations_file(raw_dir)
    with pytest.raises(ValueError, match="Raw table 'observations' .* cannot be read"):
        read_raw_table(raw_dir, "observations")


def test_duplicate_key_in_staging_fails_and_blocks_the_marts(good_data_dir, tmp_path):
    from dagster_project.defs.quality import read_table
    from dagster_project.quality.validation import validate_dataframe
    from dagster_project.settings import EXPECTATIONS_DIR

    data_dir = tmp_path / "data"
    result = run_with_bad_landing(good_data_dir, data_dir, duplicate_a_diagnosis)
    assert not result.success
    # one repeated row is dirt the raw suite tolerates: only a warning there, if anything
    raw_check = [e for e in result.get_asset_check_evaluations() if e.check_name == "gx_raw_diagnoses"]
    assert [e.severity for e in raw_check if not e.passed] in ([], [dg.AssetCheckSeverity.WARN])
    # dbt's own unique test fails the staging build first; its message names model and column
    assert any("stg_emr__diagnoses" in text and "diagnosis_id" in text for text in failure_texts(result))
    assert_marts_intact(good_data_dir, data_dir, result)

    # the staging suite itself names the duplicated key
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EMR_DATA_DIR", str(data_dir))
        staged = read_table("staging", "stg_emr__diagnoses")
    outcome = validate_dataframe(EXPECTATIONS_DIR / "staging" / "stg_emr__diagnoses.json", staged)
    assert [(o.expectation, o.column) for o in outcome.critical_failures] == [
        ("expect_column_values_to_be_unique", "diagnosis_id")
    ]
    assert outcome.critical_failures[0].unexpected_count == 2
