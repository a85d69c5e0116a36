"""Write a whole extract as Parquet, atomically and byte-for-byte reproducibly.

The extract is built in a temporary sibling of out_dir and swapped in by renames, so a crash
mid-write leaves the previous extract intact. Writer options are fixed and no wall-clock time
enters the data, so the same scenario and seed give identical files. The feed tables land in
out_dir/feed/<table>/, the answer key (defect ledger) in out_dir/answer_key/<table>/.
"""

import multiprocessing
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dagster_project.processes import die_with_parent

from .child_tables import providers_table
from .core_tables import KEY, departments_table, payers_table
from .manifest import manifest_table
from .pools import Pools, build_pools
from .population import Shard, shards
from .scenario import Scenario
from .shard import simulate_shard
from .tables import ANSWER_KEY_TABLES, FEED_TABLES, table_folder

TABLES = (*FEED_TABLES, *ANSWER_KEY_TABLES)

PARQUET_OPTIONS = dict(
    compression="zstd",
    compression_level=1,
    row_group_size=1_000_000,
    data_page_version="2.0",
)


def dictionary_columns(schema: pa.Schema) -> list[str]:
    """The text columns that repeat (codes, names, units), not the identifiers (`*_id`): a
    dictionary of unique ids only costs time and space (about a third of the writing time)."""
    return [f.name for f in schema if pa.types.is_string(f.type) and not f.name.endswith("_id")]


def statistics_columns(schema: pa.Schema) -> list[str]:
    """The columns that get min/max statistics: numbers, dates and times, which a reader may
    filter by range. Text columns get none: nothing filters on an id or a code by range, and
    their string min/max took about a third of the writing time."""
    return [f.name for f in schema if not pa.types.is_string(f.type)]


def _write(table: pa.Table, folder: Path, part: int) -> int:
    if KEY in table.column_names:
        table = table.drop_columns([KEY])
    pq.write_table(
        table,
        folder / f"part-{part:05d}.parquet",
        use_dictionary=dictionary_columns(table.schema),
        write_statistics=statistics_columns(table.schema),
        **PARQUET_OPTIONS,
    )
    return table.num_rows


def _write_shard(scenario: Scenario, shard: Shard, pools: Pools, root: Path) -> dict[str, int]:
    """Simulate one shard and write its part of every row table; rows written per table."""
    tables = simulate_shard(scenario, shard, pools)
    return {
        name: _write(tables[name], root / table_folder(name), shard.index)
        for name in TABLES
        if name in tables
    }


def _write_all(scenario: Scenario, root: Path, workers: int | None) -> dict[str, int]:
    rows = {name: 0 for name in TABLES}
    for name in TABLES:
        (root / table_folder(name)).mkdir(parents=True)
    # Built once here and sent to the workers with each shard: a few thousand strings to pickle
    # against a second of Faker calls per worker process.
    pools = build_pools(scenario.seed, tuple(scenario.population.states))
    static = {
        "extract_manifest": manifest_table(scenario),
        "departments": departments_table(),
        "payers": payers_table(),
        "providers": providers_table(scenario, pools),
    }
    for name, table in static.items():
        rows[name] += _write(table, root / table_folder(name), 0)
    parts = shards(scenario)
    workers = min(len(parts), workers or os.cpu_count() or 1)
    if workers > 1:
        # Shards are independent; a spawned pool avoids forking a process with Arrow threads.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)
        ) as pool:
            n = len(parts)
            counts = list(pool.map(_write_shard, [scenario] * n, parts, [pools] * n, [root] * n))
    else:
        counts = [_write_shard(scenario, shard, pools, root) for shard in parts]
    for shard_rows in counts:
        for name, count in shard_rows.items():
            rows[name] += count
    missing = sorted(name for name in TABLES if not any((root / table_folder(name)).glob("part-*.parquet")))
    if missing:
        raise RuntimeError(f"generator wrote no part for tables {missing}")
    return rows


def _swap_in(built: Path, out_dir: Path) -> None:
    """Replace out_dir by built with renames; the old extract is removed only afterwards."""
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        out_dir.rename(old / out_dir.name)
    built.rename(out_dir)
    if old is not None:
        shutil.rmtree(old)


def generate_extract(scenario: Scenario, out_dir: Path, *, workers: int | None = None) -> dict[str, int]:
    """Write every table under out_dir/feed|answer_key/<table>/part-NNNNN.parquet; rows per table.

    Shards of 25,000 patients become one part each; `workers` processes (default: one per CPU,
    1 = in this process) simulate them. The files do not depend on the number of workers.
    """
    out_dir = Path(out_dir).absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    built = staging / out_dir.name
    try:
        built.mkdir()
        rows = _write_all(scenario, built, workers)
        _swap_in(built, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return rows
