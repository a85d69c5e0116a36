"""The dashboard: one self-contained HTML file of Plotly charts built from mart rows. The
Plotly script is embedded once in the page, so it opens offline (no CDN)."""

import html
from pathlib import Path

from dagster_project.reports.mart_rows import Rows, read_marts
from dagster_project.reports.readmission_definition import READMISSION_DEFINITION, READMISSION_DEVIATIONS

TABLES = (
    "kpi_readmissions_by_diagnosis",
    "kpi_readmissions_by_department",
    "kpi_readmissions_by_age_band",
    "kpi_department_monthly_volume",
    "kpi_department_peak_months",
    "kpi_satisfaction_by_department_month",
    "kpi_payer_mix",
    "kpi_revenue_by_department_age_band",
)
TOP_DIAGNOSES = 15
COMMON_DIAGNOSES = 40  # rank only the diagnoses with the most index stays: rare ones are noise
AGE_BANDS = ("pediatric", "adult", "senior")
CHART_HEIGHT = 460


def readmission_bars(title: str, labels: list[str], rows: Rows, label_title: str):
    """Grouped bars of the 30- and 60-day rates, one pair per label."""
    import plotly.graph_objects as go

    figure = go.Figure()
    for window in ("30d", "60d"):
        figure.add_bar(
            name=f"{window[:-1]}-day rate",
            x=labels,
            y=[(row[f"readmission_rate_{window}"] or 0) * 100 for row in rows],
            customdata=[[row[f"readmissions_{window}"], row[f"index_stays_{window}"]] for row in rows],
            hovertemplate="%{x}: %{y:.1f}% (%{customdata[0]} of %{customdata[1]} index stays)<extra></extra>",
        )
    figure.update_layout(
        title=title, barmode="group", xaxis_title=label_title, yaxis_title="readmission rate (%)"
    )
    return figure


def readmissions_by_diagnosis(rows: Rows):
    """Rates per diagnosis over all age bands, from the mart's numerators and denominators."""
    totals: dict[str, dict] = {}
    for row in rows:
        total = totals.setdefault(
            row["principal_icd10_code"],
            {
                key: 0
                for key in ("readmissions_30d", "index_stays_30d", "readmissions_60d", "index_stays_60d")
            },
        )
        for key in total:
            total[key] += row[key]
    common = sorted(totals.items(), key=lambda item: item[1]["index_stays_30d"], reverse=True)
    common = [(code, total) for code, total in common[:COMMON_DIAGNOSES] if total["index_stays_30d"]]
    for _, total in common:
        total["readmission_rate_30d"] = total["readmissions_30d"] / total["index_stays_30d"]
        total["readmission_rate_60d"] = (
            total["readmissions_60d"] / total["index_stays_60d"] if total["index_stays_60d"] else 0
        )
    ranked = sorted(common, key=lambda item: item[1]["readmission_rate_30d"], reverse=True)
    ranked = ranked[:TOP_DIAGNOSES]
    return readmission_bars(
        f"30- and 60-day readmission rate by principal diagnosis: the {len(ranked)} highest "
        f"of the {len(common)} diagnoses with the most index stays",
        [code for code, _ in ranked],
        [total for _, total in ranked],
        "principal diagnosis (ICD-10-CM)",
    )


def readmissions_by_department(rows: Rows):
    rows = sorted(rows, key=lambda row: row["readmission_rate_30d"] or 0, reverse=True)
    return readmission_bars(
        "30- and 60-day readmission rate by department",
        [row["department_name"] for row in rows],
        rows,
        "department",
    )


def readmissions_by_age_band(rows: Rows):
    rows = sorted(rows, key=lambda row: AGE_BANDS.index(row["age_band"]))
    return readmission_bars(
        "30- and 60-day readmission rate by age band", [row["age_band"] for row in rows], rows, "age band"
    )


def monthly_volume(volume: Rows, peaks: Rows):
    """One line per department; months whose calendar month is a marked peak get a marker."""
    import plotly.graph_objects as go
    from plotly.colors import qualitative

    peak_months = {(row["department_name"], row["calendar_month"]) for row in peaks if row["is_peak_month"]}
    figure = go.Figure()
    departments = sorted({row["department_name"] for row in volume})
    for number, department in enumerate(departments):
        colour = qualitative.Plotly[number % len(qualitative.Plotly)]
        months = sorted(
            (row for row in volume if row["department_name"] == department),
            key=lambda row: row["admission_month"],
        )
        figure.add_scatter(
            name=department,
            mode="lines",
            legendgroup=department,
            line_color=colour,
            x=[row["admission_month"] for row in months],
            y=[row["encounters"] for row in months],
        )
        marked = [row for row in months if (department, row["admission_month"].month) in peak_months]
        if marked:
            figure.add_scatter(
                name=f"{department} peak",
                mode="markers",
                legendgroup=department,
                showlegend=False,
                marker={
                    "symbol": "star",
                    "size": 14,
                    "color": colour,
                    "line": {"width": 1, "color": "black"},
                },
                x=[row["admission_month"] for row in marked],
                y=[row["encounters"] for row in marked],
                hovertemplate=f"{department} peak month: %{{x|%B %Y}}, %{{y}} encounters<extra></extra>",
            )
    figure.update_layout(
        title="Monthly encounters by department (stars: the department's peak months)",
        xaxis_title="month of admission",
        yaxis_title="encounters per month",
    )
    return figure


