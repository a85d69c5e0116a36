"""dbt models as Dagster assets.

Two ops, so that a blocking quality check on a staging model stops the marts: staging
first, then intermediate and marts. dbt's own tests run inside `dbt build` and show as
asset checks. The manifest comes from dagster_project/dbt_project.py: parsed under
`dagster dev`, by `make` everywhere else; nothing parses at import.
"""

import uuid

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from dagster_project import settings
from dagster_project.dbt_project import dbt_project
from dagster_project.defs.concurrency import WAREHOUSE_POOL


def _run_target_path(context: dg.AssetExecutionContext):
    """A fresh folder in the data dir for this invocation's dbt artifacts and logs."""
    return settings.dbt_run_artifacts_dir() / f"{context.run.run_id[:8]}-{uuid.uuid4().hex[:6]}"


def _dbt_build(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build`; each built model's row count, schema and preview join its output.

    Test results stream out as dbt runs. Model outputs wait until dbt has exited (and
    released the DuckDB write lock) to be read; if the build failed, the models it did build
    are still reported before the failure is raised.
    """
    import duckdb

    from dagster_project.defs.metadata import model_metadata

    outputs, failure = [], None
    try:
        for event in dbt.cli(["build"], context=context, target_path=_run_target_path(context)).stream():
            if isinstance(event, dg.Output):
                outputs.append(event)
            else:
                yield event
    except DagsterDbtCliRuntimeError as error:
        failure = error
    if outputs:
        with duckdb.connect(str(settings.warehouse_path()), read_only=True) as connection:
            for output in outputs:
                # dagster-dbt keys a model [schema, name]: that is its relation in DuckDB
                schema, name = context.asset_key_for_output(output.output_name).path
                metadata = model_metadata(connection, f'"{schema}"."{name}"')
                yield output.with_metadata({**output.metadata, **metadata})
    if failure:
        raise failure


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    select="path:seeds path:models/staging",
    pool=WAREHOUSE_POOL,
)
def emr_staging_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Reference seeds, and typed, cleaned, deduplicated and flagged views over the raw extract."""
    yield from _dbt_build(context, dbt)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    select="path:models/intermediate path:models/marts",
    pool=WAREHOUSE_POOL,
)
def emr_mart_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Intermediate models and the KPI marts."""
    yield from _dbt_build(context, dbt)
