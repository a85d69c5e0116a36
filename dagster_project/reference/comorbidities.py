"""Charlson and Elixhauser comorbidities of every billable ICD-10-CM code, as one long Parquet
reference table (one row per code and category) that dbt reads as a source.

Sources, read as data (no code list is typed here):
- Charlson: Quan et al., Med Care 2005;43(11):1130-9, the enhanced ICD-10 coding algorithm, as
  the `comorbidipy` package (MIT) ships it: WHO ICD-10 prefixes per category, matched to the
  ICD-10-CM codes they begin. `weight` is the updated weight of Quan et al., Am J Epidemiol
  2011;173(6):676-82, `weight_alt` the original weight of Charlson et al., J Chronic Dis
  1987;40(5):373-83 (LACE's C uses it). comorbidipy 0.5.0 gives AIDS/HIV an updated weight of
  2; Quan 2011 gives 4, which is used. Its package __init__ fails on pandas 3, so only its
  data modules are loaded.
- Elixhauser: AHRQ HCUP Elixhauser Comorbidity Software Refined for ICD-10-CM v2026.1, the
  official reference file (CMR-Reference-File-v2026-1.xlsx) the `elixhauser-ahrq` package
  (MIT) ships: exact codes per measure and whether the measure needs the diagnosis present on
  admission. `weight` is the measure's readmission index weight, `weight_alt` its mortality
  index weight (AHRQ's CMR_Index_Program_v2026-1, as the package's constants). The raw flags
  CBVD_POA and CBVD_SQLA stay two categories: AHRQ derives CMR_CBVD from them.
The hierarchies (e.g. metastatic cancer over solid tumour) are applied in dbt, by stay.
"""

import importlib
import importlib.util
import sys
import types
from pathlib import Path

from dagster_project.reference.parquet import package_versions, write_reference_table

COMORBIDITIES_TABLE = "icd10cm_comorbidities"
CHARLSON = "charlson_quan2005"
ELIXHAUSER = "elixhauser_ahrq_v2026_1"
# Quan 2011 updated weight of AIDS/HIV; comorbidipy 0.5.0 has 2.
QUAN_2011_AIDS_WEIGHT = 4


def _comorbidipy_data() -> tuple[dict, dict]:
    """comorbidipy's `mapping` and `weights` dicts, without running its package __init__."""
    spec = importlib.util.find_spec("comorbidipy")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("comorbidipy is not installed (pip install -c constraints.txt -e .)")
    alias = "_comorbidipy_data"
    if alias not in sys.modules:
        package = types.ModuleType(alias)
        package.__path__ = list(spec.submodule_search_locations)
        sys.modules[alias] = package
    mapping = importlib.import_module(f"{alias}.mapping").mapping
    weights = importlib.import_module(f"{alias}.weights").weights
    return mapping, weights


def _billable_codes() -> dict[str, str]:
    """{code without dot: code with dot} of every billable ICD-10-CM code."""
    import simple_icd_10_cm as icd

    return {
        code.replace(".", ""): code
        for code in dict.fromkeys(icd.get_all_codes(with_dots=True))
        if (icd.is_category(code) or icd.is_subcategory(code)) and icd.is_leaf(code)
    }


def _charlson_rows(billable: dict[str, str]) -> list[tuple]:
    mapping, weights = _comorbidipy_data()
    updated = dict(weights["charlson_icd10_quan"]["quan"], aids=QUAN_2011_AIDS_WEIGHT)
    original = weights["charlson_icd10_quan"]["charlson"]
    rows = []
    for category, prefixes in mapping["charlson_icd10_quan"].items():
        starts = tuple(prefixes)
        for compact, code in billable.items():
            if compact.startswith(starts):
                rows.append((code, CHARLSON, category, updated[category], original[category], False))
    return rows


def _elixhauser_rows(billable: dict[str, str]) -> list[tuple]:
    from elixhauser_ahrq import ElixhauserLoader, ElixhauserScorer

    loader = ElixhauserLoader()
    measures = loader.comorbidity_measures
    name = measures.iloc[:, 0].str.replace("CMR_", "", regex=False)
    uses_poa = dict(zip(name, measures.iloc[:, 2].str.strip().eq("Yes"), strict=True))
    table = loader.dx_mapping
    categories = list(table.columns[3:])
    rows = []
    for record in table.itertuples(index=False):
        code = billable.get(record[0])
        if code is None:  # a code AHRQ keeps for older years that ICD-10-CM has since split
            continue
        for category, flag in zip(categories, record[3:], strict=True):
            if flag == 1:
                measure = "CBVD" if category.startswith("CBVD_") else category
                rows.append(
                    (
                        code,
                        ELIXHAUSER,
                        category,
                        ElixhauserScorer.READMISSION_WEIGHTS[measure],
                        ElixhauserScorer.MORTALITY_WEIGHTS[measure],
                        uses_poa[measure],
                    )
                )
    return rows


def icd10cm_comorbidities():
    """One row per (billable code, system, category) with the weights and the POA rule."""
    import pyarrow as pa

    billable = _billable_codes()
    rows = sorted(_charlson_rows(billable) + _elixhauser_rows(billable))
    code, system, category, weight, weight_alt, uses_poa = zip(*rows, strict=True)
    return pa.table(
        {
            "icd10cm_code": pa.array(code, pa.string()),
            "system": pa.array(system, pa.string()),
            "category": pa.array(category, pa.string()),
            "weight": pa.array(weight, pa.int16()),
            "weight_alt": pa.array(weight_alt, pa.int16()),
            "uses_poa": pa.array(uses_poa, pa.bool_()),
        }
    )


def source_version() -> str:
    return package_versions("comorbidipy", "elixhauser-ahrq", "simple-icd-10-cm")


def write_icd10cm_comorbidities(reference_dir: Path) -> int:
    """Write the table to <reference_dir>/icd10cm_comorbidities/ (kept when built from the same
    package versions); return the row count."""
    return write_reference_table(reference_dir, COMORBIDITIES_TABLE, icd10cm_comorbidities, source_version())
