"""The extract as files: column contract, determinism, prefix stability and atomic writes."""

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from generator_helpers import SMALL, content_hash, generate, table_dir, zero_defects

from dagster_project.synthetic import extract
from dagster_project.synthetic.scenario import load_scenario
from dagster_project.synthetic.tables import ANSWER_KEY_TABLES, FEED_TABLES

ALL_TABLES = [*FEED_TABLES, *ANSWER_KEY_TABLES]

TS = pa.timestamp("us")
CONTRACT = {
    "patients": {
        "patient_id": pa.string(),
        "first_name": pa.string(),
        "last_name": pa.string(),
        "birth_date": pa.date32(),
        "sex": pa.string(),
        "race": pa.string(),
        "ethnicity": pa.string(),
        "address_line": pa.string(),
        "city": pa.string(),
        "state": pa.string(),
        "zip_code": pa.string(),
        "death_date": pa.date32(),
        "extracted_at": TS,
    },
    "encounters": {
        "encounter_id": pa.string(),
        "patient_id": pa.string(),
        "encounter_class": pa.string(),
        "admitted_at": TS,
        "discharged_at": TS,
        "department_id": pa.string(),
        "provider_id": pa.string(),
        "admission_type": pa.string(),
        "admission_source": pa.string(),
        "discharge_disposition": pa.string(),
        "payer_id": pa.string(),
        "source_readmission_flag": pa.bool_(),
        "mother_encounter_id": pa.string(),
        "admitted_encounter_id": pa.string(),
        "extracted_at": TS,
    },
    "departments": {"department_id": pa.string(), "department_name": pa.string(), "specialty": pa.string()},
    "payers": {"payer_id": pa.string(), "payer_name": pa.string(), "payer_class": pa.string()},
    "defect_ledger": {
        "table_name": pa.string(),
        "row_key": pa.string(),
        "column_name": pa.string(),
        "defect_kind": pa.string(),
    },
}


@pytest.fixture(scope="module")
def small_extract(tmp_path_factory):
    out = tmp_path_factory.mktemp("small") / "raw"
    rows = generate(SMALL, out)
    return out, rows


def test_every_table_written_with_counts(small_extract):
    out, rows = small_extract
    assert list(rows) == ALL_TABLES
    for table in ALL_TABLES:
        parts = sorted(table_dir(out, table).glob("part-*.parquet"))
        assert parts and parts[0].name == "part-00000.parquet"
        assert pq.read_table(table_dir(out, table)).num_rows == rows[table]
    for table in ("patients", "encounters", "diagnoses", "observations", "charges", "payments"):
        assert rows[table] > 0
    assert rows["patients"] >= 300


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_column_contract(small_extract, table):
    schema = pq.read_schema(sorted(table_dir(small_extract[0], table).glob("*.parquet"))[0])
    types = {field.name: field.type for field in schema}
    for name, expected in CONTRACT[table].items():
        assert types.get(name) == expected, f"{table}.{name}: {types.get(name)} != {expected}"
    assert list(types)[: len(CONTRACT[table])] == list(CONTRACT[table])


def test_same_seed_gives_identical_bytes_other_seed_does_not(small_extract, tmp_path):
    out, _ = small_extract
    again = tmp_path / "again"
    generate(SMALL, again)
    assert content_hash(again) == content_hash(out)
    other = tmp_path / "other"
    generate(SMALL, other, seed=8)
    assert content_hash(other) != content_hash(out)


def _rows(table: pa.Table) -> set[tuple]:
    return set(zip(*[table.column(c).to_pylist() for c in table.column_names], strict=True))


def _planted_orphan_source(encounter_id: str | None) -> str | None:
    """The encounter an orphan_row defect took the row from: it points the row at ENC9 + the
    rest of the id (defects.py), so an open stay's orphaned rows are its rows too."""
    if encounter_id and encounter_id.startswith("ENC9"):
        return "ENC2" + encounter_id[4:]
    return encounter_id


