"""The official ICD-10-CM code set, from the simple-icd-10-cm package, as a Parquet reference
table that dbt reads as a source (faster than a 75,000-row seed, and never edited by hand)."""

import os
from pathlib import Path

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
    from importlib.metadata import version

    return f"simple-icd-10-cm {version('simple-icd-10-cm')}"


def write_icd10cm_codes(reference_dir: Path) -> int:
    """Write the code set to <reference_dir>/icd10cm_codes/ atomically; return the row count.

    A table already written from the same package version is kept as it is: building it takes
    seconds, and every run materializes it."""
    import pyarrow.parquet as pq

    table_dir = reference_dir / ICD10CM_TABLE
    target = table_dir / "part-00000.parquet"
    source = source_version().encode()
    if target.exists() and (pq.read_schema(target).metadata or {}).get(b"source") == source:
        return pq.read_metadata(target).num_rows
    table = icd10cm_codes()
    table = table.replace_schema_metadata({b"source": source})
    table_dir.mkdir(parents=True, exist_ok=True)
    temporary = table_dir / "part-00000.parquet.tmp"
    pq.write_table(table, temporary)
    os.replace(temporary, target)
    return table.num_rows
