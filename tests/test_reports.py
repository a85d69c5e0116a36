"""Reports: the executive summary states what the marts hold and changes when they change;
the dashboard renders every chart offline in a real browser."""

import calendar
import datetime as dt
import html
import re
import shlex
import subprocess

import duckdb
import pandas as pd
import pytest

from dagster_project.reports import dashboard, dashboard_cells, executive_summary, sample_sizes
from dagster_project.reports.mart_rows import read_marts
from dagster_project.settings import DataLayout
from tests.support.browser import devtools_page, rendered_dom, screenshot


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
def test_summary_names_the_follow_up_list_and_its_top_deciles_expected_readmissions(
    pipeline_run, summary_markdown
):
    from dagster_project.prediction.followup import FOLLOWUP_MART

    (stays, top, expected) = query_one(
        published(pipeline_run).published_warehouse,
        "select count(*), count(case when risk_decile = 1 then 1 end), "
        f"sum(case when risk_decile = 1 then predicted_risk_30d end) from marts.{FOLLOWUP_MART}",
    )
    assert f"- {stays:,} recent discharges without 30 days of follow-up yet" in summary_markdown
    assert f"`marts.{FOLLOWUP_MART}` of the published warehouse" in summary_markdown
    top_decile = f"The top decile ({top:,} stays) is expected to hold {expected:.1f} readmissions"
    assert top_decile in summary_markdown


@pytest.mark.slow
def test_summary_states_payer_mix_from_the_marts(pipeline_run, summary_markdown):
    warehouse = published(pipeline_run).published_warehouse
    uninsured, uninsured_patients, patients, low, high = query_one(
        warehouse,
        "select share, payer_class_count, basis_total, share_low, share_high from marts.kpi_payer_mix "
        "where basis = 'patients' and payer_class = 'self_pay'",
    )
    (private,) = query_one(
        warehouse,
        "select share from marts.kpi_payer_mix where basis = 'patients' and payer_class = 'private'",
    )
    assert f"{uninsured * 100:.1f}% of patients are uninsured" in summary_markdown
    assert (
        f"self-pay, {uninsured_patients:,} of {patients:,.0f} patients; "
        f"95% CI {low * 100:.1f}-{high * 100:.1f}%)" in summary_markdown
    )
    assert f"private insurance covers {private * 100:.1f}%" in summary_markdown


@pytest.mark.slow
def test_summary_states_highest_readmission_department_and_revenue_leader(pipeline_run, summary_markdown):
    warehouse = published(pipeline_run).published_warehouse
    top = query_one(
        warehouse,
        "select department_name, readmission_rate_30d, readmission_rate_30d_low, readmission_rate_30d_high, "
        "readmissions_30d, index_stays_30d from marts.kpi_readmissions_by_department "
        f"where index_stays_30d >= {sample_sizes.MIN_INDEX_STAYS} order by readmission_rate_30d desc limit 1",
    )
    if top is None:  # the small scenario: no department has enough index stays for a rate
        assert f"No department has {sample_sizes.MIN_INDEX_STAYS} index stays yet" in summary_markdown
    else:
        department, rate, low, high, readmissions, index_stays = top
        assert (
            f"Highest readmission rates: {department} {rate * 100:.0f}% within 30 days "
            f"(95% CI {low * 100:.0f}-{high * 100:.0f}%; {readmissions:,} of {index_stays:,} index stays)"
            in summary_markdown
        )
    assert "nan" not in summary_markdown.split() and not re.search(r"(?<!CI )-100%", summary_markdown)
    leader, age_band_label, per_patient = query_one(
        warehouse,
        "select department_name, age_band_label, net_revenue_per_patient "
        "from marts.kpi_revenue_by_department_age_band where patients >= 30 "
        "order by net_revenue_per_patient desc limit 1",
    )
    assert f"patients): {leader} {age_band_label} ${per_patient:,.0f}" in summary_markdown


# --- executive summary on hand-made marts: the sentences follow the data ---------------

MONTHS = [dt.date(2030, month, 1) for month in range(1, 13)]
ALPHA = 0.05


def frame(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records)


def diagnosis_cell(code, band, label, stays, readmissions, expected_rate, z, p_bonferroni):
    rate = readmissions / stays
    return {
        "principal_icd10_code": code,
        "principal_description": f"Made-up {code}",
        "age_band": band,
        "age_band_label": label,
        **{
            f"{name}_{window}d": value
            for window in (30, 60)
            for name, value in (
                ("index_stays", stays),
                ("readmissions", readmissions),
                ("readmission_rate", rate),
                ("readmission_rate", rate),
                ("expected_rate", expected_rate),
                ("excess_z", z),
                ("excess_p_bonferroni", p_bonferroni),
                ("cells_tested", 3),
            )
        },
        "readmission_rate_60d_low": rate - 0.08,
        "readmission_rate_60d_high": rate + 0.08,
        "readmission_rate_30d_low": rate - 0.08,
        "readmission_rate_30d_high": rate + 0.08,
        "significance_level": ALPHA,
    }


def rate_row(key: dict, stays: int, readmissions: int) -> dict:
    rate = readmissions / stays
    return {
        **key,
        **{f"index_stays_{w}d": stays for w in (30, 60)},
        **{f"readmissions_{w}d": readmissions for w in (30, 60)},
        **{f"readmission_rate_{w}d": rate for w in (30, 60)},
        **{f"readmission_rate_{w}d_low": rate - 0.02 for w in (30, 60)},
        **{f"readmission_rate_{w}d_high": rate + 0.02 for w in (30, 60)},
    }


def rise_row(group, start, months, ratio, p_bonferroni, best=True):
    return {
        "condition_group": group,
        "start_month": start,
        "end_month": (start + months - 2) % 12 + 1,
        "months_in_window": months,
        "group_admissions": 400.0,
        "window_admissions": 150.0,
        "expected_admissions": 100.0,
        "expected_share": 0.25,
        "rate_ratio": ratio,
        "rate_ratio_low": ratio - 0.2,
        "rate_ratio_high": ratio + 0.2,
        "z_score": 5.0 if p_bonferroni < ALPHA else 1.5,
        "p_value_bonferroni": p_bonferroni,
        "windows_tested": 144,
        "significance_level": ALPHA,
        "is_best_window": best,
        "is_seasonal_rise": best and p_bonferroni < ALPHA,
    }


def change_row(department, month, before, after, p_bonferroni, best=True):
    change = after / before - 1
    return {
        "department_name": department,
        "split_month": dt.date(2030, month, 1),
        "months_before": month - 1,
        "months_after": 13 - month,
        "surveys_before": 100 * (month - 1),
        "surveys_after": 100 * (13 - month),
        "mean_before": before,
        "mean_after": after,
        "sd_before": 1.5,
        "sd_after": 1.5,
        "mean_difference": after - before,
        "relative_change": change,
        "relative_change_low": change - 0.02,
        "relative_change_high": change + 0.02,
        "z_score": -9.0 if change < 0 else 9.0,
        "p_value_bonferroni": p_bonferroni,
        "splits_tested": 14,
        "significance_level": ALPHA,
        "is_best_split": best,
        "is_change_point": best and p_bonferroni < ALPHA,
    }


def hand_made_marts(variant: str) -> dict[str, pd.DataFrame]:
    """Marts with known answers. Variants "a" and "b" swap the diagnosis, department, month,
    season and payer figures a summary must report; "none" has nothing significant."""
    a, none = variant == "a", variant == "none"
    top, other = ("X1.0", "Y2.0") if a else ("Y2.0", "X1.0")
    dropping, steady = ("North", "South") if a else ("South", "North")
    significant = 1.0 if none else 0.001
    diagnosis = frame(
        [
            diagnosis_cell(top, "adult", "adult (18-64)", 100, 25, 0.12, 4.0, significant),
            diagnosis_cell(other, "senior", "senior (65+)", 80, 30, 0.30, 1.5, 1.0),
        ]
    )
    department = frame(
        [
            rate_row({"department_name": dropping}, 200, 60),
            rate_row({"department_name": steady}, 300, 30),
        ]
    )
    overall = frame([rate_row({}, 500, 90)])
    peak_month = 5 if a else 10
    peaks = frame(
        [
            {
                "department_name": name,
                "calendar_month": month,
                "months_observed": 1,
                "average_encounters": 150.0 if (name, month) == ("North", peak_month) else 100.0,
                "seasonal_index": 1.44 if (name, month) == ("North", peak_month) else 0.96,
                "seasonal_index_low": 1.30 if (name, month) == ("North", peak_month) else 0.8,
                "seasonal_index_high": 1.60 if (name, month) == ("North", peak_month) else 1.1,
                "p_value_bonferroni": significant if (name, month) == ("North", peak_month) else 1.0,
                "months_tested": 24,
                "significance_level": ALPHA,
                "volume_rank": 1 if month == (peak_month if name == "North" else 11) else 2,
                "is_peak_month": not none and (name, month) == ("North", peak_month),
            }
            for name in ("North", "South")
            for month in range(1, 13)
        ]
    )
    rising, quiet = ("cond_a", "cond_b") if a else ("cond_b", "cond_a")
    rises = frame(
        [
            rise_row(rising, 6 if a else 12, 3, 1.5, significant),
            rise_row(rising, 7, 1, 1.2, 1.0, best=False),
            rise_row(quiet, 3, 2, 1.2, 1.0),
        ]
    )
    changes = frame(
        [
            change_row(dropping, 8 if a else 4, 9.0, 7.0 if a else 9.9, significant),
            change_row(steady, 6, 8.0, 8.1, 1.0),
        ]
    )
    satisfaction = frame(
        [
            {
                "department_name": name,
                "surveys": 1200,
                "mean_overall_rating": rating,
                "mean_overall_rating_low": rating - 0.1,
                "mean_overall_rating_high": rating + 0.1,
                "hospital_surveys": 2400,
                "hospital_mean_overall_rating": 8.5,
                "hospital_mean_overall_rating_low": 8.45,
                "hospital_mean_overall_rating_high": 8.55,
            }
            for name, rating in ((dropping, 7.8), (steady, 9.2))
        ]
    )
    volume = frame([{"department_name": "North", "admission_month": month} for month in MONTHS])
    uninsured = 150 if a else 220
    payer = frame(
        [
            {
                "basis": basis,
                "payer_class": payer_class,
                "is_uninsured": payer_class == "self_pay",
                "payer_class_count": count,
                "basis_total": 1000,
                "share": count / 1000,
                "share_low": count / 1000 - 0.02,
                "share_high": count / 1000 + 0.02,
            }
            for basis in ("patients", "encounters")
            for payer_class, count in (
                ("private", 500 if a else 430),
                ("self_pay", uninsured),
                ("medicare", 1000 - uninsured - (500 if a else 430)),
            )
        ]
    )
    revenue = frame(
        [
            {
                "department_name": name,
                "age_band": band,
                "age_band_label": f"{band} (made-up ages)",
                "patients": patients,
                "net_revenue": per_patient * patients,
                "net_revenue_per_patient": per_patient,
                "net_revenue_per_patient_low": per_patient * 0.9,
                "net_revenue_per_patient_high": per_patient * 1.1,
                "gross_charges_per_patient": 20000.0,
            }
            for name, band, patients, per_patient in (
                ("South", "senior", 100, 9000.0 if a else 3000.0),
                ("North", "adult", 50, 5000.0),
                ("North", "pediatric", 10, 99999.0),
            )
        ]
    )
    readmissions = frame(
        [
            {
                "department_name": dept,
                "principal_icd10_code": code,
                "age_band": band,
                "is_readmitted_30d": d30,
                "is_readmitted_60d": True,
                "readmission_gross_charges": gross,
                "readmission_net_revenue": net,
            }
            for dept, code, band, d30, gross, net in (
                (dropping, top, "adult", True, 10000.0, 3000.0),
                (dropping, top, "adult", False, 20000.0, 5000.0),
                (steady, other, "senior", True, 40000.0, 9000.0),
            )
        ]
    )
    return {
        "kpi_readmissions_by_diagnosis": diagnosis,
        "kpi_readmissions_by_department": department,
        "kpi_readmissions_overall": overall,
        "kpi_department_peak_months": peaks,
        "kpi_department_monthly_volume": volume,
        "kpi_condition_seasonal_rises": rises,
        "kpi_satisfaction_change_points": changes,
        "kpi_satisfaction_by_department": satisfaction,
        "kpi_payer_mix": payer,
        "kpi_revenue_by_department_age_band": revenue,
        "fct_readmissions": readmissions,
    }


