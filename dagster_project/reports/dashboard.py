"""The dashboard: one self-contained HTML file of Plotly charts built from mart rows. The
Plotly script is embedded once in the page, so it opens offline (no CDN).

The page opens with the data-through date, the filters and the headline KPI tiles
(headline.py: value, numerator, denominator, interval, US benchmark, monthly trend; hospital-wide),
then the charts. The filters (period: the last 3, 6 or 12 months; department; payer; age band)
are kept in the page address (#period=6&department=Oncology&payer=medicare), so a view can be
bookmarked or shared. A chart that follows them carries a spec in layout.meta["filter"] (which
cells it sums, in which groups), and the page's script (dashboard_filters.js) redraws it from
the embedded cells (dashboard_cells.py), revenue per patient and the payer mix from the
embedded rows of the marts kpi_dashboard_*_selections (distinct patients do not add over
cells: rows per selection) and the follow-up list from its embedded stays. The seasonality
and satisfaction-change charts redraw the selection's index and means, while their window
and split stay the marts' tests over all the data (their titles say so). The realism
scorecard, hospital-wide by design, does not follow them and says so above it. A click on a
department (or the drill-down's menu) shows that department's diagnoses.

Every chart shows its uncertainty: rates and means as points or bars with 95% error bars, the
sample size beside each (in the hover and on the axis label). A readmission rate of fewer than
MIN_INDEX_STAYS index stays is not drawn (CMS Care Compare reports a readmission measure of
fewer than 25 cases as "Number of Cases Too Small"), and a missing value is drawn as a gap,
never as zero. Diagnoses carry their ICD-10-CM description and payers their names. Each figure
function takes mart rows and returns one figure, so another page can reuse it.
"""

import calendar
import html
from pathlib import Path

from dagster_project.reports import dashboard_cells, headline
from dagster_project.reports.mart_rows import Rows, read_marts
from dagster_project.reports.readmission_definition import READMISSION_DEFINITION, READMISSION_DEVIATIONS
from dagster_project.reports.sample_sizes import MIN_INDEX_STAYS, enough_index_stays

# Each table once (dict.fromkeys keeps the order): the headline tiles read some charts' tables too.
TABLES = tuple(
    dict.fromkeys(
        (
            "kpi_readmissions_by_diagnosis",
            "kpi_readmissions_by_department",
            "kpi_readmissions_by_department_diagnosis",
            "kpi_readmissions_by_age_band",
            "kpi_department_monthly_volume",
            "kpi_department_peak_months",
            "kpi_condition_seasonality_by_month",
            "kpi_condition_seasonal_rises",
            "kpi_satisfaction_by_department",
            "kpi_satisfaction_by_department_month",
            "kpi_satisfaction_change_points",
            "kpi_payer_mix",
            "kpi_revenue_by_department_age_band",
            "kpi_dashboard_revenue_selections",
            "kpi_dashboard_payer_mix_selections",
            "kpi_realism_scorecard",
            "kpi_readmissions_by_month",
            "kpi_chronic_condition_admissions_by_month",
            *dashboard_cells.TABLES,
            *headline.TABLES,
        )
    )
)
TOP_DIAGNOSES = 15
PAYER_NAMES = {
    "medicare": "Medicare",
    "medicaid": "Medicaid",
    "private": "Private insurance",
    "self_pay": "Self-pay (uninsured)",
    "other": "Other payers",
}
# The period menu; the kpi_dashboard_*_selections marts have rows for the same periods
# (dbt var dashboard_period_months).
PERIODS = (("", "whole period"), ("12", "last 12 months"), ("6", "last 6 months"), ("3", "last 3 months"))
# The columns of kpi_dashboard_revenue_selections the page picks a selection's rows by and draws.
REVENUE_SELECTION_COLUMNS = (
    "period_months",
    "is_all_payers",
    "payer_class",
    "department_name",
    "age_band",
    "patients",
    "net_revenue_per_patient",
    "net_revenue_per_patient_low",
    "net_revenue_per_patient_high",
)
# The columns of kpi_dashboard_payer_mix_selections the page picks a selection's rows by and draws.
PAYER_MIX_SELECTION_COLUMNS = (
    "basis",
    "period_months",
    "is_all_departments",
    "department_name",
    "is_all_age_bands",
    "age_band",
    "payer_class",
    "payer_class_count",
    "basis_total",
    "share",
    "share_low",
    "share_high",
)
AGE_BANDS = ("pediatric", "adult", "senior")
# Titles and legends that the filter script also writes for a selection (fill_title, emrFill).
CHANGE_MEAN_NAME = "mean {mean} ({surveys} surveys)"
PAYER_MIX_TRACE_NAME = "share of {total} {basis}"
FOLLOWUP_TITLE = "Readmission follow-up list: the {shown} riskiest of {stays} recent discharges"
# A mean rating is drawn from 2 surveys on: with one there is no standard deviation, so no interval.
MIN_SURVEYS = 2
CHART_HEIGHT = 460
SCORECARD_ROW_HEIGHT = 34
# Marker colours of the realism scorecard by status; not_measured rows get no marker.
STATUS_COLOURS = {"inside": "#2ca02c", "outside": "#d62728", "uncertain": "#ff7f0e", "planted": "#7f7f7f"}
STATUS_LEGEND = {
    "inside": "inside its reference range",
    "outside": "departs from a US community hospital",
    "uncertain": "outside, but within sampling noise of the range",
    "planted": "departs on purpose (planted by the scenario)",
}


