"""Reference catalogs are real codes: ICD-10-CM checked against simple_icd_10_cm, LOINC check digits."""

import re

import simple_icd_10_cm as icd

from dagster_project.synthetic.catalogs import load
from dagster_project.synthetic.scenario import DEPARTMENTS

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


def test_procedure_codes_are_cpt_or_hcpcs_shaped_with_own_labels():
    cat = load("procedures")
    for code, system, label in zip(cat["code"], cat["code_system"], cat["label"], strict=True):
        pattern = r"\d{5}" if system == "CPT" else r"[A-V]\d{4}"
        assert re.fullmatch(pattern, code), code
        assert 5 <= len(label) <= 60
    assert (cat["base_charge"] > 0).all()


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
