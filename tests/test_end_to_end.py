"""One real materialization of every asset (small scenario) into a temporary data directory:
everything builds, every check passes, the release is published and holds the delivery."""

import duckdb
import pytest

from dagster_project.settings import DataLayout
from dagster_project.warehouse.release import published_release
from tests.support.pipeline import published_warehouse

pytestmark = pytest.mark.slow


def test_every_asset_materializes(pipeline_run):
    from dagster_project.definitions import defs

    result = pipeline_run["result"]
    assert result.success
    materialized = {event.asset_key for event in result.get_asset_materialization_events()}
    expected = {spec.key for spec in defs.resolve_all_asset_specs()}
    assert materialized == expected


def test_every_check_ran_and_passed(pipeline_run):
    from dagster_project.definitions import defs

    evaluations = pipeline_run["result"].get_asset_check_evaluations()
    failed = [(e.asset_key.to_user_string(), e.check_name) for e in evaluations if not e.passed]
    assert failed == []
    ran = {(e.asset_key, e.check_name) for e in evaluations}
    defined = {(key.asset_key, key.name) for key in defs.resolve_asset_graph().asset_check_keys}
    assert ran == defined
    for stage in ("raw", "staging", "marts"):
        assert any(name.startswith(f"gx_{stage}_") for _, name in ran), stage


def test_the_published_marts_are_built_from_the_accepted_delivery(pipeline_run):
    layout = DataLayout(pipeline_run["data_dir"])
    release = published_release(layout)
    assert release["snapshot_id"] == layout.accepted_link.resolve().name
    with duckdb.connect(str(published_warehouse(layout.root)), read_only=True) as connection:
        (raw_encounters,) = connection.execute(
            "select count(distinct encounter_id) from read_parquet(?)",
            [str(layout.accepted_link / "feed" / "encounters" / "*.parquet")],
        ).fetchone()
        (mart_encounters,) = connection.execute("select count(*) from marts.fct_encounters").fetchone()
        (with_age,) = connection.execute(
            "select count(*) from marts.fct_encounters where age_at_admission is not null"
        ).fetchone()
    assert raw_encounters > 0
    assert mart_encounters == raw_encounters == release["rows"]["marts.fct_encounters"]
    assert with_age > 0


def test_the_published_warehouse_stores_no_path(pipeline_run):
    """A published warehouse is self-contained: no view reads raw files, so a copied or
    restored data directory never reads another one's deliveries."""
    with duckdb.connect(str(published_warehouse(pipeline_run["data_dir"])), read_only=True) as connection:
        views = connection.execute("select sql from duckdb_views() where not internal").fetchall()
    definitions = [sql for (sql,) in views]
    assert definitions
    assert not [sql for sql in definitions if "read_parquet" in sql or str(pipeline_run["data_dir"]) in sql]


def test_nothing_is_written_outside_the_data_directory(pipeline_run):
    before, after = pipeline_run["repo_before"], pipeline_run["repo_after"]
    changed = sorted(path for path in after.keys() | before.keys() if before.get(path) != after.get(path))
    assert changed == []


def test_materializations_carry_row_counts_and_schema_and_publication_a_preview(pipeline_run):
    import dagster as dg

    result = pipeline_run["result"]
    materialized = {
        event.asset_key: event.materialization.metadata for event in result.get_asset_materialization_events()
    }
    for key in (
        dg.AssetKey(["emr", "encounters"]),
        dg.AssetKey(["staging", "stg_emr__encounters"]),
        dg.AssetKey(["marts", "fct_encounters"]),
    ):
        metadata = materialized[key]
        assert metadata["dagster/row_count"].value > 0, key
        columns = {column.name for column in metadata["dagster/column_schema"].value.columns}
        assert "encounter_id" in columns, key
        assert "preview" not in metadata, f"{key} shows rows before they are published"
    observations = [
        event.asset_observation_data.asset_observation
        for event in result.all_events
        if event.event_type_value == "ASSET_OBSERVATION"
    ]
    observed = {observation.asset_key: observation.metadata for observation in observations}
    preview = observed[dg.AssetKey(["marts", "fct_encounters"])]["preview"].value
    assert preview.startswith("| ") and "encounter_id" in preview
    patients = observed[dg.AssetKey(["marts", "dim_patients"])]["preview"].value
    assert "first_name" in patients and "&lt;masked&gt;" in patients
    overall = observed[dg.AssetKey(["marts", "kpi_readmissions_overall"])]
    assert 0 < overall["readmission_rate_30d"].value < 1


def test_the_follow_up_list_mart_ranks_what_the_model_scored(pipeline_run):
    """The published mart holds every stay the model scored, with the model's risk, band and
    factors, ranked by risk (ties by stay), its first decile a tenth of the list rounded up."""
    from dagster_project.prediction.followup import FOLLOWUP_MART, SCORE_COLUMNS
    from dagster_project.settings import READMISSION_MODEL_DIR, READMISSION_SCORES_FILE

    layout = DataLayout(pipeline_run["data_dir"])
    scores_file = layout.published_link.joinpath(*READMISSION_MODEL_DIR, READMISSION_SCORES_FILE)
    with duckdb.connect(str(published_warehouse(layout.root)), read_only=True) as connection:
        listed = connection.execute(f"select * from marts.{FOLLOWUP_MART} order by risk_rank").df()
    scored = duckdb.sql(f"select * from read_parquet('{scores_file}')").df()
    assert len(scored) > 0, "the scenario has recent discharges to score"
    expected = scored.sort_values(["predicted_risk_30d", "stay_id"], ascending=[False, True])
    columns = list(SCORE_COLUMNS)
    assert listed[columns].reset_index(drop=True).equals(expected[columns].reset_index(drop=True))
    assert listed["risk_rank"].tolist() == list(range(1, len(listed) + 1))
    assert (listed["risk_decile"] == 1).sum() == -(-len(listed) // 10)
    assert listed["risk_decile"].is_monotonic_increasing
    assert listed["department_name"].notna().all() and listed["lace_score"].notna().all()