def write_warehouse(path, tables: dict[str, pd.DataFrame]):
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        for name, table in tables.items():
            connection.register("frame", table)
            connection.execute(f"create table marts.{name} as select * from frame")
            connection.unregister("frame")
    return path


def test_summary_follows_hand_made_marts(tmp_path):
    text = build_summary(write_warehouse(tmp_path / "a.duckdb", hand_made_marts("a"))).markdown
    assert (
        "X1.0 (Made-up X1.0) in adult (18-64): 25% readmitted within 60 days (about 1 in 4; 25 of 100 "
        "index stays, 95% CI 17-33%) where its departments' rates for the band predict 12%" in text
    )
    assert "Y2.0 (Made-up Y2.0) in senior" not in text, "a cell that is not significant is not claimed"
    assert "North May +44% (95% CI +30% to +60%; p = 0.001)" in text
    assert (
        "No peak month could be established for the other departments; the busiest month of each: "
        "South November" in text
    )
    assert "Cond a inpatient admissions rise in June-August: +50%" in text
    assert "rate ratio 1.50, 95% CI 1.30-1.70" in text
    assert (
        "No seasonal rise could be established (p < 0.05" in text
        and "for cond b (strongest: March-April" in text
    )
    assert "North mean overall rating fell from August 2030 on: 9.00 before, 7.00 since (-22.2%" in text
    assert (
        "Highest readmission rates: North 30% within 30 days (95% CI 28-32%; 60 of 200 index stays)" in text
    )
    assert "mean rating 7.80 (95% CI 7.70-7.90, 1,200 surveys)" in text
    assert "intervals apart" not in text, "South readmits below the hospital: no joint claim"
    assert "15.0% of patients are uninsured (self-pay, 150 of 1,000 patients; 95% CI 13.0-17.0%)" in text
    assert (
        "patients): South senior (made-up ages) $9,000 (95% CI $8,100-$9,900, 100 patients" in text
        and "99,999" not in text
    )
    # 10% of the 25 readmissions at their own readmitting stays ($15,000 gross, $4,000 net on average)
    assert (
        "about 2.5 fewer readmission stays over the data period; at their average readmitting stay "
        "($15,000 gross charges, $4,000 net revenue) payers save $37,500 of charges and the hospital "
        "forgoes $10,000 of net revenue" in text
    )
    assert "Run cond a outreach before June" in text


def test_summary_sentences_change_with_the_marts(tmp_path):
    text = build_summary(write_warehouse(tmp_path / "b.duckdb", hand_made_marts("b"))).markdown
    assert "Y2.0 (Made-up Y2.0) in adult (18-64): 25% readmitted within 60 days" in text
    assert "North October +44%" in text
    assert "Cond b inpatient admissions rise in December-February" in text
    assert "Cond a inpatient admissions rise" not in text
    assert "South mean overall rating rose from April 2030 on" in text
    assert "Highest readmission rates: South 30%" in text
    assert "22.0% of patients are uninsured (self-pay, 220 of 1,000 patients" in text
    assert "patients): North adult (made-up ages) $5,000" in text


def test_summary_claims_nothing_the_tests_do_not_support(tmp_path):
    """With no corrected p-value below the level, every finding is stated as not established,
    with the strongest candidate and the data it would need."""
    text = build_summary(write_warehouse(tmp_path / "none.duckdb", hand_made_marts("none"))).markdown
    assert "rise in" not in text and "- **Peak months.** Encounters at least 20% above" in text
    assert "department-months): none." in text
    assert "No diagnosis is readmitted within 60 days significantly more than its departments" in text
    assert "establishing an excess of that size would take about" in text
    assert "No seasonal rise could be established" in text and "a rise that size needs about" in text
    assert "No department's rating changed significantly" in text
    assert "surveys on each side" in text
    assert "outreach" not in text and "Review what changed" not in text


def recommendation_reaches(text: str) -> list[float]:
    """The estimated reach that heads each numbered recommendation, in the order printed."""
    return [
        float(number.replace(",", ""))
        for number in re.findall(r"^\d+\. \*\*About ([\d,.]+) ", text.split("## Recommendations")[1], re.M)
    ]


def test_recommendations_are_ranked_by_reach_and_say_which_way_the_money_goes(tmp_path):
    """Largest estimated effect first; money said as saved, gained or forgone; counts written for
    people (one decimal below ten, whole above)."""
    text = build_summary(write_warehouse(tmp_path / "a.duckdb", hand_made_marts("a"))).markdown
    reaches = recommendation_reaches(text)
    # outreach 50 admissions, peak 45.8 encounters, surveys 500, insured 15, patients 10, stays 2.5 and 9
    assert len(reaches) == 7 and reaches == sorted(reaches, reverse=True), reaches
    assert reaches[0] == 500 and reaches[-1] == 2.5
    assert "**About 9.0 fewer readmission stays.** Target 30-day readmissions in North and South" in text
    assert "gains the hospital about $90,000 of net revenue" in text  # 10 more South seniors at $9,000
    assert "payers save" in text and "the hospital forgoes" in text
    assert not re.search(r"\b\d{2,}\.0 ", text), "no '123.0 fewer'"
    assert "**About 50 inpatient admissions above expected.** Run cond a outreach before June" in text


def test_each_summary_section_is_one_bullet(tmp_path):
    """A section with several findings nests them under its one titled bullet."""
    text = build_summary(write_warehouse(tmp_path / "none.duckdb", hand_made_marts("none"))).markdown
    titles = re.findall(r"^- \*\*([^*]+)\.\*\*", text, re.M)
    assert len(titles) == len(set(titles)) == 7, titles
    assert "  - No peak month could be established for any department; the busiest month of each:" in text


def test_summary_and_dashboard_say_which_readmission_definition_they_follow(tmp_path):
    """Both name the CMS measure and planned readmission algorithm, and what differs."""
    text = build_summary(write_warehouse(tmp_path / "a.duckdb", hand_made_marts("a"))).markdown
    page = html.unescape(dashboard.render_html([], "Dashboard"))
    for document in (text, page):
        assert "CMS Hospital-Wide All-Cause Unplanned Readmission measure" in document
        assert "Planned Readmission Algorithm v4.0" in document
        assert "not risk-adjusted" in document and "this hospital's stays only" in document
        assert "AHRQ CCS categories" in document


# --- dashboard ---------------------------------------------------------------------------


def expected_charts(warehouse) -> int:
    """The fixed charts (the realism scorecard last of the marts' charts), one seasonality
    chart per condition group with admissions, one before/after chart per detected satisfaction
    change, and the readmission follow-up list's table after them."""
    (groups,) = query_one(
        warehouse,
        "select count(distinct condition_group) from marts.kpi_condition_seasonality_by_month "
        "where inpatient_admissions > 0",
    )
    (changes,) = query_one(
        warehouse, "select count(*) from marts.kpi_satisfaction_change_points where is_change_point"
    )
    return 11 + groups + changes + 1


@pytest.mark.slow
def test_dashboard_is_self_contained(pipeline_run):
    html = (published(pipeline_run).published_reports_dir / "dashboard.html").read_text()
    charts = expected_charts(published(pipeline_run).published_warehouse)
    assert not re.search(r"<script[^>]*\bsrc=", html), "every script is inline"
    assert not re.search(r"<link[^>]*https?:", html), "no external stylesheet"
    assert html.count("plotly.js v") == 1, "the charting library is embedded once"
    assert html.count('class="plotly-graph-div"') == charts
    assert "Readmission follow-up list: the " in html
    assert materialization_metadata(pipeline_run, ["dashboard"])["charts"].value == charts


