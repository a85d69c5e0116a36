"""Names of the tables the generator writes, in write order, with one-line descriptions.

The feed is what an EMR export delivers; the answer key lists what the generator did on purpose
(the defects it planted, each stay's planted readmission risk), for tests and the model's
evaluation to check against. They are written to separate
folders (`feed/`, `answer_key/`) so the warehouse never reads the answer key.
Stdlib only: Dagster definitions import this at load time to declare one asset per table.
"""

FEED_TABLES: dict[str, str] = {
    "extract_manifest": "One row: the extract's history fingerprint, seed, patients and date range.",
    "payers": "One row per payer (insurance plan or self-pay) with its payer class.",
    "departments": "One row per hospital department with its specialty.",
    "providers": "One row per provider (attending or performing) with department and specialty.",
    "patients": "One row per patient version as exported by the EMR (re-sent rows possible).",
    "coverage": "One row per insurance coverage period of a patient (turning 65 moves to Medicare).",
    "encounters": "One row per encounter version: class, admit/discharge, department, payer.",
    "diagnoses": "One row per ICD-10-CM diagnosis of an encounter, principal first, with POA.",
    "procedures": "One row per procedure (ICD-10-PCS inpatient, CPT/HCPCS otherwise) with time and provider.",
    "observations": "One row per LOINC-coded vital sign or lab value of an encounter.",
    "charges": "One row per gross charge line of an encounter.",
    "payments": "One row per encounter remittance: allowed, payer paid, patient paid.",
    "surveys": "One row per returned HCAHPS-style satisfaction survey of an inpatient discharge.",
}
ANSWER_KEY_TABLES: dict[str, str] = {
    "defect_ledger": "One row per defect planted on purpose: table, row key, column, kind.",
    "planted_readmission_risk": (
        "One row per inpatient discharge: the unplanned-readmission probability the generator "
        "planted (60 days, as drawn; 30 days, the marts' outcome)."
    ),
}
FEED_DIR = "feed"
ANSWER_KEY_DIR = "answer_key"


def table_folder(table: str) -> str:
    """The folder of a table inside an extract: feed/<table> or answer_key/<table>."""
    return f"{ANSWER_KEY_DIR if table in ANSWER_KEY_TABLES else FEED_DIR}/{table}"
