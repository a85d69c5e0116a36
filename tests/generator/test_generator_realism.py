"""Invariants of a clean extract: no impossible rows, consistent timelines, coherent money."""

import pytest
from generator_helpers import SMALL, by_key, generate, kpi_connection, scalar, zero_defects


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("realism")
    out = tmp / "raw"
    generate(zero_defects(tmp, SMALL), out, patients=4000, start_date="2023-01-01")
    return kpi_connection(out)


def test_children_never_on_medicare(con):
    assert scalar(con, "select count(*) from stays where age < 18") > 100
    assert (
        scalar(
            con,
            """
        select count(*) from stays join payers using (payer_id)
        where age < 18 and payer_class = 'medicare'""",
        )
        == 0
    )
    assert (
        scalar(
            con,
            """
        select count(*) from coverage c join patients p using (patient_id) join payers using (payer_id)
        where payer_class = 'medicare' and date_diff('year', p.birth_date, c.start_date) < 18""",
        )
        == 0
    )


def test_turning_65_moves_to_medicare(con):
    switched = con.execute("""
        select c.start_date, p.birth_date, payer_class from coverage c
        join patients p using (patient_id) join payers using (payer_id)
        where c.coverage_id like '%2'""").fetchall()
    assert len(switched) > 10
    assert all(
        (start.year - birth.year, start.month, start.day) == (65, birth.month, birth.day)
        or (birth.month, birth.day) == (2, 29)
        for start, birth, _ in switched
    )
    assert sum(cls == "medicare" for *_, cls in switched) / len(switched) > 0.8
    seniors = by_key(
        con,
        """
        select payer_class, count(*) from stays join payers using (payer_id) where age >= 66 group by 1""",
    )
    assert seniors["medicare"] / sum(seniors.values()) > 0.85


def test_obstetrics_only_women_of_childbearing_age(con):
    assert scalar(con, "select count(*) from stays where dept = 'Obstetrics'") > 50
    assert (
        scalar(
            con,
            """
        select count(*) from stays where dept = 'Obstetrics' and (sex <> 'F' or age < 15 or age > 49)""",
        )
        == 0
    )
    assert scalar(con, "select count(*) from stays where dept = 'Pediatrics' and age >= 18") == 0


def test_no_encounter_before_birth_after_death_or_overlapping(con):
    assert scalar(con, "select count(*) from stays where admitted_at::date < birth_date") == 0
    assert (
        scalar(
            con,
            """
        select count(*) from stays join patients p using (patient_id)
        where p.death_date is not null and admitted_at::date > p.death_date""",
        )
        == 0
    )
    assert (
        scalar(
            con,
            """
        select count(*) from (
            select admitted_at, max(discharged_at) over (
                partition by patient_id order by admitted_at
                rows between unbounded preceding and 1 preceding) as latest_discharge
            from encounters) where admitted_at < latest_discharge""",
        )
        == 0
    )
    died = scalar(
        con,
        """
        select count(*) from encounters e join patients p using (patient_id)
        where discharge_disposition = 'expired' and p.death_date = discharged_at::date""",
    )
    assert died == scalar(con, "select count(*) from encounters where discharge_disposition = 'expired'") > 0


def test_diagnoses_principal_first_and_department_consistent(con):
    assert (
        scalar(
            con,
            """
        select count(*) from encounters e left join diagnoses d
          on d.encounter_id = e.encounter_id and d.is_principal and d.sequence = 1
        where d.encounter_id is null""",
        )
        == 0
    )
    assert scalar(con, "select count(*) from diagnoses where is_principal and sequence <> 1") == 0
    assert (
        scalar(
            con,
            """
        select count(*) from diagnoses d join encounters e using (encounter_id)
        where (e.encounter_class = 'inpatient') <> (d.present_on_admission is not null)""",
        )
        == 0
    )
    assert (
        scalar(
            con,
            "select count(*) from stays where dept = 'Obstetrics' "
            "and pdx not like 'O%' and pdx not like 'Z%' and pdx not like 'N%' and pdx not like 'D%'",
        )
        == 0
    )