@pytest.mark.slow
@pytest.mark.browser
def test_dashboard_renders_every_chart_in_chromium(pipeline_run):
    page = published(pipeline_run).published_reports_dir / "dashboard.html"
    charts = expected_charts(published(pipeline_run).published_warehouse)
    dom = rendered_dom(page.as_uri())
    rendered = re.split(r'<div[^>]*class="[^"]*\bjs-plotly-plot\b', dom)[1:]
    assert len(rendered) == charts, "Plotly drew every chart"
    for chart in rendered:
        # a chart whose every rate has too few index stays says so instead (the small scenario)
        assert re.search(r'class="(point|js-line|cell-text)"', chart) or "Nothing to draw yet: " in chart, (
            "each chart draws bars, markers, lines or table cells, or says why it has nothing to draw"
        )
    # a title of two lines is drawn as two tspan elements inside its text element
    titles = [
        re.sub(r"<[^>]+>", " ", title) for title in re.findall(r'<text class="gtitle"[^>]*>(.*?)</text>', dom)
    ]
    assert len(titles) == charts and all(title.strip() for title in titles)
    for axis_unit in (
        "readmission rate (%), 95% CI",
        "encounters per month",
        "inpatient admissions per month",
        "admissions / expected from departments, 95% CI",
        "mean overall rating (0-10 points), 95% CI",
        "share (%), 95% CI",
        "net revenue per patient (USD), 95% CI",
        "position in the reference range",
    ):
        assert axis_unit in dom
    shot = screenshot(
        page.as_uri(), pipeline_run["data_dir"] / "screenshots" / "dashboard.png", size="1400,3600"
    )
    assert shot.stat().st_size > 50_000, "a blank page would compress to almost nothing"


@pytest.mark.slow
@pytest.mark.browser
def test_dashboard_shows_the_realism_scorecard_as_the_mart_has_it(pipeline_run):
    """The scorecard section draws every measure of the published mart as a labelled row, and a
    legend entry for every status the mart holds."""
    warehouse = published(pipeline_run).published_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        measures, statuses = (
            [value for (value,) in connection.execute(sql).fetchall()]
            for sql in (
                "select measure from marts.kpi_realism_scorecard",
                "select distinct status from marts.kpi_realism_scorecard where status <> 'not_measured'",
            )
        )
    assert len(measures) >= 15
    page = published(pipeline_run).published_reports_dir / "dashboard.html"
    dom = rendered_dom(page.as_uri())
    assert "Realism scorecard" in dom
    drawn_labels = set(re.findall(r'<g class="ytick"><text[^>]*data-unformatted="([^"]*)"', dom))
    assert {html_text(measure) for measure in measures} <= drawn_labels, "every measure is drawn"
    legend = re.findall(r'<text class="legendtext"[^>]*>([^<]+)', dom)
    for status in statuses:
        assert dashboard.STATUS_LEGEND[status] in legend, status
    assert "public figure" in legend


def html_text(text: str) -> str:
    """Text as the rendered DOM spells it in an attribute."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def scorecard_row(measure_id, measured, status, low=0.1, high=0.2, interval=(None, None)):
    return {
        "measure_id": measure_id,
        "measure": f"Measure {measure_id}",
        "unit": "share",
        "numerator": None,
        "denominator": None,
        "measured_value": measured,
        "interval_low": interval[0],
        "interval_high": interval[1],
        "reference_value": 0.15,
        "reference_low": low,
        "reference_high": high,
        "is_planted": status == "planted",
        "planted_reason": "finding 9" if status == "planted" else None,
        "status": status,
        "source": "a survey",
    }


def test_scorecard_figure_places_each_measure_in_its_range_by_status():
    figure = dashboard.realism_scorecard(
        [
            scorecard_row("a", 0.15, "inside", interval=(0.12, 0.18)),
            scorecard_row("b", 0.40, "outside"),
            scorecard_row("e", 0.22, "uncertain", interval=(0.15, 0.30)),
            scorecard_row("c", 0.05, "planted"),
            scorecard_row("d", None, "not_measured"),
        ]
    )
    traces = {trace.name: trace for trace in figure.data}
    assert set(traces) == {
        "public figure",
        *(dashboard.STATUS_LEGEND[s] for s in ("inside", "outside", "uncertain", "planted")),
    }
    inside = traces[dashboard.STATUS_LEGEND["inside"]]
    assert inside.x == pytest.approx((0.5,)) and inside.error_x.array == pytest.approx((0.3,))
    assert traces[dashboard.STATUS_LEGEND["outside"]].x == pytest.approx((3.0,))
    assert traces[dashboard.STATUS_LEGEND["uncertain"]].x == pytest.approx((1.2,))
    planted = traces[dashboard.STATUS_LEGEND["planted"]]
    assert planted.x == pytest.approx((-0.5,)) and "finding 9" in planted.hovertext[0]
    assert "Measure d" in traces["public figure"].y  # listed, though it has nothing measured
    assert figure.layout.height >= dashboard.CHART_HEIGHT


def dashboard_marts(variant: str) -> dict[str, pd.DataFrame]:
    """The hand-made marts plus the monthly rows only the dashboard draws."""
    marts = hand_made_marts(variant)
    marts["kpi_readmissions_by_age_band"] = frame(
        [rate_row({"age_band": band}, 300, 45) for band in ("pediatric", "adult", "senior")]
    )
    marts["kpi_department_monthly_volume"] = frame(
        [{"department_name": "North", "admission_month": month, "encounters": 100} for month in MONTHS]
    )
    marts["kpi_condition_seasonality_by_month"] = frame(
        [
            {
                "condition_group": group,
                "calendar_month": month,
                "months_observed": 1,
                "inpatient_admissions": 40,
                "expected_admissions": 33.3,
                "seasonal_index": index,
                "seasonal_index_low": index * 0.75,
                "seasonal_index_high": index * 1.3,
            }
            for group in ("cond_a", "cond_b")
            for month in range(1, 13)
            for index in [1.5 if group == "cond_a" and month in (6, 7, 8) else 0.85]
        ]
    )
    marts["kpi_satisfaction_by_department_month"] = frame(
        [
            {
                "department_name": name,
                "discharge_month": month,
                "surveys": 100,
                "mean_overall_rating": rating,
                "mean_overall_rating_low": rating - 0.3,
                "mean_overall_rating_high": rating + 0.3,
            }
            for name in ("North", "South")
            for month in MONTHS
            for rating in [7.0 if name == "North" and month.month >= 8 else 9.0]
        ]
    )
    marts["kpi_realism_scorecard"] = frame(
        [
            scorecard_row("a", 0.15, "inside", interval=(0.12, 0.18)),
            # the benchmark's population (1 year or older) has its own rate beside the hospital's 18%
            scorecard_row("readmission_rate_30d_all", 0.19, "inside", interval=(0.17, 0.21)),
        ]
    )
    marts["kpi_readmissions_by_month"] = frame(
        [
            rate_row({"discharge_month": month}, stays, readmissions)
            for month in MONTHS
            # March has one index stay, readmitted: too few to draw
            for stays, readmissions in [(1, 1) if month.month == 3 else (40, 4 + month.month)]
        ]
    )
    marts["kpi_chronic_condition_admissions_by_month"] = frame(
        [
            {"condition_group": group, "admission_month": month, "encounters": 30, "inpatient_admissions": 9}
            for group in ("cond_a", "cond_b")
            for month in MONTHS
        ]
    )
    marts["dim_date"] = frame([{"date_day": dt.date(2030, 1, 1)}, {"date_day": dt.date(2030, 12, 31)}])
    marts["kpi_readmissions_by_department_diagnosis"] = frame(
        [
            rate_row(
                {
                    "department_name": name,
                    "principal_icd10_code": code,
                    "principal_description": f"Made-up {code}",
                },
                stays,
                readmissions,
            )
            for name, code, stays, readmissions in (
                ("North", "N1.0", 120, 30),
                ("North", "N2.0", 60, 6),
                ("North", "N3.0", 4, 4),  # too few index stays: not drawn
                ("South", "S1.0", 90, 9),
                ("South", None, 40, 4),  # no valid principal diagnosis: not a diagnosis
            )
        ]
    )
    marts.update(hand_made_cells(marts))
    marts["kpi_dashboard_revenue_selections"] = frame(
        [
            {
                "period_months": period,
                "is_all_payers": payer is None,
                "payer_class": payer,
                "department_name": row["department_name"],
                "age_band": row["age_band"],
                "patients": row["patients"] if whole else row["patients"] // 2,
                "net_revenue_per_patient": row["net_revenue_per_patient"]
                * (1 if whole else 0.5 + period / 100),
                "net_revenue_per_patient_low": row["net_revenue_per_patient_low"] * (1 if whole else 0.4),
                "net_revenue_per_patient_high": row["net_revenue_per_patient_high"] * (1 if whole else 0.9),
            }
            for row in marts["kpi_revenue_by_department_age_band"].to_dict("records")
            for period in (0, 12, 6, 3)
            for payer in (None, "medicare")
            for whole in [period == 0 and payer is None]
        ]
        # one patient: a mean without an interval
        + [
            {
                "period_months": 3,
                "is_all_payers": False,
                "payer_class": "medicare",
                "department_name": "South",
                "age_band": "adult",
                "patients": 1,
                "net_revenue_per_patient": 4000.0,
                "net_revenue_per_patient_low": None,
                "net_revenue_per_patient_high": None,
            }
        ]
    )
    # The payer mix per selection: the whole rows are kpi_payer_mix's; the others made up (a
    # department, an age band, a period each scale the counts differently), and Senior Medicare
    # patients of the last 3 months in South have no self-pay payer (a gap, not a zero).
    payer_mix_rows = []
    for row in marts["kpi_payer_mix"].to_dict("records"):
        for period in (0, 12, 6, 3):
            for department in (None, "North", "South"):
                for band in (None, "senior"):
                    whole = period == 0 and department is None and band is None
                    gap = (period, department, band, row["payer_class"]) == (3, "South", "senior", "self_pay")
                    if gap:
                        continue
                    divisor = 1 if whole else 2 + period + 3 * (department == "South") + 5 * bool(band)
                    count = max(row["payer_class_count"] // divisor, 1)
                    total = row["basis_total"] // divisor
                    chosen = {
                        "period_months": period,
                        "is_all_departments": department is None,
                        "department_name": department,
                        "is_all_age_bands": band is None,
                        "age_band": band,
                    }
                    made_up = {
                        "payer_class_count": count,
                        "basis_total": total,
                        "share": count / total,
                        "share_low": count / total * 0.8,
                        "share_high": min(count / total * 1.2, 1.0),
                    }
                    payer_mix_rows.append({**row, **chosen, **({} if whole else made_up)})
    marts["kpi_dashboard_payer_mix_selections"] = frame(payer_mix_rows)
    return marts


def hand_made_cells(marts: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Filter cells for the hand-made marts: the department diagnoses' stays, all discharged in
    December by adult Medicare patients; the monthly volume and chronic admissions; 100 surveys a
    month per department with the monthly mean and a standard deviation of 1.5."""
    stays = marts["kpi_readmissions_by_department_diagnosis"]
    readmissions = frame(
        [
            {
                "discharge_month": dt.date(2030, 12, 1),
                "department_name": row.department_name,
                "payer_class": "medicare",
                "age_band": "adult",
                "principal_icd10_code": row.principal_icd10_code,
                **{f"index_stays_{w}d": row.index_stays_30d for w in (30, 60)},
                **{f"readmissions_{w}d": row.readmissions_30d for w in (30, 60)},
            }
            for row in stays.itertuples()
        ]
    )
    cell = {"payer_class": "medicare", "age_band": "adult"}
    encounters = frame(
        [
            {
                "admission_month": row.admission_month,
                "department_name": row.department_name,
                **cell,
                "condition_group": None,
                "encounters": row.encounters,
                "inpatient_admissions": 0,
            }
            for row in marts["kpi_department_monthly_volume"].itertuples()
        ]
        + [
            {
                "admission_month": row.admission_month,
                "department_name": "North",
                **cell,
                "condition_group": row.condition_group,
                "encounters": row.encounters,
                "inpatient_admissions": row.inpatient_admissions,
            }
            for row in marts["kpi_chronic_condition_admissions_by_month"].itertuples()
        ]
    )
    surveys = frame(
        [
            {
                "discharge_month": row.discharge_month,
                "department_name": row.department_name,
                **cell,
                "surveys": row.surveys,
                "overall_rating_sum": row.surveys * row.mean_overall_rating,
                "overall_rating_sum_of_squares": row.surveys * row.mean_overall_rating**2
                + (row.surveys - 1) * 1.5**2,
            }
            for row in marts["kpi_satisfaction_by_department_month"].itertuples()
        ]
    )
    return {
        "kpi_dashboard_readmission_cells": readmissions,
        "kpi_dashboard_encounter_cells": encounters,
        "kpi_dashboard_survey_cells": surveys,
    }


