"""The statistics of the satisfaction KPI at their boundaries (hypothesis) and by hand."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from core.surveys.services import stats


def test_margin_of_error_matches_the_textbook_figure():
    # 80 satisfied of 100, infinite population: 1.96 * sqrt(.8*.2/100) = 7.84 points
    assert math.isclose(stats.margin_of_error(80, 100), 7.84, abs_tol=0.01)
    # finite population of 200 invited: * sqrt(100/199)
    assert math.isclose(stats.margin_of_error(80, 100, 200), 7.84 * math.sqrt(100 / 199), abs_tol=0.01)


def test_sample_size_for_five_points_is_the_classic_385_for_a_large_population():
    assert stats.sample_size(10**9, 5) == 385
    assert stats.sample_size(1000, 5) == 278  # 384.15 / (1 + 383.15 / 1000), rounded up


@given(population=st.integers(min_value=1, max_value=100_000), margin=st.floats(min_value=1, max_value=20))
def test_the_sample_size_reaches_the_target_margin_and_never_exceeds_the_population(population, margin):
    n = stats.sample_size(population, margin)
    assert 1 <= n <= population
    # worst case p = 1/2, finite population: the achieved margin is within the target
    fpc = math.sqrt((population - n) / (population - 1)) if population > 1 else 0.0
    achieved = 100 * stats.Z_95 * math.sqrt(0.25 / n) * fpc
    assert achieved <= margin + 1e-9
    # and one fewer would not reach it (the sample is the smallest that does)
    if n > 1:
        fewer = (
            100 * stats.Z_95 * math.sqrt(0.25 / (n - 1)) * math.sqrt((population - n + 1) / (population - 1))
        )
        assert fewer > margin - 1e-9


@given(population=st.integers(min_value=1, max_value=50_000), margin=st.floats(min_value=1, max_value=20))
def test_a_larger_population_never_needs_a_smaller_sample(population, margin):
    assert stats.sample_size(population + 1, margin) >= stats.sample_size(population, margin)


@given(responses=st.integers(min_value=2, max_value=10_000), data=st.data())
def test_every_invited_answering_leaves_no_margin_of_error(responses, data):
    satisfied = data.draw(st.integers(min_value=0, max_value=responses))
    assert stats.margin_of_error(satisfied, responses, responses) == 0.0


@given(responses=st.integers(min_value=0, max_value=1000))
def test_groups_under_five_responses_are_suppressed(responses):
    assert stats.suppressed(responses) is (responses < 5)


def test_suppression_boundary_is_four_versus_five():
    assert stats.suppressed(4) and not stats.suppressed(5)


def test_no_responses_means_no_share_no_margin_and_no_rate():
    assert stats.share(0, 0) is None
    assert stats.margin_of_error(0, 0) is None
    assert stats.response_rate(0, 0) is None
