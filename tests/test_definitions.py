"""The Definitions load cheaply and form one connected asset graph."""

import json
import subprocess
import sys

import dagster as dg

from dagster_project.defs.raw import raw_asset_key
from dagster_project.synthetic.tables import FEED_TABLES

LOAD_SCRIPT = """
import json, sys
import dagster as dg
from dagster_project.definitions import defs
dg.Definitions.validate_loadable(defs)
print(json.dumps({"gx_imported": "great_expectations" in sys.modules,
                  "duckdb_imported": "duckdb" in sys.modules}))
"""


def test_definitions_load_without_warehouse_or_great_expectations(tmp_path):
    data_dir = tmp_path / "data"
    completed = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT],
        env={**_clean_env(), "EMR_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(completed.stdout.strip().splitlines()[-1])
    assert loaded == {"gx_imported": False, "duckdb_imported": False}
    assert not data_dir.exists(), "loading the definitions must not create the data directory"


def test_dagster_definitions_validate_passes():
    completed = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
        env=_clean_env(),
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_dbt_sources_link_to_raw_assets_with_no_duplicate_nodes():
    from dagster_project.definitions import defs

    graph = defs.resolve_asset_graph()
    materializable = graph.materializable_asset_keys
    for table in ("patients", "encounters"):
        assert raw_asset_key(table) in materializable
    staging_parents = graph.get(dg.AssetKey(["staging", "stg_emr__patients"])).parent_keys
    assert staging_parents == {raw_asset_key("patients")}
    # every raw table is materialized by the generator asset, none is an external stub
    assert {key for key in graph.external_asset_keys} == set()
    assert {raw_asset_key(table) for table in FEED_TABLES} <= materializable


def test_every_asset_has_description_group_kinds_and_owner():
    from dagster_project.definitions import defs

    for spec in defs.resolve_all_asset_specs():
        name = spec.key.to_user_string()
        assert spec.description, f"{name} has no description"
        assert spec.group_name and spec.group_name != "default", f"{name} has no group"
        assert spec.kinds, f"{name} has no kinds"
        assert spec.owners, f"{name} has no owner"


def test_every_asset_check_says_what_it_asserts():
    """dbt tests carry no description of their own: the translator writes one from the test."""
    from dagster_project.definitions import defs

    graph = defs.resolve_asset_graph()
    descriptions = {key.name: graph.get_check_spec(key).description for key in graph.asset_check_keys}
    assert [name for name, text in descriptions.items() if not text] == []
    assert (
        descriptions["unique_stg_emr__encounters_encounter_id"]
        == "Every encounter_id of stg_emr__encounters is unique (dbt test unique)."
    )
    assert descriptions["relationships_fct_encounters_payer_id__payer_id__ref_stg_emr__payers_"] == (
        "Every fct_encounters.payer_id exists in stg_emr__payers.payer_id (dbt test relationships)."
    )
    assert descriptions["kpi_readmissions_overall_has_one_row"].endswith("exactly one row.")


def _clean_env():
    import os

    return {key: value for key, value in os.environ.items() if not key.startswith(("EMR_", "DAGSTER_"))}
