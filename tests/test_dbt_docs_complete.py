"""Every dbt model, seed and source, and every column it really has, carries a description; no
count is HUGEINT."""

import json

import duckdb
import pytest

from dagster_project.settings import READMISSION_MODEL_DIR, DataLayout
from tests.support.pipeline import published_warehouse

pytestmark = pytest.mark.slow


def test_every_model_and_column_is_documented(pipeline_run, dbt_manifest):
    nodes = json.loads(dbt_manifest.read_text())["nodes"].values()
    documented = [node for node in nodes if node["resource_type"] in ("model", "seed")]
    missing = []
    warehouse = published_warehouse(pipeline_run["data_dir"])
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for node in documented:
            if not node["description"].strip():
                missing.append(f"{node['name']} (model)")
            actual = [
                name
                for (name,) in connection.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ?",
                    [node["schema"], node["alias"]],
                ).fetchall()
            ]
            assert actual, f"{node['schema']}.{node['alias']} is not in the warehouse"
            missing += [
                f"{node['name']}.{column}"
                for column in actual
                if not node["columns"].get(column, {}).get("description", "").strip()
            ]
    assert missing == []


def test_every_delivered_column_is_documented_in_its_source(pipeline_run, dbt_manifest):
    """The columns of each Parquet folder the run read, against the source's column docs."""
    sources = json.loads(dbt_manifest.read_text())["sources"].values()
    layout = DataLayout(pipeline_run["data_dir"])
    # where each source's table is read from (the model's scores: as published with the release)
    files = {
        "emr": str(layout.root / "raw" / "accepted" / "feed" / "{name}" / "*.parquet"),
        "reference": str(layout.root / "reference" / "{name}" / "*.parquet"),
        "readmission_model": str(layout.published_link.joinpath(*READMISSION_MODEL_DIR, "{name}.parquet")),
    }
    missing = []
    for source in sources:
        parts = files[source["source_name"]].format(name=source["name"])
        delivered = [
            row[0] for row in duckdb.sql(f"describe select * from read_parquet('{parts}')").fetchall()
        ]
        missing += [
            f"{source['source_name']}.{source['name']}.{column}"
            for column in delivered
            if not source["columns"].get(column, {}).get("description", "").strip()
        ]
    assert missing == []


def test_no_published_column_is_hugeint(pipeline_run):
    """DuckDB sums integers to HUGEINT, which pandas, BI tools and Spark do not read as a plain
    integer: counts are cast to BIGINT (macro as_bigint)."""
    with duckdb.connect(str(published_warehouse(pipeline_run["data_dir"])), read_only=True) as connection:
        wide = connection.execute(
            "select table_schema || '.' || table_name || '.' || column_name from information_schema.columns "
            "where data_type = 'HUGEINT' order by 1"
        ).fetchall()
    assert wide == []
