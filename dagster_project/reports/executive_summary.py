"""The executive summary: the findings of docs/design.md in plain words with the numbers the marts
measured, then recommendations whose estimated effect comes from the marts' own counts and
charges. Every name, month and code in the text is looked up from the rows, so another
scenario gives other sentences.

Choices (documented here because they shape the text):
- Finding 1 names the adult principal diagnosis with the highest 60-day readmission rate
  among those with at least MIN_INDEX_STAYS adult index stays (E11.9 in the default scenario),
  rather than hard-coding E11.9.
- The satisfaction drop is the clearest fall (largest two-proportion z statistic of the
  top-box share) between a department's months before a split month and its months from it
  on, over every split that leaves MIN_MONTHS_EACH_SIDE months on both sides; the relative
  change of the mean rating is reported with it.
- The value of avoided readmissions uses the average gross charges and net revenue of the
  readmitting stays of the same group (its first encounter).
"""

import calendar
from dataclasses import dataclass
from datetime import date

from dagster_project.reports.mart_rows import Rows, read_marts, read_readmission_stays
from dagster_project.reports.readmission_definition import READMISSION_DEFINITION, READMISSION_DEVIATIONS

TABLES = (
    "kpi_readmissions_by_diagnosis",
    "kpi_readmissions_by_department",
    "kpi_department_peak_months",
    "kpi_chronic_condition_admissions_by_month",
    "kpi_satisfaction_by_department_month",
    "kpi_payer_mix",
    "kpi_revenue_by_department_age_band",
)
MIN_INDEX_STAYS = 50  # fewer adult index stays than this make a diagnosis's rate too noisy
MIN_MONTHS_EACH_SIDE = 3
MIN_DROP_Z = 2.0  # a top-box fall below this z statistic is within survey noise
MIN_PATIENTS_PER_REVENUE_CELL = 30
SUMMER_MONTHS = (6, 7, 8)
SUMMER_RISE_TO_REPORT = 0.20  # "rises in summer" from +20%, as a peak month is +20%
TOP_DEPARTMENTS = 2
TOP_REVENUE_CELLS = 4
CUT = 0.10  # the readmission cut the recommendations price


@dataclass(frozen=True)
class Summary:
    markdown: str
    headline: dict[str, float | str]


def pct(share: float, digits: int = 0) -> str:
    return f"{share * 100:.{digits}f}%"


def usd(amount: float) -> str:
    return f"${amount:,.0f}"


def month_label(month: date) -> str:
    return f"{calendar.month_name[month.month]} {month.year}"


def one_in(rate: float) -> str:
    return f"about 1 in {round(1 / rate)}" if rate > 0 else "none"


def join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def average_stay_value(stays: Rows) -> tuple[float, float]:
    """Mean gross charges and mean net revenue of the given readmitting stays."""
    if not stays:
        return 0.0, 0.0
    gross = sum(stay["gross_charges"] or 0 for stay in stays) / len(stays)
    net = sum(stay["net_revenue"] or 0 for stay in stays) / len(stays)
    return gross, net


def cut_effect(readmissions: int, stays: Rows) -> str:
    """What a CUT of these readmissions is worth at their own average readmitting stay."""
    gross, net = average_stay_value(stays)
    avoided = CUT * readmissions
    return (
        f"about {avoided:.1f} fewer readmission stays over the data period, "
        f"{usd(avoided * gross)} of gross charges ({usd(avoided * net)} of net revenue) "
        f"at their average readmitting stay of {usd(gross)} gross, {usd(net)} net"
    )


def readmission_diagnosis_section(rows: Rows, stays: Rows, headline: dict) -> tuple[list, list]:
    adults = [row for row in rows if row["age_band"] == "adult" and row["index_stays_60d"] >= MIN_INDEX_STAYS]
    if not adults:
        return [f"No adult diagnosis has {MIN_INDEX_STAYS} index stays yet."], []
    top = max(adults, key=lambda row: row["readmission_rate_60d"])
    code, rate = top["principal_icd10_code"], top["readmission_rate_60d"]
    headline |= {"top_adult_diagnosis": code, "top_adult_diagnosis_rate_60d": round(rate, 4)}
    finding = (
        f"Adults with {code} ({top['principal_description']}): {pct(rate)} readmitted within "
        f"60 days ({one_in(rate)}; {top['readmissions_60d']:,} of {top['index_stays_60d']:,} "
        f"index stays), the highest 60-day rate among adult diagnoses with at least "
        f"{MIN_INDEX_STAYS} index stays; within 30 days: {pct(top['readmission_rate_30d'])}."
    )
    matching = [
        stay
        for stay in stays
        if stay["is_readmitted_60d"] and stay["principal_icd10_code"] == code and stay["age_band"] == "adult"
    ]
    recommendation = (
        f"Follow up adults discharged with {code} (medication review, a visit within 7 days): "
        f"a {pct(CUT)} cut of their 60-day readmissions is "
        f"{cut_effect(top['readmissions_60d'], matching)}."
    )
    return [finding], [recommendation]


