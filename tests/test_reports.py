"""Reports: the executive summary states what the marts hold and changes when they change;
the dashboard renders every chart offline in a real browser."""

import datetime as dt
import html
import re

import duckdb
import pandas as pd
import pytest

from dagster_project.reports import executive_summary
from dagster_project.reports.dashboard import render_html
from dagster_project.settings import DataLayout
from tests.support.browser import rendered_dom, screenshot

CHARTS = 7


def build_summary(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return executive_summary.build_summary(connection)


def query_one(warehouse, sql):
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchone()


def materialization_metadata(pipeline_run, key: list[str]):
    import dagster as dg

    (event,) = [
        event
        for event in pipeline_run["result"].get_asset_materialization_events()
        if event.asset_key == dg.AssetKey(key)
    ]
    return event.materialization.metadata


def published(pipeline_run) -> DataLayout:
    return DataLayout(pipeline_run["data_dir"])


# --- executive summary on the pipeline's own published warehouse -------------------------


@pytest.fixture(scope="module")
def summary_markdown(pipeline_run):
    path = published(pipeline_run).published_reports_dir / "executive_summary.md"
    assert path.exists(), "no published executive summary (blocked by a failed check?)"
    return path.read_text()


@pytest.mark.slow
def test_summary_is_shown_in_dagster_and_published_as_html(pipeline_run, summary_markdown):
    metadata = materialization_metadata(pipeline_run, ["published", "release"])
    assert metadata["summary"].value == summary_markdown
    html = (published(pipeline_run).published_reports_dir / "executive_summary.html").read_text()
    assert "<h2>Findings</h2>" in html and "<h2>Recommendations and estimated effect</h2>" in html
    assert re.findall(r"<li>", html), "findings render as a list"


@pytest.mark.slow
def test_summary_states_payer_mix_from_the_marts(pipeline_run, summary_markdown):
    warehouse = published(pipeline_run).published_warehouse
    uninsured, uninsured_patients = query_one(
        warehouse,
        "select share, payer_class_count from marts.kpi_payer_mix "
        "where basis = 'patients' and payer_class = 'self_pay'",
    )
    (private,) = query_one(
        warehouse,
        "select share from marts.kpi_payer_mix where basis = 'patients' and payer_class = 'private'",
    )
    assert f"{uninsured * 100:.1f}% of patients are uninsured" in summary_markdown
    assert f"self-pay, {uninsured_patients:,} patients" in summary_markdown
    assert f"private insurance covers {private * 100:.1f}%" in summary_markdown


@pytest.mark.slow
def test_summary_states_highest_readmission_department_and_revenue_leader(pipeline_run, summary_markdown):
    warehouse = published(pipeline_run).published_warehouse
    department, rate, readmissions, index_stays = query_one(
        warehouse,
        "select department_name, readmission_rate_30d, readmissions_30d, index_stays_30d "
        "from marts.kpi_readmissions_by_department order by readmission_rate_30d desc limit 1",
    )
    assert (
        f"Highest readmission rates: {department} {rate * 100:.0f}% within 30 days "
        f"({readmissions:,} of {index_stays:,} index stays" in summary_markdown
    )
    leader, age_band, per_patient = query_one(
        warehouse,
        "select department_name, age_band, net_revenue_per_patient "
        "from marts.kpi_revenue_by_department_age_band where patients >= 30 "
        "order by net_revenue_per_patient desc limit 1",
    )
    assert f"patients): {leader} {age_band} ${per_patient:,.0f}" in summary_markdown


# --- executive summary on hand-made marts: the sentences follow the data ---------------

MONTHS = [dt.date(2030, month, 1) for month in range(1, 13)]


def hand_made_marts(variant: str) -> dict[str, pd.DataFrame]:
    """Marts with known answers. Variant "a" and "b" swap the diagnosis, department,
    month and payer figures a summary must report."""
    a = variant == "a"
    top, other = ("X1.0", "Y2.0") if a else ("Y2.0", "X1.0")
    dropping, steady = ("North", "South") if a else ("South", "North")
    drop_from = 8 if a else 4
    diagnosis = pd.DataFrame(
        [
            (top, f"Made-up {top}", "adult", 100, 20, 0.20, 100, 25, 0.25),
            (other, f"Made-up {other}", "adult", 60, 6, 0.10, 60, 12, 0.20),
            ("Z3.0", "Too few stays", "adult", 10, 9, 0.90, 10, 9, 0.90),
            (other, f"Made-up {other}", "senior", 80, 40, 0.50, 80, 60, 0.75),
        ],
        columns=[
            "principal_icd10_code",
            "principal_description",
            "age_band",
            "index_stays_30d",
            "readmissions_30d",
            "readmission_rate_30d",
            "index_stays_60d",
            "readmissions_60d",
            "readmission_rate_60d",
        ],
    )
    department = pd.DataFrame(
        [(dropping, 200, 60, 0.30, 190, 70, 70 / 190), (steady, 300, 30, 0.10, 290, 40, 40 / 290)],
        columns=[
            "department_name",
            "index_stays_30d",
            "readmissions_30d",
            "readmission_rate_30d",
            "index_stays_60d",
            "readmissions_60d",
            "readmission_rate_60d",
        ],
    )
    peak_month = 5 if a else 10
    peaks = pd.DataFrame(
        [
            ("North", month, 1, 150.0 if month == peak_month else 100.0, 0.0, 2, month == peak_month)
            for month in range(1, 13)
        ]
        + [("South", month, 1, 110.0 if month == 11 else 100.0, 0.0, 2, False) for month in range(1, 13)],
        columns=[
            "department_name",
            "calendar_month",
            "months_observed",
            "average_encounters",
            "seasonal_index",
            "volume_rank",
            "is_peak_month",
        ],
    )
    for _, group in peaks.groupby("department_name"):
        peaks.loc[group.index, "seasonal_index"] = (
            group["average_encounters"] / group["average_encounters"].mean()
        )
        peaks.loc[group.index, "volume_rank"] = group["average_encounters"].rank(
            ascending=False, method="min"
        )
    rising = "cond_a" if a else "cond_b"
    chronic = pd.DataFrame(
        [
            (group, month, month.month, 40, 30 if group == rising and month.month in (6, 7, 8) else 10)
            for group in ("cond_a", "cond_b")
            for month in MONTHS
        ],
        columns=[
            "condition_group",
            "admission_month",
            "calendar_month",
            "encounters",
            "inpatient_admissions",
        ],
    )
    satisfaction = pd.DataFrame(
        [
            (name, month, 100, 7.0, 40, 0.4, 40, 0.4)
            if name == dropping and month.month >= drop_from
            else (name, month, 100, 9.0, 80, 0.8, 80, 0.8)
            for name in ("North", "South")
            for month in MONTHS
        ],
        columns=[
            "department_name",
            "discharge_month",
            "surveys",
            "mean_overall_rating",
            "rating_top_box_count",
            "rating_top_box_share",
            "recommend_top_box_count",
            "recommend_top_box_share",
        ],
    )
    uninsured = 150 if a else 220
    payer = pd.DataFrame(
        [
            (basis, payer_class, payer_class == "self_pay", count, 1000, count / 1000)
            for basis in ("patients", "encounters")
            for payer_class, count in (
                ("private", 500 if a else 430),
                ("self_pay", uninsured),
                ("medicare", 1000 - uninsured - (500 if a else 430)),
            )
        ],
        columns=["basis", "payer_class", "is_uninsured", "payer_class_count", "basis_total", "share"],
    )
    revenue = pd.DataFrame(
        [
            (
                "South",
                "senior",
                100,
                120,
                900_000.0 if a else 300_000.0,
                0.0,
                9000.0 if a else 3000.0,
                0.0,
                20000.0,
            ),
            ("North", "adult", 50, 60, 250_000.0, 0.0, 5000.0, 0.0, 12000.0),
            ("North", "pediatric", 10, 10, 999_990.0, 0.0, 99999.0, 0.0, 99999.0),
        ],
        columns=[
            "department_name",
            "age_band",
            "patients",
            "encounters",
            "net_revenue",
            "gross_charges",
            "net_revenue_per_patient",
            "net_revenue_per_encounter",
            "gross_charges_per_patient",
        ],
    )
    readmissions = pd.DataFrame(
        [
            (dropping, top, "adult", True, True, 10000.0, 3000.0),
            (dropping, top, "adult", False, True, 20000.0, 5000.0),
            (steady, other, "senior", True, True, 40000.0, 9000.0),
        ],
        columns=[
            "department_name",
            "principal_icd10_code",
            "age_band",
            "is_readmitted_30d",
            "is_readmitted_60d",
            "readmission_gross_charges",
            "readmission_net_revenue",
        ],
    )
    return {
        "kpi_readmissions_by_diagnosis": diagnosis,
        "kpi_readmissions_by_department": department,
        "kpi_department_peak_months": peaks,
        "kpi_chronic_condition_admissions_by_month": chronic,
        "kpi_satisfaction_by_department_month": satisfaction,
        "kpi_payer_mix": payer,
        "kpi_revenue_by_department_age_band": revenue,
        "fct_readmissions": readmissions,
    }


def write_warehouse(path, tables: dict[str, pd.DataFrame]):
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        for name, frame in tables.items():
            connection.register("frame", frame)
            connection.execute(f"create table marts.{name} as select * from frame")
            connection.unregister("frame")
    return path


def test_summary_follows_hand_made_marts(tmp_path):
    text = build_summary(write_warehouse(tmp_path / "a.duckdb", hand_made_marts("a"))).markdown
    assert (
        "Adults with X1.0 (Made-up X1.0): 25% readmitted within 60 days (about 1 in 4; 25 of 100 index stays)"
        in text
    )
    assert "Z3.0" not in text, "diagnoses with too few index stays are not ranked"
    assert (
        "Peak months (as the marts mark them: well above the department's ordinary month): North May (+44%)"
        in text
    )
    assert "Busiest month of the other departments: South November (+9%)" in text
    assert "Cond a inpatient admissions rise in summer" in text
    assert "per peak month: North 46 in May." in text  # 150 encounters against an ordinary 104
    assert (
        "North satisfaction dropped from August 2030 on: mean overall rating 9.0 before, 7.0 since (-22%"
        in text
    )
    assert "Highest readmission rates: North 30% within 30 days (60 of 200 index stays" in text
    assert (
        "15.0% of patients are uninsured (self-pay, 150 patients) and private insurance covers 50.0%" in text
    )
    assert "patients): South senior $9,000" in text and "99,999" not in text
    # 10% of the 25 readmissions at their own readmitting stays ($15,000 gross, $4,000 net on average)
    assert (
        "about 2.5 fewer readmission stays over the data period, "
        "$37,500 of gross charges ($10,000 of net revenue)" in text
    )


def test_summary_sentences_change_with_the_marts(tmp_path):
    text = build_summary(write_warehouse(tmp_path / "b.duckdb", hand_made_marts("b"))).markdown
    assert "Adults with Y2.0 (Made-up Y2.0): 25% readmitted within 60 days" in text
    assert "North October (+" in text
    assert "Cond b inpatient admissions rise in summer" in text and "Cond a inpatient" not in text
    assert "South satisfaction dropped from April 2030 on" in text
    assert "Highest readmission rates: South 30%" in text
    assert (
        "22.0% of patients are uninsured (self-pay, 220 patients) and private insurance covers 43.0%" in text
    )
    assert "patients): North adult $5,000" in text


def test_summary_and_dashboard_say_which_readmission_definition_they_follow(tmp_path):
    """Both name the CMS measure and planned readmission algorithm, and what differs."""
    text = build_summary(write_warehouse(tmp_path / "a.duckdb", hand_made_marts("a"))).markdown
    page = html.unescape(render_html([], "Dashboard"))
    for document in (text, page):
        assert "CMS Hospital-Wide All-Cause Unplanned Readmission measure" in document
        assert "Planned Readmission Algorithm v4.0" in document
        assert "not risk-adjusted" in document and "this hospital's stays only" in document
        assert "AHRQ CCS categories" in document


# --- dashboard ---------------------------------------------------------------------------


@pytest.mark.slow
def test_dashboard_is_self_contained(pipeline_run):
    html = (published(pipeline_run).published_reports_dir / "dashboard.html").read_text()
    assert not re.search(r"<script[^>]*\bsrc=", html), "every script is inline"
    assert not re.search(r"<link[^>]*https?:", html), "no external stylesheet"
    assert html.count("plotly.js v") == 1, "the charting library is embedded once"
    assert html.count('class="plotly-graph-div"') == CHARTS
    assert materialization_metadata(pipeline_run, ["dashboard"])["charts"].value == CHARTS


@pytest.mark.slow
@pytest.mark.browser
def test_dashboard_renders_every_chart_in_chromium(pipeline_run):
    page = published(pipeline_run).published_reports_dir / "dashboard.html"
    dom = rendered_dom(page.as_uri())
    rendered = re.split(r'<div[^>]*class="[^"]*\bjs-plotly-plot\b', dom)[1:]
    assert len(rendered) == CHARTS, "Plotly drew every chart"
    for chart in rendered:
        assert re.search(r'class="(point|js-line)"', chart), "each chart draws bars, markers or lines"
    titles = re.findall(r'<text class="gtitle"[^>]*>([^<]+)', dom)
    assert len(titles) == CHARTS and all(title.strip() for title in titles)
    for axis_unit in (
        "readmission rate (%)",
        "encounters per month",
        "mean overall rating (0-10 points)",
        "share (%)",
        "net revenue per patient (USD)",
    ):
        assert axis_unit in dom
    shot = screenshot(
        page.as_uri(), pipeline_run["data_dir"] / "screenshots" / "dashboard.png", size="1400,3600"
    )
    assert shot.stat().st_size > 50_000, "a blank page would compress to almost nothing"


# --- make run's closing summary ----------------------------------------------------------


@pytest.mark.slow
def test_run_summary_names_the_published_reports_with_a_command_to_open_them(pipeline_run, capsys):
    from dagster_project.run_pipeline import print_where
    from dagster_project.warehouse.release import published_release

    layout = published(pipeline_run)
    print_where(layout, published_release(layout))
    printed = capsys.readouterr().out
    reports = layout.published_reports_dir
    assert f"python3 -m webbrowser {(reports / 'dashboard.html').as_uri()}" in printed
    assert f"python3 -m webbrowser {(reports / 'executive_summary.html').as_uri()}" in printed
    assert f"data through {published_release(layout)['end_date']}" in printed
