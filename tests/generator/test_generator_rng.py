"""choice_by_group draws what choice_rows draws on the expanded weight matrix: same picks, same
stream position, rows with no weight at -1."""

import numpy as np
import pytest

from dagster_project.synthetic import rng as streams


@pytest.mark.parametrize("seed", range(10))
def test_choice_by_group_equals_choice_rows_on_the_expanded_matrix(seed):
    draw = np.random.default_rng(seed)
    weights = draw.random((int(draw.integers(1, 12)), int(draw.integers(1, 40))))
    weights[draw.random(weights.shape) < 0.4] = 0.0  # codes that do not fit
    weights[0] = 0.0  # a kind of row nothing fits
    group = draw.integers(0, len(weights), int(draw.integers(0, 500)))
    by_group, by_rows = np.random.default_rng(seed + 100), np.random.default_rng(seed + 100)
    picked = streams.choice_by_group(by_group, weights, group)
    expected = streams.choice_rows(by_rows, weights[group])
    assert np.array_equal(picked, expected)
    assert (picked[group == 0] == -1).all()
    assert by_group.random() == by_rows.random()  # the stream moved on by as many draws
