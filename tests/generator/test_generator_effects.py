"""The findings of docs/design.md hold at default scale, and each planted knob moves its measure.

The marts must re-measure these effects; here the generator proves it plants them.
"""

import pytest
import yaml
from generator_helpers import DEFAULT, by_key, generate, kpi_connection, scalar, zero_defects

pytestmark = pytest.mark.slow  # the default scenario, generated whole

# Departments with planted peak months (Cardiology's March, Oncology's June...) are left out:
# a peak outside the summer would count against the summer rise, one inside it for it.
# Diabetes and heart-disease stays per other stay, in summer and in the other months: a rise
# of the groups moves it, volume that lifts every stay of a month (a hospital-wide peak) does not.
SUMMER_CHRONIC = """
    select
        month(admitted_at) in (6, 7, 8) as summer,
        count(*) filter (where chronic) / count(*) filter (where not chronic)
    from (
        select
            admitted_at,
            coalesce(pdx like 'E1%' or pdx like 'I2%' or pdx like 'I4%' or pdx like 'I5%'
                     or pdx like 'I11%' or pdx like 'I13%' or pdx like 'I3%', false) as chronic
        from stays
        where encounter_class = 'inpatient'
            and dept not in (select department from peaked_departments)
    )
    group by 1"""
PEAK_MONTH = """
    select dept, arg_max(m, n) from (
        select dept, month(admitted_at) m, count(*) n from stays group by 1, 2) group by 1"""
E119_60D = "select avg(readmit_60::int) from index_stays where pdx = 'E11.9' and age >= 18"
READMIT_30 = "select dept, avg(readmit_30::int) from index_stays group by 1"
RATING = "select dept, avg(overall_rating) from surveys join stays using (encounter_id) group by 1"
ORTHO_AFTER_BEFORE = """
    select avg(overall_rating) filter (where discharged_at >= '2024-07-01')
         / avg(overall_rating) filter (where discharged_at < '2024-07-01')
    from surveys join stays using (encounter_id) where dept = 'Orthopedics'"""
UNINSURED = """
    select avg((payer_class = 'self_pay')::int) from (
        select distinct on (patient_id) patient_id, payer_class from coverage join payers using (payer_id)
        order by patient_id, start_date desc)"""
PRIVATE = UNINSURED.replace("'self_pay'", "'private'")
REVENUE_BY_DEPT = """
    select dept, sum(payer_paid + patient_paid) / count(distinct s.patient_id)
    from payments join stays s using (encounter_id) group by 1"""
REVENUE_BY_AGE = """
    select case when age < 18 then 'child' when age < 65 then 'adult' else 'senior' end,
           sum(payer_paid + patient_paid) / count(distinct s.patient_id)
    from payments join stays s using (encounter_id) group by 1"""
MEAN_LOS = """select avg(epoch(discharged_at - admitted_at) / 86400) from stays
              where dept = 'Neurology' and encounter_class = 'inpatient'"""
NEURO_SHARE = "select avg((dept = 'Neurology')::int) from stays"
NEWBORNS = "select count(*) from stays where admission_type = 'newborn'"
CESAREAN_BIRTHS = "select avg((pdx = 'Z38.01')::int) from stays where admission_type = 'newborn'"
PRIVATE_READMIT_30 = """
    select avg(readmit_30::int) from index_stays join payers using (payer_id) where payer_class = 'private'"""
JULY_INDEX = """
    select count(*) filter (where month(admitted_at) = 7)
           / (count(*) filter (where month(admitted_at) <> 7) / 11)
    from stays where dept = 'Internal Medicine'"""
# Inpatient chemotherapy stays come only as planned follow-up stays (readmission.planned_stays).
CHEMO_STAYS_PER_ONCOLOGY_STAY = """
    select count(*) filter (where pdx = 'Z51.11' and admission_type = 'elective')
         / count(*) filter (where dept = 'Oncology')
    from stays where encounter_class = 'inpatient'"""
