"""Knobs that mean what the marts measure: the solved latent rating and payer draws give back
the stated values, and the generator classifies chronic conditions as the warehouse does."""

import numpy as np
import pytest
from generator_helpers import DEFAULT, REPO, SMALL

from dagster_project.synthetic.payer_mix import basis_shares, younger_mix
from dagster_project.synthetic.ratings import expected_rating, latent_mean_for
from dagster_project.synthetic.scenario import load_scenario


@pytest.mark.parametrize("recorded", [3.0, 7.6, 8.8, 9.4, 9.8])
def test_the_latent_mean_records_the_stated_mean_rating(recorded):
    """Simulated ratings (rounded, capped at 0 and 10) average the stated mean within 4
    standard errors of 200,000 draws."""
    latent = latent_mean_for(recorded, 1.5)
    draws = np.random.default_rng(1).normal(latent, 1.5, 200_000)
    ratings = np.clip(np.round(draws), 0, 10)
    assert abs(ratings.mean() - recorded) < 4 * ratings.std() / np.sqrt(len(ratings))
    assert expected_rating(latent, 1.5) == pytest.approx(recorded, abs=1e-9)


def test_a_mean_rating_outside_the_scale_is_refused():
    with pytest.raises(ValueError, match="cannot be recorded on the 0-10 scale"):
        latent_mean_for(10.2, 1.5)


@pytest.mark.parametrize("scenario_file", [DEFAULT, SMALL])
def test_the_younger_draw_the_newborns_and_the_seniors_make_the_stated_mix(scenario_file):
    """Seniors draw over_65_mix, the younger founding patients the solved draw, the babies their
    mothers' class (Medicaid for a Medicare mother's): together, the stated mix."""
    scenario = load_scenario(scenario_file)
    basis = basis_shares(scenario)
    younger = younger_mix(scenario)
    assert 0 < basis.senior < 1 and 0 < basis.newborn < 0.2 and 0 < basis.adult < 1
    assert basis.senior + basis.younger + basis.newborn == pytest.approx(1.0)
    rate = younger.medicare_21_to_64
    for payer_class, share in scenario.payers.mix.items():
        if payer_class == "medicare":
            founding, babies = basis.adult * rate, 0.0
        else:
            other = younger.other_classes[payer_class]
            founding = (1 - basis.adult * rate) * other
            babies = (1 - basis.adult_mothers * rate) * other
            babies += basis.adult_mothers * rate if payer_class == "medicaid" else 0.0
        overall = (
            basis.senior * scenario.payers.over_65_mix.get(payer_class, 0.0)
            + basis.younger * founding
            + basis.newborn * babies
        )
        assert overall == pytest.approx(share, abs=1e-9), payer_class


def test_the_chronic_condition_groups_are_the_warehouse_seed():
    """The generator plants rises in the groups the marts report: one definition, two copies
    (the generator is installable without the dbt project)."""
    generator = REPO / "dagster_project" / "synthetic" / "catalogs" / "chronic_condition_groups.csv"
    seed = REPO / "dbt" / "seeds" / "chronic_condition_groups.csv"
    assert generator.read_bytes() == seed.read_bytes()