@pytest.mark.browser
def test_seasonality_and_change_charts_draw_intervals_in_chromium(tmp_path):
    """On marts with a known rise and a known change: one seasonality chart per condition
    group and a before/after chart for the change, each drawn with its error bars."""
    warehouse = write_warehouse(tmp_path / "a.duckdb", dashboard_marts("a"))
    page = tmp_path / "dashboard.html"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        charts = dashboard.write_dashboard(connection, page)
    assert charts == 11 + 2 + 1
    dom = rendered_dom(page.as_uri())
    rendered = re.split(r'<div[^>]*class="[^"]*\bjs-plotly-plot\b', dom)[1:]
    assert len(rendered) == charts
    seasonality = [chart for chart in rendered if "Seasonality of cond" in chart]
    assert len(seasonality) == 2
    assert "rise: Jun-Aug rate ratio 1.50 (1.30-1.70)" in seasonality[0]
    (change,) = [
        chart for chart in rendered if "North: mean overall rating before and from August 2030" in chart
    ]
    for chart in [*seasonality, change]:
        assert len(re.findall(r'class="yerror"', chart)) >= 12, "every month has its error bar"
    assert "mean 9.00 (700 surveys)" in change and "mean 7.00 (500 surveys)" in change
    shot = screenshot(page.as_uri(), tmp_path / "dashboard.png", size="1400,6000")
    assert shot.stat().st_size > 50_000


def varied_cells() -> dict[str, pd.DataFrame]:
    """Encounter and survey cells that differ by department, payer, age band and month (cond_a
    admitted more in North's summer), for checking the page's sums against pandas."""
    encounters, surveys = [], []
    for month in MONTHS:
        for d, department in enumerate(("North", "South")):
            for p, payer in enumerate(("medicare", "private")):
                for b, band in enumerate(("adult", "senior")):
                    key = {"department_name": department, "payer_class": payer, "age_band": band}
                    spread = month.month * 7 + d * 13 + p * 5 + b * 3
                    summer = 6 <= month.month <= 8 and department == "North"
                    for group, encounters_of, admitted in (
                        (None, 60 + spread % 23, 0),
                        ("cond_a", 10 + spread % 11, 4 + spread % 5 + 6 * summer),
                        ("cond_b", 8 + spread % 7, 2 + spread % 3),
                    ):
                        if group == "cond_b" and department == "South" and month.month == 3:
                            continue  # a group absent from a department's month
                        encounters.append(
                            {
                                "admission_month": month,
                                **key,
                                "condition_group": group,
                                "encounters": encounters_of,
                                "inpatient_admissions": admitted,
                            }
                        )
                    # one survey: a mean without an interval, not drawn
                    lone = (department, payer, band, month.month) == ("North", "private", "senior", 9)
                    count = 1 if lone else 5 + spread % 9
                    mean = 8.5 - 1.5 * (department == "North" and month.month >= 8) + 0.1 * (spread % 4)
                    surveys.append(
                        {
                            "discharge_month": month,
                            **key,
                            "surveys": count,
                            "overall_rating_sum": count * mean,
                            "overall_rating_sum_of_squares": count * mean**2 + (count - 1) * 1.2**2,
                        }
                    )
    return {"kpi_dashboard_encounter_cells": frame(encounters), "kpi_dashboard_survey_cells": frame(surveys)}


def selected(cells: pd.DataFrame, month_column: str, period_start: dt.date | None, **chosen) -> pd.DataFrame:
    keep = pd.Series(True, index=cells.index)
    if period_start:
        keep &= cells[month_column] >= period_start
    for column, value in chosen.items():
        keep &= cells[column] == value
    return cells[keep]


def seasonal_index_of(cells: pd.DataFrame, group: str) -> dict[int, tuple]:
    """kpi_condition_seasonality_by_month's index and admissions per calendar month, computed
    again here from cells: a department-month's encounters other than the group's spread the
    department's admissions of the group over its months."""
    rows = cells.assign(
        admitted=cells.inpatient_admissions.where(cells.condition_group == group, 0),
        other=cells.encounters.where(cells.condition_group != group, 0),
    )
    months = rows.groupby(["department_name", "admission_month"], as_index=False)[["other", "admitted"]].sum()
    department = months.groupby("department_name")[["other", "admitted"]].transform("sum")
    months["expected"] = (months.other / department.other * department.admitted).fillna(0)
    months["calendar_month"] = [month.month for month in months.admission_month]
    by_month = months.groupby("calendar_month")[["admitted", "expected"]].sum()
    return {
        number: (row.admitted / row.expected if row.expected > 0 else None, row.admitted)
        for number, row in by_month.iterrows()
    }


@pytest.mark.browser
def test_seasonality_and_change_charts_follow_every_filter_as_pandas_says(tmp_path):
    """The seasonal index and the satisfaction change in Chromium for chosen selections: each
    point is what pandas computes from the selection's cells (the index as the mart defines
    it; the monthly means and the means before and from the split month), a month outside the
    period or a department left out a gap; the title says the window's test is over all
    admissions."""
    marts = dashboard_marts("a")
    marts.update(varied_cells())
    warehouse = write_warehouse(tmp_path / "a.duckdb", marts)
    page = tmp_path / "dashboard.html"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        dashboard.write_dashboard(connection, page)
    addresses = {
        "department=North&payer=medicare": (None, {"department_name": "North", "payer_class": "medicare"}),
        "period=6&age_band=senior": (dt.date(2030, 7, 1), {"age_band": "senior"}),
        "department=South": (None, {"department_name": "South"}),
        "payer=private&age_band=senior": (None, {"payer_class": "private", "age_band": "senior"}),
    }
    charts, said = {}, {}
    with devtools_page(page.as_uri()) as browser:
        browser.wait_for("document.body.dataset.shown !== undefined")
        for address in [*addresses, "period=24", "department=Nowhere&period=24", ""]:
            browser.evaluate(f"location.hash = {address!r}")
            browser.wait_for(f"document.body.dataset.shown === {('#' + address) if address else ''!r}")
            charts[address] = browser.evaluate(CHARTS_NOW)
            if "period=24" in address:
                said[address] = browser.evaluate("document.getElementById('period-shown').textContent")
                assert browser.evaluate("document.getElementById('period').value") == ""
    # a period or department typed into the address that the menu does not offer: said so
    assert said == {
        "period=24": 'The address\'s period "24" is not one the menu offers: ignored. '
        "Charts show the whole period.",
        "department=Nowhere&period=24": 'The address\'s period "24" is not one the menu offers: ignored. '
        'The address\'s department "Nowhere" is not one the menu offers. Charts show the whole period.',
    }
    whole = charts.pop("")
    for chart, whole_chart in zip(charts.pop("period=24"), whole, strict=True):
        for old, new in zip(chart["traces"], whole_chart["traces"], strict=True):
            for field in ("x", "y", "customdata", "error"):
                assert same_numbers(old[field], new[field]), (chart["title"], field)
    # a misspelt department is applied as typed: no cell matches it, so no chart draws a value
    for chart in charts.pop("department=Nowhere&period=24"):
        if chart["kind"] in ("monthly_counts", "survey_means", "seasonal_index", "revenue_selection"):
            assert all(value in (None, 0) for trace in chart["traces"] for value in trace["y"]), chart[
                "title"
            ]
    encounters, surveys = marts["kpi_dashboard_encounter_cells"], marts["kpi_dashboard_survey_cells"]
    for address, (start, chosen) in addresses.items():
        by_title = {chart["title"]: chart for chart in charts[address]}
        for group in ("cond_a", "cond_b"):
            expected = seasonal_index_of(selected(encounters, "admission_month", start, **chosen), group)
            (title,) = [
                title for title in by_title if title.startswith(f"Seasonality of {group.replace('_', ' ')}")
            ]
            admissions = sum(admitted for _, admitted in expected.values())
            assert (
                f"({admissions:,.0f} admissions in the selection, each month against the selection's" in title
            )
            assert "<br>the season test over all admissions: rise: Jun-Aug" in title or group != "cond_a"
            (trace,) = by_title[title]["traces"]
            for name, index, custom in zip(trace["x"], trace["y"], trace["customdata"], strict=True):
                value, admitted = expected.get(MONTH_ABBREVIATIONS.index(name) + 1, (None, 0))
                assert index == (None if value is None else pytest.approx(value)), (address, group, name)
                assert custom[0] == admitted, (address, group, name)
            if start:
                assert trace["y"][:6] == [None] * 6, "months before the period are gaps"
        (change,) = [chart for title, chart in by_title.items() if title.startswith("North: mean overall")]
        assert "(all of its surveys: " in change["title"]
        points, before, after = change["traces"]
        rows = selected(
            selected(surveys, "discharge_month", start, **chosen),
            "discharge_month",
            None,
            department_name="North",
        )
        if rows.empty:
            assert set(points["y"]) == {None} and before["y"] == [] and after["y"] == []
            assert before["name"] == "no surveys before the split in the selection"
            continue
        monthly = rows.groupby("discharge_month")[["overall_rating_sum", "surveys"]].sum()
        for month, mean in zip(points["x"], points["y"], strict=True):
            month = dt.date.fromisoformat(month[:10])
            count = monthly.surveys.get(month, 0)
            expected = monthly.overall_rating_sum.get(month, 0) / count if count >= 2 else None
            assert mean == (None if expected is None else pytest.approx(expected)), (address, month)
        split = dt.date(2030, 8, 1)
        for side, part in (
            (before, rows[rows.discharge_month < split]),
            (after, rows[rows.discharge_month >= split]),
        ):
            mean = part.overall_rating_sum.sum() / part.surveys.sum()
            assert side["y"] == [pytest.approx(mean)] * 2, address
            assert side["name"] == f"mean {mean:.2f} ({part.surveys.sum():,} surveys)"
    lone = [
        mean
        for chart in charts["payer=private&age_band=senior"]
        if chart["title"].startswith("North: mean overall")
        for month, mean in zip(chart["traces"][0]["x"], chart["traces"][0]["y"], strict=True)
        if month.startswith("2030-09")
    ]
    assert lone == [None], "a month of one survey has no interval and is not drawn"