def test_extending_end_date_keeps_history(tmp_path):
    """Every row dated before the old end stays byte-identical; open stays may complete."""
    short, long = tmp_path / "short", tmp_path / "long"
    generate(SMALL, short, end_date="2024-06-14")
    generate(SMALL, long, end_date="2024-12-31")
    enc = pq.read_table(table_dir(short, "encounters"))
    open_ids = set(enc.filter(enc.column("discharged_at").is_null()).column("encounter_id").to_pylist())
    for table in (
        "encounters",
        "diagnoses",
        "procedures",
        "observations",
        "charges",
        "payments",
        "surveys",
        "providers",
        "payers",
        "departments",
        "defect_ledger",
    ):
        before, after = pq.read_table(table_dir(short, table)), pq.read_table(table_dir(long, table))
        key = "row_key" if table == "defect_ledger" else "encounter_id"
        if key in before.column_names:
            ids = before.column(key).to_pylist()
            keep = (
                [not any(i.startswith(o) for o in open_ids) if i else True for i in ids]
                if table == "defect_ledger"
                else [_planted_orphan_source(i) not in open_ids for i in ids]
            )
            before = before.filter(pa.array(keep))
        missing = _rows(before) - _rows(after)
        assert not missing, f"{table}: {len(missing)} rows changed, e.g. {next(iter(missing))}"
        assert after.num_rows > before.num_rows or table in ("providers", "payers", "departments")
    patients_before = pq.read_table(table_dir(short, "patients")).drop_columns(["death_date"])
    patients_after = pq.read_table(table_dir(long, "patients")).drop_columns(["death_date"])
    assert _rows(patients_before) <= _rows(patients_after)
    newcomers = _rows(patients_after) - _rows(patients_before)
    birth = patients_after.column_names.index("birth_date")
    assert newcomers and all(row[birth] > dt.date(2024, 6, 14) for row in newcomers), "only babies born later"


def test_failed_write_leaves_previous_extract(tmp_path, monkeypatch):
    out = tmp_path / "raw"
    generate(SMALL, out)
    before = content_hash(out)
    calls = {"n": 0}
    real_write = extract._write

    def crash_midway(table, folder, part):
        calls["n"] += 1
        if calls["n"] == 6:
            raise OSError("disk full")
        return real_write(table, folder, part)

    monkeypatch.setattr(extract, "_write", crash_midway)
    with pytest.raises(OSError, match="disk full"):
        generate(SMALL, out, seed=99)
    assert content_hash(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]


def test_rewrite_replaces_extract_and_cleans_up(tmp_path):
    out = tmp_path / "raw"
    generate(SMALL, out)
    first = content_hash(out)
    generate(SMALL, out, seed=99)
    assert content_hash(out) != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]


def test_zero_rates_give_empty_ledger(tmp_path):
    out = tmp_path / "clean"
    rows = generate(zero_defects(tmp_path), out)
    assert rows["defect_ledger"] == 0
    assert pq.read_table(table_dir(out, "defect_ledger")).num_rows == 0


@pytest.mark.slow
def test_sharded_run_is_identical_in_a_pool_or_inline(tmp_path):
    """Two shards write one part each; a process pool and a single process write the same bytes."""
    scale = {"patients": 30_000, "start_date": "2024-01-01", "end_date": "2024-02-29"}
    first, second = tmp_path / "first", tmp_path / "second"
    rows = generate(SMALL, first, **scale)
    extract.generate_extract(load_scenario(SMALL, scale), second, workers=1)
    assert content_hash(first) == content_hash(second)
    assert sorted(p.name for p in table_dir(first, "encounters").iterdir()) == [
        "part-00000.parquet",
        "part-00001.parquet",
    ]
    assert pq.read_table(table_dir(first, "patients")).num_rows == rows["patients"] > 30_000


@pytest.mark.slow
def test_killing_emr_generate_kills_its_workers_and_keeps_the_previous_extract(tmp_path):
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from tests.support.emr_run import descendants, wait_until_gone

    out = tmp_path / "extract"
    generate(SMALL, out)
    before = content_hash(out)
    command = [str(Path(sys.executable).parent / "emr-generate"), "--scenario", str(SMALL), "--out", str(out)]
    process = subprocess.Popen([*command, "--patients", "100000"], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(descendants(process.pid)) < 2 and time.monotonic() < deadline:
        assert process.poll() is None, "emr-generate ended before its workers could be seen"
        time.sleep(0.1)
    workers = descendants(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert len(workers) >= 2 and wait_until_gone(workers) == set()
    assert content_hash(out) == before
