"""Report assets: the executive summary and the dashboard, built from this run's candidate marts
into the candidate's reports/ folder. They are published with the warehouse, as one set, by
the publish step; until then no reader sees them.

Thin wiring only: the findings live in dagster_project/reports/executive_summary.py and the
charts in dagster_project/reports/dashboard.py.
"""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from dagster_project.defs.concurrency import WAREHOUSE_POOL
from dagster_project.defs.dbt_models import emr_mart_models
from dagster_project.defs.prediction import readmission_risk_model
from dagster_project.defs.resources import Warehouse
from dagster_project.prediction.followup import FOLLOWUP_MART
from dagster_project.reports import dashboard as dashboard_module
from dagster_project.reports import executive_summary as summary_module
from dagster_project.reports.mart_rows import READMISSION_STAYS_TABLES, read_marts
from dagster_project.settings import READMISSION_MODEL_DIR


def mart_keys(models: tuple[str, ...]) -> list[dg.AssetKey]:
    """Asset keys of mart models, as the dbt manifest names them (every dbt op shares the
    manifest and translator, so one op names the follow-up list's mart too)."""
    return [get_asset_key_for_model([emr_mart_models], model) for model in models]


@dg.asset(
    deps=[
        *mart_keys(summary_module.TABLES + READMISSION_STAYS_TABLES + (FOLLOWUP_MART,)),
        readmission_risk_model,
    ],
    description=(
        "What the marts found, in plain words with every rate's interval and sample size, claimed only "
        "when significant; recommendations with their estimated effect; Markdown and HTML, published "
        "with the warehouse."
    ),
    group_name="reports",
    kinds={"python", "markdown", "html"},
    owners=["team:analytics"],
    pool=WAREHOUSE_POOL,
)
def executive_summary(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    candidate = warehouse.candidate(context.run.run_id)
    from dagster_project.prediction import followup

    with warehouse.read_only(candidate.warehouse) as connection:
        summary = summary_module.build_summary(connection)
        listed = followup.read_followup_list(connection)
    metrics = followup.read_metrics(candidate.dir.joinpath(*READMISSION_MODEL_DIR))
    markdown = summary.markdown + "\n" + followup.summary_section(metrics, listed, f"marts.{FOLLOWUP_MART}")
    candidate.reports_dir.mkdir(parents=True, exist_ok=True)
    (candidate.reports_dir / "executive_summary.md").write_text(markdown, encoding="utf-8")
    (candidate.reports_dir / "executive_summary.html").write_text(
        summary_module.markdown_to_html(markdown, "Executive summary"), encoding="utf-8"
    )
    candidate.update("reports", {"executive_summary": ["executive_summary.md", "executive_summary.html"]})
    return dg.MaterializeResult(metadata={"findings": len(summary.headline)})


@dg.asset(
    deps=mart_keys((*dashboard_module.TABLES, FOLLOWUP_MART)),
    description=(
        "One self-contained HTML dashboard (Plotly embedded, works offline): the data-through date, "
        "headline KPI tiles with counts, interval, benchmark and trend, filters by period, department, "
        "payer and age band, every rate with its 95% interval and sample size: readmission trend and "
        "rates by diagnosis, department (drilling down to its diagnoses) and age band, monthly volume "
        "with peaks, chronic-condition admissions by month, seasonality per condition group, "
        "satisfaction by department and before/after each detected change, payer mix, revenue per "
        "patient, the realism scorecard, the riskiest recent discharges; published with the "
        "warehouse."
    ),
    group_name="reports",
    kinds={"python", "plotly", "html"},
    owners=["team:analytics"],
    pool=WAREHOUSE_POOL,
)
def dashboard(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    candidate = warehouse.candidate(context.run.run_id)
    with warehouse.read_only(candidate.warehouse) as connection:
        listed = read_marts(connection, (FOLLOWUP_MART,))[FOLLOWUP_MART]
        followup_table = dashboard_module.followup_list_table(listed)
        charts = dashboard_module.write_dashboard(
            connection, candidate.reports_dir / "dashboard.html", [followup_table]
        )
    candidate.update("reports", {"dashboard": ["dashboard.html"]})
    return dg.MaterializeResult(metadata={"charts": charts})