# --- make run's closing summary ----------------------------------------------------------


@pytest.mark.slow
def test_run_summary_names_the_published_reports_with_a_command_to_open_them(pipeline_run, capsys):
    from dagster_project.run_pipeline import followup_query, print_where
    from dagster_project.warehouse.release import published_release

    layout = published(pipeline_run)
    print_where(layout, published_release(layout))
    printed = capsys.readouterr().out
    reports = layout.published_reports_dir
    assert f"python3 -m webbrowser {(reports / 'dashboard.html').as_uri()}" in printed
    assert f"python3 -m webbrowser {(reports / 'executive_summary.html').as_uri()}" in printed
    assert f"data through {published_release(layout)['end_date']}" in printed
    command = followup_query(layout)
    assert f"Follow-up list:     marts.fct_readmission_followup_list in the warehouse: {command}" in printed
    # the printed command runs and shows the list's top, highest risk first
    shown = subprocess.run(shlex.split(command), capture_output=True, text=True, check=True).stdout
    assert "risk_rank" in shown and "predicted_risk_30d" in shown


def test_readmission_charts_draw_no_rate_of_too_few_stays_and_no_missing_rate_as_zero():
    """A 1-of-1 cell is not drawn as 100%; a missing rate is a gap, not 0."""
    rows = [
        rate_row({"department_name": "Tiny"}, 1, 1),
        rate_row({"department_name": "Big"}, 200, 30),
        {**rate_row({"department_name": "Open"}, 100, 0), "readmission_rate_60d": None},
    ]
    figure = dashboard.readmissions_by_department(rows)
    thirty, sixty = figure.data
    by_label = dict(zip(thirty.x, thirty.y, strict=True))
    assert by_label["Big<br>n=200"] == pytest.approx(15.0)
    assert by_label["Tiny<br>n=1 (too few)"] is None
    assert dict(zip(sixty.x, sixty.y, strict=True))["Open<br>n=100"] is None
    empty = dashboard.readmissions_by_department([rate_row({"department_name": "Tiny"}, 3, 2)])
    assert "Nothing to draw yet: no department has 25 index stays" in empty.layout.annotations[0].text


def test_dashboard_labels_diagnoses_and_payers_for_people():
    marts = dashboard_marts("a")
    figures = dashboard.build_figures({name: table.to_dict("records") for name, table in marts.items()})
    payer = next(figure for figure in figures if figure.layout.title.text.startswith("Payer mix"))
    assert set(payer.data[0].x) == {"Medicare", "Private insurance", "Self-pay (uninsured)"}
    diagnosis = next(figure for figure in figures if "principal diagnosis" in figure.layout.title.text)
    assert any("X1.0 Made-up X1.0<br>adult (18-64)" in label for label in diagnosis.data[0].x)


@pytest.mark.browser
def test_dashboard_tiles_and_period_filter_in_chromium(tmp_path):
    """The data-through date and the headline tiles (value, counts, interval, benchmark) as the
    marts hold them; choosing the last 3 months (kept in the address, as the period menu sets
    it) narrows every chart over months to October-December and says so."""
    warehouse = write_warehouse(tmp_path / "a.duckdb", dashboard_marts("a"))
    page = tmp_path / "dashboard.html"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        dashboard.write_dashboard(connection, page)
    whole = rendered_dom(page.as_uri())
    assert "Data through 2030-12-31" in whole
    assert whole.count('<div class="tile">') == 3, "encounters, readmissions, uninsured (no other benchmark)"
    assert re.search(
        r'tile-name">30-day readmission rate</div><div class="tile-value">18.0%</div>'
        r'<div class="tile-detail">90 of 500 index stays, 95% CI 16.0-20.0%</div>'
        r'<div class="tile-benchmark"[^>]*>US benchmark 15.0%, range 10.0-20.0% '
        r'for patients 1 year or older, here 19.0%, 95% CI 17.0-21.0%</div><svg class="trend"',
        whole,
    ), "the readmission tile: value, counts, interval, benchmark and its monthly trend"
    assert "Charts show the whole period." in whole

    filtered = rendered_dom(page.as_uri() + "#period=3&department=South")
    assert "Charts show 2030-10-01 to 2030-12-31." in filtered
    (drill,) = [
        re.split(r'<div class="(?:chart|period-filtered|drill-source)">', chunk)[0]
        for chunk in filtered.split('<div class="drill-down">')[1:]
    ]
    assert "South: 30- and 60-day readmission rate by principal diagnosis" in drill
    ticks = re.findall(r'<g class="xtick"><text[^>]*>(?:<tspan[^>]*>)?([A-Z]\d\.\d)', drill)
    assert ticks == ["S1.0"], "the drill-down shows South's diagnoses only"
    assert "Diagnoses of South below." in filtered
    for dom, months in ((whole, {"Jan", "Apr", "Jul"}), (filtered, {"Oct", "Nov", "Dec"})):
        for chunk in re.split(r'<div class="period-filtered">', dom)[1:]:
            chart = chunk.split('<div class="chart">')[0]
            ticks = re.findall(r'<g class="xtick"><text[^>]*>(?:<tspan[^>]*>)?([A-Z][a-z]{2})', chart)
            assert ticks and set(ticks) <= set(MONTH_ABBREVIATIONS)
            if months == {"Oct", "Nov", "Dec"}:
                assert set(ticks) <= {"Sep", "Oct", "Nov", "Dec", "Jan"}, ticks
            else:
                assert {"Jan", "Jul"} <= set(ticks) or {"Apr", "Jul"} <= set(ticks), ticks
    # the readmission trend, monthly volume, chronic admissions and the satisfaction change
    assert len(re.split(r'<div class="period-filtered">', filtered)) - 1 == 4


# Every chart's traces as the page holds them now (typed arrays as lists), for comparing views.
CHARTS_NOW = """
Array.from(document.querySelectorAll(".js-plotly-plot"), (chart) => ({
  title: chart.layout.title.text,
  kind: chart.layout.meta && chart.layout.meta.filter ? chart.layout.meta.filter.kind : null,
  traces: chart.data.map((trace) => ({
    name: trace.name === undefined ? null : trace.name,
    x: trace.x ? Array.from(trace.x) : null,
    y: trace.y ? Array.from(trace.y) : null,
    customdata: trace.customdata
      ? Array.from(trace.customdata, (c) => (c && typeof c === "object" ? Array.from(c) : c))
      : null,
    error: trace.error_y && trace.error_y.array ? Array.from(trace.error_y.array) : null,
  })),
}))
"""


def wilson(k: int, n: int) -> tuple[float, float]:
    """The Wilson score interval of the marts (dbt/macros/statistics.sql), computed here again."""
    z, p = 1.96, k / n
    centre, half = p + z * z / (2 * n), z * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    return max(0.0, (centre - half) / (1 + z * z / n)), min(1.0, (centre + half) / (1 + z * z / n))


