"""dbt models as Dagster assets, built into this run's candidate warehouse.

Three ops, so that a blocking quality check on a staging model stops the marts: seeds and
staging first (read from the accepted delivery), then intermediate and marts, and last the
models built from the readmission risk model's scores (the follow-up list), which the model
asset writes after the marts it trains on. dbt's own data
tests run inside `dbt build` and show as asset checks (its unit tests run in CI, not here). dbt
learns the data directory from the resource (dbt_arguments) and writes its artifacts under
dbt_runs/<run id>/; what it built and what its tests found is recorded in the candidate, which
the publish step reads. The manifest comes from dagster_project/dbt_project.py: parsed under
`dagster dev`, by `make` everywhere else; nothing parses at import.
"""

import json
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from dagster_project.dbt_project import dbt_project
from dagster_project.defs.concurrency import WAREHOUSE_POOL
from dagster_project.defs.dbt_translator import DescribedTestsTranslator
from dagster_project.defs.resources import Warehouse
from dagster_project.settings import READMISSION_MODEL_DIR, READMISSION_SCORES_FILE
from dagster_project.warehouse import snapshots
from dagster_project.warehouse.candidate import Candidate

# dbt's unit tests check the SQL against fixed inputs, not the data: CI runs them
# (tests/test_dbt_unit_tests.py) and a run would only repeat them, as dbt's docs advise against
# ("only run unit tests in development or CI environments").
SKIP_UNIT_TESTS = ("--exclude-resource-type", "unit_test")
# The models built from the readmission risk model's scores: everything downstream of the source
# it writes (dbt/models/staging/_readmission_model__sources.yml); only emr_prediction_models builds them.
PREDICTION_MODELS = "source:readmission_model+"


def _record_results(candidate: Candidate, run_results: Path) -> None:
    """Each node's status from dbt's run_results.json (model, seed, test, unit test)."""
    if run_results.exists():
        results = json.loads(run_results.read_text())["results"]
        candidate.update("dbt_nodes", {result["unique_id"]: result["status"] for result in results})


def _dbt_build(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse, candidate: Candidate
):  # noqa: ANN202
    """`dbt build` into the candidate; each built model's row count and schema join its output.

    Test results stream out as dbt runs. Model outputs wait until dbt has exited (and released
    the DuckDB write lock) to be read; if the build failed, the models it did build are still
    reported before the failure is raised.
    """
    from dagster_project.defs.metadata import table_metadata

    data_dir = warehouse.data_dir
    target_path = data_dir.dbt_target_path(context.run.run_id)
    outputs, failure = [], None
    try:
        invocation = dbt.cli(
            ["build", *SKIP_UNIT_TESTS, *data_dir.dbt_arguments()], context=context, target_path=target_path
        )
        for event in invocation.stream():
            if isinstance(event, dg.Output):
                outputs.append(event)
            else:
                yield event
    except DagsterDbtCliRuntimeError as error:
        failure = error
    _record_results(candidate, target_path / "run_results.json")
    if outputs:
        with warehouse.read_only(candidate.warehouse) as connection:
            for output in outputs:
                # dagster-dbt keys a model [schema, name]: that is its relation in DuckDB
                schema, name = context.asset_key_for_output(output.output_name).path
                metadata = table_metadata(connection, f'"{schema}"."{name}"')
                yield output.with_metadata({**output.metadata, **metadata})
    if failure:
        raise failure


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=DescribedTestsTranslator(),
    select="path:seeds path:models/staging",
    exclude=PREDICTION_MODELS,
    pool=WAREHOUSE_POOL,
)
def emr_staging_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse):  # noqa: ANN201
    """Reference seeds, and typed, cleaned and deduplicated tables of the accepted delivery."""
    accepted = snapshots.accepted_record(warehouse.layout())
    if accepted is None:
        raise RuntimeError(
            "No delivery has been accepted yet: materialize the raw assets (emr_extract) first."
        )
    candidate = warehouse.candidate(context.run.run_id)
    candidate.set(**{key: accepted[key] for key in ("snapshot_id", "scenario", "end_date", "history_id")})
    yield from _dbt_build(context, dbt, warehouse, candidate)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=DescribedTestsTranslator(),
    select="path:models/intermediate path:models/marts",
    exclude=PREDICTION_MODELS,
    pool=WAREHOUSE_POOL,
)
def emr_mart_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse):  # noqa: ANN201
    """Row flags, stays and readmission pairs, then the facts, dimensions and KPI marts."""
    candidate = warehouse.candidate(context.run.run_id)
    record = candidate.record()
    staging_built = any(node.startswith("model.emr_analytics.stg_") for node in record["dbt_nodes"])
    if record["base_release"] is None and not staging_built:
        raise RuntimeError(
            "This run's candidate starts a new history (nothing published yet, or the accepted delivery "
            "is another history than the published one), so the marts need staging built in the same "
            "run: materialize the staging models too (or Materialize all)."
        )
    yield from _dbt_build(context, dbt, warehouse, candidate)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=DescribedTestsTranslator(),
    select=PREDICTION_MODELS,
    pool=WAREHOUSE_POOL,
)
def emr_prediction_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse):  # noqa: ANN201
    """The readmission follow-up list: the model's scores of the recent discharges, ranked and
    joined to the marts."""
    candidate = warehouse.candidate(context.run.run_id)
    scores = candidate.dir.joinpath(*READMISSION_MODEL_DIR, READMISSION_SCORES_FILE)
    if not scores.exists():
        raise RuntimeError(
            f"The readmission risk model's scores ({scores}) are missing from this run's candidate: "
            "materialize readmission_risk_model in the same run before the follow-up list."
        )
    yield from _dbt_build(context, dbt, warehouse, candidate)
