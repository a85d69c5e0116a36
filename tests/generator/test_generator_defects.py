"""Dirty data: the ledger lists exactly the planted defects, proven by diffing a clean twin.

Defects never change the clean simulation (they use their own per-row hashes), so the same
scenario with every rate at zero is the ground truth each dirty row is compared with.
"""

import pyarrow.parquet as pq
import pytest
from generator_helpers import SMALL, generate, scenario_variant, table_dir, zero_defects

RATES = {
    "duplicate_resend": 0.05,
    "code_case": 0.04,
    "code_whitespace": 0.04,
    "code_missing_dot": 0.04,
    "sex_spelling": 0.05,
    "impossible_vital": 0.02,
    "discharge_before_admit": 0.03,
    "orphan_row": 0.02,
    "late_arriving": 0.03,
}


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("defects")
    dirty, clean = tmp / "dirty", tmp / "clean"
    generate(scenario_variant(tmp, SMALL, "dirty.yaml", defects=RATES), dirty)
    generate(zero_defects(tmp), clean)
    ledger = pq.read_table(table_dir(dirty, "defect_ledger")).to_pandas()
    return dirty, clean, ledger


def _df(out, table):
    return pq.read_table(table_dir(out, table)).to_pandas()


def _ledger_keys(ledger, table, kind, column=None):
    rows = ledger[(ledger.table_name == table) & (ledger.defect_kind == kind)]
    if column is not None:
        rows = rows[rows.column_name == column]
    return set(rows.row_key)


def _changed(dirty, clean, key, column):
    d = dirty.drop_duplicates(key, keep="first").set_index(key)[column]
    c = clean.set_index(key)[column]
    both = d.index.intersection(c.index)
    left, right = d[both], c[both]
    same = (left == right) | (left.isna() & right.isna())
    return set(both[~same.to_numpy()])


def test_ledger_rows_are_unique_and_kinds_known(pair):
    *_, ledger = pair
    assert not ledger.duplicated().any()
    assert set(ledger.defect_kind) == set(RATES)


def test_sex_spelling(pair):
    dirty, clean, ledger = pair
    changed = _changed(_df(dirty, "patients"), _df(clean, "patients"), "patient_id", "sex")
    assert changed and changed == _ledger_keys(ledger, "patients", "sex_spelling")
    assert set(_df(clean, "patients").sex) == {"F", "M"}


def test_duplicates_resent_later(pair):
    dirty, clean, ledger = pair
    for table, key in (("patients", "patient_id"), ("encounters", "encounter_id")):
        d = _df(dirty, table)
        repeated = set(d[d.duplicated(key)][key])
        assert repeated and repeated == _ledger_keys(ledger, table, "duplicate_resend")
        first = d.drop_duplicates(key, keep="first").set_index(key)
        last = d.drop_duplicates(key, keep="last").set_index(key)
        assert (last.loc[list(repeated), "extracted_at"] > first.loc[list(repeated), "extracted_at"]).all()
        assert len(d.drop_duplicates(key)) == len(_df(clean, table))
        updated = _ledger_keys(ledger, table, "duplicate_resend")
        updated -= set(ledger[(ledger.table_name == table) & (ledger.column_name == "*")].row_key)
        assert updated, f"{table}: no re-send carries an update"


def test_code_defects(pair):
    dirty, clean, ledger = pair
    changed = _changed(_df(dirty, "diagnoses"), _df(clean, "diagnoses"), "diagnosis_id", "icd10_code")
    kinds = ("code_case", "code_whitespace", "code_missing_dot")
    listed = set().union(*(_ledger_keys(ledger, "diagnoses", k) for k in kinds))
    assert changed and changed == listed
    d = _df(dirty, "diagnoses").set_index("diagnosis_id").icd10_code
    assert all(d[k] != d[k].strip() for k in _ledger_keys(ledger, "diagnoses", "code_whitespace"))
    assert all("." not in d[k] for k in _ledger_keys(ledger, "diagnoses", "code_missing_dot"))
    assert all(d[k] == d[k].lower() for k in _ledger_keys(ledger, "diagnoses", "code_case"))


def test_impossible_vitals(pair):
    dirty, clean, ledger = pair
    changed = _changed(_df(dirty, "observations"), _df(clean, "observations"), "observation_id", "value")
    assert changed and changed == _ledger_keys(ledger, "observations", "impossible_vital")


def test_orphans(pair):
    dirty, clean, ledger = pair
    encounters = set(_df(dirty, "encounters").encounter_id)
    for table, key in (
        ("diagnoses", "diagnosis_id"),
        ("procedures", "procedure_id"),
        ("observations", "observation_id"),
        ("charges", "charge_id"),
    ):
        d = _df(dirty, table)
        orphans = set(d[~d.encounter_id.isin(encounters)][key])
        assert orphans == _ledger_keys(ledger, table, "orphan_row")
        assert set(_df(clean, table).encounter_id) <= set(_df(clean, "encounters").encounter_id)


def test_encounter_time_defects(pair):
    dirty, clean, ledger = pair
    d, c = _df(dirty, "encounters"), _df(clean, "encounters")
    first = d.drop_duplicates("encounter_id")
    backwards = set(first[first.discharged_at < first.admitted_at].encounter_id)
    assert backwards and backwards == _ledger_keys(ledger, "encounters", "discharge_before_admit")
    assert (c.discharged_at.dropna() >= c.admitted_at[c.discharged_at.notna()]).all()
    late = _changed(d, c, "encounter_id", "extracted_at")
    assert late and late == _ledger_keys(ledger, "encounters", "late_arriving")
    changed_discharge = _changed(d, c, "encounter_id", "discharged_at")
    assert changed_discharge == backwards


def test_untouched_tables_equal_clean(pair):
    dirty, clean, _ = pair
    for table in ("payers", "departments", "providers", "coverage", "payments", "surveys"):
        assert pq.read_table(table_dir(dirty, table)).equals(pq.read_table(table_dir(clean, table))), table
