"""Random streams keyed by purpose, shard and month, so history never depends on the date range.

Every draw comes from a stream derived from (seed, purpose, shard, month) with
numpy.random.SeedSequence spawn keys: extending the end date only adds new months' streams and
leaves the earlier ones, and the records drawn from them, unchanged. Per-row decisions that must
not depend on how many rows came before (defects) use a counter-based hash of the row's key.
"""

import numpy as np

# Purposes: fixed small integers, never renumbered (changing one changes every extract).
PATIENTS = 2
PROVIDERS = 3
ENCOUNTERS = 4
DIAGNOSES = 5
PROCEDURES = 6
OBSERVATIONS = 7
FINANCE = 8
SURVEYS = 9
BIRTHS = 10
EMERGENCY_ARRIVALS = 11


def stream(seed: int, purpose: int, *key: int) -> np.random.Generator:
    """An independent generator for one (purpose, *key) cell of the simulation."""
    sequence = np.random.SeedSequence(seed, spawn_key=(purpose, *key))
    return np.random.Generator(np.random.PCG64(sequence))


def _splitmix64(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def row_uniform(seed: int, salt: int, keys: np.ndarray) -> np.ndarray:
    """A uniform [0, 1) per row that depends only on (seed, salt, row key)."""
    base = _splitmix64(np.array([seed, salt], dtype=np.uint64)).astype(np.uint64)
    with np.errstate(over="ignore"):
        mixed = _splitmix64(keys.astype(np.uint64) ^ base[0])
        mixed = _splitmix64(mixed ^ base[1])
    return (mixed >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def choice(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Indices drawn from one weight vector (normalised here)."""
    p = np.asarray(weights, dtype=np.float64)
    cdf = np.cumsum(p / p.sum())
    cdf[-1] = 1.0
    return np.searchsorted(cdf, rng.random(size), side="right")


def choice_rows(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One index per row of a weight matrix; rows with zero total get -1."""
    cdf = np.cumsum(weights, axis=1)
    total = cdf[:, -1]
    u = rng.random(len(weights)) * total
    picked = (cdf <= u[:, None]).sum(axis=1)
    picked = np.minimum(picked, weights.shape[1] - 1)
    return np.where(total > 0, picked, -1)


def choice_by_group(rng: np.random.Generator, weights: np.ndarray, group: np.ndarray) -> np.ndarray:
    """choice_rows(rng, weights[group]) with the same draws and picks, for rows whose weights are
    one of a few rows of a table: one cumulative sum per table row and a binary search per row,
    instead of a [rows, choices] matrix summed and compared in full."""
    cdf = np.cumsum(weights, axis=1)
    total = cdf[group, -1]
    u = rng.random(len(group)) * total
    picked = np.empty(len(group), dtype=np.int64)
    for g in np.unique(group):
        rows = np.flatnonzero(group == g)
        # The count of cdf entries <= u, as in choice_rows: the cdf never decreases.
        picked[rows] = np.searchsorted(cdf[g], u[rows], side="right")
    picked = np.minimum(picked, weights.shape[1] - 1)
    return np.where(total > 0, picked, -1)
