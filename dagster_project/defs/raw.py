"""Raw assets: the generator's extract, one asset per landed table.

Asset keys are ["emr", <table>], the dbt source names, so dbt sources link to these
assets with no custom translator code.
"""

import datetime as dt

import dagster as dg

from dagster_project import settings
from dagster_project.defs.concurrency import WAREHOUSE_POOL
from dagster_project.synthetic.tables import RAW_TABLES

RAW_SOURCE_NAME = "emr"


def raw_asset_key(table: str) -> dg.AssetKey:
    return dg.AssetKey([RAW_SOURCE_NAME, table])


class ExtractConfig(dg.Config):
    """The daily refresh extends the extract to its own day. Extending never rewrites history:
    records before the old end date stay identical (the generator is prefix-stable)."""

    extend_to: str | None = None  # ISO date; the end date becomes the later of it and the scenario's


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key=raw_asset_key(table),
            description=description,
            group_name="raw",
            kinds={"python", "parquet"},
            owners=["team:data-platform"],
        )
        for table, description in RAW_TABLES.items()
    ],
    can_subset=False,
    pool=WAREHOUSE_POOL,
)
def emr_extract(context: dg.AssetExecutionContext, config: ExtractConfig):
    """Generate the synthetic EMR extract from the scenario file into the raw landing zone."""
    import duckdb

    from dagster_project.defs.metadata import model_metadata
    from dagster_project.synthetic.extract import generate_extract
    from dagster_project.synthetic.scenario import load_scenario

    scenario_file = settings.scenario_path()
    out_dir = settings.raw_dir()
    scenario = load_scenario(scenario_file)
    if config.extend_to:
        try:
            extend_to = dt.date.fromisoformat(config.extend_to)
        except ValueError as error:
            raise ValueError(f"emr_extract config extend_to: {error} (expected YYYY-MM-DD)") from error
        if extend_to > scenario.end_date:
            scenario = load_scenario(scenario_file, overrides={"end_date": extend_to})
    context.log.info(f"Generating {scenario_file} into {out_dir}")
    generate_extract(scenario, out_dir)
    with duckdb.connect() as connection:
        for table in RAW_TABLES:
            parts = out_dir / table / "*.parquet"
            yield dg.MaterializeResult(
                asset_key=raw_asset_key(table),
                metadata={
                    **model_metadata(connection, f"read_parquet('{parts}')"),
                    "path": dg.MetadataValue.path(str(out_dir / table)),
                    "scenario": dg.MetadataValue.path(str(scenario_file)),
                    "end_date": scenario.end_date.isoformat(),
                },
            )