def error_bars(values: list, lows: list, highs: list, scale: float = 1.0) -> dict:
    """Plotly's asymmetric error bars from interval ends (None where a value has none)."""
    return {
        "type": "data",
        "symmetric": False,
        "array": [
            (h - v) * scale if v is not None and h is not None else None
            for v, h in zip(values, highs, strict=True)
        ],
        "arrayminus": [
            (v - lo) * scale if v is not None and lo is not None else None
            for v, lo in zip(values, lows, strict=True)
        ],
    }


def readmission_bars(title: str, labels: list[str], rows: Rows, label_title: str):
    """Grouped bars of the 30- and 60-day rates with their 95% Wilson intervals; the index
    stays under each label, numerator and denominator on hover."""
    import plotly.graph_objects as go

    categories = [
        f"{label}<br>n={row['index_stays_30d']:,}" + ("" if enough_index_stays(row) else " (too few)")
        for label, row in zip(labels, rows, strict=True)
    ]
    figure = go.Figure()
    for window in ("30d", "60d"):
        rates = [row[f"readmission_rate_{window}"] if enough_index_stays(row) else None for row in rows]
        figure.add_bar(
            name=f"{window[:-1]}-day rate",
            x=categories,
            y=[rate * 100 if rate is not None else None for rate in rates],
            error_y=error_bars(
                rates,
                [row[f"readmission_rate_{window}_low"] for row in rows],
                [row[f"readmission_rate_{window}_high"] for row in rows],
                100,
            ),
            customdata=[[row[f"readmissions_{window}"], row[f"index_stays_{window}"]] for row in rows],
            hovertemplate="%{y:.1f}% (%{customdata[0]} of %{customdata[1]} index stays)<extra></extra>",
        )
    figure.update_layout(
        title=title,
        barmode="group",
        xaxis_title=f"{label_title} (n = 30-day index stays; fewer than {MIN_INDEX_STAYS}: not drawn)",
        yaxis_title="readmission rate (%), 95% CI",
    )
    drawn = sum(enough_index_stays(row) for row in rows)
    return say_when_empty(figure, drawn, f"no {label_title} has {MIN_INDEX_STAYS} index stays")


def fill_title(template: str, **values: object) -> str:
    """A title or legend with its {name} places filled, whole numbers with thousands
    separators; the filter script's emrFill fills the same templates for a selection, so the
    words are written once."""
    for name, value in values.items():
        shown = f"{value:,.0f}" if isinstance(value, int | float) else str(value)
        template = template.replace("{" + name + "}", shown)
    return template


def follows_filters(figure, kind: str, **spec):  # noqa: ANN001, ANN201 (a Plotly figure)
    """Tag a figure for the page's filter script (dashboard_filters.js): the kind of redraw
    (a key of its EMR_CHARTS) and what it sums, such as the groups of a bar chart, each a label
    and the cell columns it matches."""
    figure.layout.meta = {**(figure.layout.meta or {}), "filter": {"kind": kind, **spec}}
    return figure


def does_not_follow_filters(figure, reason: str):  # noqa: ANN001, ANN201 (a Plotly figure)
    """A chart that cannot follow the filters says so above it, and why."""
    figure.layout.meta = {
        **(figure.layout.meta or {}),
        "filter_note": f"Does not follow the filters: {reason}",
    }
    return figure


def say_when_empty(figure, drawn: int, what: str):  # noqa: ANN001, ANN201 (a Plotly figure)
    """A chart with nothing to draw says why in its middle, rather than showing empty axes."""
    if not drawn:
        figure.add_annotation(
            text=f"Nothing to draw yet: {what}",
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": 16, "color": "#555"},
        )
    return figure


def diagnosis_label(row: dict, with_age_band: bool = True) -> str:
    """'E11.9 Type 2 diabetes mellitus without complic...<br>adult (18-64)'."""
    description = row["principal_description"] or "description not in the code set"
    if len(description) > 40:
        description = description[:38].rstrip() + "..."
    label = f"{row['principal_icd10_code']} {description}"
    return f"{label}<br>{row['age_band_label']}" if with_age_band else label


def readmissions_by_diagnosis(rows: Rows):
    """The diagnosis and age band cells the marts tested, largest 60-day excess over what their
    departments predict first; while fewer were tested, the cells with the most index stays.
    Cells with fewer than MIN_INDEX_STAYS index stays are left out."""
    coded = [row for row in rows if row["principal_icd10_code"] is not None and enough_index_stays(row)]
    tested = sorted(
        (row for row in coded if row["excess_z_60d"] is not None),
        key=lambda row: row["excess_z_60d"],
        reverse=True,
    )
    untested = sorted(
        (row for row in coded if row["excess_z_60d"] is None),
        key=lambda row: row["index_stays_30d"],
        reverse=True,
    )
    shown = (tested + untested)[:TOP_DIAGNOSES]
    figure = readmission_bars(
        f"Readmission rate by principal diagnosis and age band: {len(tested)} cells tested against what "
        f"their departments predict, the {min(len(tested), TOP_DIAGNOSES)} largest excesses first",
        [diagnosis_label(row) for row in shown],
        shown,
        "principal diagnosis (ICD-10-CM) and age band",
    )
    groups = [
        {
            "label": diagnosis_label(row),
            "match": {"principal_icd10_code": row["principal_icd10_code"], "age_band": row["age_band"]},
        }
        for row in shown
    ]
    return follows_filters(figure, "readmission_groups", groups=groups)


def readmissions_by_department(rows: Rows):
    rows = sorted(rows, key=lambda row: row["readmission_rate_30d"] or 0, reverse=True)
    figure = readmission_bars(
        "30- and 60-day readmission rate by department (click a department for its diagnoses)",
        [row["department_name"] for row in rows],
        rows,
        "department",
    )
    figure.layout.meta = {"css_class": "drill-source"}
    groups = [
        {"label": row["department_name"], "match": {"department_name": row["department_name"]}}
        for row in rows
    ]
    return follows_filters(figure, "readmission_groups", groups=groups)


