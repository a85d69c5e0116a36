"""Reference code sets landed beside the deliveries, keyed like their dbt source."""

import dagster as dg

from dagster_project.defs.concurrency import WAREHOUSE_POOL
from dagster_project.defs.resources import Warehouse


@dg.asset(
    key=["reference", "icd10cm_codes"],
    description=(
        "The official ICD-10-CM code set (categories and codes, with descriptions and a "
        "billable flag), from the simple-icd-10-cm package; staging validates diagnoses against it."
    ),
    group_name="reference",
    kinds={"python", "parquet"},
    owners=["team:data-platform"],
    pool=WAREHOUSE_POOL,
)
def icd10cm_codes(warehouse: Warehouse) -> dg.MaterializeResult:
    from dagster_project.reference.icd10cm import ICD10CM_TABLE, write_icd10cm_codes

    layout = warehouse.layout()
    row_count = write_icd10cm_codes(layout.reference_dir)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": row_count,
            "path": dg.MetadataValue.path(
                str((layout.reference_dir / ICD10CM_TABLE).relative_to(layout.root))
            ),
        }
    )
