"""Simulate one patient shard over every month and return its rows as Arrow tables."""

import numpy as np
import pyarrow as pa

from .child_tables import coverage_table, month_children
from .core_tables import encounters_table, patients_table, planted_readmission_risk_table
from .defects import inject
from .encounters import FIELDS, EncounterSimulator, months
from .pools import Pools
from .population import US_PER_DAY, Shard, draw_population
from .scenario import Scenario

CHILD_TABLES = ("diagnoses", "procedures", "observations", "charges", "payments", "surveys")


def window_us(scenario: Scenario) -> tuple[int, int]:
    """[start, end) of the extract in microseconds; the end date is inclusive as a day."""
    start = np.datetime64(scenario.start_date, "us").astype(np.int64)
    end = (np.datetime64(scenario.end_date, "D") + 1).astype("datetime64[us]").astype(np.int64)
    return int(start), int(end)


def simulate_shard(scenario: Scenario, shard: Shard, pools: Pools) -> dict[str, pa.Table]:
    """Row tables of one shard (keyed by table name), with planted defects and their ledger and
    the planted readmission risks (answer key)."""
    pop = draw_population(scenario, shard, pools)
    simulator = EncounterSimulator(scenario, shard, pop, pools)  # adds the newborns to pop
    window = start_us, end_us = window_us(scenario)
    kept = []
    children: dict[str, list[pa.Table]] = {name: [] for name in CHILD_TABLES}
    for month in months(scenario):
        rows = simulator.run_month(month)
        for name, table in month_children(scenario, shard, pop, month, rows, window).items():
            children[name].append(table)
        inside = (rows["admit"] >= start_us) & (rows["admit"] < end_us)
        kept.append({name: rows[name][inside] for name in FIELDS})
    encounters = {name: np.concatenate([k[name] for k in kept]) for name in FIELDS}
    born = np.flatnonzero(pop.birth_day * US_PER_DAY < end_us)  # not the babies of the last night
    clean = {
        "patients": patients_table(scenario, pop.take(born), pools, simulator.state.death_us[born], end_us),
        "coverage": coverage_table(scenario, pop.take(born), end_us),
        "encounters": encounters_table(encounters, pop, end_us),
        **{name: pa.concat_tables(parts) for name, parts in children.items()},
    }
    return {
        **inject(scenario, clean),
        "planted_readmission_risk": planted_readmission_risk_table(encounters, end_us),
    }