def department_diagnoses(rows: Rows):
    """The drill-down: one department's principal diagnoses (those with MIN_INDEX_STAYS index
    stays), most index stays first; a menu (or a click on the department chart) chooses the
    department. Two bar traces per department, tagged with its name (meta), one pair visible."""
    import plotly.graph_objects as go

    shown = [row for row in rows if row["principal_icd10_code"] is not None and enough_index_stays(row)]
    departments = sorted({row["department_name"] for row in shown})
    figure = go.Figure()
    groups = {}
    for number, department in enumerate(departments):
        cells = sorted(
            (row for row in shown if row["department_name"] == department),
            key=lambda row: row["index_stays_30d"],
            reverse=True,
        )[:TOP_DIAGNOSES]
        groups[department] = [
            {
                "label": diagnosis_label(row, with_age_band=False),
                "match": {"department_name": department, "principal_icd10_code": row["principal_icd10_code"]},
            }
            for row in cells
        ]
        bars = readmission_bars("", [group["label"] for group in groups[department]], cells, "")
        for trace in bars.data:
            figure.add_trace(trace.update(meta=department, visible=number == 0, legendgroup=trace.name))
    buttons = [
        {
            "label": department,
            "method": "update",
            "args": [
                {"visible": [trace.meta == department for trace in figure.data]},
                {"title.text": drill_title(department)},
            ],
        }
        for department in departments
    ]
    figure.update_layout(
        title=drill_title(departments[0])
        if departments
        else "Readmission rate by diagnosis within a department",
        barmode="group",
        xaxis_title=f"principal diagnosis (ICD-10-CM; n = 30-day index stays, at least {MIN_INDEX_STAYS})",
        yaxis_title="readmission rate (%), 95% CI",
        updatemenus=[{"buttons": buttons, "x": 1.0, "xanchor": "right", "y": 1.18, "yanchor": "top"}]
        if buttons
        else [],
        meta={"css_class": "drill-down"},
    )
    say_when_empty(
        figure, len(departments), f"no diagnosis of a department has {MIN_INDEX_STAYS} index stays"
    )
    return follows_filters(figure, "readmission_drill", groups=groups)


def drill_title(department: str) -> str:
    return f"{department}: 30- and 60-day readmission rate by principal diagnosis"


def readmissions_by_age_band(rows: Rows):
    rows = sorted(rows, key=lambda row: AGE_BANDS.index(row["age_band"]))
    figure = readmission_bars(
        "30- and 60-day readmission rate by age band",
        [age_band_label(row) for row in rows],
        rows,
        "age band",
    )
    groups = [{"label": age_band_label(row), "match": {"age_band": row["age_band"]}} for row in rows]
    return follows_filters(figure, "readmission_groups", groups=groups)


def age_band_label(row: dict) -> str:
    return row.get("age_band_label") or row["age_band"]


def readmissions_by_month(rows: Rows, overall: dict, benchmark: dict | None):
    """The 30-day rate by month of discharge with its 95% interval, against the hospital-wide
    rate and the US benchmark; months of fewer than MIN_INDEX_STAYS index stays are gaps."""
    import plotly.graph_objects as go

    rows = sorted(rows, key=lambda row: row["discharge_month"])
    rates = [row["readmission_rate_30d"] if enough_index_stays(row) else None for row in rows]
    figure = go.Figure()
    figure.add_scatter(
        name="30-day rate",
        mode="lines+markers",
        x=[row["discharge_month"] for row in rows],
        y=[rate * 100 if rate is not None else None for rate in rates],
        error_y=error_bars(
            rates,
            [row["readmission_rate_30d_low"] for row in rows],
            [row["readmission_rate_30d_high"] for row in rows],
            100,
        ),
        customdata=[[row["readmissions_30d"], row["index_stays_30d"]] for row in rows],
        hovertemplate="%{x|%B %Y}: %{y:.1f}% (%{customdata[0]} of %{customdata[1]} index stays)"
        "<extra></extra>",
    )
    figure.add_hline(
        y=overall["readmission_rate_30d"] * 100,
        line_dash="dot",
        annotation_text=f"hospital {overall['readmission_rate_30d'] * 100:.1f}%",
    )
    if benchmark is not None:
        figure.add_hline(
            y=benchmark["reference_value"] * 100,
            line_dash="dash",
            line_color="#2ca02c",
            annotation_text=f"US benchmark {benchmark['reference_value'] * 100:.1f}%",
            annotation_position="bottom right",
        )
    figure.update_layout(
        title="30-day readmission rate by month of discharge",
        xaxis_title=f"month of discharge (fewer than {MIN_INDEX_STAYS} index stays: not drawn)",
        yaxis_title="readmission rate (%), 95% CI",
        showlegend=False,
        meta={"css_class": "period-filtered"},
    )
    drawn = sum(rate is not None for rate in rates)
    say_when_empty(figure, drawn, f"no month has {MIN_INDEX_STAYS} index stays")
    return follows_filters(figure, "readmission_months")


