"""Raw assets: the generator's extract, one asset per landed table.

Asset keys are ["emr", <table>], the dbt source names, so dbt sources link to these
assets with no custom translator code.
"""

import dagster as dg

from dagster_project import settings
from dagster_project.synthetic.tables import RAW_TABLES

RAW_SOURCE_NAME = "emr"


def raw_asset_key(table: str) -> dg.AssetKey:
    return dg.AssetKey([RAW_SOURCE_NAME, table])


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
)
def emr_extract(context: dg.AssetExecutionContext):
    """Generate the synthetic EMR extract from the scenario file into the raw landing zone."""
    from dagster_project.synthetic.extract import generate_extract
    from dagster_project.synthetic.scenario import load_scenario

    scenario_file = settings.scenario_path()
    out_dir = settings.raw_dir()
    scenario = load_scenario(scenario_file)
    context.log.info(f"Generating {scenario_file} into {out_dir}")
    rows_per_table = generate_extract(scenario, out_dir)
    for table, row_count in rows_per_table.items():
        yield dg.MaterializeResult(
            asset_key=raw_asset_key(table),
            metadata={
                "dagster/row_count": row_count,
                "path": dg.MetadataValue.path(str(out_dir / table)),
                "scenario": dg.MetadataValue.path(str(scenario_file)),
            },
        )
