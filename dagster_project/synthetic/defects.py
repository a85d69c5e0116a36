"""Dirty data planted on purpose, and the ledger that lists every planted defect.

Whether a row is hit depends only on (seed, table, defect kind, row key) through a counter-based
hash, so the same rows are hit whatever the date range or shard layout. Column defects are
applied to the original rows first; re-sent duplicates then copy the (possibly dirty) original
with a later extracted_at, so each ledger entry (table, row_key, column, kind) is unique.
Row-level defects use column_name "*"; an updated re-send names the column it changed.
"""

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import rng as streams
from .catalogs import load
from .scenario import DEFECT_KINDS, Defects, Scenario
from .tables import FEED_TABLES

KEY = "_key"
LEDGER_SCHEMA = pa.schema(
    [
        ("table_name", pa.string()),
        ("row_key", pa.string()),
        ("column_name", pa.string()),
        ("defect_kind", pa.string()),
    ]
)
PRIMARY_KEYS = {
    "patients": "patient_id",
    "encounters": "encounter_id",
    "diagnoses": "diagnosis_id",
    "procedures": "procedure_id",
    "observations": "observation_id",
    "charges": "charge_id",
}
ORPHAN_TABLES = ("diagnoses", "procedures", "observations", "charges")
SEX_SPELLINGS = {"F": ["female", "Female", "f", "FEMALE"], "M": ["male", "Male", "m", "MALE"]}
US_PER_DAY = 86_400_000_000


class _Ledger:
    def __init__(self) -> None:
        self.parts: list[pa.Table] = []

    def add(self, table: str, keys: pa.Array, column: str, kind: str) -> None:
        n = len(keys)
        if n:
            self.parts.append(
                pa.table(
                    [
                        pa.array([table] * n, pa.string()),
                        keys.cast(pa.string()),
                        pa.array([column] * n, pa.string()),
                        pa.array([kind] * n, pa.string()),
                    ],
                    schema=LEDGER_SCHEMA,
                )
            )

    def table(self) -> pa.Table:
        return pa.concat_tables(self.parts) if self.parts else LEDGER_SCHEMA.empty_table()


def _u(seed: int, table: str, kind: str, keys: pa.Array) -> np.ndarray:
    salt = 1000 + 100 * DEFECT_KINDS.index(kind) + list(FEED_TABLES).index(table)
    return streams.row_uniform(seed, salt, keys.to_numpy())


def _replace(
    table: pa.Table, column: str, mask: np.ndarray, values: Callable[[pa.Array, pa.Array], pa.Array]
) -> pa.Table:
    """Column with rows under mask replaced by values(rows), computed for those rows only."""
    if not mask.any():
        return table
    index = table.schema.get_field_index(column)
    current = table.column(column).combine_chunks()
    rows = pa.array(np.flatnonzero(mask))
    new = pc.replace_with_mask(current, pa.array(mask), values(current.take(rows), rows))
    return table.set_column(index, column, new)


def _hit(table: pa.Table, mask: np.ndarray, ledger: _Ledger, name: str, column: str, kind: str) -> None:
    keys = table.column(PRIMARY_KEYS[name]).filter(pa.array(mask)).combine_chunks()
    ledger.add(name, keys, column, kind)


def _patients(seed: int, rates: Defects, t: pa.Table, ledger: _Ledger) -> pa.Table:
    u = _u(seed, "patients", "sex_spelling", t.column(KEY))
    mask = u < rates.sex_spelling
    variant = (u / max(rates.sex_spelling, 1e-12) * 4).astype(np.int64).clip(0, 3)
    _hit(t, mask, ledger, "patients", "sex", "sex_spelling")

    def spelled(sex: pa.Array, rows: pa.Array) -> pa.Array:
        picks = zip(sex.to_pylist(), variant[rows.to_numpy()], strict=True)
        return pa.array([SEX_SPELLINGS[s][v] for s, v in picks], pa.string())

    return _replace(t, "sex", mask, spelled)


def _encounters(seed: int, rates: Defects, t: pa.Table, ledger: _Ledger) -> pa.Table:
    keys = t.column(KEY)
    admitted = t.column("admitted_at").combine_chunks().cast(pa.int64()).to_numpy()
    u = _u(seed, "encounters", "discharge_before_admit", keys)
    discharged = t.column("discharged_at").is_valid().to_numpy(zero_copy_only=False)
    mask = (u < rates.discharge_before_admit) & discharged
    hours = (1 + (u * 1e6) % 47).astype(np.int64) * 3_600_000_000
    _hit(t, mask, ledger, "encounters", "discharged_at", "discharge_before_admit")
    t = _replace(
        t,
        "discharged_at",
        mask,
        lambda _, rows: pa.array((admitted - hours)[rows.to_numpy()], pa.timestamp("us")),
    )

    u = _u(seed, "encounters", "late_arriving", keys)
    mask = u < rates.late_arriving
    extracted = t.column("extracted_at").combine_chunks().cast(pa.int64()).to_numpy()
    late = extracted + (30 + (u * 1e6) % 90).astype(np.int64) * US_PER_DAY
    _hit(t, mask, ledger, "encounters", "extracted_at", "late_arriving")
    return _replace(
        t, "extracted_at", mask, lambda _, rows: pa.array(late[rows.to_numpy()], pa.timestamp("us"))
    )