def chronic_admissions_by_month(rows: Rows):
    """Inpatient admissions per month for each chronic-condition group of the principal diagnosis."""
    import plotly.graph_objects as go

    figure = go.Figure()
    groups = sorted({row["condition_group"] for row in rows})
    for group in groups:
        months = sorted(
            (row for row in rows if row["condition_group"] == group), key=lambda r: r["admission_month"]
        )
        figure.add_scatter(
            name=group.replace("_", " "),
            mode="lines+markers",
            x=[row["admission_month"] for row in months],
            y=[row["inpatient_admissions"] for row in months],
            customdata=[row["encounters"] for row in months],
            hovertemplate=f"{group.replace('_', ' ')} %{{x|%B %Y}}: %{{y}} inpatient admissions "
            "(%{customdata} encounters)<extra></extra>",
        )
    figure.update_layout(
        title="Inpatient admissions per month by chronic condition of the principal diagnosis",
        xaxis_title="month of admission",
        yaxis_title="inpatient admissions per month",
        meta={"css_class": "period-filtered"},
    )
    traces = [
        {"match": {"condition_group": group}, "y": "inpatient_admissions", "customdata": "encounters"}
        for group in groups
    ]
    return follows_filters(figure, "monthly_counts", cells="encounters", traces=traces)


def monthly_volume(volume: Rows, peaks: Rows):
    """One line per department; months whose calendar month is a marked peak get a marker."""
    import plotly.graph_objects as go
    from plotly.colors import qualitative

    peak_months = {(row["department_name"], row["calendar_month"]) for row in peaks if row["is_peak_month"]}
    figure = go.Figure()
    departments = sorted({row["department_name"] for row in volume})
    traces = []  # what each trace counts, in trace order, for the filter script
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
        traces.append({"match": {"department_name": department}, "y": "encounters"})
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
            traces.append({"match": {"department_name": department}, "y": "encounters"})
    figure.update_layout(
        title="Monthly encounters by department (stars: significant peak months of all encounters)",
        xaxis_title="month of admission",
        yaxis_title="encounters per month",
        meta={"css_class": "period-filtered"},
    )
    return follows_filters(figure, "monthly_counts", cells="encounters", traces=traces)


def condition_seasonality(months: Rows, windows: Rows, group: str):
    """One chronic-condition group: each calendar month's admissions over what its departments'
    volume predicts (seasonal index, 95% interval), with the group's strongest window shaded
    and labelled with its rate ratio and corrected p-value. The index follows the filters: the
    page recomputes it from the encounter cells of the selection as
    kpi_condition_seasonality_by_month computes it from all encounters. The window and its test
    stay the mart's, over every admission of the group (a test of a subset would be another
    test, with its own correction), and the title says so when a filter is set."""
    import plotly.graph_objects as go

    rows = sorted(
        (row for row in months if row["condition_group"] == group), key=lambda row: row["calendar_month"]
    )
    best = next((row for row in windows if row["condition_group"] == group and row["is_best_window"]), None)
    names = [calendar.month_abbr[row["calendar_month"]] for row in rows]
    index = [row["seasonal_index"] for row in rows]
    figure = go.Figure()
    figure.add_scatter(
        name="seasonal index",
        mode="markers+lines",
        x=names,
        y=index,
        error_y=error_bars(
            index, [r["seasonal_index_low"] for r in rows], [r["seasonal_index_high"] for r in rows]
        ),
        customdata=[
            [r["inpatient_admissions"], r["expected_admissions"], r["months_observed"]] for r in rows
        ],
        hovertemplate="%{x}: index %{y:.2f} (%{customdata[0]} admissions, %{customdata[1]:.1f} expected, "
        "%{customdata[2]} months)<extra></extra>",
    )
    figure.add_hline(y=1.0, line_dash="dot", line_color="grey")
    verdict = "no season established"
    if best is not None:
        in_window = [
            name
            for name, row in zip(names, rows, strict=True)
            if (row["calendar_month"] - best["start_month"]) % 12 < best["months_in_window"]
        ]
        colour = "rgba(214,39,40,0.15)" if best["is_seasonal_rise"] else "rgba(127,127,127,0.12)"
        for name in in_window:
            figure.add_vrect(
                x0=names.index(name) - 0.5, x1=names.index(name) + 0.5, fillcolor=colour, line_width=0
            )
        ratio = (
            f"rate ratio {best['rate_ratio']:.2f} "
            f"({best['rate_ratio_low']:.2f}-{best['rate_ratio_high']:.2f})"
            if best["rate_ratio"] is not None
            else "rate ratio not defined"
        )
        verdict = (
            f"{'rise' if best['is_seasonal_rise'] else 'strongest window, not significant'}: "
            f"{calendar.month_abbr[best['start_month']]}-{calendar.month_abbr[best['end_month']]} "
            f"{ratio}, corrected p {best['p_value_bonferroni']:.3g}"
        )
    label = group.replace("_", " ")
    titles = {
        "whole": f"Seasonality of {label} inpatient admissions ({{admissions}} admissions):<br>{verdict}",
        "selection": f"Seasonality of {label} inpatient admissions ({{admissions}} admissions in the "
        f"selection, each month against the selection's own months)<br>the season test over all "
        f"admissions: {verdict}",
    }
    total = sum(row["inpatient_admissions"] for row in rows)
    figure.update_layout(
        title=fill_title(titles["whole"], admissions=total),
        xaxis_title="calendar month (shaded: the strongest window of months, over all admissions)",
        yaxis_title="admissions / expected from departments, 95% CI",
        showlegend=False,
    )
    return follows_filters(
        figure,
        "seasonal_index",
        group=group,
        calendar_months=[row["calendar_month"] for row in rows],
        titles=titles,
    )