def peak_months_section(rows: Rows, headline: dict) -> tuple[list, list]:
    by_department: dict[str, list[dict]] = {}
    for row in rows:
        by_department.setdefault(row["department_name"], []).append(row)
    peaks, busiest_elsewhere, extra_capacity = [], [], []
    for department, months in sorted(by_department.items()):
        marked = sorted(
            (month for month in months if month["is_peak_month"]),
            key=lambda month: month["calendar_month"],
        )
        if marked:
            peaks.append(
                f"{department} "
                + ", ".join(
                    f"{calendar.month_name[month['calendar_month']]} (+{pct(month['seasonal_index'] - 1)})"
                    for month in marked
                )
            )
            extra_capacity.append(
                f"{department} "
                + ", ".join(
                    f"{month['average_encounters'] * (1 - 1 / month['seasonal_index']):.0f} in "
                    f"{calendar.month_name[month['calendar_month']]}"
                    for month in marked
                )
            )
        else:
            busiest = min(months, key=lambda month: month["volume_rank"])
            busiest_elsewhere.append(
                f"{department} {calendar.month_name[busiest['calendar_month']]} "
                f"(+{pct(busiest['seasonal_index'] - 1)})"
            )
    headline["departments_with_peak_months"] = len(peaks)
    findings = [
        "Peak months (as the marts mark them: well above the department's ordinary month): "
        + ("; ".join(peaks) if peaks else "none")
        + "."
    ]
    if busiest_elsewhere:
        findings.append("Busiest month of the other departments: " + "; ".join(busiest_elsewhere) + ".")
    recommendations = []
    if extra_capacity:
        recommendations.append(
            "Staff and schedule beds for the peak months: encounters above an ordinary month, "
            "per peak month: " + "; ".join(extra_capacity) + "."
        )
    return findings, recommendations


def summer_rise_section(rows: Rows, headline: dict) -> tuple[list, list]:
    months = {row["admission_month"] for row in rows}
    summer_months = [month for month in months if month.month in SUMMER_MONTHS]
    other_months = [month for month in months if month.month not in SUMMER_MONTHS]
    if not summer_months or not other_months:
        return ["The data do not cover both summer and other months yet."], []
    changes = []
    for group in sorted({row["condition_group"] for row in rows}):
        summer = sum(
            row["inpatient_admissions"]
            for row in rows
            if row["condition_group"] == group and row["calendar_month"] in SUMMER_MONTHS
        ) / len(summer_months)
        other = sum(
            row["inpatient_admissions"]
            for row in rows
            if row["condition_group"] == group and row["calendar_month"] not in SUMMER_MONTHS
        ) / len(other_months)
        if other > 0:
            changes.append((summer / other - 1, group, summer - other))
    changes.sort(reverse=True)
    rising = [change for change in changes if change[0] >= SUMMER_RISE_TO_REPORT]
    summer_names = ", ".join(calendar.month_name[month] for month in SUMMER_MONTHS)
    detail = "; ".join(f"{group.replace('_', ' ')} {change:+.0%}" for change, group, _ in changes)
    headline["conditions_rising_in_summer"] = ", ".join(group for _, group, _ in rising) or "none"
    if rising:
        names = join_words([group.replace("_", " ") for _, group, _ in rising])
        finding = (
            f"{names.capitalize()} inpatient admissions rise in summer ({summer_names}): "
            f"monthly admissions against the rest of the year, by condition: {detail}."
        )
        recommendation = (
            "Run chronic-care outreach before summer: "
            + "; ".join(
                f"{group.replace('_', ' ')} adds about {extra:.1f} inpatient admissions per summer month"
                for _, group, extra in rising
            )
            + "."
        )
        return [finding], [recommendation]
    return [f"No chronic condition rises in summer by {pct(SUMMER_RISE_TO_REPORT)} or more: {detail}."], []


