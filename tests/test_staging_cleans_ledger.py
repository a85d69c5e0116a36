"""Staging and the row flags against the generator's defect ledger, row for row.

The same scenario is generated twice: clean (every defect rate 0) and dirty (every rate 5%).
Defects hit rows by a hash of their key, so both extracts share every base row. After dbt
builds staging and the intermediate flag models (int_<entity>_flagged) on the dirty extract,
each cleaned row is compared with its clean twin: the only differences allowed are the
ledger's own entries that cannot be undone (an updated re-send, an inverted discharge, an
orphaned parent key, an impossible vital, now null), and each flag column is true for exactly
the ledger's rows. The ledger is the delivery's answer key (answer_key/defect_ledger/), which
the warehouse never reads.
"""

import duckdb
import pytest

from dagster_project.defs.dbt_models import PREDICTION_MODELS
from dagster_project.settings import DataLayout
from dagster_project.synthetic.scenario import DEFECT_KINDS, load_scenario
from dagster_project.warehouse.snapshots import answer_key_dir, feed_dir
from tests.support.dbt_runner import SNAPSHOT, land_extract, run_dbt, warehouse_path
from tests.support.paths import SMALL_SCENARIO

pytestmark = pytest.mark.slow

DEFECT_RATE = 0.05

# table -> (primary key, columns compared with the clean extract)
COMPARED_COLUMNS = {
    "patients": (
        "patient_id",
        [
            "first_name",
            "last_name",
            "birth_date",
            "sex",
            "race",
            "ethnicity",
            "address_line",
            "city",
            "state",
            "zip_code",
            "death_date",
        ],
    ),
    "encounters": (
        "encounter_id",
        [
            "patient_id",
            "encounter_class",
            "admitted_at",
            "discharged_at",
            "department_id",
            "provider_id",
            "admission_type",
            "admission_source",
            "discharge_disposition",
            "payer_id",
        ],
    ),
    "diagnoses": (
        "diagnosis_id",
        ["encounter_id", "icd10_code", "diagnosis_sequence AS sequence", "is_principal"],
    ),
    "procedures": ("procedure_id", ["encounter_id", "procedure_code AS code", "performed_at"]),
    "observations": ("observation_id", ["encounter_id", "loinc_code", "value", "observed_at"]),
    "charges": ("charge_id", ["encounter_id", "charge_code AS code", "gross_charge_amount AS charge_amount"]),
}

# table -> the model where its rows are fully cleaned and flagged: the flag model when the
# entity has one (flags that need a parent or a reference table), else staging
CLEANED_MODELS = {
    "patients": "staging.stg_emr__patients",
    "encounters": "intermediate.int_encounters_flagged",
    "diagnoses": "intermediate.int_diagnoses_flagged",
    "procedures": "intermediate.int_procedures_flagged",
    "observations": "intermediate.int_observations_flagged",
    "charges": "intermediate.int_charges_flagged",
}

# ledger entries that staging flags but cannot (or must not) undo: (kind, column as ledgered)
IRREVERSIBLE = {"discharge_before_admit", "orphan_row", "impossible_vital", "duplicate_resend"}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    base = load_scenario(SMALL_SCENARIO)
    dirty = base.model_copy(
        update={"defects": base.defects.model_copy(update={k: DEFECT_RATE for k in DEFECT_KINDS})}
    )
    clean = base.model_copy(
        update={"defects": base.defects.model_copy(update={k: 0.0 for k in DEFECT_KINDS})}
    )
    dirty_dir = tmp_path_factory.mktemp("dirty")
    clean_dir = tmp_path_factory.mktemp("clean")
    land_extract(dirty, dirty_dir)
    land_extract(clean, clean_dir)
    run_dbt(
        dirty_dir,
        "build",
        "--select",
        "path:seeds",
        "path:models/staging",
        "int_*_flagged",
        # a readmission rule, not an entity's flags: it needs the chained stays
        "--exclude",
        "int_inpatient_stays_quality_flagged",
        # the risk model's scores: only a pipeline run writes them
        PREDICTION_MODELS,
    )
    connection = duckdb.connect(str(warehouse_path(dirty_dir)), read_only=True)
    clean_snapshot = DataLayout(clean_dir).snapshot_dir(SNAPSHOT)
    dirty_snapshot = DataLayout(dirty_dir).snapshot_dir(SNAPSHOT)
    connection.execute(f"set variable clean_feed = '{feed_dir(clean_snapshot)}'")
    connection.execute(f"set variable dirty_feed = '{feed_dir(dirty_snapshot)}'")
    connection.execute(f"set variable dirty_answer_key = '{answer_key_dir(dirty_snapshot)}'")
    yield connection
    connection.close()


def ledger(connection, table, kinds, column=None) -> set[str]:
    query = (
        "select row_key from read_parquet(getvariable('dirty_answer_key') || '/defect_ledger/*.parquet') "
        "where table_name = ? and defect_kind in ? and (? is null or column_name = ?)"
    )
    return {row for (row,) in connection.execute(query, [table, list(kinds), column, column]).fetchall()}


def flagged(connection, model, key, flag) -> set[str]:
    """Keys of the rows of model (schema.name) where flag holds."""
    return {row for (row,) in connection.execute(f"select {key} from {model} where {flag}").fetchall()}


def differences(connection, table) -> set[tuple[str, str]]:
    """(key, raw column) pairs where the cleaned row differs from the clean raw row."""
    key, columns = COMPARED_COLUMNS[table]
    found = set()
    for column in columns:
        staged, _, raw = column.partition(" AS ")
        raw = raw or staged
        rows = connection.execute(
            f"select staged.{key} from {CLEANED_MODELS[table]} as staged "
            f"join read_parquet(getvariable('clean_feed') || '/{table}/*.parquet') as clean "
            f"on staged.{key} = clean.{key} where staged.{staged} is distinct from clean.{raw}"
        ).fetchall()
        found |= {(row, raw) for (row,) in rows}
    return found


