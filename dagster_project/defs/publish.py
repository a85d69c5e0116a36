"""The publish step: the last asset of every run that builds, and the only writer of what readers see.

It publishes this run's candidate (warehouse, reports and dbt docs) as one release, in one step,
only if the candidate is complete and every check passed (dagster_project/warehouse/audit.py
says what that means); otherwise it fails and readers keep the last published set. Previews of
the published marts appear on their assets only now, as observations. Old releases, snapshots,
dbt artifacts and Dagster run history beyond what is kept are pruned here.
"""

import datetime as dt
import json
import shutil

import dagster as dg
from dagster_dbt import DbtCliResource

from dagster_project.dbt_project import dbt_project
from dagster_project.defs.concurrency import WAREHOUSE_POOL
from dagster_project.defs.dbt_models import emr_mart_models, emr_prediction_models
from dagster_project.defs.prediction import readmission_risk_model
from dagster_project.defs.reports import dashboard, executive_summary
from dagster_project.defs.resources import Warehouse
from dagster_project.quality.suites import MODEL_STAGES
from dagster_project.settings import EXPECTATIONS_DIR

KEEP_FINISHED_RUNS = 200
DBT_DOCS_FILES = ("index.html", "manifest.json", "catalog.json")
FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]
ROW_COUNTS_SQL = """
    select schema_name, table_name, estimated_size
    from duckdb_tables()
    where schema_name in ('staging', 'intermediate', 'marts', 'reference')
    order by schema_name, table_name
"""


def _project_nodes(manifest: dict) -> tuple[set[str], set[str], dict[str, str]]:
    """Unique ids of the project's models and seeds, of its marts, and the check of each model
    that has a Great Expectations suite."""
    models, marts, suites = set(), set(), {}
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] not in ("model", "seed"):
            continue
        models.add(unique_id)
        schema, name = node["schema"], node["name"]
        if schema == "marts":
            marts.add(unique_id)
        if schema in MODEL_STAGES and (EXPECTATIONS_DIR / schema / f"{name}.json").exists():
            suites[unique_id] = f"gx_{schema}_{name}"
    return models, marts, suites


def prune_run_history(instance: dg.DagsterInstance, keep: int = KEEP_FINISHED_RUNS) -> int:
    """Delete finished runs beyond the newest `keep`; how many were deleted."""
    old = instance.get_run_records(filters=dg.RunsFilter(statuses=FINISHED), limit=keep + 1000)[keep:]
    for record in old:
        instance.delete_run(record.dagster_run.run_id)
    return len(old)


@dg.asset(
    key=["published", "release"],
    deps=[
        *emr_mart_models.keys,
        readmission_risk_model,
        *emr_prediction_models.keys,
        executive_summary,
        dashboard,
    ],
    description=(
        "The published release: this run's warehouse, reports and dbt docs, made visible to every "
        "reader in one step once every check has passed (readers open data/published/)."
    ),
    group_name="publish",
    kinds={"python", "duckdb"},
    owners=["team:data-platform"],
    pool=WAREHOUSE_POOL,
)
def release(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse
) -> dg.MaterializeResult:
    from dagster_project.defs.metadata import published_metadata
    from dagster_project.warehouse import retention
    from dagster_project.warehouse.audit import problems
    from dagster_project.warehouse.candidate import candidate_of_run
    from dagster_project.warehouse.release import new_release_id, publish

    layout = warehouse.layout()
    run_id = context.run.run_id
    candidate = candidate_of_run(layout, run_id)
    if candidate is None:
        raise dg.Failure("Nothing was built in this run, so there is nothing to publish.")
    manifest = json.loads(dbt_project.manifest_path.read_text())
    models, marts, suites = _project_nodes(manifest)
    record = candidate.record()
    reasons = problems(record, manifest["child_map"], models, marts, suites)
    if reasons:
        raise dg.Failure(
            "The candidate is not published; readers keep the last published set. "
            + " ".join(f"({number}) {reason}." for number, reason in enumerate(reasons, start=1))
        )
    # the docs describe the manifest this run's builds wrote (the prepared one if none ran) and
    # the candidate's catalog; compiling every model again would only add their compiled SQL
    target_path = warehouse.data_dir.dbt_target_path(run_id)
    if not (target_path / "manifest.json").exists():
        shutil.copyfile(dbt_project.manifest_path, target_path / "manifest.json")
    dbt.cli(
        ["docs", "generate", "--no-compile", *warehouse.data_dir.dbt_arguments()], target_path=target_path
    ).wait()
    candidate.dbt_docs_dir.mkdir()
    for name in DBT_DOCS_FILES:
        shutil.copyfile(target_path / name, candidate.dbt_docs_dir / name)
    with warehouse.read_only(candidate.warehouse) as connection:
        rows = {
            f"{schema}.{table}": count
            for schema, table, count in connection.execute(ROW_COUNTS_SQL).fetchall()
        }
        previews = {
            key: published_metadata(connection, f'"{key.path[0]}"."{key.path[1]}"')
            for key in [*emr_mart_models.keys, *emr_prediction_models.keys]
            if key.path[0] == "marts"
        }
    checks = record["checks"]
    release_record = {
        "release_id": new_release_id(run_id),
        "run_id": run_id,
        "published_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "snapshot_id": record["snapshot_id"],
        "scenario": record["scenario"],
        "history_id": record["history_id"],
        "end_date": record["end_date"],
        "base_release": record["base_release"],
        "rows": rows,
        "checks": {"run": len(checks), "passed": sum(check["passed"] for check in checks.values())},
        "dbt_nodes": len(record["dbt_nodes"]),
    }
    summary = (candidate.reports_dir / "executive_summary.md").read_text(encoding="utf-8")
    path = publish(layout, candidate.dir, release_record)
    removed = retention.prune(layout)
    runs_deleted = prune_run_history(context.instance)
    for key, metadata in previews.items():
        context.log_event(dg.AssetObservation(asset_key=key, metadata=metadata))
    context.log.info(
        f"Published {release_record['release_id']}; pruned {removed} and {runs_deleted} old runs."
    )
    return dg.MaterializeResult(
        metadata={
            "release": release_record["release_id"],
            "snapshot": release_record["snapshot_id"],
            "end_date": release_record["end_date"],
            "path": dg.MetadataValue.path(str(path.relative_to(layout.root))),
            "summary": dg.MetadataValue.md(summary),
            "checks_passed": release_record["checks"]["passed"],
        }
    )