def satisfaction_change(months: Rows, change: dict):
    """One detected change: the department's monthly mean rating with 95% intervals and the
    survey count per month, the split month marked, and the means before and after. The
    points and the two means follow the filters (the page sums the survey cells of the
    selection, as kpi_satisfaction_by_department_month and kpi_satisfaction_change_points sum
    the surveys); the split month and its test stay the mart's, over all of the department's
    surveys (the title says so)."""
    import plotly.graph_objects as go

    department, split = change["department_name"], change["split_month"]
    rows = sorted(
        (row for row in months if row["department_name"] == department),
        key=lambda row: row["discharge_month"],
    )
    means = [row["mean_overall_rating"] if row["surveys"] >= MIN_SURVEYS else None for row in rows]
    figure = go.Figure()
    figure.add_scatter(
        name="monthly mean rating",
        mode="markers",
        x=[row["discharge_month"] for row in rows],
        y=means,
        error_y=error_bars(
            means, [r["mean_overall_rating_low"] for r in rows], [r["mean_overall_rating_high"] for r in rows]
        ),
        customdata=[row["surveys"] for row in rows],
        hovertemplate="%{x|%B %Y}: %{y:.2f} (%{customdata} surveys)<extra></extra>",
    )
    before = [row["discharge_month"] for row in rows if row["discharge_month"] < split]
    after = [row["discharge_month"] for row in rows if row["discharge_month"] >= split]
    for side, mean, surveys in (
        (before, change["mean_before"], change["surveys_before"]),
        (after, change["mean_after"], change["surveys_after"]),
    ):
        figure.add_scatter(
            name=fill_title(CHANGE_MEAN_NAME, mean=f"{mean:.2f}", surveys=surveys),
            mode="lines",
            line={"width": 3},
            x=[side[0], side[-1]],
            y=[mean, mean],
        )
    figure.add_vline(x=split, line_dash="dash", line_color="black")
    figure.update_layout(
        title=(
            f"{department}: mean overall rating before and from {split:%B %Y}"
            f"<br>(all of its surveys: {change['relative_change'] * 100:+.1f}%, 95% CI "
            f"{change['relative_change_low'] * 100:+.1f}% to "
            f"{change['relative_change_high'] * 100:+.1f}%; corrected p {change['p_value_bonferroni']:.3g})"
        ),
        xaxis_title="month of discharge",
        yaxis_title="mean overall rating (0-10 points), 95% CI",
        meta={"css_class": "period-filtered"},
    )
    return follows_filters(
        figure, "survey_change", department=department, split=split.isoformat(), mean_name=CHANGE_MEAN_NAME
    )


def satisfaction_by_department(rows: Rows):
    """Each department's mean rating over the whole period with its 95% interval and survey
    count, against the hospital's mean."""
    import plotly.graph_objects as go

    rows = sorted(rows, key=lambda row: row["department_name"])
    means = [row["mean_overall_rating"] if row["surveys"] >= MIN_SURVEYS else None for row in rows]
    figure = go.Figure()
    figure.add_scatter(
        mode="markers",
        x=[
            f"{row['department_name']}<br>n={row['surveys']:,}"
            + ("" if row["surveys"] >= MIN_SURVEYS else " (too few)")
            for row in rows
        ],
        y=means,
        error_y=error_bars(
            means, [r["mean_overall_rating_low"] for r in rows], [r["mean_overall_rating_high"] for r in rows]
        ),
        hovertemplate="%{x}: %{y:.2f}<extra></extra>",
    )
    if rows:
        figure.add_hline(
            y=rows[0]["hospital_mean_overall_rating"],
            line_dash="dot",
            annotation_text=f"hospital {rows[0]['hospital_mean_overall_rating']:.2f}",
        )
    figure.update_layout(
        title="Mean overall rating by department",
        xaxis_title=f"department (n = surveys; fewer than {MIN_SURVEYS}: no interval, not drawn)",
        yaxis_title="mean overall rating (0-10 points), 95% CI",
    )
    groups = [
        {"label": row["department_name"], "match": {"department_name": row["department_name"]}}
        for row in rows
    ]
    return follows_filters(figure, "survey_means", groups=groups)


def payer_name(payer_class: str) -> str:
    return PAYER_NAMES.get(payer_class, payer_class.replace("_", " ").capitalize())


def payer_mix(rows: Rows, selections: Rows):
    """The share of patients and of encounters by payer with their 95% intervals, following
    the filters: the page picks the rows of the period, department and age band chosen from
    the mart's selections (neither share adds up over cells) and leaves out the payers the
    payer filter does not choose."""
    import plotly.graph_objects as go

    figure = go.Figure()
    classes = sorted({row["payer_class"] for row in rows}, key=payer_name)
    for basis in ("patients", "encounters"):
        by_class = {row["payer_class"]: row for row in rows if row["basis"] == basis}
        shown = [by_class.get(payer_class) for payer_class in classes]
        shares = [row["share"] if row else None for row in shown]
        total = next(iter(by_class.values()))["basis_total"] if by_class else 0
        figure.add_bar(
            name=fill_title(PAYER_MIX_TRACE_NAME, total=total, basis=basis),
            meta=basis,
            x=[payer_name(payer_class) for payer_class in classes],
            y=[share * 100 if share is not None else None for share in shares],
            error_y=error_bars(
                shares,
                [row["share_low"] if row else None for row in shown],
                [row["share_high"] if row else None for row in shown],
                100,
            ),
            customdata=[row["payer_class_count"] if row else 0 for row in shown],
            hovertemplate=f"%{{x}}: %{{y:.1f}}% (%{{customdata}} {basis})<extra></extra>",
        )
    figure.update_layout(
        title="Payer mix: share of patients and of encounters by payer",
        barmode="group",
        xaxis_title="payer (of each patient's latest encounter; of each encounter)",
        yaxis_title="share (%), 95% CI",
    )
    return follows_filters(
        figure,
        "payer_mix_selection",
        classes=classes,
        columns=list(PAYER_MIX_SELECTION_COLUMNS),
        rows=[[row[column] for column in PAYER_MIX_SELECTION_COLUMNS] for row in selections],
        trace_name=PAYER_MIX_TRACE_NAME,
    )


