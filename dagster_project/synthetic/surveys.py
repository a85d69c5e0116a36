"""HCAHPS-style surveys for a share of inpatient discharges (alive).

A latent satisfaction per stay = department mean x (1 + dated shift) + noise drives the 0-10
overall rating, would-recommend and the communication items, so they agree with each other.
"""

import numpy as np

from .encounters import EXPIRED, INPATIENT
from .population import US_PER_DAY
from .scenario import DEPARTMENTS, Scenario

RECOMMEND = ("definitely_no", "probably_no", "probably_yes", "definitely_yes")
FREQUENCY = ("never", "sometimes", "usually", "always")


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
    rows = np.flatnonzero(eligible)

    mean = np.array([scenario.departments[d].satisfaction_mean for d in DEPARTMENTS])[enc["dept"]]
    discharge_day = enc["discharge"] // US_PER_DAY
    for shift in scenario.surveys.shifts:
        since = np.datetime64(shift.from_date, "D").astype(np.int64)
        hit = (enc["dept"] == DEPARTMENTS.index(shift.department)) & (discharge_day >= since)
        mean = np.where(hit, mean * (1 + shift.relative_change), mean)
    latent = mean + scenario.surveys.rating_sd * latent_noise
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
