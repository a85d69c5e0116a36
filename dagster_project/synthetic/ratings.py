"""The 0-10 overall rating as surveys record it: a latent satisfaction rounded and capped.

Rounding to whole points and capping at 0 and 10 compress the latent scale (a latent mean of
9.5 records about 9.1), so a scenario's satisfaction_mean and relative shifts are stated on the
recorded scale, and the generator finds the latent mean that records them in expectation.
"""

import math
from functools import cache

LOWEST, HIGHEST = 0, 10


def expected_rating(latent_mean: float, latent_sd: float) -> float:
    """E[clip(round(latent), 0, 10)] for a normal latent: the sum over k = 1..10 of
    P(latent >= k - 0.5), as for any count-valued variable."""
    return sum(
        0.5 * math.erfc(((k - 0.5) - latent_mean) / (latent_sd * math.sqrt(2.0)))
        for k in range(LOWEST + 1, HIGHEST + 1)
    )


@cache
def latent_mean_for(recorded_mean: float, latent_sd: float) -> float:
    """The latent mean whose recorded ratings average recorded_mean (bisection; the expected
    rating rises strictly with the latent mean)."""
    if not LOWEST < recorded_mean < HIGHEST:
        raise ValueError(f"a mean rating of {recorded_mean:.3f} cannot be recorded on the 0-10 scale")
    low, high = LOWEST - 10 * latent_sd - 10, HIGHEST + 10 * latent_sd + 10
    for _ in range(100):
        middle = (low + high) / 2
        if expected_rating(middle, latent_sd) < recorded_mean:
            low = middle
        else:
            high = middle
    return (low + high) / 2
