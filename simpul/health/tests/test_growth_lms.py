"""The LMS formula and WHO's restricted z, checked against WHO's published SD tables."""

import math

import numpy as np
import pytest

from simpul.health.growth.lms import restrict, value_at, z_score, z_score_l1, z_score_restricted

# WHO weight-for-age, boys, 365 days (WHO 2006 day table row 365)
BOYS_365 = (0.0645, 9.646, 0.10925)


class TestZScore:
    def test_it_is_zero_at_the_median(self):
        assert z_score(9.646, *BOYS_365) == pytest.approx(0.0, abs=1e-12)

    @pytest.mark.parametrize(("weight", "sd"), [(7.7, -2), (9.6, 0), (12.0, 2), (13.3, 3)])
    def test_it_reproduces_who_sd_table_for_boys_at_365_days(self, weight, sd):
        # WHO's SD table prints kg to 0.1: a printed value is within 0.05 kg of the true SD curve,
        # which is at most 0.05 / (kg per SD) ≈ 0.06 SD away here.
        L, M, S = BOYS_365
        kg_per_sd = abs(value_at(sd + 0.5, L, M, S) - value_at(sd - 0.5, L, M, S))
        assert z_score(weight, L, M, S) == pytest.approx(sd, abs=0.05 / kg_per_sd + 1e-9)
        assert round(float(value_at(sd, L, M, S)), 1) == weight

    def test_it_takes_the_limit_where_l_is_zero(self):
        assert z_score(11.0, 0.0, 10.0, 0.1) == pytest.approx(math.log(1.1) / 0.1)
        assert z_score(11.0, 1e-9, 10.0, 0.1) == pytest.approx(math.log(1.1) / 0.1, abs=1e-6)

    def test_l1_shortcut_equals_the_general_formula(self):
        x = np.array([44.0, 49.9, 60.3])
        assert z_score_l1(x, 49.8842, 0.03795) == pytest.approx(z_score(x, 1.0, 49.8842, 0.03795))

    def test_nan_in_gives_nan_out(self):
        z = z_score(np.array([np.nan, 9.646]), np.array([0.0645, np.nan]), 9.646, 0.10925)
        assert np.isnan(z).all()

    def test_value_at_inverts_z_score(self):
        z = np.linspace(-4, 4, 17)
        assert z_score(value_at(z, *BOYS_365), *BOYS_365) == pytest.approx(z)
        assert z_score(value_at(z, 0.0, 10.0, 0.1), 0.0, 10.0, 0.1) == pytest.approx(z)


class TestRestricted:
    def test_known_values_for_boys_at_365_days(self):
        # WHO's restricted method (stack.md §2; agreed by anthro, pygrowup2 and a float reference)
        assert z_score(16.0, *BOYS_365) == pytest.approx(4.71, abs=0.005)
        assert z_score_restricted(16.0, *BOYS_365) == pytest.approx(4.96, abs=0.005)
        assert z_score(5.5, *BOYS_365) == pytest.approx(-5.05, abs=0.005)
        assert z_score_restricted(5.5, *BOYS_365) == pytest.approx(-4.75, abs=0.005)

    def test_it_changes_nothing_within_three_sd(self):
        x = value_at(np.linspace(-3, 3, 61), *BOYS_365)
        assert z_score_restricted(x, *BOYS_365) == pytest.approx(z_score(x, *BOYS_365))

    def test_it_is_continuous_at_three_sd_and_linear_beyond(self):
        L, M, S = BOYS_365
        sd2, sd3 = value_at(2, L, M, S), value_at(3, L, M, S)
        step = sd3 - sd2
        assert z_score_restricted(sd3 + 1e-9, L, M, S) == pytest.approx(3.0, abs=1e-6)
        assert z_score_restricted(sd3 + step, L, M, S) == pytest.approx(4.0)
        assert z_score_restricted(sd3 + 2.5 * step, L, M, S) == pytest.approx(5.5)
        nsd2, nsd3 = value_at(-2, L, M, S), value_at(-3, L, M, S)
        assert z_score_restricted(nsd3 - (nsd2 - nsd3), L, M, S) == pytest.approx(-4.0)

    def test_arrays_and_scalars_agree(self):
        x = np.array([5.5, 9.6, 16.0, np.nan])
        batch = z_score_restricted(x, *BOYS_365)
        assert np.isnan(batch[3])
        assert list(batch[:3]) == pytest.approx([z_score_restricted(float(v), *BOYS_365) for v in x[:3]])

    def test_restrict_keeps_nan(self):
        out = restrict(np.array([np.nan, 4.0]), np.array([1.0, 16.0]), *BOYS_365)
        assert np.isnan(out[0]) and out[1] == pytest.approx(4.96, abs=0.005)
