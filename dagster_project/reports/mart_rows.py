"""Read mart tables from the DuckDB warehouse into plain rows (lists of dicts), so the report
builders are pure functions of data and can be tested with hand-made rows."""

from decimal import Decimal

Rows = list[dict]

# Readmitted index stays with the charges and payments of the stay that readmitted them
# (all its chained encounters, summed in dbt).
READMISSION_STAYS_TABLES = ("fct_readmissions",)
READMISSION_STAYS_SQL = """
select
    department_name,
    principal_icd10_code,
    age_band,
    is_readmitted_30d,
    is_readmitted_60d,
    readmission_gross_charges as gross_charges,
    readmission_net_revenue as net_revenue
from marts.fct_readmissions
where is_readmitted_60d or is_readmitted_30d
"""


def _plain(value: object) -> object:
    """Decimals (money columns) as floats, so report arithmetic mixes them with rates."""
    return float(value) if isinstance(value, Decimal) else value


def _fetch(connection, sql: str) -> Rows:  # noqa: ANN001 (a DuckDB connection)
    cursor = connection.execute(sql)
    columns = [column[0] for column in cursor.description]
    return [
        {column: _plain(value) for column, value in zip(columns, values, strict=True)}
        for values in cursor.fetchall()
    ]


def read_marts(connection, tables: tuple[str, ...]) -> dict[str, Rows]:  # noqa: ANN001 (DuckDB)
    """Every row of the named marts tables."""
    return {table: _fetch(connection, f'select * from marts."{table}"') for table in tables}


def read_readmission_stays(connection) -> Rows:  # noqa: ANN001 (a DuckDB connection)
    """Each readmitted index stay with the gross charges and net revenue of the stay that
    readmitted it."""
    return _fetch(connection, READMISSION_STAYS_SQL)
