"""How much data would establish an effect the marts saw but could not confirm: the sample size
of the same test the marts ran (normal approximation, one-sided level alpha, 80% power), so
the summary can say "a rise that size needs about N admissions" instead of only "not found".

The standard formulas (e.g. Chow, Shao and Wang, Sample Size Calculations in Clinical
Research, chapters 3-4). The tests themselves live in the marts (dbt); this only inverts them.
"""

import math
from statistics import NormalDist

POWER = 0.80
# The fewest 30-day index stays a readmission rate is reported from, in words or as a bar: CMS
# Care Compare reports a readmission measure of fewer than 25 cases as "Number of Cases Too
# Small" (a 1-of-1 stay is not a 100% rate).
MIN_INDEX_STAYS = 25


def enough_index_stays(row: dict) -> bool:
    """Whether a row's readmission rate has enough index stays to be reported."""
    return (row["index_stays_30d"] or 0) >= MIN_INDEX_STAYS


def _z(alpha: float) -> float:
    return NormalDist().inv_cdf(1 - alpha)


def sample_size_one_proportion(null: float, observed: float, alpha: float) -> int | None:
    """Index stays for a rate `observed` to test above `null` (one-sample z test of a
    proportion); None when observed is not above null."""
    if not 0 < null < 1 or not null < observed < 1:
        return None
    root = _z(alpha) * math.sqrt(null * (1 - null)) + _z(1 - POWER) * math.sqrt(observed * (1 - observed))
    return math.ceil((root / (observed - null)) ** 2)


def sample_size_window_share(expected_share: float, rate_ratio: float, alpha: float) -> int | None:
    """Admissions of a group for a window with expected share p and this rate ratio to test as
    a rise (binomial share of the window: p1 = p r / (p r + 1 - p)); None without a rise."""
    if not 0 < expected_share < 1 or rate_ratio is None or rate_ratio <= 1:
        return None
    share = expected_share * rate_ratio / (expected_share * rate_ratio + 1 - expected_share)
    return sample_size_one_proportion(expected_share, share, alpha)


def sample_size_two_means(difference: float, sd: float, alpha: float) -> int | None:
    """Surveys on each side for two means `difference` apart (common sd) to test as a change
    (two-sided level alpha)."""
    if difference <= 0 or sd <= 0:
        return None
    root = (_z(alpha / 2) + _z(1 - POWER)) * sd / difference
    return math.ceil(2 * root**2)