def revenue_per_patient(rows: Rows, selections: Rows):
    """Net revenue per patient by department and age band with its 95% interval, following the
    filters: the page picks the rows of the period and payer chosen from the mart's
    selections (distinct patients do not add over cells) and leaves out the departments and
    age bands the filters do not choose."""
    import plotly.graph_objects as go

    figure = go.Figure()
    departments = sorted({row["department_name"] for row in rows})
    for age_band in AGE_BANDS:
        values = {row["department_name"]: row for row in rows if row["age_band"] == age_band}
        shown = [values.get(name) for name in departments]
        means = [row["net_revenue_per_patient"] if row else None for row in shown]
        figure.add_bar(
            name=age_band,
            meta=age_band,
            x=departments,
            y=means,
            error_y=error_bars(
                means,
                [row["net_revenue_per_patient_low"] if row else None for row in shown],
                [row["net_revenue_per_patient_high"] if row else None for row in shown],
            ),
            customdata=[row["patients"] if row else 0 for row in shown],
            hovertemplate=f"%{{x}} {age_band}: $%{{y:,.0f}} per patient "
            "(%{customdata} patients)<extra></extra>",
        )
    figure.update_layout(
        title="Net revenue per patient by department and age band",
        barmode="group",
        xaxis_title="department",
        yaxis_title="net revenue per patient (USD), 95% CI",
        yaxis_tickprefix="$",
    )
    return follows_filters(
        figure,
        "revenue_selection",
        columns=list(REVENUE_SELECTION_COLUMNS),
        rows=[[row[column] for column in REVENUE_SELECTION_COLUMNS] for row in selections],
    )


def _range_position(value: float | None, row: dict) -> float | None:
    """Where a value lies in the measure's reference range: 0 at its low end, 1 at its high end."""
    if value is None:
        return None
    return (value - row["reference_low"]) / (row["reference_high"] - row["reference_low"])


def _scorecard_hover(row: dict) -> str:
    def figure(value: float | None) -> str:
        return "n/a" if value is None else f"{value:,.3f}".rstrip("0").rstrip(".")

    interval = (
        f" (95% interval {figure(row['interval_low'])} to {figure(row['interval_high'])})"
        if row["interval_low"] is not None
        else ""
    )
    counts = (
        f"<br>{figure(row['numerator'])} of {figure(row['denominator'])}"
        if row["unit"] == "share" and row["numerator"] is not None
        else ""
    )
    planted = f"<br>planted on purpose: {html.escape(row['planted_reason'])}" if row["is_planted"] else ""
    return (
        f"<b>{html.escape(row['measure'])}</b><br>measured {figure(row['measured_value'])}{interval}{counts}"
        f"<br>reference {figure(row['reference_value'])}, range {figure(row['reference_low'])} "
        f"to {figure(row['reference_high'])}<br>{html.escape(row['source'])}{planted}"
    )


def realism_scorecard(rows: Rows):
    """Each realism measure at its place in its public reference range (the shaded band), with
    its 95% interval; the colour says inside, departing, outside within sampling noise, or
    departing on purpose."""
    import plotly.graph_objects as go

    rows = sorted(rows, key=lambda row: row["measure"], reverse=True)
    labels = [row["measure"] for row in rows]
    figure = go.Figure()
    figure.add_vrect(x0=0, x1=1, fillcolor="#2ca02c", opacity=0.12, line_width=0, layer="below")
    figure.add_scatter(
        name="public figure",
        mode="markers",
        x=[_range_position(row["reference_value"], row) for row in rows],
        y=labels,
        marker={"symbol": "line-ns-open", "size": 14, "color": "#444"},
        hoverinfo="skip",
    )
    for status, colour in STATUS_COLOURS.items():
        shown = [row for row in rows if row["status"] == status]
        if not shown:
            continue
        positions = [_range_position(row["measured_value"], row) for row in shown]
        low = [_range_position(row["interval_low"], row) for row in shown]
        high = [_range_position(row["interval_high"], row) for row in shown]
        figure.add_scatter(
            name=STATUS_LEGEND[status],
            mode="markers",
            x=positions,
            y=[row["measure"] for row in shown],
            marker={"size": 12, "color": colour},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [h - x if h is not None else 0 for h, x in zip(high, positions, strict=True)],
                "arrayminus": [x - lo if lo is not None else 0 for lo, x in zip(low, positions, strict=True)],
                "color": colour,
            },
            hovertext=[_scorecard_hover(row) for row in shown],
            hoverinfo="text",
        )
    figure.update_layout(
        title="Realism scorecard: each measure in its public reference range (shaded), with its 95% interval",
        xaxis_title="position in the reference range (0 = its low end, 1 = its high end)",
        yaxis={"categoryorder": "array", "categoryarray": labels, "automargin": True},
        height=max(CHART_HEIGHT, SCORECARD_ROW_HEIGHT * len(rows) + 160),
        legend={"orientation": "h", "y": -0.15},
    )
    return does_not_follow_filters(
        figure, "each measure compares the whole hospital with its public reference (whole period)."
    )


