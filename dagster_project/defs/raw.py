"""The delivery: the generator's extract as raw assets, audited before anything may use it.

Each materialization lands a new immutable snapshot (raw/snapshots/<id>/), runs every raw suite
against it, and only if no critical expectation failed points raw/accepted at it. dbt reads
only the accepted snapshot, so a rejected delivery can never be built from, whatever subset of
assets a user materializes. The raw suites are this asset's own blocking checks: a rejected
delivery fails the step and blocks everything downstream in the run.

Asset keys of the feed are ["emr", <table>], the dbt source names, so dbt sources link to these
assets with no custom code. The answer key (the defect ledger) is a separate asset group.
"""

import datetime as dt
import time

import dagster as dg

from dagster_project.defs.concurrency import WAREHOUSE_POOL
from dagster_project.defs.quality import check_result
from dagster_project.defs.resources import Warehouse
from dagster_project.quality.suites import suite_files
from dagster_project.synthetic.size import DEFAULT_MAX_ENCOUNTERS
from dagster_project.synthetic.tables import ANSWER_KEY_TABLES, FEED_TABLES, table_folder

RAW_SOURCE_NAME = "emr"
ANSWER_KEY_GROUP = "answer_key"


def raw_asset_key(table: str) -> dg.AssetKey:
    return dg.AssetKey([RAW_SOURCE_NAME, table])


def answer_key_asset_key(table: str) -> dg.AssetKey:
    return dg.AssetKey([ANSWER_KEY_GROUP, table])


class ExtractConfig(dg.Config):
    """How far the delivery reaches. The end date never goes backwards: it is the later of the
    scenario's and the accepted delivery's (same history), and of `extend_to` when given."""

    extend_to: str | None = None  # ISO date: extend the history up to this day (the daily refresh)
    new_history: bool = False  # start the scenario's history again from its own end date
    max_encounters: int = DEFAULT_MAX_ENCOUNTERS  # a larger scenario is refused: raise on purpose


def _asset_specs() -> list[dg.AssetSpec]:
    feed = [
        dg.AssetSpec(
            key=raw_asset_key(table),
            description=description,
            group_name="raw",
            kinds={"python", "parquet"},
            owners=["team:data-platform"],
        )
        for table, description in FEED_TABLES.items()
    ]
    answer_key = [
        dg.AssetSpec(
            key=answer_key_asset_key(table),
            description=f"{description} The generator's answer key, for tests; the warehouse never reads it.",
            group_name=ANSWER_KEY_GROUP,
            kinds={"python", "parquet"},
            owners=["team:data-platform"],
        )
        for table, description in ANSWER_KEY_TABLES.items()
    ]
    return feed + answer_key


def _check_specs() -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            name=f"gx_raw_{path.stem}",
            asset=raw_asset_key(path.stem),
            description=f"Great Expectations suite expectations/raw/{path.name}, run before acceptance",
            blocking=True,
        )
        for path in suite_files("raw")
    ]


def _parse_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"emr_extract config extend_to: {error} (expected YYYY-MM-DD)") from error


@dg.multi_asset(specs=_asset_specs(), check_specs=_check_specs(), can_subset=False, pool=WAREHOUSE_POOL)
def emr_extract(context: dg.AssetExecutionContext, config: ExtractConfig, warehouse: Warehouse):  # noqa: ANN201
    """Generate a delivery from the scenario, audit it with the raw suites, accept it if it passes."""
    from dagster_project.defs.metadata import parquet_metadata
    from dagster_project.quality.suites import validate_delivered_table
    from dagster_project.synthetic.extract import generate_extract
    from dagster_project.synthetic.size import check_size
    from dagster_project.warehouse import snapshots
    from dagster_project.warehouse.delivery_plan import plan_delivery

    layout = warehouse.layout()
    scenario_file = warehouse.data_dir.scenario_path()
    snapshot_id = snapshots.new_snapshot_id(context.run.run_id)
    plan = plan_delivery(
        scenario_file,
        snapshots.accepted_record(layout),
        snapshot_id,
        extend_to=_parse_day(config.extend_to),
        new_history=config.new_history,
    )
    size = check_size(plan.scenario, config.max_encounters)
    context.log.info(f"Delivery {snapshot_id} {plan.note}; {size.describe()}.")
    snapshot_dir = layout.snapshot_dir(snapshot_id)
    started = time.perf_counter()
    rows = generate_extract(plan.scenario, snapshot_dir)
    generated = time.perf_counter()
    feed_dir = snapshots.feed_dir(snapshot_dir)
    audit = {
        path.stem: validate_delivered_table(path, feed_dir, plan.scenario, layout.gx_dir)
        for path in suite_files("raw")
    }
    audited = time.perf_counter()
    rejected = sorted(table for table, suite in audit.items() if suite.critical_failures)
    record = {
        "snapshot_id": snapshot_id,
        "scenario": str(scenario_file),
        "history_fingerprint": plan.history_fingerprint,
        "history_id": plan.history_id,
        "start_date": plan.scenario.start_date.isoformat(),
        "end_date": plan.scenario.end_date.isoformat(),
        "rows": rows,
        "status": "rejected" if rejected else "accepted",
        "failed_suites": rejected,
        "delivered_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": {"generate": round(generated - started, 2), "audit": round(audited - generated, 2)},
    }
    snapshots.write_record(snapshot_dir, record)
    if rejected:
        context.log.error(f"Delivery {snapshot_id} rejected: critical raw checks failed for {rejected}.")
    else:
        snapshots.accept(layout, snapshot_id)
    for table in [*FEED_TABLES, *ANSWER_KEY_TABLES]:
        key = raw_asset_key(table) if table in FEED_TABLES else answer_key_asset_key(table)
        folder = snapshot_dir / table_folder(table)
        try:
            shape = parquet_metadata(folder)
        except Exception as error:  # noqa: BLE001 (pyarrow raises several types; the audit names it)
            shape = {"unreadable": str(error)}
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                **shape,
                "snapshot": snapshot_id,
                "path": dg.MetadataValue.path(str(folder.relative_to(layout.root))),
                "accepted": not rejected,
                "end_date": record["end_date"],
                "history_id": plan.history_id,
            },
        )
    for table, suite in audit.items():
        yield check_result(suite, asset_key=raw_asset_key(table), check_name=f"gx_raw_{table}")
