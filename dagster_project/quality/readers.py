"""Read a landed raw table or a warehouse model into pandas for validation.

Errors name the table: a missing or corrupted Parquet folder, or a model absent from
the warehouse, must say which one. `columns` limits the read to the columns a suite names
(GX filters the whole frame for every row condition, so unused columns cost time); a named
column the table lacks is simply not read, and the suite reports it missing. Both readers
go through Arrow, in one chunk per column: DuckDB's own `.df()` is about ten times slower
on wide string tables, and pandas filters chunked Arrow strings slowly. Dates become
datetime64 (not Python date objects) and decimals float64, so GX compares them with
vectorised pandas operations and with the Timestamp suite parameters.
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
        arrow_table = pq.read_table(table_dir, columns=_wanted(names, columns))
    except Exception as error:  # pyarrow raises several types for unreadable files
        raise ValueError(f"Raw table '{table}' at {table_dir} cannot be read: {error}") from error
    return arrow_to_pandas(arrow_table)


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
    return arrow_to_pandas(connection.sql(f"select {selected} from {relation}").to_arrow_table())


def _wanted(names: list[str], columns: Collection[str] | None) -> list[str]:
    """The table's columns that are wanted, in table order (all when none are named)."""
    if columns is None:
        return list(names)
    return [name for name in names if name in columns]


def arrow_to_pandas(arrow_table) -> pd.DataFrame:  # noqa: ANN001 (a pyarrow.Table)
    import pyarrow as pa

    for index, field in enumerate(arrow_table.schema):
        if pa.types.is_decimal(field.type):
            arrow_table = arrow_table.set_column(
                index, field.name, arrow_table.column(index).cast(pa.float64())
            )
    return arrow_table.combine_chunks().to_pandas(date_as_object=False)
