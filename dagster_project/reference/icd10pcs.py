"""The ICD-10-PCS code set (inpatient procedures, as US hospitals code them on inpatient
claims), as a Parquet reference table that staging validates procedure codes against.

Source: the complete code list with long titles shipped in the `drg` package
(drg/data/tuva/icd_10_pcs.csv, Apache-2.0; CMS public-domain content). It holds 78,638
codes; its newest new-technology (section X) codes are of fiscal year 2024, so codes added
in FY2025 or later are not in it (docs/design.md, Reference data). The file is read as data:
the package's own modules (an MS-DRG grouper) are never imported.
"""

import csv
import importlib.util
from pathlib import Path

from dagster_project.reference.parquet import package_versions, write_reference_table

ICD10PCS_TABLE = "icd10pcs_codes"


def package_data(package: str, *parts: str) -> Path:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {package!r} is not installed (see pyproject.toml)")
    return Path(spec.submodule_search_locations[0]).joinpath(*parts)


def icd10pcs_codes():
    """Every ICD-10-PCS code (7 characters, no dot) with its long description."""
    import pyarrow as pa

    path = package_data("drg", "data", "tuva", "icd_10_pcs.csv")
    with open(path, newline="") as handle:
        rows = [(code.strip(), description.strip()) for code, description in csv.reader(handle)]
    codes = dict(rows)  # one row per code
    if len(codes) != len(rows) or any(len(code) != 7 for code in codes):
        raise ValueError(f"{path}: expected one 7-character ICD-10-PCS code per row")
    return pa.table(
        {
            "code": pa.array(list(codes), pa.string()),
            "description": pa.array(list(codes.values()), pa.string()),
        }
    )


def write_icd10pcs_codes(reference_dir: Path) -> int:
    """Write the code set to <reference_dir>/icd10pcs_codes/ (kept when built from the same
    package version); return the row count."""
    return write_reference_table(reference_dir, ICD10PCS_TABLE, icd10pcs_codes, package_versions("drg"))
