"""Report assets: the executive summary and the dashboard, built from the KPI marts.

Thin wiring only: the findings live in dagster_project/reports/executive_summary.py and the
charts in dagster_project/reports/dashboard.py. Both read the warehouse, so they run in the
warehouse pool and never open it while a build writes.
"""

import dagster as dg

from dagster_project import settings
from dagster_project.defs.concurrency import WAREHOUSE_POOL
from dagster_project.reports import dashboard as dashboard_module
from dagster_project.reports import executive_summary as summary_module
from dagster_project.reports.mart_rows import READMISSION_STAYS_TABLES


def _mart_keys(models: tuple[str, ...]) -> list[dg.AssetKey]:
    return [dg.AssetKey(["marts", model]) for model in models]


@dg.asset(
    deps=_mart_keys(summary_module.TABLES + READMISSION_STAYS_TABLES),
    description=(
        "The findings of docs/design.md in plain words with the numbers the marts measured, and "
        "recommendations with their estimated effect; Markdown here and an HTML report on disk."
    ),
    group_name="reports",
    kinds={"python", "markdown", "html"},
    owners=["team:analytics"],
    pool=WAREHOUSE_POOL,
)
def executive_summary() -> dg.MaterializeResult:
    summary = summary_module.build_summary(settings.warehouse_path())
    settings.reports_dir().mkdir(parents=True, exist_ok=True)
    markdown_path = settings.reports_dir() / "executive_summary.md"
    html_path = settings.reports_dir() / "executive_summary.html"
    markdown_path.write_text(summary.markdown, encoding="utf-8")
    html_path.write_text(
        summary_module.markdown_to_html(summary.markdown, "Executive summary"), encoding="utf-8"
    )
    return dg.MaterializeResult(
        metadata={
            "summary": dg.MetadataValue.md(summary.markdown),
            "path": dg.MetadataValue.path(str(html_path)),
            "markdown_path": dg.MetadataValue.path(str(markdown_path)),
            **summary.headline,
        }
    )


@dg.asset(
    deps=_mart_keys(dashboard_module.TABLES),
    description=(
        "One self-contained HTML dashboard (Plotly embedded, works offline): readmission rates "
        "by diagnosis, department and age band, monthly volume with peaks, satisfaction trend, "
        "payer mix, revenue per patient."
    ),
    group_name="reports",
    kinds={"python", "plotly", "html"},
    owners=["team:analytics"],
    pool=WAREHOUSE_POOL,
)
def dashboard() -> dg.MaterializeResult:
    path = settings.reports_dir() / "dashboard.html"
    charts = dashboard_module.write_dashboard(settings.warehouse_path(), path)
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)), "charts": charts})
