"""The headline KPIs: the few numbers a hospital reads first (dashboard tiles, the end of
`emr-run`), each with its numerator, denominator and 95% interval, and the public benchmark the
realism scorecard holds for it (its reference value, range and source). One place reads them, so
the terminal and the dashboard cannot disagree.
"""

from dataclasses import dataclass

from dagster_project.reports.mart_rows import Rows

TABLES = (
    "kpi_readmissions_overall",
    "kpi_readmissions_by_month",
    "kpi_payer_mix",
    "kpi_realism_scorecard",
    "kpi_department_monthly_volume",
    "dim_date",
)
# Scorecard measures shown as headline tiles as they stand (value, interval and benchmark).
SCORECARD_TILES = ("mean_length_of_stay_days", "hcahps_top_box_share", "in_hospital_mortality")
# The readmission benchmark (HCUP) counts patients 1 year or older, the hospital's rate every
# index stay, newborns included: the tile keeps the hospital's rate and trend, and sets the
# benchmark beside the scorecard's rate of the benchmark's own population (seed
# realism_references, readmission_rate_30d_all).
READMISSION_BENCHMARK_POPULATION = "patients 1 year or older"


@dataclass(frozen=True)
class Kpi:
    name: str
    unit: str  # "share", "days" or "count"
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    denominator_label: str = ""
    low: float | None = None
    high: float | None = None
    benchmark: float | None = None
    benchmark_low: float | None = None
    benchmark_high: float | None = None
    benchmark_source: str = ""
    # When the benchmark counts another population than the value: that population and the
    # hospital's rate in it (value and 95% interval), so like is compared with like.
    benchmark_population: str = ""
    population_value: float | None = None
    population_low: float | None = None
    population_high: float | None = None

    def value_text(self) -> str:
        return number_text(self.value, self.unit)

    def detail_text(self) -> str:
        """'85 of 500 index stays, 95% CI 14.1-20.3%' (what the value is made of)."""
        parts = []
        if self.numerator is not None and self.denominator is not None and self.unit == "share":
            parts.append(f"{self.numerator:,.0f} of {self.denominator:,.0f} {self.denominator_label}")
        elif self.denominator is not None:
            parts.append(f"{self.denominator:,.0f} {self.denominator_label}")
        if self.low is not None and self.high is not None:
            parts.append(f"95% CI {range_text(self.low, self.high, self.unit)}")
        return ", ".join(parts)

    def benchmark_text(self) -> str:
        if self.benchmark is None:
            return ""
        text = (
            f"US benchmark {number_text(self.benchmark, self.unit)}, range "
            f"{range_text(self.benchmark_low, self.benchmark_high, self.unit)}"
        )
        if not self.benchmark_population:
            return text
        here = number_text(self.population_value, self.unit)
        if self.population_low is not None and self.population_high is not None:
            here += f", 95% CI {range_text(self.population_low, self.population_high, self.unit)}"
        return f"{text} for {self.benchmark_population}, here {here}"

    def line(self) -> str:
        """One plain line for the terminal."""
        detail = "; ".join(part for part in (self.detail_text(), self.benchmark_text()) if part)
        return f"{self.name}: {self.value_text()}" + (f" ({detail})" if detail else "")


def number_text(value: float | None, unit: str) -> str:
    if value is None:
        return "not measured"
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "days":
        return f"{value:.1f} days"
    return f"{value:,.0f}"


def range_text(low: float, high: float, unit: str) -> str:
    """'11.9-28.4%', '3.9-5.9 days': the unit once, after the range."""
    low_text, high_text = number_text(low, unit), number_text(high, unit)
    suffix = {"share": "%", "days": " days"}.get(unit, "")
    return f"{low_text.removesuffix(suffix)}-{high_text}"


def data_through(marts: dict[str, Rows]):  # noqa: ANN201 (a date, or None for an empty extract)
    """The last admission day in the marts (dim_date runs from the first to the last)."""
    return max((row["date_day"] for row in marts["dim_date"]), default=None)


def headline_kpis(marts: dict[str, Rows]) -> list[Kpi]:
    """The headline tiles, in reading order."""
    scorecard = {row["measure_id"]: row for row in marts["kpi_realism_scorecard"]}
    overall = marts["kpi_readmissions_overall"][0]
    uninsured = next(
        (
            row
            for row in marts["kpi_payer_mix"]
            if row["basis"] == "patients" and row["payer_class"] == "self_pay"
        ),
        None,
    )
    kpis = [
        Kpi(
            name="Encounters",
            unit="count",
            value=sum(row["encounters"] for row in marts["kpi_department_monthly_volume"]),
        ),
        Kpi(
            name="30-day readmission rate",
            unit="share",
            value=overall["readmission_rate_30d"],
            numerator=overall["readmissions_30d"],
            denominator=overall["index_stays_30d"],
            denominator_label="index stays",
            low=overall["readmission_rate_30d_low"],
            high=overall["readmission_rate_30d_high"],
            **_population_benchmark(
                scorecard.get("readmission_rate_30d_all"), READMISSION_BENCHMARK_POPULATION
            ),
        ),
        *[_scorecard_kpi(scorecard[measure]) for measure in SCORECARD_TILES if measure in scorecard],
        Kpi(
            name="Uninsured patients",
            unit="share",
            value=uninsured["share"] if uninsured else 0.0,
            numerator=uninsured["payer_class_count"] if uninsured else 0,
            denominator=uninsured["basis_total"] if uninsured else None,
            denominator_label="patients",
            low=uninsured["share_low"] if uninsured else None,
            high=uninsured["share_high"] if uninsured else None,
            **_benchmark(scorecard.get("uninsured_share_of_patients")),
        ),
    ]
    return kpis


def _benchmark(row: dict | None) -> dict:
    if row is None:
        return {}
    return {
        "benchmark": row["reference_value"],
        "benchmark_low": row["reference_low"],
        "benchmark_high": row["reference_high"],
        "benchmark_source": row["source"],
    }


def _population_benchmark(row: dict | None, population: str) -> dict:
    """The benchmark of another population, with the hospital's rate in that population."""
    if row is None:
        return {}
    return {
        **_benchmark(row),
        "benchmark_population": population,
        "population_value": row["measured_value"],
        "population_low": row["interval_low"],
        "population_high": row["interval_high"],
    }


SCORECARD_NAMES = {
    "mean_length_of_stay_days": "Mean length of stay",
    "hcahps_top_box_share": "Patients rating the hospital 9 or 10",
    "in_hospital_mortality": "In-hospital mortality",
}
SCORECARD_DENOMINATORS = {
    "mean_length_of_stay_days": "stays",
    "hcahps_top_box_share": "surveys",
    "in_hospital_mortality": "discharges",
}


def _scorecard_kpi(row: dict) -> Kpi:
    measure = row["measure_id"]
    return Kpi(
        name=SCORECARD_NAMES[measure],
        unit=row["unit"],
        value=row["measured_value"],
        numerator=row["numerator"],
        denominator=row["denominator"],
        denominator_label=SCORECARD_DENOMINATORS[measure],
        low=row["interval_low"],
        high=row["interval_high"],
        **_benchmark(row),
    )