def build_figures(marts: dict[str, Rows]) -> list:
    """Every chart of the dashboard, in page order: one seasonality chart per condition group
    with admissions (a group the extract never admitted has nothing to draw) and one
    before/after chart per detected satisfaction change."""
    seasonality = marts["kpi_condition_seasonality_by_month"]
    changes = sorted(
        (row for row in marts["kpi_satisfaction_change_points"] if row["is_change_point"]),
        key=lambda row: row["department_name"],
    )
    benchmarks = {row["measure_id"]: row for row in marts["kpi_realism_scorecard"]}
    return [
        readmissions_by_month(
            marts["kpi_readmissions_by_month"],
            marts["kpi_readmissions_overall"][0],
            benchmarks.get("readmission_rate_30d_all"),
        ),
        readmissions_by_diagnosis(marts["kpi_readmissions_by_diagnosis"]),
        readmissions_by_department(marts["kpi_readmissions_by_department"]),
        department_diagnoses(marts["kpi_readmissions_by_department_diagnosis"]),
        readmissions_by_age_band(marts["kpi_readmissions_by_age_band"]),
        monthly_volume(marts["kpi_department_monthly_volume"], marts["kpi_department_peak_months"]),
        chronic_admissions_by_month(marts["kpi_chronic_condition_admissions_by_month"]),
        *[
            condition_seasonality(seasonality, marts["kpi_condition_seasonal_rises"], group)
            for group in sorted(
                {row["condition_group"] for row in seasonality if row["inpatient_admissions"]}
            )
        ],
        satisfaction_by_department(marts["kpi_satisfaction_by_department"]),
        *[satisfaction_change(marts["kpi_satisfaction_by_department_month"], change) for change in changes],
        payer_mix(marts["kpi_payer_mix"], marts["kpi_dashboard_payer_mix_selections"]),
        revenue_per_patient(
            marts["kpi_revenue_by_department_age_band"], marts["kpi_dashboard_revenue_selections"]
        ),
        realism_scorecard(marts["kpi_realism_scorecard"]),
    ]


def sparkline(values: list[float | None]) -> str:
    """A small inline SVG line of a monthly series (gaps where a value is missing)."""
    known = [value for value in values if value is not None]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = 120 / (len(values) - 1)
    segments, current = [], []
    for number, value in enumerate(values):
        if value is None:
            segments, current = segments + [current] if current else segments, []
            continue
        current.append(f"{number * step:.1f},{28 - (value - low) / span * 26:.1f}")
    segments += [current] if current else []
    lines = "".join(
        f'<polyline points="{" ".join(points)}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>'
        for points in segments
    )
    return f'<svg class="trend" width="120" height="30" role="img" aria-label="monthly trend">{lines}</svg>'


def monthly_trends(marts: dict[str, Rows]) -> dict[str, list]:
    """Monthly series for the tiles that have one: encounters, and the 30-day readmission rate
    (a gap where a month has fewer than MIN_INDEX_STAYS index stays)."""
    encounters: dict = {}
    for row in marts["kpi_department_monthly_volume"]:
        encounters[row["admission_month"]] = encounters.get(row["admission_month"], 0) + row["encounters"]
    readmissions = sorted(marts["kpi_readmissions_by_month"], key=lambda row: row["discharge_month"])
    return {
        "Encounters": [encounters[month] for month in sorted(encounters)],
        "30-day readmission rate": [
            row["readmission_rate_30d"] if enough_index_stays(row) else None for row in readmissions
        ],
    }


def tiles_html(kpis: list[headline.Kpi], trends: dict[str, list]) -> str:
    """The headline tiles: value, what it is made of, the US benchmark and the monthly trend."""
    tiles = []
    for kpi in kpis:
        benchmark = kpi.benchmark_text()
        tiles.append(
            '<div class="tile">'
            f'<div class="tile-name">{html.escape(kpi.name)}</div>'
            f'<div class="tile-value">{html.escape(kpi.value_text())}</div>'
            f'<div class="tile-detail">{html.escape(kpi.detail_text())}</div>'
            + (
                f'<div class="tile-benchmark" title="{html.escape(kpi.benchmark_source)}">'
                f"{html.escape(benchmark)}</div>"
                if benchmark
                else ""
            )
            + sparkline(trends.get(kpi.name, []))
            + "</div>"
        )
    return f'<div class="tiles">{"".join(tiles)}</div>'


STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1rem 2rem;color:#222}"
    ".tiles{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}"
    ".tile{border:1px solid #ddd;border-radius:6px;padding:.6rem .8rem;min-width:13rem;max-width:17rem}"
    ".tile-name{font-size:.85rem;color:#555}.tile-value{font-size:1.8rem;font-weight:600}"
    ".tile-detail,.tile-benchmark{font-size:.8rem;color:#444}.tile-benchmark{color:#2c7a2c}"
    ".filters{margin:.5rem 0;font-size:.95rem}.note{font-size:.85rem;color:#555}"
)


def filters_html(marts: dict[str, Rows]) -> str:
    """The filter menus: period, department, payer (by name) and age band (with its ages), each
    offering the values the cells hold; the script keeps the choice in the page address."""
    values = dashboard_cells.filter_values(marts)
    age_labels = {row["age_band"]: age_band_label(row) for row in marts["kpi_readmissions_by_age_band"]}
    labels = {
        "department": {value: value for value in values["department"]},
        "payer": {value: payer_name(value) for value in values["payer"]},
        "age_band": {value: age_labels.get(value, value) for value in values["age_band"]},
    }
    titles = {"department": "Department", "payer": "Payer", "age_band": "Age band"}

    def menu(element_id: str, options: list[tuple[str, str]]) -> str:
        items = "".join(
            f'<option value="{html.escape(v)}">{html.escape(label)}</option>' for v, label in options
        )
        return f'<select id="{element_id}">{items}</select>'

    menus = [f"<label>Period {menu('period', list(PERIODS))}</label>"]
    for name, title in titles.items():
        options = [("", f"all {title.lower()}s"), *sorted(labels[name].items(), key=lambda item: item[1])]
        menus.append(f"<label>{title} {menu(f'filter-{name}', options)}</label>")
    return (
        f'<div class="filters">{" ".join(menus)} <span id="period-shown"></span> '
        '<span id="department-shown"></span></div>\n'
        '<p class="note">The filters apply to every chart that says nothing else above it; the tiles are '
        "hospital-wide over the whole period. Readmissions count by month of discharge, encounters by "
        "month of admission, surveys by month of discharge.</p>"
    )


