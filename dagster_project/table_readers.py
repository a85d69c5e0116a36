"""Read a landed raw table or a warehouse model into pandas for validation.

Errors name the table: a missing or corrupted Parquet folder, or a model absent from
the warehouse, must say which one.
"""

from pathlib import Path

import pandas as pd


def read_raw_table(raw_dir: Path, table: str) -> pd.DataFrame:
    """All Parquet parts of one raw table, as delivered."""
    import pyarrow.parquet as pq

    table_dir = raw_dir / table
    if not table_dir.is_dir():
        raise FileNotFoundError(f"Raw table '{table}' has no folder at {table_dir}")
    try:
        return pq.read_table(table_dir).to_pandas()
    except Exception as error:  # pyarrow raises several types for unreadable files
        raise ValueError(f"Raw table '{table}' at {table_dir} cannot be read: {error}") from error


def read_warehouse_table(warehouse: Path, schema: str, table: str) -> pd.DataFrame:
    """One model of the DuckDB warehouse, opened read-only so no writer is blocked for long."""
    import duckdb

    if not warehouse.exists():
        raise FileNotFoundError(f"Warehouse {warehouse} does not exist; build the dbt models first")
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        try:
            return connection.execute(f'select * from "{schema}"."{table}"').df()
        except duckdb.CatalogException as error:
            raise ValueError(f"Model {schema}.{table} is missing from {warehouse}: {error}") from error
