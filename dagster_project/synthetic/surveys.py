"""HCAHPS-style surveys for a share of inpatient discharges (alive; not a newborn's birth stay,
whose mother answers for the delivery).

A latent satisfaction per stay = normal(latent mean, rating_sd) drives the 0-10 overall rating
(rounded, capped at 0 and 10), would-recommend and the communication items, so they agree with
each other. The scenario's satisfaction_mean (times 1 + any dated shift) is the mean rating the
surveys are to show: because the cap at 10 pulls the mean down, the latent mean that gives it is
solved for. A wide rating_sd with a high mean gives the left-skewed ratings HCAHPS reports (most
answers 9 or 10, a tail of low ones).
"""

import math
from functools import cache

import numpy as np

from .encounters import EXPIRED, INPATIENT, NEWBORN
from .population import US_PER_DAY
from .scenario import DEPARTMENTS, Scenario

RECOMMEND = ("definitely_no", "probably_no", "probably_yes", "definitely_yes")
FREQUENCY = ("never", "sometimes", "usually", "always")


def mean_rating(latent_mean: float, sd: float) -> float:
    """Mean of round(normal(latent_mean, sd)) capped to 0..10: the sum of P(rating > r)."""
    return sum(0.5 * math.erfc((r + 0.5 - latent_mean) / (sd * math.sqrt(2))) for r in range(10))


@cache
def latent_mean(target: float, sd: float) -> float:
    """The latent mean whose capped, rounded ratings average `target` (bisection; a target
    beyond what the scale allows gets the nearest attainable one)."""
    low, high = -10.0, 25.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if mean_rating(middle, sd) < target else (low, middle)
    return (low + high) / 2


def surveys(
    rng: np.random.Generator, scenario: Scenario, enc: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Survey rows (encounter row, answers, received time) for responding discharges."""
    n = len(enc["uid"])
    responds = rng.random(n) < scenario.surveys.response_rate
    latent_noise = rng.standard_normal(n)
    item_noise = rng.standard_normal((n, 3))
    lag_days = 7 + rng.random(n) * 35
    eligible = responds & (enc["cls"] == INPATIENT) & (enc["disposition"] != EXPIRED)
    eligible &= enc["adm_type"] != NEWBORN
    rows = np.flatnonzero(eligible)

    mean = np.array([scenario.departments[d].satisfaction_mean for d in DEPARTMENTS])[enc["dept"]]
    discharge_day = enc["discharge"] // US_PER_DAY
    for shift in scenario.surveys.shifts:
        since = np.datetime64(shift.from_date, "D").astype(np.int64)
        hit = (enc["dept"] == DEPARTMENTS.index(shift.department)) & (discharge_day >= since)
        mean = np.where(hit, mean * (1 + shift.relative_change), mean)
    sd = scenario.surveys.rating_sd
    targets, where = np.unique(mean, return_inverse=True)
    latent = np.array([latent_mean(float(t), sd) for t in targets])[where] + sd * latent_noise
    rating = np.clip(np.round(latent), 0, 10).astype(np.int64)
    recommend = np.digitize(latent + 0.8 * item_noise[:, 0], [5.0, 7.0, 9.0])
    nurse = np.digitize(latent + 1.0 * item_noise[:, 1], [4.0, 6.5, 8.0])
    doctor = np.digitize(latent + 1.0 * item_noise[:, 2], [4.0, 6.5, 8.0])
    received = enc["discharge"] + (lag_days * US_PER_DAY).astype(np.int64)
    return {
        "row": rows,
        "rating": rating[rows],
        "recommend": recommend[rows],
        "nurse": nurse[rows],
        "doctor": doctor[rows],
        "received_at": received[rows] - received[rows] % 60_000_000,
    }
