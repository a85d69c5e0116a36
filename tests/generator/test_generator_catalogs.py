"""Reference catalogs are real codes: ICD-10-CM checked against simple_icd_10_cm, ICD-10-PCS
against the code set the warehouse validates with (drg package), LOINC check digits; and what
the catalogs say about planned readmissions and excluded cohorts agrees with the CMS lists the
warehouse applies (the dbt seeds), so a planted unplanned readmission is measured unplanned."""

import csv
import re
from functools import cache

import numpy as np
import pytest
import simple_icd_10_cm as icd

from dagster_project.reference.ccs import DIAGNOSIS_FILE, PROCEDURE_FILE, hcup_ccs, nearest_categories
from dagster_project.reference.icd10pcs import icd10pcs_codes
from dagster_project.synthetic.catalogs import load
from dagster_project.synthetic.diagnosis_catalog import pick_principal
from dagster_project.synthetic.scenario import DEPARTMENTS
from tests.support.paths import REPO_ROOT

SEEDS = REPO_ROOT / "dbt" / "seeds"

CHRONIC_CODES = ("E11.9", "E11.22", "E10.9", "I10", "I12.9", "N18.30")


def test_diagnosis_catalog_is_a_few_hundred_billable_icd10cm_codes():
    codes = list(load("diagnoses")["code"]) + list(load("secondary_diagnoses")["code"])
    assert len(codes) >= 300
    invalid = [c for c in codes + list(CHRONIC_CODES) if not (icd.is_valid_item(c) and icd.is_leaf(c))]
    assert invalid == []


def test_every_department_has_weighted_codes():
    cat = load("diagnoses")
    assert set(cat["department"]) == set(DEPARTMENTS)
    assert (cat["weight"] > 0).all()
    assert set(cat["sex"]) <= {"any", "F", "M"}
    assert set(cat["requires"]) <= {"", "diabetes", "hypertension", "ckd"}


def test_procedure_codes_are_shaped_by_their_system_with_own_labels():
    cat = load("procedures")
    patterns = {"CPT": r"\d{5}", "HCPCS": r"[A-V]\d{4}", "ICD10PCS": r"[0-9A-HJ-NP-Z]{7}"}
    for code, system, label in zip(cat["code"], cat["code_system"], cat["label"], strict=True):
        assert re.fullmatch(patterns[system], code), code
        assert 5 <= len(label) <= 60
    assert (cat["base_charge"] > 0).all()


@cache
def _hcup(file_name: str) -> dict[str, tuple[int, str]]:
    return hcup_ccs(file_name)


def test_inpatient_procedures_are_real_icd10pcs_codes_billed_under_revenue_codes():
    """Inpatient department procedures are ICD-10-PCS codes of the code set (with an AHRQ CCS
    category, which the planned readmission algorithm reads); CPT stays for professional and
    outpatient services (the inpatient E&M visit)."""
    cat = load("procedures")
    code_set = set(icd10pcs_codes().column("code").to_pylist())
    categories = _hcup(PROCEDURE_FILE)
    for code, system, department, classes, revenue in zip(
        cat["code"], cat["code_system"], cat["department"], cat["classes"], cat["revenue_code"], strict=True
    ):
        if system == "ICD10PCS":
            assert code in code_set and code in categories, code
            assert classes == "inpatient" and re.fullmatch(r"0\d{3}", revenue), code
        elif "inpatient" in classes.split(";"):
            assert department == "any", f"{code}: a department's inpatient procedure must be ICD-10-PCS"
    pcs_departments = {
        d for d, s in zip(cat["department"], cat["code_system"], strict=True) if s == "ICD10PCS"
    }
    assert pcs_departments == set(DEPARTMENTS)


@cache
def _seed(name: str) -> set[int]:
    with open(SEEDS / f"{name}.csv", newline="") as handle:
        return {int(next(iter(row.values()))) for row in csv.DictReader(handle)}


def _exclusions() -> dict[int, str]:
    with open(SEEDS / "readmission_cohort_exclusion_ccs.csv", newline="") as handle:
        return {int(row["ccs_diagnosis_category"]): row["exclusion"] for row in csv.DictReader(handle)}


def _diagnosis_categories(codes) -> dict[str, int | None]:
    """CCS category of each code, as the reference table maps it (dagster_project/reference/ccs.py)."""
    mapped = _hcup(DIAGNOSIS_FILE)
    compact = {code: code.replace(".", "") for code in codes}
    newer = nearest_categories([c for c in compact.values() if c not in mapped], mapped)
    found = {**{c: category for c, (category, _) in mapped.items()}, **{c: k for c, (k, _) in newer.items()}}
    return {code: found.get(c) for code, c in compact.items()}