def same_numbers(left, right) -> bool:
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(same_numbers(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, float | int) and isinstance(right, float | int):
        return left == pytest.approx(right, rel=1e-9, abs=1e-9)
    return left == right


@pytest.mark.slow
@pytest.mark.browser
def test_a_payer_chosen_in_the_menu_redraws_every_following_chart_as_the_warehouse_says(pipeline_run):
    """A real key press on the payer menu of the published dashboard: the address keeps the
    payer, and each chart that follows the filters shows what a query of the warehouse gives
    for that payer (readmission counts, rates and Wilson intervals by department, encounters by
    department and month, mean ratings by department, the follow-up list, revenue per patient,
    the payer's shares of patients and encounters); clearing it again gives back the marts'
    figures the page opened with."""
    layout = published(pipeline_run)
    page = layout.published_reports_dir / "dashboard.html"
    with devtools_page(page.as_uri()) as browser:
        browser.wait_for("document.body.dataset.shown !== undefined")
        opened = browser.evaluate(CHARTS_NOW)
        browser.evaluate("document.getElementById('filter-payer').focus()")
        browser.press("ArrowDown", 40)
        browser.wait_for("document.body.dataset.shown.includes('payer=')")
        payer = browser.evaluate("document.getElementById('filter-payer').value")
        assert browser.evaluate("location.hash") == f"#payer={payer}"
        filtered = browser.evaluate(CHARTS_NOW)
        followup_filtered = browser.evaluate(FOLLOWUP_NOW)
        browser.press("ArrowUp", 38)
        browser.wait_for("!document.body.dataset.shown.includes('payer=')")
        cleared = browser.evaluate(CHARTS_NOW)
    following = [chart for chart in opened if chart["kind"]]
    with duckdb.connect(str(layout.published_warehouse), read_only=True) as connection:
        groups = [
            row[0]
            for row in connection.execute(
                "select condition_group from marts.kpi_condition_seasonality_by_month "
                "group by all having sum(inpatient_admissions) > 0"
            ).fetchall()
        ]
        changes = connection.execute(
            "select department_name, split_month from marts.kpi_satisfaction_change_points "
            "where is_change_point"
        ).fetchall()
    assert groups, "the small scenario admits patients with chronic conditions"
    assert {chart["kind"] for chart in following} == {
        "readmission_months",
        "readmission_groups",
        "readmission_drill",
        "monthly_counts",
        "seasonal_index",
        "survey_means",
        *(["survey_change"] if changes else []),
        "followup_rows",
        "revenue_selection",
        "payer_mix_selection",
    }
    assert [chart["title"] for chart in opened if not chart["kind"]] == [
        "Realism scorecard: each measure in its public reference range (shaded), with its 95% interval"
    ]
    for before, after in zip(opened, cleared, strict=True):
        assert before["title"] == after["title"]
        for old, new in zip(before["traces"], after["traces"], strict=True):
            for field in ("x", "y", "customdata", "error"):
                assert same_numbers(old[field], new[field]), (before["title"], old["name"], field)

    by_title = {chart["title"]: chart for chart in filtered}
    department_chart = next(chart for title, chart in by_title.items() if "rate by department" in title)
    with duckdb.connect(str(layout.published_warehouse), read_only=True) as connection:
        payers = {
            row[0]
            for row in connection.execute("select distinct payer_class from marts.fct_encounters").fetchall()
        }
        stays = {
            row[0]: row[1:]
            for row in connection.execute(
                "select department_name, count_if(is_index_30d), count_if(is_readmitted_30d) "
                "from marts.fct_readmissions where payer_class = ? and discharge_month is not null "
                "group by department_name",
                [payer],
            ).fetchall()
        }
        encounters = dict(
            connection.execute(
                "select department_name || ' ' || strftime(admission_month, '%Y-%m-%d'), count(*) "
                "from marts.fct_encounters where is_reportable and payer_class = ? group by all",
                [payer],
            ).fetchall()
        )
        ratings = {
            row[0]: row[1:]
            for row in connection.execute(
                "select surveys.department_name, count(*), avg(surveys.overall_rating), "
                "stddev_samp(surveys.overall_rating) from marts.fct_satisfaction_surveys as surveys "
                "join marts.fct_encounters as encounters using (encounter_id) "
                "where encounters.payer_class = ? group by all",
                [payer],
            ).fetchall()
        }
        followup_title, followup_ranks, followup_ids = followup_expected(
            connection, "payer_class = ?", (payer,)
        )
        revenue = {
            (department, band): (patients, per_patient)
            for department, band, patients, per_patient in connection.execute(
                "select department_name, age_band, count(distinct patient_id), "
                "sum(net_revenue) / count(distinct patient_id) from marts.fct_encounters "
                "where is_reportable and payer_class = ? group by all",
                [payer],
            ).fetchall()
        }
        payer_shares = dict(
            connection.execute(
                "with latest as (select patient_id, "
                "arg_max(payer_class, (admitted_at, encounter_id)) as payer "
                "from marts.fct_encounters where is_reportable group by patient_id) "
                "select 'patients', count_if(payer = ?) / count(*) from latest "
                "union all select 'encounters', count_if(payer_class = ?) / count(*) "
                "from marts.fct_encounters where is_reportable",
                [payer, payer],
            ).fetchall()
        )
    payer_mix = next(chart for title, chart in by_title.items() if title.startswith("Payer mix"))
    for trace in payer_mix["traces"]:
        basis = trace["name"].split()[-1]
        shown = {name: share for name, share in zip(trace["x"], trace["y"], strict=True) if share is not None}
        assert shown == {dashboard.payer_name(payer): pytest.approx(100 * payer_shares[basis])}, basis
    assert followup_filtered["title"] == followup_title
    assert (
        followup_filtered["columns"][0] == followup_ranks and followup_filtered["columns"][1] == followup_ids
    )
    thirty = department_chart["traces"][0]
    assert thirty["name"] == "30-day rate"
    for label, rate, (readmitted, index_stays), error in zip(
        thirty["x"], thirty["y"], thirty["customdata"], thirty["error"], strict=True
    ):
        department = label.split("<br>")[0]
        expected_stays, expected_readmitted = stays.get(department, (0, 0))
        assert (index_stays, readmitted) == (expected_stays, expected_readmitted), department
        assert f"n={expected_stays:,}" in label
        if expected_stays < sample_sizes.MIN_INDEX_STAYS:
            assert rate is None and "(too few)" in label, "no rate of too few stays, and no zero"
        else:
            assert rate == pytest.approx(100 * expected_readmitted / expected_stays)
            assert error == pytest.approx(100 * (wilson(expected_readmitted, expected_stays)[1] - rate / 100))

    volume = next(chart for title, chart in by_title.items() if title.startswith("Monthly encounters"))
    drawn = 0
    for trace in volume["traces"]:
        department = trace["name"].removesuffix(" peak")
        for month, count in zip(trace["x"], trace["y"], strict=True):
            assert count == encounters.get(f"{department} {month[:10]}", 0), (department, month)
            drawn += count
    assert drawn > 0, "the payer has encounters to draw"

    satisfaction = next(
        chart for title, chart in by_title.items() if title.startswith("Mean overall rating by")
    )
    (means,) = satisfaction["traces"]
    for label, mean in zip(means["x"], means["y"], strict=True):
        department = label.split("<br>")[0]
        surveys, expected_mean, _ = ratings.get(department, (0, None, None))
        assert f"n={surveys:,}" in label
        assert mean == (pytest.approx(expected_mean) if surveys >= dashboard.MIN_SURVEYS else None)

    revenue_chart = next(
        chart for title, chart in by_title.items() if title.startswith("Net revenue per patient")
    )
    for trace in revenue_chart["traces"]:
        for department, per_patient, patients in zip(
            trace["x"], trace["y"], trace["customdata"], strict=True
        ):
            expected_patients, expected = revenue.get((department, trace["name"]), (0, None))
            assert patients == expected_patients, (department, trace["name"])
            assert per_patient == (None if expected is None else pytest.approx(float(expected))), department

    with duckdb.connect(str(layout.published_warehouse), read_only=True) as connection:
        for group in groups:
            (seasonality,) = [
                chart
                for title, chart in by_title.items()
                if title.startswith(f"Seasonality of {group.replace('_', ' ')} inpatient")
            ]
            cells = connection.execute(
                "select department_name, admission_month, principal_condition_group as condition_group, "
                "count(*) as encounters, count_if(encounter_class = 'inpatient') as inpatient_admissions "
                "from marts.fct_encounters where is_reportable and payer_class = ? group by all",
                [payer],
            ).df()
            expected = seasonal_index_of(cells, group)
            (trace,) = seasonality["traces"]
            for name, index, custom in zip(trace["x"], trace["y"], trace["customdata"], strict=True):
                value, admitted = expected.get(MONTH_ABBREVIATIONS.index(name) + 1, (None, 0))
                assert index == (None if value is None else pytest.approx(value)), (group, name)
                assert custom[0] == admitted, (group, name)
        for department, split in changes:
            (change,) = [
                chart for title, chart in by_title.items() if title.startswith(f"{department}: mean")
            ]
            surveys = (
                "select count(*), avg(surveys.overall_rating) from marts.fct_satisfaction_surveys as surveys "
                "join marts.fct_encounters as encounters using (encounter_id) "
                "where encounters.payer_class = ? and surveys.department_name = ? and {where}"
            )
            points, *sides = change["traces"]
            for month, mean in zip(points["x"], points["y"], strict=True):
                count, expected_mean = connection.execute(
                    surveys.format(where="surveys.discharge_month = ?"), [payer, department, month[:10]]
                ).fetchone()
                # a mean of fewer than 2 surveys has no interval and is not drawn
                assert mean == (pytest.approx(expected_mean) if count >= dashboard.MIN_SURVEYS else None), (
                    month
                )
            for side, before in zip(sides, (True, False), strict=True):
                count, expected_mean = connection.execute(
                    surveys.format(where="(surveys.discharge_month < ?) = ?"),
                    [payer, department, split, before],
                ).fetchone()
                drawn = [pytest.approx(expected_mean) if count >= dashboard.MIN_SURVEYS else None] * 2
                assert side["y"] == (drawn if count else []), (department, before)

    assert payer in payers, "the menu offers the warehouse's payer classes"
    changed = [
        chart["title"]
        for chart, before in zip(filtered, opened, strict=True)
        if chart["kind"]
        and not all(
            same_numbers(a["y"], b["y"]) for a, b in zip(chart["traces"], before["traces"], strict=True)
        )
    ]
    assert volume["title"] in changed and satisfaction["title"] in changed, (
        "one payer is not the whole hospital"
    )
    shot = screenshot(
        page.as_uri() + f"#payer={payer}&period=12",
        pipeline_run["data_dir"] / "screenshots" / "dashboard_filtered.png",
        size="1400,3600",
    )
    assert shot.stat().st_size > 50_000


def test_every_chart_follows_the_filters_or_says_why_not():
    """Each figure of the dashboard either carries what the filter script sums (cells that
    exist, groups with labels) or a note saying it does not follow the filters and why."""
    marts = {name: table.to_dict("records") for name, table in dashboard_marts("a").items()}
    figures = dashboard.build_figures(marts)
    cells = dashboard_cells.cells_json(marts)
    for figure in figures:
        meta = figure.layout.meta or {}
        assert ("filter" in meta) != ("filter_note" in meta), figure.layout.title.text
        if "filter_note" in meta:
            assert (
                meta["filter_note"].startswith("Does not follow the filters: ")
                and len(meta["filter_note"]) > 60
            )
        elif meta["filter"].get("groups"):
            groups = meta["filter"]["groups"]
            for group in groups.values() if isinstance(groups, dict) else [groups]:
                for item in group:
                    assert item["label"] and item["match"]
                    assert all(f'"{column}"' in cells for column in item["match"])
        elif meta["filter"]["kind"] == "monthly_counts":
            assert len(meta["filter"]["traces"]) == len(figure.data), "one count per trace"
        elif meta["filter"]["kind"].endswith("_selection"):
            spec = meta["filter"]
            assert spec["rows"] and all(len(row) == len(spec["columns"]) for row in spec["rows"])
            assert {"period_months", "department_name", "age_band"} <= set(spec["columns"])
        elif meta["filter"]["kind"] == "seasonal_index":
            spec = meta["filter"]
            assert [calendar.month_abbr[number] for number in spec["calendar_months"]] == list(
                figure.data[0].x
            )
            assert f'"{spec["group"]}"' in cells and "{admissions}" in spec["titles"]["selection"]
        elif meta["filter"]["kind"] == "survey_change":
            spec = meta["filter"]
            assert f'"{spec["department"]}"' in cells and spec["split"] in cells
    followed = [figure.layout.title.text for figure in figures if "filter" in (figure.layout.meta or {})]
    # readmissions x5, volume, chronic admissions, seasonality x2, ratings, change x1, payer mix, revenue
    assert len(followed) == 13, followed
    assert [figure.layout.title.text for figure in figures if "filter" not in figure.layout.meta] == [
        "Realism scorecard: each measure in its public reference range (shaded), with its 95% interval"
    ], "only the scorecard, hospital-wide by design, does not follow the filters"


def followup_stays(count: int = 90) -> pd.DataFrame:
    """A made-up follow-up list: stays in two departments, two payers and two age bands,
    discharged August to December 2030, ranked by a risk that does not follow any of them."""
    risks = sorted(((number * 37) % 101 / 101 for number in range(count)), reverse=True)
    return frame(
        [
            {
                "risk_rank": rank,
                "stay_id": f"S{(rank * 7919) % 100_000:05d}",
                "discharge_date": dt.date(2030, 8 + rank % 5, 1 + rank % 28),
                "department_name": ("North", "South")[rank % 2],
                "payer_class": ("medicare", "self_pay")[rank % 3 == 0],
                "age_band": ("adult", "senior")[rank % 7 < 3],
                "predicted_risk_30d": risk,
                "risk_band": "high" if risk > 0.5 else "low",
                "top_factors": "made-up factor",
            }
            for rank, risk in enumerate(risks, start=1)
        ]
    )


def test_followup_table_embeds_the_riskiest_stays_of_each_filter_cell_and_counts_all():
    listed = followup_stays().to_dict("records")
    figure = dashboard.followup_list_table(listed, shown=3)
    spec = figure.layout.meta["filter"]
    assert spec["kind"] == "followup_rows" and spec["match"] == list(dashboard.FOLLOWUP_MATCH)
    assert sum(cell["stays"] for cell in spec["counts"]) == len(listed)
    cells: dict = {}
    for stay in listed:
        cells.setdefault(
            (
                stay["department_name"],
                stay["payer_class"],
                stay["age_band"],
                stay["discharge_date"].replace(day=1),
            ),
            [],
        ).append(stay["risk_rank"])
    expected = sorted(rank for ranks in cells.values() for rank in sorted(ranks)[:3])
    embedded = [stay["cells"][0] for stay in spec["stays"]]
    assert embedded == expected, "the riskiest 3 of each cell, riskiest first, and nothing else"
    assert len(embedded) < len(listed), "a cell of more than 3 stays is cut"
    (table,) = figure.data
    assert list(table.cells.values[0]) == [1, 2, 3]
    assert "Self-pay (uninsured)" in {stay["cells"][4] for stay in spec["stays"]}, "payers by name"
    assert (
        figure.layout.title.text
        == f"Readmission follow-up list: the 3 riskiest of {len(listed)} recent discharges"
    )


@pytest.mark.browser
def test_revenue_per_patient_follows_every_filter_as_the_warehouse_says(tmp_path):
    """Revenue per patient in Chromium for a period, payer and department chosen in the page
    address: each bar is the mart's row for that selection (distinct patients, so not summed
    in the page), the other department a gap; a single patient's mean has no error bar; cleared,
    the whole period's figures again."""
    warehouse = write_warehouse(tmp_path / "a.duckdb", dashboard_marts("a"))
    page = tmp_path / "dashboard.html"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        dashboard.write_dashboard(connection, page)
        chosen = {
            (department, band): (mean, high, patients)
            for department, band, mean, high, patients in connection.execute(
                "select department_name, age_band, net_revenue_per_patient, net_revenue_per_patient_high, "
                "patients from marts.kpi_dashboard_revenue_selections "
                "where period_months = 3 and payer_class = 'medicare'"
            ).fetchall()
        }
        whole = {
            (department, band): mean
            for department, band, mean in connection.execute(
                "select department_name, age_band, net_revenue_per_patient "
                "from marts.kpi_revenue_by_department_age_band"
            ).fetchall()
        }
    charts = {}
    with devtools_page(page.as_uri()) as browser:
        browser.wait_for("document.body.dataset.shown !== undefined")
        for address in ("period=3&payer=medicare&department=South", ""):
            browser.evaluate(f"location.hash = {address!r}")
            browser.wait_for(f"document.body.dataset.shown === {('#' + address) if address else ''!r}")
            (charts[address],) = [
                chart
                for chart in browser.evaluate(CHARTS_NOW)
                if chart["title"].startswith("Net revenue per patient")
            ]
    for address, expected in (("period=3&payer=medicare&department=South", chosen), ("", whole)):
        drawn = 0
        for trace in charts[address]["traces"]:
            for department, mean, patients, error in zip(
                trace["x"], trace["y"], trace["customdata"], trace["error"], strict=True
            ):
                row = expected.get((department, trace["name"]))
                if address and department != "South" or row is None:
                    assert mean is None, (address, department, trace["name"])
                    continue
                drawn += 1
                if address:
                    assert (mean, patients) == (pytest.approx(row[0]), row[2])
                    assert error == (None if row[1] is None else pytest.approx(row[1] - row[0]))
                else:
                    assert mean == pytest.approx(row)
        assert drawn == (2 if address else 3), address


@pytest.mark.browser
def test_payer_mix_follows_every_filter_as_the_warehouse_says(tmp_path):
    """The payer mix in Chromium for a period, department and age band (and then a payer)
    chosen in the page address: each bar is the mart's row for that selection (distinct
    patients and clustered encounters, so not summed in the page) with its count, interval
    and total in the legend; a payer without a row there, or not chosen, is a gap; cleared,
    kpi_payer_mix again."""
    warehouse = write_warehouse(tmp_path / "a.duckdb", dashboard_marts("a"))
    page = tmp_path / "dashboard.html"
    query = (
        "select basis, payer_class, share, share_high, payer_class_count, basis_total from marts.{table} "
        "where {where}"
    )
    selection = "period_months = 3 and department_name = 'South' and age_band = 'senior'"
    chosen = "period=3&department=South&age_band=senior"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        dashboard.write_dashboard(connection, page)
        expected = {
            address: {
                (basis, payer): (share, high, count, total)
                for basis, payer, share, high, count, total in connection.execute(
                    query.format(table=table, where=where)
                ).fetchall()
            }
            for address, table, where in (
                (chosen, "kpi_dashboard_payer_mix_selections", selection),
                (
                    chosen + "&payer=medicare",
                    "kpi_dashboard_payer_mix_selections",
                    selection + " and payer_class = 'medicare'",
                ),
                ("", "kpi_payer_mix", "true"),
            )
        }
    classes = {dashboard.payer_name(payer): payer for _, payer in expected[""]}
    assert ("patients", "self_pay") not in expected[chosen], "a payer without patients there: a gap"
    charts = {}
    with devtools_page(page.as_uri()) as browser:
        browser.wait_for("document.body.dataset.shown !== undefined")
        for address in expected:
            browser.evaluate(f"location.hash = {address!r}")
            browser.wait_for(f"document.body.dataset.shown === {('#' + address) if address else ''!r}")
            (charts[address],) = [
                chart for chart in browser.evaluate(CHARTS_NOW) if chart["title"].startswith("Payer mix")
            ]
    for address, rows in expected.items():
        drawn = 0
        for trace in charts[address]["traces"]:
            basis = trace["name"].split()[-1]
            totals = {total for (row_basis, _), (*_, total) in rows.items() if row_basis == basis}
            assert trace["name"] == f"share of {totals.pop():,} {basis}", address
            for name, share, count, error in zip(
                trace["x"], trace["y"], trace["customdata"], trace["error"], strict=True
            ):
                row = rows.get((basis, classes[name]))
                if row is None:
                    assert share is None, (address, basis, name)
                    continue
                drawn += 1
                assert (share, count) == (pytest.approx(row[0] * 100), row[2]), (address, basis, name)
                assert error == pytest.approx((row[1] - row[0]) * 100), (address, basis, name)
        assert drawn == len(rows), address


@pytest.mark.slow
def test_payer_mix_selections_equal_a_computation_from_the_encounters(pipeline_run):
    """Each payer mix selection of the last 3 months in one department and age band, from the
    published warehouse, equals what its reportable encounters give when computed here: each
    patient's payer by their latest encounter in the selection (Wilson interval), the share of
    encounters with patients as clusters (n / (n - 1) * sum (y_i - share * m_i)^2 / M^2)."""
    layout = published(pipeline_run)
    with duckdb.connect(str(layout.published_warehouse), read_only=True) as connection:
        encounters = connection.execute(
            "select patient_id, department_name, age_band, admission_month, admitted_at, encounter_id, "
            "payer_class from marts.fct_encounters where is_reportable"
        ).df()
        through = connection.execute("select max(date_day) from marts.dim_date").fetchone()[0]
        marts = connection.execute(
            "select * from marts.kpi_dashboard_payer_mix_selections where period_months = 3 "
            "and not is_all_departments and not is_all_age_bands"
        ).df()
    start = pd.Timestamp(through).to_period("M").start_time - pd.DateOffset(months=2)
    recent = encounters[pd.to_datetime(encounters["admission_month"]) >= start]
    checked = 0
    for (department, band), chosen in recent.groupby(["department_name", "age_band"]):
        rows = marts[(marts["department_name"] == department) & (marts["age_band"] == band)]
        latest = chosen.sort_values(["admitted_at", "encounter_id"]).groupby("patient_id").tail(1)
        patients = latest["payer_class"].value_counts()
        per_patient = chosen.groupby(["patient_id", "payer_class"]).size().unstack(fill_value=0)
        all_encounters, clusters = per_patient.to_numpy().sum(), len(per_patient)
        for payer, count in patients.items():
            (row,) = rows[(rows["basis"] == "patients") & (rows["payer_class"] == payer)].to_dict("records")
            assert (row["payer_class_count"], row["basis_total"]) == (count, len(latest)), (department, band)
            assert (row["share_low"], row["share_high"]) == pytest.approx(wilson(count, len(latest)))
        for payer in per_patient.columns:
            (row,) = rows[(rows["basis"] == "encounters") & (rows["payer_class"] == payer)].to_dict("records")
            in_class = per_patient[payer]
            share = in_class.sum() / all_encounters
            assert (row["payer_class_count"], row["share"]) == (in_class.sum(), pytest.approx(share))
            checked += 1
            if clusters == 1:
                assert pd.isna(row["share_high"]), "a single patient's encounters: no interval"
                continue
            squares = ((in_class - share * per_patient.sum(axis=1)) ** 2).sum()
            variance = clusters / (clusters - 1) * squares / all_encounters**2
            expected_high = min(share + 1.96 * variance**0.5, 1.0)
            assert row["share_high"] == pytest.approx(expected_high), (department, payer)
        assert len(rows) == len(patients) + len(per_patient.columns), "no row the encounters do not give"
    assert checked > 10, "the last 3 months hold encounters of several departments and payers"


def test_the_period_menu_offers_the_periods_the_revenue_selections_hold():
    """The dashboard's period menu and the dbt var the kpi_dashboard_*_selections marts build
    their periods from name the same months, so every period has its rows."""
    import yaml

    from tests.support.paths import REPO_ROOT

    project = yaml.safe_load((REPO_ROOT / "dbt" / "dbt_project.yml").read_text())
    offered = sorted(int(months) for months, _ in dashboard.PERIODS if months)
    assert offered == sorted(project["vars"]["dashboard_period_months"])


# The follow-up table as the page holds it now: its title and its columns.
FOLLOWUP_NOW = """
(() => {
  const chart = Array.from(document.querySelectorAll(".js-plotly-plot")).find(
    (plot) => ((plot.layout.meta || {}).filter || {}).kind === "followup_rows");
  const columns = chart.data[0].cells.values.map((column) => Array.from(column));
  return { title: chart.layout.title.text, columns };
})()
"""


def followup_expected(connection, where: str = "true", parameters: tuple = ()) -> tuple[str, list, list]:
    """The follow-up list of a selection as the warehouse gives it: the table's title, and the
    ranks and stay ids of its riskiest 25 stays."""
    (stays,) = connection.execute(
        f"select count(*) from marts.fct_readmission_followup_list where {where}", parameters
    ).fetchone()
    top = connection.execute(
        f"select risk_rank, stay_id from marts.fct_readmission_followup_list where {where} "
        "order by risk_rank limit 25",
        parameters,
    ).fetchall()
    title = f"Readmission follow-up list: the {len(top)} riskiest of {stays:,} recent discharges"
    return title, [rank for rank, _ in top], [stay_id for _, stay_id in top]


@pytest.mark.browser
def test_followup_table_follows_every_filter_as_the_warehouse_says(tmp_path):
    """The follow-up list's table in Chromium, for a department and payer, and for a period and
    age band chosen in the page address: the riskiest 25 stays of the selection and its number
    of stays, as a query of the warehouse's follow-up list gives them; cleared, the whole list."""
    marts = {**dashboard_marts("a"), "fct_readmission_followup_list": followup_stays()}
    warehouse = write_warehouse(tmp_path / "a.duckdb", marts)
    page = tmp_path / "dashboard.html"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        listed = read_marts(connection, ("fct_readmission_followup_list",))["fct_readmission_followup_list"]
        dashboard.write_dashboard(connection, page, [dashboard.followup_list_table(listed)])
        selections = {
            "": followup_expected(connection),
            "department=South&payer=self_pay": followup_expected(
                connection, "department_name = ? and payer_class = ?", ("South", "self_pay")
            ),
            "period=3&age_band=adult": followup_expected(
                connection, "discharge_date >= date '2030-10-01' and age_band = ?", ("adult",)
            ),
        }
    seen = {}
    with devtools_page(page.as_uri()) as browser:
        browser.wait_for("document.body.dataset.shown !== undefined")
        for address in ("department=South&payer=self_pay", "period=3&age_band=adult", ""):
            browser.evaluate(f"location.hash = {address!r}")
            browser.wait_for(f"document.body.dataset.shown === {('#' + address) if address else ''!r}")
            seen[address] = browser.evaluate(FOLLOWUP_NOW)
    for address, (title, ranks, stay_ids) in selections.items():
        assert seen[address]["title"] == title, address
        assert seen[address]["columns"][0] == ranks and seen[address]["columns"][1] == stay_ids, address
    assert len(selections[""][1]) == 25, "the whole list has more stays than the table shows"
    assert len({title for title, _, _ in selections.values()}) == 3, "three selections of different sizes"


def test_filter_cells_are_compact_json_that_cannot_close_their_script():
    marts = {name: table.to_dict("records") for name, table in dashboard_marts("a").items()}
    marts["kpi_dashboard_encounter_cells"][0]["department_name"] = "</script><b>"
    text = dashboard_cells.cells_json(marts)
    assert "</script>" not in text and ", " not in text
    import json

    tables = json.loads(text)
    assert tables["readmissions"]["columns"][0] == "discharge_month"
    assert tables["readmissions"]["rows"][0][0] == "2030-12-01", "months as ISO dates"
    assert tables["encounters"]["rows"][0][1] == "</script><b>"
    values = dashboard_cells.filter_values(marts)
    assert values["payer"] == ["medicare"] and values["age_band"] == ["adult"]
    assert "North" in values["department"] and "South" in values["department"]


MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def test_run_ends_with_the_headline_kpis_of_the_published_release(tmp_path, capsys):
    """emr-run's closing lines: each headline KPI with its counts, interval and benchmark, read
    from the published warehouse; plain text."""
    from dagster_project.run_pipeline import print_headline

    layout = DataLayout(tmp_path / "data")
    layout.published_warehouse.parent.mkdir(parents=True)
    write_warehouse(layout.published_warehouse, dashboard_marts("b"))
    print_headline(layout)
    printed = capsys.readouterr().out
    assert "Headline KPIs (data through 2030-12-31)" in printed
    assert (
        "  30-day readmission rate: 18.0% (90 of 500 index stays, 95% CI 16.0-20.0%; "
        "US benchmark 15.0%, range 10.0-20.0% for patients 1 year or older, here 19.0%, 95% CI 17.0-21.0%)"
        in printed
    )
    assert "  Uninsured patients: 22.0% (220 of 1,000 patients, 95% CI 20.0-24.0%" in printed
    assert "  Encounters: 1,200" in printed
    assert "\x1b[" not in printed


def test_summary_reports_no_department_rate_from_too_few_stays(tmp_path):
    """A department of 3 index stays is not ranked (a 2-of-3 is not a 67% rate); with none
    large enough the summary says so and recommends nothing for departments."""
    marts = hand_made_marts("a")
    marts["kpi_readmissions_by_department"] = frame(
        [rate_row({"department_name": "Tiny"}, 3, 2), rate_row({"department_name": "Small"}, 20, 1)]
    )
    text = build_summary(write_warehouse(tmp_path / "few.duckdb", marts)).markdown
    assert "No department has 25 index stays yet" in text and "Tiny" not in text
    assert "Target 30-day readmissions" not in text


def test_drill_down_offers_each_department_with_diagnoses_to_draw():
    marts = {name: table.to_dict("records") for name, table in dashboard_marts("a").items()}
    figure = dashboard.department_diagnoses(marts["kpi_readmissions_by_department_diagnosis"])
    (menu,) = figure.layout.updatemenus
    assert [button.label for button in menu.buttons] == ["North", "South"]
    north = [trace for trace in figure.data if trace.meta == "North"]
    assert [trace.visible for trace in figure.data] == [trace.meta == "North" for trace in figure.data]
    assert list(north[0].x) == ["N1.0 Made-up N1.0<br>n=120", "N2.0 Made-up N2.0<br>n=60"]


def test_a_warned_check_says_what_failed_and_where_its_page_is():
    import dagster as dg

    from dagster_project.run_pipeline import check_detail

    metadata = {
        "failed_expectations": dg.MetadataValue.int(2),
        "expectations": dg.MetadataValue.int(40),
        "data_docs_page": dg.MetadataValue.url("http://127.0.0.1:8081/validations/x.html"),
    }
    assert check_detail(metadata) == ": 2 of 40 expectations failed, http://127.0.0.1:8081/validations/x.html"
    assert check_detail({"dagster_dbt/status": dg.MetadataValue.text("warn")}) == ""


def test_run_sums_the_published_rows_per_schema_on_one_line(capsys):
    from dagster_project.run_pipeline import print_rows

    print_rows({"rows": {"staging.a": 1000, "staging.b": 5, "marts.c": 7}})
    printed = capsys.readouterr().out
    assert printed.strip() == "Rows published: staging 1,005 in 2 tables; marts 7 in 1 table"
