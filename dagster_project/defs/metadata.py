"""What a person reads in the Dagster UI about a built dbt model: its row count, its column
schema, the first rows as a Markdown table, and for a one-row KPI table its numbers.

Read through our own read-only DuckDB connection once dbt has finished. dagster-dbt's
fetch_row_counts/fetch_column_metadata would leave dbt-duckdb's in-process connection open,
and DuckDB then refuses the read-only connections of the quality checks in the same process.
"""

from decimal import Decimal

import dagster as dg

PREVIEW_ROWS = 5


def _cell(value) -> str:
    if isinstance(value, (float, Decimal)):
        return f"{float(value):,.4g}"
    return "" if value is None else str(value).replace("|", "\\|")


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def model_metadata(connection, relation: str) -> dict:
    """Row count, column schema, preview and (one-row tables) headline numbers of a relation."""
    (row_count,) = connection.execute(f"select count(*) from {relation}").fetchone()
    columns = connection.execute(f"describe select * from {relation}").fetchall()
    rows = connection.execute(f"select * from {relation} limit {PREVIEW_ROWS}").fetchall()
    names = [column[0] for column in columns]
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    metadata = {
        "dagster/row_count": row_count,
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name=name, type=str(kind)) for name, kind, *_ in columns]
        ),
        "preview": dg.MetadataValue.md("\n".join(lines)),
    }
    if row_count == 1:
        metadata.update({name: float(value) for name, value in zip(names, rows[0]) if _is_number(value)})
    return metadata