def chart_html(figure) -> str:  # noqa: ANN001 (a Plotly figure)
    """One chart's div (no script of its own), its note on the filters above it."""
    meta = figure.layout.meta or {}
    note = (
        f'<p class="note filter-note">{html.escape(meta["filter_note"])}</p>' if "filter_note" in meta else ""
    )
    plot = figure.update_layout(height=figure.layout.height or CHART_HEIGHT, template="plotly_white").to_html(
        full_html=False, include_plotlyjs=False, config={"displaylogo": False}
    )
    return f'<div class="{meta.get("css_class", "chart")}">{note}{plot}</div>'


def render_html(
    figures: list,
    title: str,
    data_through=None,  # noqa: ANN001 (a date)
    tiles: str = "",
    filters: str = "",
    cells: str = "{}",
) -> str:
    """The page: Plotly's script inline once, the data-through date, the filters and the
    tiles, then each chart's div; the filter cells as JSON and the filter script last."""
    from plotly.offline import get_plotlyjs

    charts = "\n".join(chart_html(figure) for figure in figures)
    through = data_through.isoformat() if data_through else ""
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        f"<style>{STYLE}</style>\n"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head>\n'
        f'<body data-through="{through}" data-min-index-stays="{MIN_INDEX_STAYS}">'
        f"<h1>{html.escape(title)}</h1>\n"
        f"<p><b>Data through {through or 'no data'}</b> (the last admission day in the warehouse).</p>\n"
        f"{filters}\n{tiles}\n"
        f'<p class="note">{html.escape(READMISSION_DEFINITION)} {html.escape(READMISSION_DEVIATIONS)}</p>\n'
        f"{charts}\n"
        f'<script type="application/json" id="dashboard-cells">{cells}</script>\n'
        f"<script>{dashboard_cells.filter_script()}</script>\n</body></html>\n"
    )


# The follow-up table's columns: the mart's column and its header.
FOLLOWUP_COLUMNS = (
    ("risk_rank", "risk_rank"),
    ("stay_id", "stay_id"),
    ("discharge_date", "discharge_date"),
    ("department_name", "department"),
    ("payer_class", "payer"),
    ("age_band", "age band"),
    ("predicted_risk_30d", "predicted_risk_30d"),
    ("risk_band", "risk_band"),
    ("top_factors", "top_factors"),
)
# The filter columns of a stay, in the order of its "match" in the filter spec (as EMR_FILTERS).
FOLLOWUP_MATCH = ("department_name", "payer_class", "age_band")


def _followup_cells(stay: dict) -> list:
    """One stay's table cells as people read them: payers by name, the risk rounded."""
    shown = {
        **stay,
        "payer_class": payer_name(stay["payer_class"]) if stay["payer_class"] else None,
        "predicted_risk_30d": round(stay["predicted_risk_30d"], 3),
    }
    return [shown[column] for column, _ in FOLLOWUP_COLUMNS]


def followup_list_table(listed: Rows, shown: int = 25):
    """The readmission follow-up list's riskiest recent discharges as a table (the mart's rows,
    in its ranking), following the filters: the page shows the riskiest `shown` stays of the
    selection. It embeds only the stays a selection can show, the riskiest `shown` of each
    department x payer x age band x month of discharge (a period starts on a month, so the
    riskiest of any selection are among the riskiest of the cells it is made of), and the
    number of stays per cell, for the title."""
    import plotly.graph_objects as go

    stays = sorted(listed, key=lambda stay: stay["risk_rank"])
    per_cell: dict[tuple, int] = {}
    embedded = []
    for stay in stays:
        cell = (*(stay[column] for column in FOLLOWUP_MATCH), stay["discharge_date"].isoformat()[:8] + "01")
        per_cell[cell] = per_cell.get(cell, 0) + 1
        if per_cell[cell] <= shown:
            embedded.append(
                {
                    "match": [stay[column] for column in FOLLOWUP_MATCH],
                    "day": stay["discharge_date"].isoformat(),
                    "cells": _followup_cells(stay),
                }
            )
    top = [_followup_cells(stay) for stay in stays[:shown]]
    figure = go.Figure(
        go.Table(
            header={"values": [header for _, header in FOLLOWUP_COLUMNS]},
            cells={"values": [list(column) for column in zip(*top, strict=True)] if top else []},
        )
    )
    figure.update_layout(title=fill_title(FOLLOWUP_TITLE, shown=len(top), stays=len(stays)))
    counts = [{"match": list(cell[:-1]), "month": cell[-1], "stays": n} for cell, n in per_cell.items()]
    return follows_filters(
        figure,
        "followup_rows",
        shown=shown,
        match=list(FOLLOWUP_MATCH),
        stays=embedded,
        counts=counts,
        title=FOLLOWUP_TITLE,
    )


def write_dashboard(connection, path: Path, extra: list | None = None) -> int:  # noqa: ANN001 (a DuckDB connection)
    """Write the dashboard file from the warehouse's marts (and extra figures after them);
    returns the number of charts."""
    marts = read_marts(connection, TABLES)
    figures = build_figures(marts) + list(extra or [])
    tiles = tiles_html(headline.headline_kpis(marts), monthly_trends(marts))
    page = render_html(
        figures,
        "Hospital KPI dashboard",
        headline.data_through(marts),
        tiles,
        filters_html(marts),
        dashboard_cells.cells_json(marts),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return len(figures)
