"""Every reference table dbt's `reference` source reads, with the function that writes it:
the one list the Dagster assets, the test helpers and the benchmarks land from."""

from collections.abc import Callable
from pathlib import Path

from dagster_project.reference.ccs import (
    CCS_DIAGNOSIS_TABLE,
    CCS_PROCEDURE_TABLE,
    write_ccs_icd10cm,
    write_ccs_icd10pcs,
)
from dagster_project.reference.comorbidities import COMORBIDITIES_TABLE, write_icd10cm_comorbidities
from dagster_project.reference.icd10cm import ICD10CM_TABLE, write_icd10cm_codes
from dagster_project.reference.icd10pcs import ICD10PCS_TABLE, write_icd10pcs_codes

REFERENCE_WRITERS: dict[str, Callable[[Path], int]] = {
    ICD10CM_TABLE: write_icd10cm_codes,
    ICD10PCS_TABLE: write_icd10pcs_codes,
    CCS_DIAGNOSIS_TABLE: write_ccs_icd10cm,
    CCS_PROCEDURE_TABLE: write_ccs_icd10pcs,
    COMORBIDITIES_TABLE: write_icd10cm_comorbidities,
}


def write_reference_tables(reference_dir: Path) -> dict[str, int]:
    """Write every reference table under reference_dir; return the row count of each."""
    return {name: write(reference_dir) for name, write in REFERENCE_WRITERS.items()}
