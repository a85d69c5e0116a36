"""What a person reads in the Dagster UI about a table: its row count and column schema when it
is built, and once published a preview of its first rows (direct identifiers masked), and for a
one-row KPI table its numbers.

Previews wait for publication: readers, the UI's previews included, only ever see a published,
fully validated set. The connections are our own, read-only: dagster-dbt's
fetch_row_counts/fetch_column_metadata would leave dbt-duckdb's in-process connection open, and
DuckDB then refuses the read-only connections of the quality checks in the same process.
"""

import html
from decimal import Decimal
from pathlib import Path

import dagster as dg

from dagster_project.quality.validation import DIRECT_IDENTIFIERS, MASK

PREVIEW_ROWS = 5


def _cell(value: object) -> str:
    if isinstance(value, float | Decimal):
        return f"{float(value):,.4g}"
    return "" if value is None else html.escape(str(value)).replace("|", "\\|")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def parquet_metadata(folder: Path) -> dict:
    """Row count and column schema of a Parquet folder, from the files' footers alone."""
    import pyarrow.parquet as pq

    dataset = pq.ParquetDataset(folder)
    return {
        "dagster/row_count": sum(fragment.metadata.num_rows for fragment in dataset.fragments),
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name=field.name, type=str(field.type)) for field in dataset.schema]
        ),
    }


def table_metadata(connection, relation: str) -> dict:  # noqa: ANN001 (a DuckDB connection)
    """Row count and column schema of a warehouse relation."""
    (row_count,) = connection.execute(f"select count(*) from {relation}").fetchone()
    columns = connection.execute(f"describe select * from {relation}").fetchall()
    return {
        "dagster/row_count": row_count,
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name=name, type=str(kind)) for name, kind, *_ in columns]
        ),
    }


def published_metadata(connection, relation: str) -> dict:  # noqa: ANN001 (a DuckDB connection)
    """Row count, schema, a preview with identifiers masked, and a one-row table's numbers."""
    metadata = table_metadata(connection, relation)
    cursor = connection.execute(f"select * from {relation} limit {PREVIEW_ROWS}")
    names = [column[0] for column in cursor.description]
    rows = cursor.fetchall()
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    for row in rows:
        cells = [
            MASK if name in DIRECT_IDENTIFIERS else value for name, value in zip(names, row, strict=True)
        ]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    metadata["preview"] = dg.MetadataValue.md("\n".join(lines))
    if metadata["dagster/row_count"] == 1:
        metadata.update(
            {name: float(value) for name, value in zip(names, rows[0], strict=True) if _is_number(value)}
        )
    return metadata
