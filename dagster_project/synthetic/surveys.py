"""HCAHPS-style surveys for a share of inpatient discharges (alive; not a newborn's birth stay,
whose mother answers for the delivery).

A latent satisfaction per stay drives the 0-10 overall rating, would-recommend and the
communication items, so they agree with each other. Its mean is chosen so that the recorded
(rounded, capped) ratings average the department's satisfaction_mean x (1 + each dated shift
in effect): the scenario's numbers are what the marts measure, in expectation (ratings.py).
A wide rating_sd with a high mean gives the left-skewed ratings HCAHPS reports (most answers
9 or 10, a tail of low ones).
"""

import numpy as np

from .encounters import EXPIRED, INPATIENT, NEWBORN
from .population import US_PER_DAY
from .ratings import latent_mean_for
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
    eligible &= enc["adm_type"] != NEWBORN
    rows = np.flatnonzero(eligible)

    recorded = np.array([scenario.departments[d].satisfaction_mean for d in DEPARTMENTS])[enc["dept"]]
    discharge_day = enc["discharge"] // US_PER_DAY
    for shift in scenario.surveys.shifts:
        since = np.datetime64(shift.from_date, "D").astype(np.int64)
        hit = (enc["dept"] == DEPARTMENTS.index(shift.department)) & (discharge_day >= since)
        recorded = np.where(hit, recorded * (1 + shift.relative_change), recorded)
    sd = scenario.surveys.rating_sd
    targets, which = np.unique(recorded, return_inverse=True)
    mean = np.array([latent_mean_for(target, sd) for target in targets])[which]
    latent = mean + sd * latent_noise
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
