"""The official ICD-10-CM code set, from the simple-icd-10-cm package, as a Parquet reference
table that dbt reads as a source (faster than a 75,000-row seed, and never edited by hand)."""

from pathlib import Path

from dagster_project.reference.parquet import package_versions, write_reference_table

ICD10CM_TABLE = "icd10cm_codes"


def icd10cm_codes():
    """Every ICD-10-CM category and code (chapters and blocks left out), with the dot.
    The package lists a few codes twice (under two parents); each is kept once."""
    import pyarrow as pa
    import simple_icd_10_cm as icd

    codes = [
        code
        for code in dict.fromkeys(icd.get_all_codes(with_dots=True))
        if icd.is_category(code) or icd.is_subcategory(code)
    ]
    return pa.table(
        {
            "code": pa.array(codes, pa.string()),
            "description": pa.array([icd.get_description(code) for code in codes], pa.string()),
            "is_billable": pa.array([icd.is_leaf(code) for code in codes], pa.bool_()),
        }
    )


def source_version() -> str:
    """Which code set a table holds: the package and its version."""
    return package_versions("simple-icd-10-cm")


def write_icd10cm_codes(reference_dir: Path) -> int:
    """Write the code set to <reference_dir>/icd10cm_codes/ (kept when built from the same
    package version); return the row count."""
    return write_reference_table(reference_dir, ICD10CM_TABLE, icd10cm_codes, source_version())