def test_potentially_planned_procedures_are_those_of_the_cms_lists():
    """Catalog column potentially_planned (what the generator keeps off unplanned readmissions)
    is true exactly for the ICD-10-PCS codes whose CCS category is in PR.1 or PR.3."""
    cat = load("procedures")
    categories = _hcup(PROCEDURE_FILE)
    planned = _seed("planned_readmission_always_procedure_ccs") | _seed(
        "planned_readmission_potential_procedure_ccs"
    )
    for code, system, flag in zip(cat["code"], cat["code_system"], cat["potentially_planned"], strict=True):
        expected = system == "ICD10PCS" and categories[code][0] in planned
        assert bool(flag) == expected, code


def test_inpatient_roles_of_diagnoses_are_those_of_the_cms_lists():
    """planned_stay codes are always planned (PR.2), psychiatric and rehabilitation codes are
    in those HWR exclusions, and no ordinary code is either: an unplanned readmission's
    principal diagnosis never makes it planned, and cohorts are planted only by the scenario."""
    cat = load("diagnoses")
    categories = _diagnosis_categories(set(cat["code"]))
    always_planned = _seed("planned_readmission_always_diagnosis_ccs")
    exclusions = _exclusions()
    for code, role in zip(cat["code"], cat["inpatient_role"], strict=True):
        category = categories[code]
        excluded = exclusions.get(category)
        if role == "planned_stay":
            assert category in always_planned and excluded == "cancer_treatment", code
        elif role in ("psychiatric", "rehabilitation"):
            assert excluded == role, code
        else:
            assert role == "" and category not in always_planned, code
            assert excluded in (None, "cancer_treatment"), code


def test_planned_stays_are_planned_by_the_algorithm():
    """Each planned stay of catalogs/planned_stays.csv is planned by PR v4.0: an always-planned
    principal diagnosis, or a potentially planned procedure with a principal that is not acute."""
    stays = load("planned_stays")
    categories = _diagnosis_categories(set(stays["principal_code"]))
    procedure_categories = _hcup(PROCEDURE_FILE)
    for principal, procedure in zip(stays["principal_code"], stays["procedure_code"], strict=True):
        diagnosis = categories[principal]
        always = diagnosis in _seed("planned_readmission_always_diagnosis_ccs")
        potential = procedure_categories[procedure][0] in _seed("planned_readmission_potential_procedure_ccs")
        acute = diagnosis in _seed("planned_readmission_acute_diagnosis_ccs")
        assert always or (potential and not acute), (principal, procedure)


def _loinc_check_digit(number: str) -> int:
    """LOINC mod-10 check digit (Luhn variant over the code digits)."""
    digits = [int(d) for d in number]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 0:
            digit *= 2
            digit = digit // 10 + digit % 10
        total += digit
    return (10 - total % 10) % 10


def test_loinc_codes_have_valid_check_digits():
    cat = load("observations")
    assert len(cat["loinc_code"]) == 8
    for code in cat["loinc_code"]:
        number, check = code.split("-")
        assert _loinc_check_digit(number) == int(check), code


def test_a_code_is_required_only_where_none_is_given():
    """A woman of 50 fits no drawable Obstetrics code: drawing one for her is a clear error,
    unless her stay brings its own (a delivery), when she gets -1 and the others get the codes
    they would get if she fitted."""
    obstetrics = DEPARTMENTS.index("Obstetrics")
    department = np.full(3, obstetrics)
    age, female = np.array([28.0, 50.03, 35.0]), np.ones(3, dtype=bool)
    conditions = np.zeros((3, 3), dtype=bool)
    inpatient = np.ones(3, dtype=bool)
    with pytest.raises(ValueError, match="department Obstetrics has no catalog diagnosis"):
        pick_principal(np.random.default_rng(1), department, age, female, conditions, inpatient)
    given = np.array([False, True, False])
    picked = pick_principal(
        np.random.default_rng(1), department, age, female, conditions, inpatient, required=~given
    )
    fitting_age = np.array([28.0, 30.0, 35.0])
    fitting = pick_principal(np.random.default_rng(1), department, fitting_age, female, conditions, inpatient)
    assert picked[1] == -1 and fitting[1] >= 0
    assert (picked[[0, 2]] >= 0).all() and (picked[[0, 2]] == fitting[[0, 2]]).all()
