"""The readmission risk planted at discharge: what the feed shows of a stay sets it, and the answer
key holds it apart from the feed.

Prior visits are counted from the feed as an analyst would (ED visits in the 182 days and
inpatient admissions in the 365 days before admission, not the ED visit that led to the stay),
so these tests also prove the factors are learnable from the extract.
"""

import math

import pytest
from generator_helpers import SMALL, connect, generate, table_dir, zero_defects

from dagster_project.synthetic.extract import generate_extract
from dagster_project.synthetic.scenario import PAYER_CLASSES, load_scenario
from dagster_project.synthetic.tables import FEED_TABLES

pytestmark = pytest.mark.slow  # generates extracts of a few thousand patients

# Strong factors, flat age bands and payers, no diagnosis effect: a stay's planted 60-day risk is
# then department risk x disposition multiplier x the factors' multipliers (at most 0.95).
FACTORS = {
    "chronic_conditions": {"relative_risk": 1.5, "reference": 1.0, "cap": 3},
    "prior_emergency_visits_6m": {"relative_risk": 1.4, "reference": 0.0, "cap": 2},
    "prior_admissions_12m": {"relative_risk": 1.6, "reference": 0.0, "cap": 3},
    "length_of_stay_days": {"relative_risk": 1.05, "reference": 3.0, "cap": 10},
    "acute_admission": {"relative_risk": 2.0, "reference": 1.0, "cap": 1},
}

FEED_FACTORS = """
with stays as (
    select e.encounter_id, e.patient_id, e.admitted_at, e.discharged_at, e.admission_type,
           e.discharge_disposition, d.department_name
    from encounters e join departments d using (department_id)
    where e.encounter_class = 'inpatient' and e.discharged_at is not null
),
codes as (
    select encounter_id,
           max((icd10_code in ('E10.9', 'E11.9', 'E11.22'))::int)
         + max((icd10_code in ('I10', 'I12.9'))::int)
         + max((icd10_code in ('N18.30', 'E11.22', 'I12.9'))::int) as chronic_conditions
    from diagnoses group by encounter_id
),
prior_ed as (
    select s.encounter_id, count(v.encounter_id) as visits
    from stays s join encounters v
      on v.patient_id = s.patient_id and v.encounter_class = 'emergency'
     and v.admitted_at >= s.admitted_at - interval 182 day and v.admitted_at < s.admitted_at
     and v.admitted_encounter_id is distinct from s.encounter_id
    group by s.encounter_id
),
prior_stays as (
    select s.encounter_id, count(p.encounter_id) as stays
    from stays s join encounters p
      on p.patient_id = s.patient_id and p.encounter_class = 'inpatient'
     and p.admitted_at >= s.admitted_at - interval 365 day and p.admitted_at < s.admitted_at
    group by s.encounter_id
)
select s.encounter_id, s.department_name, s.discharge_disposition,
       coalesce(c.chronic_conditions, 0) as chronic_conditions,
       coalesce(e.visits, 0) as prior_emergency_visits_6m,
       coalesce(p.stays, 0) as prior_admissions_12m,
       epoch(s.discharged_at - s.admitted_at) / 86400 as length_of_stay_days,
       (s.admission_type in ('emergency', 'urgent'))::int as acute_admission,
       k.planted_probability_60d, k.planted_probability_30d
from stays s
join planted_readmission_risk k using (encounter_id)
left join codes c using (encounter_id)
left join prior_ed e using (encounter_id)
left join prior_stays p using (encounter_id)
"""


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("discharge_risk")
    scenario = zero_defects(
        tmp,
        SMALL,
        patients=3000,
        readmission__discharge_factors=FACTORS,
        readmission__diagnosis_effects={},
        readmission__payer_multiplier=dict.fromkeys(PAYER_CLASSES, 1.0),
    )
    data = load_scenario(scenario)
    flat = [band.model_copy(update={"readmission_multiplier": 1.0}) for band in data.population.age_bands]
    data = data.model_copy(update={"population": data.population.model_copy(update={"age_bands": flat})})
    out = tmp / "raw"
    generate_extract(data, out, workers=1)
    return data, out


def test_the_planted_risk_is_what_the_feed_shows_at_discharge(extract):
    scenario, out = extract
    rows = connect(out).execute(FEED_FACTORS).df()
    assert len(rows) > 300
    risk = rows["department_name"].map({n: d.readmission_risk_60d for n, d in scenario.departments.items()})
    risk = risk * rows["discharge_disposition"].map(scenario.readmission.disposition_multiplier).fillna(1.0)
    for name, factor in FACTORS.items():
        capped = rows[name].astype(float).clip(upper=factor["cap"])
        risk = risk * factor["relative_risk"] ** (capped - factor["reference"])
    expected = risk.clip(upper=0.95).where(rows["discharge_disposition"] != "expired", 0.0)
    matches = (expected - rows["planted_probability_60d"]).abs() < 1e-9
    # A stay's prior visits are counted when its month's stays are known; a readmission that
    # lands between two of a patient's stays of one month comes later, so it is missed, rarely.
    assert matches.mean() > 0.99, rows.loc[~matches].head().to_string()
    # Every factor moves the risk in this extract (none is constant).
    for name in FACTORS:
        assert rows[name].nunique() > 1, name


def test_the_30_day_probability_is_at_most_the_window_share_plus_what_comes_anyway(extract):
    _, out = extract
    rows = connect(out).execute(FEED_FACTORS).df()
    alive = rows["discharge_disposition"] != "expired"
    assert (rows["planted_probability_30d"] < rows["planted_probability_60d"] + 0.2).all()
    assert (rows.loc[alive, "planted_probability_30d"] > 0).all()
    assert rows["planted_probability_30d"].between(0, 1).all()


def test_the_answer_key_is_not_in_the_feed(extract):
    _, out = extract
    assert "planted_readmission_risk" not in FEED_TABLES
    con = connect(out)
    for table in FEED_TABLES:
        columns = [c.lower() for c in con.execute(f"select * from {table} limit 0").df().columns]
        assert not any(c.startswith("planted_probability") for c in columns), table
    assert table_dir(out, "planted_readmission_risk").parent.name == "answer_key"


def test_without_discharge_factors_only_department_band_disposition_and_payer_set_the_risk(tmp_path):
    scenario = zero_defects(
        tmp_path, SMALL, readmission__discharge_factors={}, readmission__diagnosis_effects={}
    )
    generate(scenario, tmp_path / "raw")
    rows = connect(tmp_path / "raw").execute(FEED_FACTORS).df()
    loaded = load_scenario(scenario)
    home = rows[(rows["department_name"] == "Internal Medicine") & (rows["discharge_disposition"] == "home")]
    assert len(home) > 5
    readmission = loaded.readmission
    products = [
        band.readmission_multiplier * payer * readmission.disposition_multiplier["home"]
        for band in loaded.population.age_bands
        for payer in readmission.payer_multiplier.values()
    ]
    ratios = home["planted_probability_60d"] / loaded.departments["Internal Medicine"].readmission_risk_60d
    assert all(any(math.isclose(r, p, rel_tol=1e-9) for p in products) for r in ratios)
