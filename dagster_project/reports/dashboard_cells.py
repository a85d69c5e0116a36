"""The dashboard's filter cells: additive counts at month x department x payer class x age band
(dbt models kpi_dashboard_*_cells), embedded in the page as compact JSON. The page's filter
script (dashboard_filters.js) sums the cells of a selection and redraws every chart that
follows the filters from them, so a filter needs no server and the page stays one file.
"""

import datetime as dt
import json
from pathlib import Path

from dagster_project.reports.mart_rows import Rows

# The name the filter script uses for each cell table. Each table's first column is its month.
CELL_TABLES = {
    "readmissions": "kpi_dashboard_readmission_cells",
    "encounters": "kpi_dashboard_encounter_cells",
    "surveys": "kpi_dashboard_survey_cells",
}
TABLES = tuple(CELL_TABLES.values())
# The filters besides the period, each a column of every cell table, with its name in the
# page address (#period=6&department=Oncology&payer=medicare&age_band=senior).
FILTER_COLUMNS = {"department": "department_name", "payer": "payer_class", "age_band": "age_band"}
FILTER_SCRIPT = Path(__file__).with_name("dashboard_filters.js")


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def cells_json(marts: dict[str, Rows]) -> str:
    """The cell tables as {"readmissions": {"columns": [...], "rows": [[...], ...]}, ...}, safe
    inside a <script> element (no "</" can close it)."""
    tables = {}
    for name, table in CELL_TABLES.items():
        rows = marts[table]
        columns = list(rows[0]) if rows else []
        tables[name] = {"columns": columns, "rows": [[_plain(row[c]) for c in columns] for row in rows]}
    return json.dumps(tables, separators=(",", ":")).replace("</", "<\\/")


def filter_values(marts: dict[str, Rows]) -> dict[str, list[str]]:
    """Every value each filter can take: the distinct non-null values of its column over the cells."""
    return {
        name: sorted({row[column] for table in TABLES for row in marts[table] if row[column] is not None})
        for name, column in FILTER_COLUMNS.items()
    }


def filter_script() -> str:
    return FILTER_SCRIPT.read_text(encoding="utf-8")
