"""Reference code sets landed beside the raw extract, keyed like their dbt source."""

import dagster as dg

from dagster_project import settings
from dagster_project.defs.concurrency import WAREHOUSE_POOL


@dg.asset(
    key=["reference", "icd10cm_codes"],
    description=(
        "The official ICD-10-CM code set (categories and codes, with descriptions and a "
        "billable flag), from the simple-icd-10-cm package; staging validates diagnoses against it."
    ),
    group_name="raw",
    kinds={"python", "parquet"},
    owners=["team:data-platform"],
    pool=WAREHOUSE_POOL,
)
def icd10cm_codes() -> dg.MaterializeResult:
    from dagster_project.reference.icd10cm import write_icd10cm_codes

    row_count = write_icd10cm_codes(settings.reference_dir())
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": row_count,
            "path": dg.MetadataValue.path(str(settings.reference_dir() / "icd10cm_codes")),
        }
    )
