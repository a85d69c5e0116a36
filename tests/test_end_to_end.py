"""One real materialization of every asset (small scenario) into a temporary data directory."""

import duckdb


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
    assert any(name.startswith("gx_raw_") for _, name in ran)
    assert any(name.startswith("gx_staging_") for _, name in ran)


def test_mart_is_built_from_the_extract(pipeline_run):
    warehouse = pipeline_run["data_dir"] / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        (raw_encounters,) = connection.execute(
            "select count(distinct encounter_id) from read_parquet(?)",
            [str(pipeline_run["data_dir"] / "raw" / "encounters" / "*.parquet")],
        ).fetchone()
        (mart_encounters,) = connection.execute("select count(*) from marts.fct_encounters").fetchone()
        (with_age,) = connection.execute(
            "select count(*) from marts.fct_encounters where age_at_admission is not null"
        ).fetchone()
    assert raw_encounters > 0
    assert mart_encounters == raw_encounters
    assert with_age > 0


def test_nothing_is_written_outside_the_data_directory(pipeline_run):
    before, after = pipeline_run["repo_before"], pipeline_run["repo_after"]
    changed = sorted(path for path in after.keys() | before.keys() if before.get(path) != after.get(path))
    assert changed == []


def test_materializations_carry_row_counts_schema_and_preview(pipeline_run):
    import dagster as dg

    result = pipeline_run["result"]
    by_key = {
        event.asset_key: event.materialization.metadata for event in result.get_asset_materialization_events()
    }
    for key in (
        dg.AssetKey(["emr", "encounters"]),
        dg.AssetKey(["staging", "stg_emr__encounters"]),
        dg.AssetKey(["marts", "fct_encounters"]),
    ):
        metadata = by_key[key]
        assert metadata["dagster/row_count"].value > 0, key
        columns = {column.name for column in metadata["dagster/column_schema"].value.columns}
        assert "encounter_id" in columns, key
        assert metadata["preview"].value.startswith("| ") and "encounter_id" in metadata["preview"].value, key
    overall = by_key[dg.AssetKey(["marts", "kpi_readmissions_overall"])]
    assert 0 < overall["readmission_rate_30d"].value < 1