def weighted_rating(months: Rows) -> tuple[float, float, int]:
    """Survey-weighted mean rating, top-box share and number of surveys of these months."""
    surveys = sum(month["surveys"] for month in months)
    rating = sum(month["mean_overall_rating"] * month["surveys"] for month in months) / surveys
    top_box = sum(month["rating_top_box_count"] for month in months) / surveys
    return rating, top_box, surveys


def top_box_drop_z(before: tuple, after: tuple) -> float:
    """Two-proportion z statistic of the fall in top-box share: a small department's noisy
    months must not outrank a real drop in a large one."""
    (_, share_before, surveys_before), (_, share_after, surveys_after) = before, after
    pooled = (share_before * surveys_before + share_after * surveys_after) / (surveys_before + surveys_after)
    spread = (pooled * (1 - pooled) * (1 / surveys_before + 1 / surveys_after)) ** 0.5
    return (share_before - share_after) / spread if spread > 0 else 0.0


def satisfaction_drop_section(rows: Rows, headline: dict) -> tuple[list, list]:
    by_department: dict[str, list[dict]] = {}
    for row in rows:
        by_department.setdefault(row["department_name"], []).append(row)
    strongest = None
    for department, months in sorted(by_department.items()):
        months = sorted(months, key=lambda month: month["discharge_month"])
        for split in range(MIN_MONTHS_EACH_SIDE, len(months) - MIN_MONTHS_EACH_SIDE + 1):
            before, after = weighted_rating(months[:split]), weighted_rating(months[split:])
            z = top_box_drop_z(before, after)
            if strongest is None or z > strongest[0]:
                strongest = (z, department, months[split], before, after, len(months) - split)
    if strongest is None or strongest[0] < MIN_DROP_Z:
        return ["No department's satisfaction fell clearly over the months observed."], []
    _, department, split_month, before, after, months_after = strongest
    split_month = split_month["discharge_month"]
    change = after[0] / before[0] - 1
    headline |= {
        "satisfaction_drop_department": department,
        "satisfaction_drop_from_month": split_month.isoformat(),
        "satisfaction_drop_relative": round(change, 4),
    }
    finding = (
        f"{department} satisfaction dropped from {month_label(split_month)} on: mean overall "
        f"rating {before[0]:.1f} before, {after[0]:.1f} since ({change:+.0%}, 0-10 scale); "
        f"top-box share {pct(before[1])} before, {pct(after[1])} since "
        f"({before[2]:,} and {after[2]:,} surveys). The clearest fall of any department."
    )
    surveys_per_month = after[2] / months_after
    regained = (before[1] - after[1]) * surveys_per_month
    recommendation = (
        f"Review what changed in {department} in {month_label(split_month)} (staffing, "
        f"discharge process): regaining the earlier top-box share would add about "
        f"{regained:.1f} top-box ratings per month (of about {surveys_per_month:.0f} surveys a month)."
    )
    return [finding], [recommendation]


def readmission_department_section(
    readmissions: Rows, satisfaction: Rows, stays: Rows, headline: dict
) -> tuple[list, list]:
    top = sorted(readmissions, key=lambda row: row["readmission_rate_30d"] or 0, reverse=True)
    top = top[:TOP_DEPARTMENTS]
    hospital_rating = weighted_rating(satisfaction)[0]
    parts, ratings = [], []
    for row in top:
        months = [month for month in satisfaction if month["department_name"] == row["department_name"]]
        rating = weighted_rating(months)[0] if months else float("nan")
        ratings.append(rating)
        parts.append(
            f"{row['department_name']} {pct(row['readmission_rate_30d'])} within 30 days "
            f"({row['readmissions_30d']:,} of {row['index_stays_30d']:,} index stays; "
            f"60 days {pct(row['readmission_rate_60d'])}), mean rating {rating:.1f}"
        )
    headline["highest_readmission_departments"] = ", ".join(row["department_name"] for row in top)
    finding = (
        "Highest readmission rates: "
        + "; ".join(parts)
        + f". Hospital-wide mean rating: {hospital_rating:.1f}"
        + (" - both lower." if all(rating < hospital_rating for rating in ratings) else ".")
    )
    names = {row["department_name"] for row in top}
    readmissions_30d = sum(row["readmissions_30d"] for row in top)
    matching = [stay for stay in stays if stay["is_readmitted_30d"] and stay["department_name"] in names]
    recommendation = (
        f"Target 30-day readmissions in {' and '.join(sorted(names))} (discharge planning, "
        f"transitional care): a {pct(CUT)} cut is {cut_effect(readmissions_30d, matching)}."
    )
    return [finding], [recommendation]


