"""Name and address pools built once with a seeded Faker; rows then index into them.

Calling Faker per row is the slow baseline we beat: a few thousand pooled values, drawn with
numpy, look the same in aggregate and cost nothing per row.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np

POOL_NAMES = 600
POOL_ADDRESSES_PER_STATE = 400


@dataclass(frozen=True)
class Pools:
    female_first: np.ndarray
    male_first: np.ndarray
    last: np.ndarray
    address_line: np.ndarray  # [state, i]
    city: np.ndarray
    zip_code: np.ndarray
    states: tuple[str, ...]


@cache
def build_pools(seed: int, states: tuple[str, ...]) -> Pools:
    """Seeded Faker pools; same seed and states give the same pools."""
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(seed)
    female = [fake.first_name_female() for _ in range(POOL_NAMES)]
    male = [fake.first_name_male() for _ in range(POOL_NAMES)]
    last = [fake.last_name() for _ in range(POOL_NAMES * 2)]
    lines, cities, zips = [], [], []
    for state in states:
        lines.append([fake.street_address() for _ in range(POOL_ADDRESSES_PER_STATE)])
        cities.append([fake.city() for _ in range(POOL_ADDRESSES_PER_STATE)])
        zips.append([fake.zipcode_in_state(state_abbr=state) for _ in range(POOL_ADDRESSES_PER_STATE)])
    return Pools(
        female_first=np.array(female, dtype=object),
        male_first=np.array(male, dtype=object),
        last=np.array(last, dtype=object),
        address_line=np.array(lines, dtype=object),
        city=np.array(cities, dtype=object),
        zip_code=np.array(zips, dtype=object),
        states=states,
    )
