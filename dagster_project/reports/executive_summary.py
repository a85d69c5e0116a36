"""The executive summary: what the marts found, in plain words, with every rate's interval and
sample size, and recommendations whose estimated effect comes from the marts' own counts and
charges. Every name, month, band and code in the text is looked up from the rows, so another
scenario gives other sentences; nothing here knows a season, a department or a diagnosis.

Rules the text follows (documented here because they decide what is claimed):
- A finding (a diagnosis readmitted more than its age band, a peak month, a seasonal rise, a
  satisfaction change) is claimed only when the marts' Bonferroni-corrected p-value is below
  their significance level (the column significance_level). Otherwise the summary says what it
  could not establish, the strongest candidate with its interval, and how much data would
  establish an effect of that size (sample_sizes.py).
- Age bands are named as the marts define them (age_band_label, e.g. "adult (18-64)").
- A comparison ("lower", "above") is stated only when the 95% intervals say so.
- The value of avoided readmissions uses the average gross charges and net revenue of the
  readmitting stays of the same group (its first encounter).
"""

import calendar
from dataclasses import dataclass
from datetime import date

from dagster_project.reports import sample_sizes
from dagster_project.reports.mart_rows import Rows, read_marts, read_readmission_stays
from dagster_project.reports.readmission_definition import READMISSION_DEFINITION, READMISSION_DEVIATIONS

TABLES = (
    "kpi_readmissions_by_diagnosis",
    "kpi_readmissions_by_department",
    "kpi_readmissions_overall",
    "kpi_department_peak_months",
    "kpi_department_monthly_volume",
    "kpi_condition_seasonal_rises",
    "kpi_satisfaction_change_points",
    "kpi_satisfaction_by_department",
    "kpi_payer_mix",
    "kpi_revenue_by_department_age_band",
)
MIN_PATIENTS_PER_REVENUE_CELL = 30
TOP_DIAGNOSES = 5  # significant diagnosis cells named in full; the rest are counted
TOP_DEPARTMENTS = 2
TOP_REVENUE_CELLS = 4
CUT = 0.10  # the readmission cut the recommendations price


@dataclass(frozen=True)
class Summary:
    markdown: str
    headline: dict[str, float | str]


@dataclass(frozen=True)
class Recommendation:
    """An action and its estimated effect; `reach` (the stays, admissions, encounters or
    patients the effect concerns over the data period, named by `reach_label`) ranks it."""

    reach: float
    reach_label: str
    text: str

    def markdown(self) -> str:
        return f"**{self.reach_label.format(count(self.reach))}.** {self.text}"


def pct(share: float, digits: int = 0) -> str:
    return f"{share * 100:.{digits}f}%"


def pct_range(low: float | None, high: float | None, digits: int = 0) -> str:
    if low is None or high is None:
        return "no interval"
    return f"95% CI {low * 100:.{digits}f}-{high * 100:.{digits}f}%"


def change_range(low: float, high: float) -> str:
    return f"95% CI {signed_pct(low)} to {signed_pct(high)}"


def ratio_range(row: dict) -> str:
    """A rate ratio with its interval; none when a window holds all or none of the admissions."""
    if row["rate_ratio"] is None:
        return "rate ratio not defined (all or none of the admissions in the window)"
    return (
        f"rate ratio {row['rate_ratio']:.2f}, 95% CI {row['rate_ratio_low']:.2f}-{row['rate_ratio_high']:.2f}"
    )


def signed_pct(change: float, digits: int = 0) -> str:
    return f"{change * 100:+.{digits}f}%"


def usd(amount: float) -> str:
    return f"${amount:,.0f}"