PSYCHIATRIC_SHARE = """
    select avg(regexp_matches(pdx, '^(F2|F3|F4|R45\\.851)')::int) from stays
    where encounter_class = 'inpatient' and dept in ('Emergency', 'Internal Medicine')"""


@pytest.fixture(scope="module")
def default(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("default")
    generate(zero_defects(tmp, DEFAULT), tmp / "raw")
    return with_peaked_departments(kpi_connection(tmp / "raw"), DEFAULT)


def with_peaked_departments(connection, scenario_file):
    """The table peaked_departments: the departments the scenario gives peak months."""
    departments = yaml.safe_load(scenario_file.read_text())["departments"]
    peaked = [
        name for name, settings in departments.items() if settings.get("seasonality", {}).get("peak_months")
    ]
    connection.execute("create table peaked_departments (department varchar)")
    connection.executemany("insert into peaked_departments values (?)", [[name] for name in peaked])
    return connection


def test_finding_1_e119_readmitted_about_one_in_three(default):
    assert scalar(default, "select count(*) from index_stays where pdx = 'E11.9' and age >= 18") >= 100
    assert 0.26 <= scalar(default, E119_60D) <= 0.40


def test_finding_2_peak_months(default):
    peaks = by_key(default, PEAK_MONTH)
    assert (peaks["Cardiology"], peaks["Oncology"]) == (3, 6)
    assert peaks["Pediatrics"] in (2, 7)


def test_finding_3_summer_rise_of_chronic_admissions(default):
    per_month = by_key(default, SUMMER_CHRONIC)
    assert per_month[True] > 1.2 * per_month[False]


def test_finding_4_orthopedics_satisfaction_drop(default):
    assert 0.84 <= scalar(default, ORTHO_AFTER_BEFORE) <= 0.96


def test_finding_5_er_and_oncology_readmit_most_and_rate_lowest(default):
    readmit = by_key(default, READMIT_30)
    rating = by_key(default, RATING)
    assert set(sorted(readmit, key=readmit.get)[-2:]) == {"Emergency", "Oncology"}
    assert set(sorted(rating, key=rating.get)[:2]) == {"Emergency", "Oncology"}
    assert 0.10 <= scalar(default, "select avg(readmit_30::int) from index_stays") <= 0.22


def test_finding_6_payer_mix(default):
    assert scalar(default, UNINSURED) > 0.10
    assert 0.35 <= scalar(default, PRIVATE) <= 0.45


def test_finding_7_revenue_per_patient(default):
    by_dept = by_key(default, REVENUE_BY_DEPT)
    assert set(sorted(by_dept, key=by_dept.get)[-2:]) == {"Emergency", "Orthopedics"}
    by_age = by_key(default, REVENUE_BY_AGE)
    assert by_age["senior"] > by_age["adult"] > by_age["child"]


def test_planned_stays_and_excluded_cohorts_are_planted(default):
    """Psychiatric principal diagnoses make up the planted share of Emergency and Internal
    Medicine admissions (3 binomial standard errors at ~8,000 stays); chemotherapy stays follow
    Oncology stays."""
    assert scalar(default, PSYCHIATRIC_SHARE) == pytest.approx(0.06, abs=0.01)
    assert scalar(default, CHEMO_STAYS_PER_ONCOLOGY_STAY) > 0.05


def test_departments_los_right_skewed(default):
    mean, median = default.execute("""
        select avg(d), median(d) from (select epoch(discharged_at - admitted_at) / 86400 d
        from stays where encounter_class = 'inpatient')""").fetchone()
    assert 3.5 <= mean <= 6.5 and median < mean


def test_each_knob_moves_its_measure(default, tmp_path):
    """One generation at default scale with every knob turned, measured against the defaults."""
    data = yaml.safe_load(zero_defects(tmp_path, DEFAULT, "base.yaml").read_text())
    departments = data["departments"]
    data["readmission"]["diagnosis_effects"]["E11.9"]["probability_60d"] = 0.7
    data["surveys"]["shifts"] = []
    departments["Cardiology"]["seasonality"] = {"peak_months": [10], "peak_lift": 0.6}
    data["seasonal_rises"] = []
    data["payers"]["mix"] = {
        "private": 0.25,
        "medicare": 0.21,
        "medicaid": 0.16,
        "self_pay": 0.33,
        "other": 0.05,
    }
    departments["Pediatrics"]["gross_charge_per_encounter"] *= 8
    departments["Neurology"]["los_mean_days"] = 9.6
    departments["Neurology"]["volume_share"] += 0.06
    departments["Internal Medicine"]["volume_share"] -= 0.06
    departments["Orthopedics"]["readmission_risk_60d"] = 0.5
    departments["Cardiology"]["satisfaction_mean"] = 6.0
    data["births"]["deliveries_per_1000_women"] = {
        age: rate * 2 for age, rate in data["births"]["deliveries_per_1000_women"].items()
    }
    data["births"]["cesarean_share"] = 0.6
    data["readmission"]["payer_multiplier"]["private"] = 2.5
    data["utilization"]["seasonality"] = {"peak_months": [7], "peak_lift": 0.3}
    data["readmission"]["planned_stays"]["probability_60d"]["Oncology"] = 0.6
    data["readmission"]["excluded_cohorts"]["psychiatric"]["share"] = 0.2
    moved_file = tmp_path / "moved.yaml"
    moved_file.write_text(yaml.safe_dump(data, sort_keys=False))
    generate(moved_file, tmp_path / "moved")
    base, turned = default, with_peaked_departments(kpi_connection(tmp_path / "moved"), moved_file)

    assert scalar(turned, E119_60D) > scalar(base, E119_60D) + 0.2
    assert scalar(base, ORTHO_AFTER_BEFORE) < 0.95 < scalar(turned, ORTHO_AFTER_BEFORE)
    assert by_key(turned, PEAK_MONTH)["Cardiology"] == 10
    assert by_key(base, SUMMER_CHRONIC)[True] > 1.2 * by_key(base, SUMMER_CHRONIC)[False]
    summer = by_key(turned, SUMMER_CHRONIC)
    assert summer[True] < 1.15 * summer[False]
    assert scalar(turned, UNINSURED) > scalar(base, UNINSURED) + 0.15
    assert by_key(turned, REVENUE_BY_DEPT)["Pediatrics"] > 5 * by_key(base, REVENUE_BY_DEPT)["Pediatrics"]
    assert scalar(turned, MEAN_LOS) > 1.6 * scalar(base, MEAN_LOS)
    assert scalar(turned, NEURO_SHARE) > 1.5 * scalar(base, NEURO_SHARE)
    assert by_key(turned, READMIT_30)["Orthopedics"] > by_key(base, READMIT_30)["Orthopedics"] + 0.2
    assert by_key(turned, RATING)["Cardiology"] < by_key(base, RATING)["Cardiology"] - 2
    assert scalar(turned, NEWBORNS) > 1.6 * scalar(base, NEWBORNS)
    assert scalar(base, CESAREAN_BIRTHS) < 0.4 < 0.5 < scalar(turned, CESAREAN_BIRTHS)
    assert scalar(turned, PRIVATE_READMIT_30) > scalar(base, PRIVATE_READMIT_30) + 0.05
    assert scalar(turned, JULY_INDEX) > scalar(base, JULY_INDEX) + 0.2
    assert scalar(turned, CHEMO_STAYS_PER_ONCOLOGY_STAY) > 2 * scalar(base, CHEMO_STAYS_PER_ONCOLOGY_STAY)
    assert scalar(turned, PSYCHIATRIC_SHARE) > scalar(base, PSYCHIATRIC_SHARE) + 0.1
