"""Read a landed raw table or a warehouse model into pandas for validation.

Errors name the table: a missing or corrupted Parquet folder, or a model absent from
the warehouse, must say which one. `columns` limits the read to the columns a suite names
(GX filters the whole frame for every row condition, so unused columns cost time); a named
column the table lacks is simply not read, and the suite reports it missing. Both readers
go through Arrow, one column at a time and in one chunk per column: DuckDB's own `.df()` is
about ten times slower on wide string tables, and pandas filters chunked Arrow strings
slowly. Dates become datetime64 (not Python date objects) and decimals float64, so GX
compares them with vectorised pandas operations and with the Timestamp suite parameters.
"""

from collections.abc import Collection
from pathlib import Path

import pandas as pd


def read_raw_table(raw_dir: Path, table: str, columns: Collection[str] | None = None) -> pd.DataFrame:
    """The Parquet parts of one raw table, as delivered."""
    import pyarrow.parquet as pq

    table_dir = raw_dir / table
    if not table_dir.is_dir():
        raise FileNotFoundError(f"Raw table '{table}' has no folder at {table_dir}")
    try:
        names = pq.ParquetDataset(table_dir).schema.names
        rows, arrow_columns = _take_columns(pq.read_table(table_dir, columns=_wanted(names, columns)))
    except Exception as error:  # pyarrow raises several types for unreadable files
        raise ValueError(f"Raw table '{table}' at {table_dir} cannot be read: {error}") from error
    return _to_pandas(rows, arrow_columns)


def read_warehouse_table(
    connection,  # noqa: ANN001 (a read-only DuckDB connection)
    schema: str,
    table: str,
    columns: Collection[str] | None = None,
) -> pd.DataFrame:
    """One model of a DuckDB warehouse (a read-only connection to it)."""
    import duckdb

    relation = f'"{schema}"."{table}"'
    try:
        names = connection.sql(f"select * from {relation} limit 0").columns
    except duckdb.CatalogException as error:
        raise ValueError(f"Model {schema}.{table} is missing from the warehouse: {error}") from error
    wanted = _wanted(names, columns)
    # a suite that names no column of the table (a row count only) gets one constant per row,
    # not the whole table: reading every column of a view computes all of it
    selected = ", ".join(f'"{name}"' for name in wanted) if wanted else "1 as row_present"
    rows, arrow_columns = _take_columns(connection.sql(f"select {selected} from {relation}").to_arrow_table())
    return _to_pandas(rows, arrow_columns)


def return_freed_memory() -> None:
    """Give the memory of the frames already dropped back to the system. Arrow's allocator
    keeps what is freed for reuse, so the 1.5 GB of a 10M-row frame would stay resident
    through the next suites and the dbt build that follows them."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _wanted(names: list[str], columns: Collection[str] | None) -> list[str]:
    """The table's columns that are wanted, in table order (all when none are named)."""
    if columns is None:
        return list(names)
    return [name for name in names if name in columns]


def _take_columns(arrow_table) -> tuple[int, dict]:  # noqa: ANN001 (a pyarrow.Table)
    """The table's row count and its columns by name; once the caller drops the table, each
    column's memory is held by the dict alone and goes when its entry is taken out."""
    return arrow_table.num_rows, dict(zip(arrow_table.column_names, arrow_table.columns, strict=True))


def _to_pandas(rows: int, arrow_columns: dict) -> pd.DataFrame:
    """A DataFrame of the columns, converted one at a time and each released once converted
    (the dict is emptied): at most one column is held twice. Converting a 10M-row table whole
    held its chunks, their combined copy and the frame at once."""
    import pyarrow as pa

    series = {}
    for name in list(arrow_columns):
        column = arrow_columns.pop(name)
        if pa.types.is_decimal(column.type):
            column = column.cast(pa.float64())
        single = pa.table({name: column.combine_chunks()})
        del column
        series[name] = single.to_pandas(date_as_object=False)[name]
        del single
        return_freed_memory()
    return pd.DataFrame(series, index=pd.RangeIndex(rows), copy=False)