def satisfaction_trend(rows: Rows):
    import plotly.graph_objects as go

    figure = go.Figure()
    for department in sorted({row["department_name"] for row in rows}):
        months = sorted(
            (row for row in rows if row["department_name"] == department),
            key=lambda row: row["discharge_month"],
        )
        figure.add_scatter(
            name=department,
            mode="lines+markers",
            x=[row["discharge_month"] for row in months],
            y=[row["mean_overall_rating"] for row in months],
            customdata=[[row["rating_top_box_share"] * 100, row["surveys"]] for row in months],
            hovertemplate=f"{department} %{{x|%B %Y}}: mean rating %{{y:.1f}}/10, top box "
            "%{customdata[0]:.0f}%, %{customdata[1]} surveys<extra></extra>",
        )
    figure.update_layout(
        title="Patient satisfaction by department: mean overall rating per month",
        xaxis_title="month of discharge",
        yaxis_title="mean overall rating (0-10 points)",
    )
    return figure


def payer_mix(rows: Rows):
    import plotly.graph_objects as go

    figure = go.Figure()
    classes = sorted({row["payer_class"] for row in rows})
    for basis in ("patients", "encounters"):
        shares = {row["payer_class"]: row["share"] for row in rows if row["basis"] == basis}
        figure.add_bar(
            name=f"share of {basis}",
            x=classes,
            y=[shares.get(payer_class, 0) * 100 for payer_class in classes],
        )
    figure.update_layout(
        title="Payer mix: share of patients and of encounters by payer class (self_pay = uninsured)",
        barmode="group",
        xaxis_title="payer class",
        yaxis_title="share (%)",
    )
    return figure


def revenue_per_patient(rows: Rows):
    import plotly.graph_objects as go

    figure = go.Figure()
    departments = sorted({row["department_name"] for row in rows})
    for age_band in AGE_BANDS:
        values = {row["department_name"]: row for row in rows if row["age_band"] == age_band}
        figure.add_bar(
            name=age_band,
            x=departments,
            y=[values[name]["net_revenue_per_patient"] if name in values else None for name in departments],
            customdata=[values[name]["patients"] if name in values else 0 for name in departments],
            hovertemplate=(
                f"%{{x}} {age_band}: $%{{y:,.0f}} per patient (%{{customdata}} patients)<extra></extra>"
            ),
        )
    figure.update_layout(
        title="Net revenue per patient by department and age band",
        barmode="group",
        xaxis_title="department",
        yaxis_title="net revenue per patient (USD)",
        yaxis_tickprefix="$",
    )
    return figure


def build_figures(marts: dict[str, Rows]) -> list:
    """Every chart of the dashboard, in page order."""
    return [
        readmissions_by_diagnosis(marts["kpi_readmissions_by_diagnosis"]),
        readmissions_by_department(marts["kpi_readmissions_by_department"]),
        readmissions_by_age_band(marts["kpi_readmissions_by_age_band"]),
        monthly_volume(marts["kpi_department_monthly_volume"], marts["kpi_department_peak_months"]),
        satisfaction_trend(marts["kpi_satisfaction_by_department_month"]),
        payer_mix(marts["kpi_payer_mix"]),
        revenue_per_patient(marts["kpi_revenue_by_department_age_band"]),
    ]


def render_html(figures: list, title: str) -> str:
    """The page: Plotly's script inline once, then each chart's div without a script of its own."""
    from plotly.offline import get_plotlyjs

    charts = "\n".join(
        figure.update_layout(height=CHART_HEIGHT, template="plotly_white").to_html(
            full_html=False, include_plotlyjs=False, config={"displaylogo": False}
        )
        for figure in figures
    )
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;margin:1rem 2rem}</style>\n"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head>\n'
        f"<body><h1>{html.escape(title)}</h1>\n"
        f"<p>{html.escape(READMISSION_DEFINITION)} {html.escape(READMISSION_DEVIATIONS)}</p>\n"
        f"{charts}\n</body></html>\n"
    )


def write_dashboard(connection, path: Path) -> int:  # noqa: ANN001 (a DuckDB connection)
    """Write the dashboard file from the warehouse's marts; returns the number of charts."""
    figures = build_figures(read_marts(connection, TABLES))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(figures, "Hospital KPI dashboard"), encoding="utf-8")
    return len(figures)
