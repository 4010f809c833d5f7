"""The two estimates the marts cannot give in SQL: a bootstrap 95 % interval for injury burden and the Kaplan-Meier
median time to return to play. Pure functions over plain numbers; the service feeds them from the snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BOOTSTRAP_RESAMPLES = 2000
# A fixed seed: the same snapshot gives the same interval on every request and in every test.
BOOTSTRAP_SEED = 20200301


@dataclass(frozen=True)
class PlayerExposure:
    """One player's season with a team: hours of exposure and the days lost in each of their problems counted
    (``None`` for a problem still open)."""

    exposure_hours: float
    problem_days: Sequence[int | None]


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def burden_per_1000h(players: Sequence[PlayerExposure]) -> float | None:
    """Days lost per 1,000 h: incidence (problems per 1,000 h) × mean severity of the closed problems (IOC 2020).
    None without exposure or without a closed problem."""
    hours = sum(p.exposure_hours for p in players)
    problems = [d for p in players for d in p.problem_days]
    closed = [d for d in problems if d is not None]
    if hours <= 0 or not closed:
        return None
    return 1000.0 * len(problems) / hours * (sum(closed) / len(closed))


def bootstrap_burden_interval(
    players: Sequence[PlayerExposure], *, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED
) -> Interval | None:
    """Percentile 95 % interval of the burden, resampling players with replacement (a cluster bootstrap: a player's
    problems and hours travel together, since one player's problems are not independent of each other).

    Resamples without exposure or without a closed problem are left out; None when fewer than half of them are left,
    or for fewer than two players (there is nothing to resample)."""
    if len(players) < 2:
        return None
    hours = np.array([p.exposure_hours for p in players], dtype=float)
    problems = np.array([len(p.problem_days) for p in players], dtype=float)
    closed = np.array([sum(d is not None for d in p.problem_days) for p in players], dtype=float)
    days = np.array([sum(d for d in p.problem_days if d is not None) for p in players], dtype=float)
    rng = np.random.default_rng(seed)
    # how many times each player is drawn in each resample
    weights = rng.multinomial(len(players), np.full(len(players), 1 / len(players)), size=resamples)
    total_hours, total_problems = weights @ hours, weights @ problems
    total_closed, total_days = weights @ closed, weights @ days
    usable = (total_hours > 0) & (total_closed > 0)
    if usable.sum() < resamples / 2:
        return None
    burden = 1000.0 * total_problems[usable] / total_hours[usable] * total_days[usable] / total_closed[usable]
    low, high = np.percentile(burden, [2.5, 97.5])
    return Interval(float(low), float(high))


@dataclass(frozen=True)
class ReturnToPlayCurve:
    """Kaplan-Meier estimate of the share of problems not yet back to full participation, by day since onset."""

    problems: int
    returned: int
    still_out: int
    median_days: float | None  # None while the curve has not fallen to one half
    days: list[float]
    share_still_out: list[float]


def kaplan_meier_return_to_play(days_out: Sequence[int], returned: Sequence[bool]) -> ReturnToPlayCurve:
    """``days_out`` per problem: days to return to full participation, or, for a problem still open, days since
    onset so far (censored: ``returned`` False). The product-limit estimator (Kaplan & Meier 1958) from SciPy's
    ``stats.ecdf`` over right-censored data; the curve starts at day 0 with every problem still out, and the median is
    the first day the curve is at or below one half. Raises ValueError when the two sequences differ in length or are
    empty."""
    if len(days_out) != len(returned) or not days_out:
        raise ValueError("days_out and returned must be non-empty and of the same length")
    # SciPy (~25 MiB) is imported by the one request that draws the curve, not held by the stats API all day
    from scipy.stats import CensoredData, ecdf

    days, back = np.asarray(days_out, dtype=float), np.asarray(returned, dtype=bool)
    survival = ecdf(CensoredData(uncensored=days[back], right=days[~back])).sf
    at_or_below_half = survival.quantiles[survival.probabilities <= 0.5]
    return ReturnToPlayCurve(
        problems=len(days_out),
        returned=int(back.sum()),
        still_out=len(days_out) - int(back.sum()),
        median_days=float(at_or_below_half[0]) if at_or_below_half.size else None,
        days=[0.0, *(float(d) for d in survival.quantiles)],
        share_still_out=[1.0, *(round(float(s), 4) for s in survival.probabilities)],
    )
