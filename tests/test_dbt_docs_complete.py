"""Every dbt model and seed, and every column it really has, carries a description."""

import json

import duckdb
import pytest

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