def _diagnosis_codes(seed: int, rates: Defects, t: pa.Table, ledger: _Ledger) -> pa.Table:
    """At most one code defect per row: wrong case, stray spaces or a missing dot."""
    u = _u(seed, "diagnoses", "code_case", t.column(KEY))
    code = t.column("icd10_code").combine_chunks()
    dotted = pc.match_substring(code, ".").to_numpy(zero_copy_only=False)
    edges = np.cumsum([rates.code_case, rates.code_whitespace, rates.code_missing_dot])
    case = u < edges[0]
    space = (u >= edges[0]) & (u < edges[1])
    nodot = (u >= edges[1]) & (u < edges[2]) & dotted
    for mask, kind in ((case, "code_case"), (space, "code_whitespace"), (nodot, "code_missing_dot")):
        _hit(t, mask, ledger, "diagnoses", "icd10_code", kind)
    t = _replace(t, "icd10_code", case, lambda codes, _: pc.utf8_lower(codes))
    t = _replace(
        t,
        "icd10_code",
        space,
        lambda codes, _: pc.binary_join_element_wise(pa.scalar(" "), codes, pa.scalar("  "), ""),
    )
    return _replace(t, "icd10_code", nodot, lambda codes, _: pc.replace_substring(codes, ".", ""))


def _vitals(seed: int, rates: Defects, t: pa.Table, ledger: _Ledger) -> pa.Table:
    """A typing slip: extra zeros (or grams typed as kilograms). The factor per LOINC code,
    slip_factor in catalogs/observations.csv, is large enough that a slip on any value the
    generator draws leaves the physiological range: a planted impossible vital is impossible."""
    mask = _u(seed, "observations", "impossible_vital", t.column(KEY)) < rates.impossible_vital
    catalog = load("observations")
    factor_by_code = dict(zip(catalog["loinc_code"], catalog["slip_factor"], strict=True))
    codes = t.column("loinc_code").filter(pa.array(mask)).to_pylist()  # the slipped rows only
    factors = np.array([factor_by_code[code] for code in codes])
    _hit(t, mask, ledger, "observations", "value", "impossible_vital")
    return _replace(t, "value", mask, lambda values, _: pc.multiply(values, pa.array(factors)))


def _orphans(seed: int, rates: Defects, name: str, t: pa.Table, ledger: _Ledger) -> pa.Table:
    """Child rows pointing at an encounter that does not exist (year 9xxx in the id)."""
    mask = _u(seed, name, "orphan_row", t.column(KEY)) < rates.orphan_row
    _hit(t, mask, ledger, name, "encounter_id", "orphan_row")
    return _replace(
        t,
        "encounter_id",
        mask,
        lambda ids, _: pc.binary_join_element_wise(pa.scalar("ENC9"), pc.utf8_slice_codeunits(ids, 4), ""),
    )


def _resend(seed: int, rates: Defects, name: str, t: pa.Table, ledger: _Ledger, update: str) -> pa.Table:
    """Re-sent copies with a later extracted_at; every other copy also updates one column."""
    u = _u(seed, name, "duplicate_resend", t.column(KEY))
    mask = u < rates.duplicate_resend
    copies = t.filter(pa.array(mask))
    if copies.num_rows == 0:
        return t
    cu = u[mask] / max(rates.duplicate_resend, 1e-12)
    extracted = copies.column("extracted_at").combine_chunks().cast(pa.int64()).to_numpy()
    later = extracted + (1 + (cu * 29).astype(np.int64)) * US_PER_DAY
    copies = copies.set_column(
        copies.schema.get_field_index("extracted_at"), "extracted_at", pa.array(later, pa.timestamp("us"))
    )
    updated = cu < 0.5
    donor = copies.column(update).combine_chunks().take(pa.array(np.roll(np.arange(len(cu)), 1)))
    if name == "encounters":
        donor = pa.array(["clinic_referral"] * len(cu), pa.string())
    updated &= ~pc.equal(donor, copies.column(update).combine_chunks()).to_numpy(zero_copy_only=False)
    copies = _replace(copies, update, updated, lambda _, rows: donor.take(rows))
    keys = copies.column(PRIMARY_KEYS[name]).combine_chunks()
    ledger.add(name, keys.filter(pa.array(~updated)), "*", "duplicate_resend")
    ledger.add(name, keys.filter(pa.array(updated)), update, "duplicate_resend")
    return pa.concat_tables([t, copies])


def inject(scenario: Scenario, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Dirty copies of one shard's tables plus its defect_ledger; zero rates change nothing."""
    seed, rates = scenario.seed, scenario.defects
    ledger = _Ledger()
    out = dict(tables)
    out["patients"] = _patients(seed, rates, out["patients"], ledger)
    out["encounters"] = _encounters(seed, rates, out["encounters"], ledger)
    out["diagnoses"] = _diagnosis_codes(seed, rates, out["diagnoses"], ledger)
    out["observations"] = _vitals(seed, rates, out["observations"], ledger)
    for name in ORPHAN_TABLES:
        out[name] = _orphans(seed, rates, name, out[name], ledger)
    out["patients"] = _resend(seed, rates, "patients", out["patients"], ledger, "address_line")
    out["encounters"] = _resend(seed, rates, "encounters", out["encounters"], ledger, "admission_source")
    out["defect_ledger"] = ledger.table()
    return out
