"""The dbt project as its docs site shows it (read from the manifest, no build): a front page,
exposures for the reports and the model that read the marts, and a test on every KPI model."""

import json

import pytest

from dagster_project.prediction.followup import FOLLOWUP_MART
from dagster_project.prediction.readmission_model import FEATURES_MART
from dagster_project.reports import dashboard, executive_summary
from dagster_project.reports.mart_rows import READMISSION_STAYS_TABLES


@pytest.fixture(scope="module")
def manifest(dbt_manifest) -> dict:
    return json.loads(dbt_manifest.read_text())


def model_names(manifest: dict, unique_ids: list[str]) -> set[str]:
    return {manifest["nodes"][unique_id]["name"] for unique_id in unique_ids}


def test_docs_front_page_is_the_projects_overview(manifest):
    overview = manifest["docs"]["doc.emr_analytics.__overview__"]["block_contents"]
    for heading in ("## Data flow", "## How to read the marts"):
        assert heading in overview


@pytest.mark.parametrize(
    ("exposure", "tables"),
    [
        ("hospital_kpi_dashboard", set(dashboard.TABLES) | {FOLLOWUP_MART}),
        (
            "executive_summary",
            set(executive_summary.TABLES) | set(READMISSION_STAYS_TABLES) | {FOLLOWUP_MART},
        ),
        ("readmission_risk_model", {FEATURES_MART}),
    ],
)
def test_each_report_and_model_is_an_exposure_on_exactly_the_tables_it_reads(manifest, exposure, tables):
    (node,) = [node for node in manifest["exposures"].values() if node["name"] == exposure]
    assert model_names(manifest, node["depends_on"]["nodes"]) == tables
    assert node["owner"]["name"] and node["description"].strip()


def test_every_kpi_model_has_a_data_test(manifest):
    tested = {
        parent
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        for parent in node["depends_on"]["nodes"]
    }
    untested = [
        node["name"]
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["name"].startswith("kpi_") and unique_id not in tested
    ]
    assert untested == []


def test_every_source_table_has_its_columns_documented(manifest):
    sources = list(manifest["sources"].values())
    assert sources
    for source in sources:
        columns = source["columns"]
        assert columns, f"{source['source_name']}.{source['name']} lists no columns"
        assert all(column["description"].strip() for column in columns.values()), source["name"]


def test_the_encounter_feed_declares_its_freshness(manifest):
    (encounters,) = [
        node
        for node in manifest["sources"].values()
        if node["unique_id"] == "source.emr_analytics.emr.encounters"
    ]
    assert encounters["loaded_at_field"] == "extracted_at"
    assert encounters["freshness"]["warn_after"] == {"count": 2, "period": "day"}
    assert encounters["freshness"]["error_after"] == {"count": 7, "period": "day"}


def test_every_model_and_seed_has_an_owner(manifest):
    owners = {group["name"]: group["owner"].get("name") for group in manifest["groups"].values()}
    nodes = [node for node in manifest["nodes"].values() if node["resource_type"] in ("model", "seed")]
    assert nodes
    assert [node["name"] for node in nodes if not owners.get(node["config"].get("group"))] == []