def payer_mix_section(rows: Rows, headline: dict) -> tuple[list, list]:
    def shares(basis: str) -> tuple[float, float, int]:
        basis_rows = [row for row in rows if row["basis"] == basis]
        uninsured = sum(row["share"] for row in basis_rows if row["is_uninsured"])
        private = sum(row["share"] for row in basis_rows if row["payer_class"] == "private")
        uninsured_count = sum(row["payer_class_count"] for row in basis_rows if row["is_uninsured"])
        return uninsured, private, uninsured_count

    patients_uninsured, patients_private, uninsured_patients = shares("patients")
    encounters_uninsured, encounters_private, _ = shares("encounters")
    headline |= {
        "uninsured_patient_share": round(patients_uninsured, 4),
        "private_patient_share": round(patients_private, 4),
    }
    finding = (
        f"{pct(patients_uninsured, 1)} of patients are uninsured (self-pay, "
        f"{uninsured_patients:,} patients) and private insurance covers {pct(patients_private, 1)} "
        f"(payer of each patient's latest encounter); by encounters: {pct(encounters_uninsured, 1)} "
        f"uninsured, {pct(encounters_private, 1)} private."
    )
    recommendation = (
        f"Screen uninsured patients for Medicaid or marketplace coverage: every {pct(CUT)} "
        f"enrolled is about {CUT * uninsured_patients:,.0f} patients who stop paying out of pocket."
    )
    return [finding], [recommendation]


def revenue_section(rows: Rows, headline: dict) -> tuple[list, list]:
    cells = [row for row in rows if row["patients"] >= MIN_PATIENTS_PER_REVENUE_CELL]
    cells.sort(key=lambda row: row["net_revenue_per_patient"], reverse=True)
    top = cells[:TOP_REVENUE_CELLS]
    if not top:
        return [f"No department and age band has {MIN_PATIENTS_PER_REVENUE_CELL} patients yet."], []
    headline["top_revenue_per_patient"] = f"{top[0]['department_name']} {top[0]['age_band']}"
    finding = (
        "Highest net revenue per patient (department and age band, at least "
        f"{MIN_PATIENTS_PER_REVENUE_CELL} patients): "
        + "; ".join(
            f"{row['department_name']} {row['age_band']} {usd(row['net_revenue_per_patient'])} "
            f"({usd(row['gross_charges_per_patient'])} gross)"
            for row in top
        )
        + "."
    )
    first = top[0]
    recommendation = (
        f"Protect capacity for {first['department_name']} {first['age_band']} patients: "
        f"{pct(CUT)} more of them ({CUT * first['patients']:,.0f} patients) brings about "
        f"{usd(CUT * first['net_revenue'])} of net revenue."
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
        (
            "Chronic conditions in summer",
            summer_rise_section(marts["kpi_chronic_condition_admissions_by_month"], headline),
        ),
        ("Satisfaction", satisfaction_drop_section(marts["kpi_satisfaction_by_department_month"], headline)),
        (
            "Readmissions by department",
            readmission_department_section(
                marts["kpi_readmissions_by_department"],
                marts["kpi_satisfaction_by_department_month"],
                stays,
                headline,
            ),
        ),
        ("Payer mix", payer_mix_section(marts["kpi_payer_mix"], headline)),
        ("Revenue", revenue_section(marts["kpi_revenue_by_department_age_band"], headline)),
    ]
    months = sorted(
        {row["admission_month"] for row in marts["kpi_chronic_condition_admissions_by_month"]}
        | {row["discharge_month"] for row in marts["kpi_satisfaction_by_department_month"]}
    )
    period = f"{month_label(months[0])} to {month_label(months[-1])}" if months else "no months"
    lines = [
        "# Executive summary",
        "",
        f"Measured from the warehouse marts; data period {period}. Money in USD.",
        "",
        f"{READMISSION_DEFINITION} {READMISSION_DEVIATIONS}",
        "",
        "## Findings",
        "",
    ]
    for title, (findings, _) in sections:
        lines += [f"- **{title}.** {sentence}" for sentence in findings]
    lines += ["", "## Recommendations and estimated effect", ""]
    number = 1
    for _, (_, recommendations) in sections:
        for sentence in recommendations:
            lines.append(f"{number}. {sentence}")
            number += 1
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
