"""The burden's bootstrap interval and the Kaplan-Meier return to play, against computations done by hand."""

from __future__ import annotations

import math

import pytest

from operational.stats.surveillance.estimators import (
    PlayerExposure,
    bootstrap_burden_interval,
    burden_per_1000h,
    kaplan_meier_return_to_play,
)


def test_kaplan_meier_median_matches_a_hand_computed_curve():
    # Five problems: back after 3, 5 and 8 days; one still out at day 6 and one at day 10 (censored).
    # At risk 5, 1 returns on day 3: S = 4/5 = 0.8; at risk 4 on day 5, 1 returns: S = 0.8 × 3/4 = 0.6;
    # day 6 censored (3 left at risk → 2); day 8: 1 of 2 returns: S = 0.6 × 1/2 = 0.3. The curve first falls to
    # 0.5 or below on day 8: median 8 days.
    curve = kaplan_meier_return_to_play([3, 5, 6, 8, 10], [True, True, False, True, False])

    assert curve.median_days == 8
    by_day = dict(zip(curve.days, curve.share_still_out, strict=True))
    assert (by_day[3.0], by_day[5.0], by_day[8.0]) == (0.8, 0.6, 0.3)
    assert (curve.problems, curve.returned, curve.still_out) == (5, 3, 2)


def test_kaplan_meier_has_no_median_while_most_are_still_out():
    curve = kaplan_meier_return_to_play([4, 20, 30], [True, False, False])  # S(4) = 2/3, never down to 1/2

    assert curve.median_days is None


def test_kaplan_meier_refuses_mismatched_inputs():
    with pytest.raises(ValueError):
        kaplan_meier_return_to_play([3, 5], [True])


def _team(players: int, *, seed_days=(10, 20, 3)) -> list[PlayerExposure]:
    """A team whose every third player had one problem (10, 20 or 3 days in turn), each player 100 h."""
    return [PlayerExposure(100.0, [seed_days[(i // 3) % len(seed_days)]] if i % 3 == 0 else []) for i in range(players)]


def test_burden_is_incidence_times_mean_severity():
    # 2 problems (10 and 20 days) and an open one over 500 h: 3 / 500 h × 1000 = 6 per 1,000 h; mean 15 days → 90
    players = [PlayerExposure(200, [10, None]), PlayerExposure(300, [20])]

    assert burden_per_1000h(players) == pytest.approx(90.0)
    assert burden_per_1000h([PlayerExposure(0, [5])]) is None
    assert burden_per_1000h([PlayerExposure(100, [None])]) is None


def test_bootstrap_interval_brackets_the_estimate_and_narrows_with_more_players():
    small, large = _team(12), _team(120)

    small_interval, large_interval = bootstrap_burden_interval(small), bootstrap_burden_interval(large)

    for team, interval in ((small, small_interval), (large, large_interval)):
        assert interval.low <= burden_per_1000h(team) <= interval.high
    # ten times the players: the interval shrinks about √10 ≈ 3.2 times
    assert (large_interval.high - large_interval.low) < (small_interval.high - small_interval.low) / 2
    assert bootstrap_burden_interval(small) == small_interval  # a fixed seed: the same answer every time


def test_no_interval_without_something_to_resample():
    assert bootstrap_burden_interval([PlayerExposure(100, [5])]) is None
    assert bootstrap_burden_interval([PlayerExposure(100, []), PlayerExposure(100, [])]) is None
    # two identical players (2 problems of 7 days over 200 h: 10 per 1,000 h × 7 days = 70): every resample agrees
    interval = bootstrap_burden_interval([PlayerExposure(100, [7]), PlayerExposure(100, [7])])
    assert math.isclose(interval.low, 70.0) and math.isclose(interval.high, 70.0)