def test_vitals_plausible_and_follow_conditions(con):
    ranges = by_key(con, "select loinc_code, [min(value), max(value)] from observations group by 1")
    assert ranges["8480-6"][0] >= 60 and ranges["8480-6"][1] <= 230
    assert ranges["8310-5"][0] >= 34 and ranges["8310-5"][1] <= 42
    assert ranges["59408-5"][1] <= 100 and ranges["59408-5"][0] >= 80
    glucose = by_key(
        con,
        """
        select exists (select 1 from diagnoses d where d.patient_id = o.patient_id
                       and (d.icd10_code like 'E11%' or d.icd10_code like 'E10%')) as diabetic,
               avg(value) from observations o where loinc_code = '2339-0' group by 1""",
    )
    assert glucose[True] > glucose[False] + 40
    systolic = by_key(
        con,
        """
        select exists (select 1 from diagnoses d where d.patient_id = o.patient_id
                       and (d.icd10_code in ('I10', 'I12.9', 'I11.0', 'I13.0'))) as htn,
               avg(value) from observations o where loinc_code = '8480-6' group by 1""",
    )
    assert systolic[True] > systolic[False] + 10


def test_money_adds_up_and_uninsured_pay_little(con):
    assert scalar(con, "select count(*) from charges where charge_amount <= 0") == 0
    assert (
        scalar(
            con,
            """
        select count(*) from payments
        where allowed_amount > gross_charge + 0.01
           or abs(payer_paid + patient_responsibility - allowed_amount) > 0.011
           or patient_paid > patient_responsibility + 0.001""",
        )
        == 0
    )
    paid_share = by_key(
        con,
        """
        select payer_class, sum(payer_paid + patient_paid) / sum(gross_charge)
        from payments join payers using (payer_id) group by 1""",
    )
    assert paid_share["self_pay"] < 0.1 < paid_share["private"]
    assert (
        scalar(
            con,
            """
        select count(*) from payments join payers using (payer_id)
        where payer_class = 'self_pay' and payer_paid <> 0""",
        )
        == 0
    )


def test_readmissions_come_from_history_flag_is_imperfect(con):
    agree = con.execute("""
        with ordered as (
            select encounter_id, source_readmission_flag as flag,
                   admitted_at <= lag(discharged_at) over w + interval 60 day as follows_stay
            from encounters where encounter_class = 'inpatient'
            window w as (partition by patient_id order by admitted_at))
        select count(*) filter (where flag), count(*) filter (where flag and follows_stay)
        from ordered""").fetchone()
    flagged, flagged_after_stay = agree
    assert flagged > 20
    assert 0.7 < flagged_after_stay / flagged < 1.0


def test_surveys_only_for_live_inpatient_discharges(con):
    assert scalar(con, "select count(*) from surveys") > 20
    assert (
        scalar(
            con,
            """
        select count(*) from surveys s join encounters e using (encounter_id)
        where e.encounter_class <> 'inpatient' or e.discharge_disposition = 'expired'
           or s.received_at < e.discharged_at or s.overall_rating not between 0 and 10""",
        )
        == 0
    )


def test_procedures_inside_stay_by_known_providers(con):
    assert (
        scalar(
            con,
            """
        select count(*) from procedures p join encounters e using (encounter_id)
        where p.performed_at < e.admitted_at or p.performed_at > e.discharged_at""",
        )
        == 0
    )
    assert (
        scalar(
            con,
            "select count(*) from procedures where provider_id not in (select provider_id from providers)",
        )
        == 0
    )
    assert (
        scalar(
            con,
            """
        select count(*) from encounters e join providers p using (provider_id)
        where p.department_id <> e.department_id""",
        )
        == 0
    )