def plural(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def count(amount: float) -> str:
    """An estimated count for people: one decimal below 10 ("2.3"), whole above ("123")."""
    return f"{amount:,.1f}" if abs(amount) < 10 else f"{amount:,.0f}"


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def month_label(month: date) -> str:
    return f"{calendar.month_name[month.month]} {month.year}"


def month_span(start: int, end: int) -> str:
    """'March' or 'December-February'."""
    first, last = calendar.month_name[start], calendar.month_name[end]
    return first if start == end else f"{first}-{last}"


def one_in(rate: float) -> str:
    return f"about 1 in {round(1 / rate)}" if rate > 0 else "none"


def group_name(group: str) -> str:
    return group.replace("_", " ")


def alpha_of(rows: Rows) -> float:
    """The marts' significance level (every row carries the same)."""
    return rows[0]["significance_level"]


def average_stay_value(stays: Rows) -> tuple[float, float]:
    """Mean gross charges and mean net revenue of the given readmitting stays."""
    if not stays:
        return 0.0, 0.0
    gross = sum(stay["gross_charges"] or 0 for stay in stays) / len(stays)
    net = sum(stay["net_revenue"] or 0 for stay in stays) / len(stays)
    return gross, net


def cut_effect(readmissions: int, stays: Rows) -> str:
    """What a CUT of these readmissions is worth at their own average readmitting stay, with the
    money's direction said: payers save the charges, the hospital forgoes the net revenue."""
    gross, net = average_stay_value(stays)
    avoided = CUT * readmissions
    return (
        f"about {count(avoided)} fewer readmission stays over the data period; at their average "
        f"readmitting stay ({usd(gross)} gross charges, {usd(net)} net revenue) payers save "
        f"{usd(avoided * gross)} of charges and the hospital forgoes {usd(avoided * net)} of net "
        "revenue (before any change in readmission penalties)"
    )


READMISSIONS_AVOIDED = "About {} fewer readmission stays"


def readmission_diagnosis_section(rows: Rows, stays: Rows, headline: dict) -> tuple[list, list]:
    """Diagnosis and age band cells readmitted significantly more than their departments and
    age band predict (the marts' indirectly standardised test)."""
    tested = [row for row in rows if row["excess_z_60d"] is not None]
    if not tested:
        return ["No diagnosis and age band has enough index stays to be tested yet."], []
    alpha, cells = alpha_of(tested), tested[0]["cells_tested_60d"]
    rule = f"Bonferroni-corrected over {cells} diagnosis and age band cells"
    found = sorted(
        (row for row in tested if row["excess_p_bonferroni_60d"] < alpha),
        key=lambda row: row["excess_z_60d"],
        reverse=True,
    )
    headline["diagnoses_readmitted_above_expected"] = len(found)
    if not found:
        best = max(tested, key=lambda row: row["excess_z_60d"])
        return [
            "No diagnosis is readmitted within 60 days significantly more than its departments and age "
            f"band predict (p < {alpha}, {rule}). The largest excess: {_diagnosis(best)}, "
            f"{pct(best['readmission_rate_60d'])} ({_rate_detail(best)}) where "
            f"{pct(best['expected_rate_60d'])} "
            f"was expected; {_stays_needed(best, cells, alpha)}."
        ], []
    top = found[0]
    headline |= {
        "top_diagnosis": top["principal_icd10_code"],
        "top_diagnosis_age_band": top["age_band_label"],
        "top_diagnosis_rate_60d": round(top["readmission_rate_60d"], 4),
    }
    findings = [
        f"{_diagnosis(row)}: {pct(row['readmission_rate_60d'])} readmitted within 60 days "
        f"({one_in(row['readmission_rate_60d'])}; {_rate_detail(row)}) where its departments' rates for the "
        f"band predict {pct(row['expected_rate_60d'])} (z = {row['excess_z_60d']:.1f}, {rule}: "
        f"{p_text(row['excess_p_bonferroni_60d'])}); within 30 days: {pct(row['readmission_rate_30d'])}."
        for row in found[:TOP_DIAGNOSES]
    ]
    if len(found) > TOP_DIAGNOSES:
        findings.append(
            f"{len(found) - TOP_DIAGNOSES} more diagnosis and age band cells are readmitted significantly "
            "more than expected (kpi_readmissions_by_diagnosis, dashboard)."
        )
    matching = [
        stay
        for stay in stays
        if stay["is_readmitted_60d"]
        and stay["principal_icd10_code"] == top["principal_icd10_code"]
        and stay["age_band"] == top["age_band"]
    ]
    recommendation = Recommendation(
        CUT * top["readmissions_60d"],
        READMISSIONS_AVOIDED,
        f"Follow up {top['age_band_label']} patients discharged with {top['principal_icd10_code']} "
        f"({top['principal_description']}; medication review, a visit within 7 days): a {pct(CUT)} cut "
        f"of their 60-day readmissions is {cut_effect(top['readmissions_60d'], matching)}.",
    )
    return findings, [recommendation]


def _diagnosis(row: dict) -> str:
    return f"{row['principal_icd10_code']} ({row['principal_description']}) in {row['age_band_label']}"


def _rate_detail(row: dict) -> str:
    return (
        f"{row['readmissions_60d']:,} of {row['index_stays_60d']:,} index stays, "
        f"{pct_range(row['readmission_rate_60d_low'], row['readmission_rate_60d_high'])}"
    )


def _stays_needed(row: dict, cells: int, alpha: float) -> str:
    needed = sample_sizes.sample_size_one_proportion(
        row["expected_rate_60d"], row["readmission_rate_60d"], alpha / cells
    )
    if needed is None:
        return "no excess to establish"
    return f"establishing an excess of that size would take about {needed:,} index stays (80% power)"


def peak_months_section(rows: Rows, headline: dict) -> tuple[list, list]:
    by_department: dict[str, list[dict]] = {}
    for row in rows:
        by_department.setdefault(row["department_name"], []).append(row)
    alpha, tested = alpha_of(rows), rows[0]["months_tested"]
    peaks, busiest_elsewhere, extra_capacity, extra_encounters = [], [], [], 0.0
    for department, months in sorted(by_department.items()):
        marked = sorted((m for m in months if m["is_peak_month"]), key=lambda m: m["calendar_month"])
        if marked:
            peaks.append(
                f"{department} "
                + ", ".join(
                    f"{calendar.month_name[m['calendar_month']]} {signed_pct(m['seasonal_index'] - 1)} "
                    f"({change_range(m['seasonal_index_low'] - 1, m['seasonal_index_high'] - 1)}; "
                    f"{p_text(m['p_value_bonferroni'])})"
                    for m in marked
                )
            )
            extra_capacity.append(
                f"{department} "
                + ", ".join(
                    f"{count(_above_ordinary(m))} in {calendar.month_name[m['calendar_month']]}"
                    for m in marked
                )
            )
            extra_encounters += sum(_above_ordinary(m) * m["months_observed"] for m in marked)
        else:
            busiest = min(months, key=lambda m: m["volume_rank"])
            busiest_elsewhere.append(
                f"{department} {calendar.month_name[busiest['calendar_month']]} "
                f"{signed_pct(busiest['seasonal_index'] - 1)} "
                f"({change_range(busiest['seasonal_index_low'] - 1, busiest['seasonal_index_high'] - 1)})"
            )
    headline["departments_with_peak_months"] = len(peaks)
    findings = [
        "Encounters at least 20% above the department's ordinary month (Bonferroni-"
        f"corrected p < {alpha} over {tested} department-months): "
        + ("; ".join(peaks) if peaks else "none")
        + "."
    ]
    if busiest_elsewhere:
        findings.append(
            "No peak month could be established for "
            f"{'the other departments' if peaks else 'any department'}; the busiest month of each: "
            + "; ".join(busiest_elsewhere)
            + "."
        )
    recommendations = []
    if extra_capacity:
        recommendations.append(
            Recommendation(
                extra_encounters,
                "About {} encounters above an ordinary month",
                "Staff and schedule beds for the peak months: encounters above an ordinary month, "
                "per peak month: " + "; ".join(extra_capacity) + ".",
            )
        )
    return findings, recommendations


def _above_ordinary(month: dict) -> float:
    """Encounters of an average such month above the department's ordinary month."""
    return month["average_encounters"] * (1 - 1 / month["seasonal_index"])


def seasonal_rise_section(rows: Rows, headline: dict) -> tuple[list, list]:
    """Each condition group's strongest window of months, claimed as a rise only when significant."""
    best = sorted(
        (row for row in rows if row["is_best_window"]), key=lambda row: row["z_score"] or 0, reverse=True
    )
    if not best:
        return ["Too few admissions of any condition group to test for seasonal rises yet."], []
    alpha, windows = alpha_of(best), best[0]["windows_tested"]
    rule = (
        f"Bonferroni-corrected over {windows} windows of 1-{max(r['months_in_window'] for r in rows)} months"
    )
    rises = [row for row in best if row["is_seasonal_rise"]]
    others = [row for row in best if not row["is_seasonal_rise"]]
    headline["seasonal_rises"] = (
        "; ".join(f"{r['condition_group']} {month_span(r['start_month'], r['end_month'])}" for r in rises)
        or "none"
    )
    findings, recommendations = [], []
    for row in rises:
        findings.append(
            f"{group_name(row['condition_group']).capitalize()} inpatient admissions rise in "
            f"{month_span(row['start_month'], row['end_month'])}: {signed_pct(row['rate_ratio'] - 1)} "
            f"against the rest of the year, allowing for their departments' own volume ({ratio_range(row)}; "
            f"{row['window_admissions']:,.0f} admissions in those months where "
            f"{row['expected_admissions']:,.0f} were expected; z = {row['z_score']:.1f}, {rule}: "
            f"{p_text(row['p_value_bonferroni'])})."
        )
        excess = row["window_admissions"] - row["expected_admissions"]
        recommendations.append(
            Recommendation(
                excess,
                "About {} inpatient admissions above expected",
                f"Run {group_name(row['condition_group'])} outreach before "
                f"{calendar.month_name[row['start_month']]}: the rise brought about {count(excess)} "
                "inpatient admissions above expected over the data period.",
            )
        )
    if others:
        findings.append(
            f"No seasonal rise could be established (p < {alpha}, {rule}) for "
            + "; ".join(
                f"{group_name(row['condition_group'])} (strongest: "
                f"{month_span(row['start_month'], row['end_month'])}, {ratio_range(row)}, "
                f"{row['group_admissions']:,.0f} admissions; {_admissions_needed(row, windows, alpha)})"
                for row in others
            )
            + "."
        )
    return findings, recommendations


def _admissions_needed(row: dict, windows: int, alpha: float) -> str:
    needed = sample_sizes.sample_size_window_share(row["expected_share"], row["rate_ratio"], alpha / windows)
    if needed is None:
        return "no rise to establish"
    return f"a rise that size needs about {needed:,} admissions"


def satisfaction_change_section(rows: Rows, headline: dict) -> tuple[list, list]:
    best = sorted(
        (row for row in rows if row["is_best_split"]), key=lambda row: abs(row["z_score"] or 0), reverse=True
    )
    if not best:
        return ["Too few months or surveys in any department to test for a change in satisfaction yet."], []
    alpha, splits = alpha_of(best), best[0]["splits_tested"]
    rule = f"Bonferroni-corrected p < {alpha} over {splits} candidate months of change"
    changes = [row for row in best if row["is_change_point"]]
    headline["satisfaction_changes"] = (
        "; ".join(f"{r['department_name']} {r['split_month'].isoformat()}" for r in changes) or "none"
    )
    findings, recommendations = [], []
    for row in changes:
        direction = "fell" if row["relative_change"] < 0 else "rose"
        findings.append(
            f"{row['department_name']} mean overall rating {direction} from "
            f"{month_label(row['split_month'])} "
            f"on: {row['mean_before']:.2f} before, {row['mean_after']:.2f} since "
            f"({signed_pct(row['relative_change'], 1)}, "
            f"95% CI {signed_pct(row['relative_change_low'], 1)} to "
            f"{signed_pct(row['relative_change_high'], 1)}; "
            f"{row['surveys_before']:,} and {row['surveys_after']:,} surveys; z = {row['z_score']:.1f}, "
            f"{rule}: {p_text(row['p_value_bonferroni'])})."
        )
        if direction == "fell":
            per_month = row["surveys_after"] / row["months_after"]
            recommendations.append(
                Recommendation(
                    row["surveys_after"],
                    "About {} surveys since the fall",
                    f"Review what changed in {row['department_name']} in {month_label(row['split_month'])} "
                    "(staffing, discharge process): the fall is "
                    f"{row['mean_before'] - row['mean_after']:.2f} rating points on about "
                    f"{count(per_month)} surveys a month.",
                )
            )
    others = [row for row in best if not row["is_change_point"]]
    if others:
        largest = others[0]
        needed = sample_sizes.sample_size_two_means(
            abs(largest["mean_difference"]),
            ((largest["sd_before"] ** 2 + largest["sd_after"] ** 2) / 2) ** 0.5,
            alpha / splits,
        )
        findings.append(
            f"No {'other ' if changes else ''}department's rating changed significantly ({rule}). The "
            f"largest other shift: {largest['department_name']} from {month_label(largest['split_month'])}, "
            f"{signed_pct(largest['relative_change'], 1)} (95% CI "
            f"{signed_pct(largest['relative_change_low'], 1)} "
            f"to {signed_pct(largest['relative_change_high'], 1)})"
            + (f"; a change that size needs about {needed:,} surveys on each side." if needed else ".")
        )
    return findings, recommendations


def rating_phrase(rating: dict | None) -> str:
    """A department's mean rating with its interval, or why there is none."""
    if rating is None:
        return ", no surveys"
    if rating["mean_overall_rating_high"] is None:
        mean, surveys = rating["mean_overall_rating"], rating["surveys"]
        return f", mean rating {mean:.2f} ({plural(surveys, 'survey')}, too few for an interval)"
    return (
        f", mean rating {rating['mean_overall_rating']:.2f} (95% CI "
        f"{rating['mean_overall_rating_low']:.2f}-"
        f"{rating['mean_overall_rating_high']:.2f}, {rating['surveys']:,} surveys)"
    )


def readmission_department_section(
    readmissions: Rows, overall: Rows, satisfaction: Rows, stays: Rows, headline: dict
) -> tuple[list, list]:
    reported = [row for row in readmissions if sample_sizes.enough_index_stays(row)]
    top = sorted(reported, key=lambda row: row["readmission_rate_30d"] or 0, reverse=True)[:TOP_DEPARTMENTS]
    hospital = overall[0]
    ratings = {row["department_name"]: row for row in satisfaction}
    parts, above, lower = [], [], []
    for row in top:
        rating = ratings.get(row["department_name"])
        # An interval is missing where there is too little data for one (no stays, one survey).
        above.append(
            row["readmission_rate_30d_low"] is not None
            and hospital["readmission_rate_30d_high"] is not None
            and row["readmission_rate_30d_low"] > hospital["readmission_rate_30d_high"]
        )
        rated = rating is not None and rating["mean_overall_rating_high"] is not None
        lower.append(
            rated
            and rating["hospital_mean_overall_rating_low"] is not None
            and rating["mean_overall_rating_high"] < rating["hospital_mean_overall_rating_low"]
        )
        parts.append(
            f"{row['department_name']} {pct(row['readmission_rate_30d'] or 0)} within 30 days "
            f"({pct_range(row['readmission_rate_30d_low'], row['readmission_rate_30d_high'])}; "
            f"{row['readmissions_30d']:,} of {row['index_stays_30d']:,} index stays)" + rating_phrase(rating)
        )
    headline["highest_readmission_departments"] = ", ".join(row["department_name"] for row in top)
    hospital_rating = next(iter(ratings.values()), None)
    subject = "Both" if len(top) == 2 else "All" if len(top) > 2 else "It"
    verdict = ""
    if top and all(above) and all(lower):
        verdict = (
            f" {subject} readmit above the hospital-wide rate and are rated below its mean (intervals apart)."
        )
    elif top and all(above):
        verdict = f" {subject} readmit above the hospital-wide rate (intervals apart)."
    if len(top) == 1:
        verdict = verdict.replace(" readmit ", " readmits ").replace(" are rated ", " is rated ")
    ranking = (
        "Highest readmission rates: " + "; ".join(parts)
        if top
        else f"No department has {sample_sizes.MIN_INDEX_STAYS} index stays yet, the fewest a rate is "
        "reported from (CMS Care Compare)"
    )
    finding = (
        ranking + f". Hospital-wide: {pct(hospital['readmission_rate_30d'])} within 30 days "
        f"({pct_range(hospital['readmission_rate_30d_low'], hospital['readmission_rate_30d_high'])}; "
        f"{hospital['readmissions_30d']:,} of {hospital['index_stays_30d']:,} index stays)"
        + (
            f", mean rating {hospital_rating['hospital_mean_overall_rating']:.2f} (95% CI "
            f"{hospital_rating['hospital_mean_overall_rating_low']:.2f}-"
            f"{hospital_rating['hospital_mean_overall_rating_high']:.2f})."
            if hospital_rating
            else "."
        )
        + verdict
    )
    if not top:
        return [finding], []
    names = {row["department_name"] for row in top}
    readmissions_30d = sum(row["readmissions_30d"] for row in top)
    matching = [stay for stay in stays if stay["is_readmitted_30d"] and stay["department_name"] in names]
    recommendation = Recommendation(
        CUT * readmissions_30d,
        READMISSIONS_AVOIDED,
        f"Target 30-day readmissions in {' and '.join(sorted(names))} (discharge planning, "
        f"transitional care): a {pct(CUT)} cut is {cut_effect(readmissions_30d, matching)}.",
    )
    return [finding], [recommendation]


def payer_mix_section(rows: Rows, headline: dict) -> tuple[list, list]:
    def row_of(basis: str, payer_class: str) -> dict:
        return next(row for row in rows if row["basis"] == basis and row["payer_class"] == payer_class)

    uninsured, private = row_of("patients", "self_pay"), row_of("patients", "private")
    uninsured_encounters, private_encounters = (
        row_of("encounters", "self_pay"),
        row_of("encounters", "private"),
    )
    headline |= {
        "uninsured_patient_share": round(uninsured["share"], 4),
        "private_patient_share": round(private["share"], 4),
    }
    finding = (
        f"{pct(uninsured['share'], 1)} of patients are uninsured (self-pay, "
        f"{uninsured['payer_class_count']:,} "
        f"of {uninsured['basis_total']:,.0f} patients; "
        f"{pct_range(uninsured['share_low'], uninsured['share_high'], 1)}) "
        f"and private insurance covers {pct(private['share'], 1)} "
        f"({pct_range(private['share_low'], private['share_high'], 1)}; payer of each patient's latest "
        f"encounter); by encounters: {pct(uninsured_encounters['share'], 1)} uninsured, "
        f"{pct(private_encounters['share'], 1)} private (of {uninsured_encounters['basis_total']:,.0f})."
    )
    enrolled = CUT * uninsured["payer_class_count"]
    recommendation = Recommendation(
        enrolled,
        "About {} patients insured",
        f"Screen uninsured patients for Medicaid or marketplace coverage: every {pct(CUT)} enrolled is "
        f"about {count(enrolled)} patients who stop paying out of pocket.",
    )
    return [finding], [recommendation]


def revenue_section(rows: Rows, headline: dict) -> tuple[list, list]:
    cells = [row for row in rows if row["patients"] >= MIN_PATIENTS_PER_REVENUE_CELL]
    cells.sort(key=lambda row: row["net_revenue_per_patient"], reverse=True)
    top = cells[:TOP_REVENUE_CELLS]
    if not top:
        return [f"No department and age band has {MIN_PATIENTS_PER_REVENUE_CELL} patients yet."], []
    headline["top_revenue_per_patient"] = f"{top[0]['department_name']} {top[0]['age_band_label']}"
    finding = (
        f"Highest net revenue per patient (department and age band, at least {MIN_PATIENTS_PER_REVENUE_CELL} "
        "patients): "
        + "; ".join(
            f"{row['department_name']} {row['age_band_label']} {usd(row['net_revenue_per_patient'])} "
            f"(95% CI {usd(row['net_revenue_per_patient_low'])}-{usd(row['net_revenue_per_patient_high'])}, "
            f"{row['patients']:,} patients; {usd(row['gross_charges_per_patient'])} gross)"
            for row in top
        )
        + "."
    )
    first = top[0]
    recommendation = Recommendation(
        CUT * first["patients"],
        "About {} more patients",
        f"Protect capacity for {first['department_name']} {first['age_band_label']} patients: "
        f"{pct(CUT)} more of them ({count(CUT * first['patients'])} patients) gains the hospital about "
        f"{usd(CUT * first['net_revenue'])} of net revenue.",
    )
    return [finding], [recommendation]


def build_markdown(marts: dict[str, Rows], stays: Rows) -> Summary:
    """The summary from mart rows (see TABLES) and readmitting stays (mart_rows)."""
    headline: dict[str, float | str] = {}
    sections = [
        (
            "Readmissions by diagnosis",
            readmission_diagnosis_section(marts["kpi_readmissions_by_diagnosis"], stays, headline),
        ),
        ("Peak months", peak_months_section(marts["kpi_department_peak_months"], headline)),
        ("Seasonal rises", seasonal_rise_section(marts["kpi_condition_seasonal_rises"], headline)),
        ("Satisfaction", satisfaction_change_section(marts["kpi_satisfaction_change_points"], headline)),
        (
            "Readmissions by department",
            readmission_department_section(
                marts["kpi_readmissions_by_department"],
                marts["kpi_readmissions_overall"],
                marts["kpi_satisfaction_by_department"],
                stays,
                headline,
            ),
        ),
        ("Payer mix", payer_mix_section(marts["kpi_payer_mix"], headline)),
        ("Revenue", revenue_section(marts["kpi_revenue_by_department_age_band"], headline)),
    ]
    months = sorted({row["admission_month"] for row in marts["kpi_department_monthly_volume"]})
    period = f"{month_label(months[0])} to {month_label(months[-1])}" if months else "no months"
    lines = [
        "# Executive summary",
        "",
        f"Measured from the warehouse marts; data period {period}. Money in USD. Every rate comes "
        "with its numerator, denominator and 95% interval (Wilson for proportions); a finding is "
        "stated only when its Bonferroni-corrected p-value is below the marts' significance level, "
        "otherwise the summary says what it could not establish and how much data would.",
        "",
        f"{READMISSION_DEFINITION} {READMISSION_DEVIATIONS}",
        "",
        "## Findings",
        "",
    ]
    for title, (findings, _) in sections:
        lines.append(f"- **{title}.** {findings[0]}")
        lines += [f"  - {sentence}" for sentence in findings[1:]]
    recommendations = sorted(
        (recommendation for _, (_, listed) in sections for recommendation in listed),
        key=lambda recommendation: recommendation.reach,
        reverse=True,
    )
    lines += [
        "",
        "## Recommendations and estimated effect",
        "",
        "Ranked by how many stays, admissions, encounters or patients each estimate concerns over the "
        f"data period (a {pct(CUT)} change where an action's effect is not known).",
        "",
    ]
    lines += [f"{number}. {item.markdown()}" for number, item in enumerate(recommendations, start=1)]
    return Summary(markdown="\n".join(lines) + "\n", headline=headline)


def build_summary(connection) -> Summary:  # noqa: ANN001 (a DuckDB connection)
    return build_markdown(read_marts(connection, TABLES), read_readmission_stays(connection))


def markdown_to_html(markdown: str, title: str) -> str:
    """A standalone HTML page of the Markdown (no external assets)."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark").render(markdown)
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "line-height:1.5;padding:0 1rem}li{margin:.4rem 0}</style></head>\n"
        f"<body>\n{body}</body></html>\n"
    )
