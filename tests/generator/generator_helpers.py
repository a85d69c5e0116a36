"""Helpers shared by the generator tests: scenario variants, generation, hashing, DuckDB views."""

import hashlib
from pathlib import Path

import duckdb
import yaml

from dagster_project.synthetic.extract import generate_extract
from dagster_project.synthetic.scenario import Scenario, load_scenario
from dagster_project.synthetic.tables import ANSWER_KEY_TABLES, FEED_TABLES, table_folder

REPO = Path(__file__).resolve().parents[2]
SMALL = REPO / "scenarios" / "small.yaml"
DEFAULT = REPO / "scenarios" / "default.yaml"


def scenario_variant(tmp_path: Path, base: Path = SMALL, name: str = "variant.yaml", **changes) -> Path:
    """Write a copy of a scenario with dotted-key changes, e.g. {"defects.code_case": 0.0}."""
    data = yaml.safe_load(base.read_text())
    for dotted, value in changes.items():
        node = data
        *parents, leaf = dotted.split("__")
        for key in parents:
            node = node[key]
        node[leaf] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def zero_defects(tmp_path: Path, base: Path = SMALL, name: str = "clean.yaml", **changes) -> Path:
    data = yaml.safe_load(base.read_text())
    rates = {kind: 0.0 for kind in data["defects"]}
    return scenario_variant(tmp_path, base, name, defects=rates, **changes)


def generate(scenario_file: Path, out: Path, **overrides) -> dict[str, int]:
    scenario: Scenario = load_scenario(scenario_file, overrides or None)
    return generate_extract(scenario, out)


def table_dir(out: Path, table: str) -> Path:
    """A table's folder in an extract: feed/<table>, or answer_key/<table> for the ledger."""
    return out / table_folder(table)


def content_hash(out: Path) -> str:
    """SHA-256 over every Parquet file's relative path and bytes."""
    digest = hashlib.sha256()
    for path in sorted(out.rglob("*.parquet")):
        digest.update(str(path.relative_to(out)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def connect(out: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per raw table."""
    con = duckdb.connect()
    for table in [*FEED_TABLES, *ANSWER_KEY_TABLES]:
        con.sql(f"create view {table} as select * from read_parquet('{table_dir(out, table)}/*.parquet')")
    return con


STAYS = """
create or replace view stays as
select e.*, d.department_name as dept, dx.icd10_code as pdx, p.birth_date, p.sex,
       date_diff('year', p.birth_date, e.admitted_at::date)
         - case when strftime(e.admitted_at, '%m%d') < strftime(p.birth_date, '%m%d') then 1 else 0 end as age
from encounters e
join departments d using (department_id)
join patients p using (patient_id)
left join diagnoses dx on dx.encounter_id = e.encounter_id and dx.is_principal
"""
INDEX_STAYS = """
create or replace view index_stays as
with inpatient as (
    select *, lead(admitted_at) over (partition by patient_id order by admitted_at) as next_admit
    from stays where encounter_class = 'inpatient'
)
select *,
       coalesce(next_admit <= discharged_at + interval 30 day, false) as readmit_30,
       coalesce(next_admit <= discharged_at + interval 60 day, false) as readmit_60
from inpatient
where discharge_disposition not in ('expired', 'against_medical_advice', 'transfer')
  and discharged_at <= (select max(admitted_at) from encounters) - interval 60 day
"""


def kpi_connection(out: Path) -> duckdb.DuckDBPyConnection:
    """Views `stays` (encounter + department + principal dx + age) and `index_stays`."""
    con = connect(out)
    con.sql(STAYS)
    con.sql(INDEX_STAYS)
    return con


def scalar(con: duckdb.DuckDBPyConnection, sql: str):
    return con.execute(sql).fetchone()[0]


def by_key(con: duckdb.DuckDBPyConnection, sql: str) -> dict:
    return dict(con.execute(sql).fetchall())
