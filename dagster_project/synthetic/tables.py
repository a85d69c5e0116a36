"""Names of the raw tables the generator lands, in write order, with one-line descriptions.

Stdlib only: Dagster definitions import this at load time to declare one asset per table.
"""

RAW_TABLES: dict[str, str] = {
    "extract_manifest": "One row: the extract's history fingerprint, seed, patients and date range.",
    "payers": "One row per payer (insurance plan or self-pay) with its payer class.",
    "departments": "One row per hospital department with its specialty.",
    "providers": "One row per provider (attending or performing) with department and specialty.",
    "patients": "One row per patient version as exported by the EMR (re-sent rows possible).",
    "coverage": "One row per insurance coverage period of a patient (turning 65 moves to Medicare).",
    "encounters": "One row per encounter version: class, admit/discharge, department, payer.",
    "diagnoses": "One row per ICD-10-CM diagnosis of an encounter, principal first, with POA.",
    "procedures": "One row per CPT/HCPCS procedure with time and performing provider.",
    "observations": "One row per LOINC-coded vital sign or lab value of an encounter.",
    "charges": "One row per gross charge line of an encounter.",
    "payments": "One row per encounter remittance: allowed, payer paid, patient paid.",
    "surveys": "One row per returned HCAHPS-style satisfaction survey of an inpatient discharge.",
    "defect_ledger": "One row per defect planted on purpose: table, row key, column, kind.",
}