def test_every_birth_stay_links_to_its_mothers_delivery(con):
    """A newborn's birth stay names the delivery it came from: an Obstetrics inpatient stay of a
    woman aged 15-49 coded as a delivery of the same mode (Z38.01 after a cesarean code), during
    which the baby was born; the baby shares the mother's family name and address."""
    con.execute("""
        create or replace view birth_stays as
        select b.encounter_id, b.pdx as newborn_code, b.dept, b.age, b.birth_date, b.admitted_at,
               m.encounter_id as delivery_id, m.pdx as delivery_code, m.dept as delivery_dept,
               m.encounter_class as delivery_class, m.sex as mother_sex, m.age as mother_age,
               m.admitted_at as delivery_admitted_at, m.discharged_at as delivery_discharged_at,
               bp.last_name = mp.last_name and bp.address_line = mp.address_line as same_family
        from stays b
        left join stays m on m.encounter_id = b.mother_encounter_id
        left join patients bp on bp.patient_id = b.patient_id
        left join patients mp on mp.patient_id = m.patient_id
        where b.admission_type = 'newborn'""")
    assert scalar(con, "select count(*) from birth_stays") > 50
    assert (
        scalar(
            con,
            """
        select count(*) from birth_stays
        where delivery_id is null or dept <> 'Pediatrics' or age <> 0
           or birth_date <> admitted_at::date or newborn_code not in ('Z38.00', 'Z38.01')
           or delivery_dept <> 'Obstetrics' or delivery_class <> 'inpatient'
           or mother_sex <> 'F' or mother_age not between 15 and 49
           or admitted_at < delivery_admitted_at or admitted_at >= delivery_discharged_at
           or not same_family""",
        )
        == 0
    )
    modes = by_key(
        con,
        "select newborn_code, list(distinct delivery_code) from birth_stays group by 1",
    )
    assert set(modes["Z38.01"]) <= {"O34.211", "O82", "O32.1XX0"}
    assert set(modes["Z38.00"]) <= {"O80", "O70.1", "O48.0", "O60.14X0"}
    # every delivery brought one baby, except those whose baby is born after the extract ends
    unmatched = scalar(
        con,
        """
        select count(*) from stays d
        where d.pdx in ('O80', 'O70.1', 'O48.0', 'O60.14X0', 'O34.211', 'O82', 'O32.1XX0')
          and not exists (select 1 from encounters b where b.mother_encounter_id = d.encounter_id)
          and d.admitted_at < (select max(admitted_at) from encounters) - interval 1 day""",
    )
    assert unmatched == 0
    assert (
        scalar(con, "select count(*) from stays where pdx like 'Z38%' and admission_type <> 'newborn'") == 0
    )
    assert (
        scalar(
            con,
            "select count(*) from surveys join stays using (encounter_id) where admission_type = 'newborn'",
        )
        == 0
    )


def test_deliveries_are_at_least_ten_months_apart(con):
    closest = scalar(
        con,
        """
        select min(gap) from (
            select date_diff('day', lag(admitted_at) over (partition by patient_id order by admitted_at),
                             admitted_at) as gap
            from stays where pdx in ('O80', 'O70.1', 'O48.0', 'O60.14X0', 'O34.211', 'O82', 'O32.1XX0'))""",
    )
    assert closest is None or closest >= 300


def test_ed_visits_that_end_in_admission_name_the_stay(con):
    """Every inpatient stay admitted through the ED follows exactly one ED visit of the same
    patient that ends when the stay begins, with disposition admitted_inpatient, naming it."""
    via_ed = scalar(
        con,
        "select count(*) from encounters "
        "where encounter_class = 'inpatient' and admission_source = 'emergency_department'",
    )
    assert via_ed > 50
    pairs = con.execute("""
        select count(*), count(distinct s.encounter_id),
               count(*) filter (where s.encounter_class <> 'inpatient' or s.patient_id <> v.patient_id
                                or s.admitted_at <> v.discharged_at
                                or s.admission_source <> 'emergency_department'
                                or v.admitted_at > v.discharged_at or d.department_name <> 'Emergency')
        from encounters v join encounters s on s.encounter_id = v.admitted_encounter_id
        join departments d on d.department_id = v.department_id
        where v.encounter_class = 'emergency'""").fetchone()
    assert pairs == (via_ed, via_ed, 0)
    assert (
        scalar(
            con,
            """
        select count(*) from encounters
        where (discharge_disposition = 'admitted_inpatient') <> (admitted_encounter_id is not null)""",
        )
        == 0
    )
