"""Reference catalogs (CSV files shipped as package data), read once into column arrays."""

import csv
from functools import cache
from pathlib import Path

import numpy as np

CATALOG_DIR = Path(__file__).parent / "catalogs"


@cache
def load(name: str) -> dict[str, np.ndarray]:
    """Columns of catalogs/<name>.csv as arrays; numeric-looking columns become float, except
    codes (columns named *code), which stay text: revenue code 0360 is not the number 360."""
    with open(CATALOG_DIR / f"{name}.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns: dict[str, np.ndarray] = {}
    for key in rows[0]:
        values = [row[key] for row in rows]
        if key.endswith("code"):
            columns[key] = np.array(values, dtype=object)
            continue
        try:
            columns[key] = np.array([float(v) for v in values])
        except ValueError:
            columns[key] = np.array(values, dtype=object)
    return columns