def expected_differences(connection, table) -> set[tuple[str, str]]:
    rows = connection.execute(
        "select row_key, column_name "
        "from read_parquet(getvariable('dirty_answer_key') || '/defect_ledger/*.parquet') "
        "where table_name = ? and defect_kind in ? and column_name <> '*'",
        [table, sorted(IRREVERSIBLE)],
    ).fetchall()
    return set(rows)


def test_every_defect_kind_was_injected(warehouse):
    kinds = {
        k
        for (k,) in warehouse.execute(
            "select distinct defect_kind "
            "from read_parquet(getvariable('dirty_answer_key') || '/defect_ledger/*.parquet')"
        ).fetchall()
    }
    assert kinds == set(DEFECT_KINDS)


@pytest.mark.parametrize(
    "table, model",
    [(table, f"staging.stg_emr__{table}") for table in sorted(COMPARED_COLUMNS)]
    + [(table, model) for table, model in sorted(CLEANED_MODELS.items()) if not model.startswith("staging.")],
)
def test_one_row_per_clean_row(warehouse, table, model):
    """Staging deduplicates re-sends; the flag models keep every staging row (flags over drops)."""
    key = COMPARED_COLUMNS[table][0]
    (staged, distinct) = warehouse.execute(f"select count(*), count(distinct {key}) from {model}").fetchone()
    (clean,) = warehouse.execute(
        f"select count(*) from read_parquet(getvariable('clean_feed') || '/{table}/*.parquet')"
    ).fetchone()
    assert staged == distinct == clean


@pytest.mark.parametrize("table", sorted(COMPARED_COLUMNS))
def test_staging_differs_from_clean_only_where_the_ledger_says(warehouse, table):
    """Corrected defects (case, spaces, missing dots, sex spellings, plain re-sends) leave no
    difference; clean rows are untouched; what remains is exactly the irreversible ledger."""
    assert differences(warehouse, table) == expected_differences(warehouse, table)


def test_corrected_codes_are_flagged_and_valid(warehouse):
    code_defects = ledger(warehouse, "diagnoses", ["code_case", "code_whitespace", "code_missing_dot"])
    assert code_defects
    standardised = flagged(warehouse, "staging.stg_emr__diagnoses", "diagnosis_id", "is_code_standardised")
    assert standardised == code_defects
    invalid = flagged(warehouse, "intermediate.int_diagnoses_flagged", "diagnosis_id", "not is_code_valid")
    assert invalid == set()


def test_sex_spellings_are_normalised(warehouse):
    spelled = ledger(warehouse, "patients", ["sex_spelling"])
    assert spelled
    assert flagged(warehouse, "staging.stg_emr__patients", "patient_id", "is_sex_unrecognised") == set()
    assert flagged(warehouse, "staging.stg_emr__patients", "patient_id", "sex <> sex_as_delivered") == spelled


def test_impossible_vitals_are_nulled_and_flagged(warehouse):
    impossible = ledger(warehouse, "observations", ["impossible_vital"])
    assert impossible
    observations = "intermediate.int_observations_flagged"
    assert flagged(warehouse, observations, "observation_id", "is_value_impossible") == impossible
    assert flagged(warehouse, observations, "observation_id", "value is null") == impossible
    assert flagged(warehouse, observations, "observation_id", "value_as_delivered is null") == set()


def test_inverted_and_late_encounters_are_flagged(warehouse):
    inverted = ledger(warehouse, "encounters", ["discharge_before_admit"])
    late = ledger(warehouse, "encounters", ["late_arriving"])
    assert inverted and late
    encounters = "staging.stg_emr__encounters"
    assert flagged(warehouse, encounters, "encounter_id", "is_discharge_before_admission") == inverted
    assert flagged(warehouse, encounters, "encounter_id", "is_late_arriving") == late


@pytest.mark.parametrize(
    "table, key",
    [
        ("diagnoses", "diagnosis_id"),
        ("procedures", "procedure_id"),
        ("observations", "observation_id"),
        ("charges", "charge_id"),
    ],
)
def test_orphans_are_flagged(warehouse, table, key):
    orphans = ledger(warehouse, table, ["orphan_row"])
    assert orphans
    assert flagged(warehouse, f"intermediate.int_{table}_flagged", key, "is_orphan") == orphans


def test_encounters_of_known_patients_are_not_orphans(warehouse):
    """The generator orphans child rows only: no encounter lacks its patient."""
    assert ledger(warehouse, "encounters", ["orphan_row"]) == set()
    assert flagged(warehouse, "intermediate.int_encounters_flagged", "encounter_id", "is_orphan") == set()


def test_resent_rows_keep_the_latest_version(warehouse):
    for table, key, column in (
        ("patients", "patient_id", "address_line"),
        ("encounters", "encounter_id", "admission_source"),
    ):
        updated = ledger(warehouse, table, ["duplicate_resend"], column)
        assert updated
        latest = dict(
            warehouse.execute(
                f"select {key}, arg_max({column}, extracted_at) from "
                f"read_parquet(getvariable('dirty_feed') || '/{table}/*.parquet') group by {key}"
            ).fetchall()
        )
        staged = dict(warehouse.execute(f"select {key}, {column} from staging.stg_emr__{table}").fetchall())
        assert {k: staged[k] for k in updated} == {k: latest[k] for k in updated}
