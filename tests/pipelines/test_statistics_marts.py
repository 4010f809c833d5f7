"""Every statistics metric the pipeline builds, checked against an independent computation in plain Python/numpy.

A generated season (tests/pipelines/season.py) travels the real path: NATS → ingest → dbt → serving snapshot. The
expected values below are computed from the logs as they stand after the season's corrections and deletions, with
the textbook definitions, not from the marts' SQL.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import dagster as dg
import numpy as np
import pytest
from fastapi.testclient import TestClient

from operational.stats.app import create_app
from operational.stats.config import StatsSettings
from pipelines.definitions import defs
from tests.operational.stats.snapshots import person_with
from tests.pipelines.season import SEASON_START, Season, generate_season
from tests.pipelines.streams import publish
from warehouse.serving import SnapshotReader

# The marts round ratios, monotony and z-scores to 3 decimals, loads to 2, strain to 1.
TOLERANCE = 1.1e-3
ROUNDED_TOLERANCE = {"training_strain_au": 0.051} | dict.fromkeys(
    (
        "chronic_load_coupled_weekly_au",
        "chronic_load_uncoupled_weekly_au",
        "ewma_acute_load_au",
        "ewma_chronic_load_au",
    ),
    0.0051,
)


def band(ratio: float | None) -> str | None:
    if ratio is None:
        return None
    return "low" if ratio < 0.8 else "sweet spot" if ratio < 1.3 else "elevated" if ratio < 1.5 else "high"


def expected_load_metrics(season: Season) -> dict[tuple[str, date], dict]:
    """Per player and day, from the player's first session to the latest day anything was reported in the club."""
    loads: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for s in season.sessions:
        loads[s.player_id][s.session_date] += s.rpe * s.minutes
    reported = {(w.player_id, w.wellness_date) for w in season.wellness}
    last_day = max([s.session_date for s in season.sessions] + [w.wellness_date for w in season.wellness])
    expected = {}
    for player, by_day in loads.items():
        first = min(by_day)
        days = [first + timedelta(days=i) for i in range((last_day - first).days + 1)]
        load = np.array([by_day.get(d, 0) for d in days], dtype=float)
        has_data = np.array([d in by_day or (player, d) in reported for d in days])
        days_with_entries = np.array([d in by_day or (player, d) in reported for d in days])
        ewma_7 = ewma_28 = 0.0
        for t, day in enumerate(days):
            ewma_7 = 2 / 8 * load[t] + (1 - 2 / 8) * ewma_7
            ewma_28 = 2 / 29 * load[t] + (1 - 2 / 29) * ewma_28
            acute = load[max(0, t - 6) : t + 1].sum()
            chronic_coupled = load[max(0, t - 27) : t + 1].sum() / 4
            chronic_uncoupled = load[max(0, t - 27) : max(0, t - 6)].sum() / 3
            days_with_data = int(has_data[max(0, t - 27) : t + 1].sum())
            days_with_data_7 = int(days_with_entries[max(0, t - 6) : t + 1].sum())
            reason = (
                "under_28_days_of_history" if t + 1 < 28
                else "no_entries_in_last_7_days" if days_with_data_7 == 0
                else "under_21_of_28_days_with_data" if days_with_data < 21
                else None
            )  # fmt: skip
            # the marts divide the loads as they publish them (2 decimals), so acute ÷ chronic is the ratio shown
            coupled, uncoupled = round(chronic_coupled, 2), round(chronic_uncoupled, 2)
            ewma_acute, ewma_chronic = round(ewma_7, 2), round(ewma_28, 2)
            ratios = {
                "acwr_coupled_rolling": acute / coupled if coupled else None,
                "acwr_uncoupled_rolling": acute / uncoupled if uncoupled else None,
                "acwr_ewma": ewma_acute / ewma_chronic if ewma_chronic else None,
            }
            week = load[t - 6 : t + 1] if t >= 6 else None
            monotony = week.mean() / week.std(ddof=1) if week is not None and week.std(ddof=1) > 0 else None
            expected[(player, day)] = {
                "session_rpe_load_au": load[t],
                "day_has_data": bool(has_data[t]),
                "days_with_data_last_7": days_with_data_7,
                "days_with_data_last_28": days_with_data,
                "acute_load_au": acute,
                "chronic_load_coupled_weekly_au": chronic_coupled,
                "chronic_load_uncoupled_weekly_au": chronic_uncoupled,
                "ewma_acute_load_au": ewma_7,
                "ewma_chronic_load_au": ewma_28,
                "acwr_withheld_reason": reason,
                **{k: (None if reason else v) for k, v in ratios.items()},
                "training_monotony": monotony,
                "training_strain_au": acute * monotony if monotony is not None else None,
            }
    return expected


def expected_wellness(season: Season) -> dict[tuple[str, date, str], dict]:
    latest: dict[tuple[str, date, str], tuple] = {}
    for w in season.wellness:
        key = (w.player_id, w.wellness_date, w.instrument)
        if key not in latest or w.submitted_at > latest[key][0]:
            latest[key] = (w.submitted_at, w.total_score)
    expected = {}
    for (player, day, instrument), (_, score) in latest.items():
        baseline = np.array(
            [s for (p, d, i), (_, s) in latest.items()
             if p == player and i == instrument and day - timedelta(days=28) <= d < day],
            dtype=float,
        )  # fmt: skip
        z, reason = None, None
        if len(baseline) < 7:
            reason = "under_7_baseline_observations"
        elif baseline.std(ddof=1) == 0:
            reason = "baseline_without_spread"
        else:
            z = (score - baseline.mean()) / baseline.std(ddof=1) * (-1 if instrument == "hooper" else 1)
        expected[(player, day, instrument)] = {
            "total_score": score,
            "baseline_observations": len(baseline),
            "wellness_z_score": z,
            "below_baseline_flag": None if z is None else z < -1,
            "z_score_withheld_reason": reason,
        }
    return expected


def expected_test_percentiles(season: Season) -> dict[str, float | None]:
    latest = {}
    for r in sorted(season.tests, key=lambda r: r.tested_on):
        latest[(r.player_id, r.test_id)] = r
    ranks: dict[str, float | None] = {r.result_id: None for r in season.tests}
    groups = defaultdict(list)
    for r in latest.values():
        groups[(r.team_id, r.test_id)].append(r)
    for group in groups.values():
        if len(group) < 2:
            continue
        for r in group:
            better_or_equal_than = sum(
                1 for other in group
                if (other.value < r.value if r.direction == "higher_is_better" else other.value > r.value)
            )  # fmt: skip
            ranks[r.result_id] = 100 * better_or_equal_than / (len(group) - 1)
    return ranks


def assert_close(actual, expected, what: str, tolerance: float = TOLERANCE) -> None:
    if expected is None:
        assert actual is None, what
    elif isinstance(expected, bool | str):
        assert actual == expected, what
    else:
        assert actual == pytest.approx(expected, abs=tolerance), what


def _rows(reader: SnapshotReader, sql: str) -> list[dict]:
    cursor = reader.cursor()
    cursor.execute(sql)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def season() -> Season:
    return generate_season()


def test_every_statistic_matches_an_independent_computation(pipeline_env, season, key_dir, tmp_path):
    publish(pipeline_env.nats_url, season.events)
    result = defs().resolve_job_def("warehouse_job").execute_in_process(instance=dg.DagsterInstance.ephemeral())
    assert result.success

    reader = SnapshotReader(pipeline_env.serving_dir)
    try:
        metrics = _rows(reader, "SELECT * FROM marts.fct_player_load_metrics")
        wellness = _rows(reader, "SELECT * FROM marts.fct_player_wellness_daily")
        tests = _rows(reader, "SELECT * FROM marts.fct_player_test_results")
        availability = _rows(reader, "SELECT player_id, availability_status FROM marts.dim_player_availability")
        players = _rows(reader, "SELECT player_id, player_name, birth_year, is_player FROM marts.dim_players")
        teams = _rows(reader, "SELECT team_id, team_name FROM marts.dim_teams")
        days = _rows(reader, "SELECT player_id, team_id, session_count FROM marts.fct_player_daily_load")
    finally:
        reader.close()

    # names, and every day filed under the player's team (sessions logged without one included)
    assert {p["player_id"]: (p["player_name"], p["birth_year"], p["is_player"]) for p in players} == {
        player: (name, 2010, True) for player, name in season.names.items()
    }
    assert {t["team_id"]: t["team_name"] for t in teams} == season.team_names
    assert {(d["player_id"], d["team_id"]) for d in days} == set(season.team_of.items())

    expected = expected_load_metrics(season)
    assert {(m["player_id"], m["metric_date"]) for m in metrics} == set(expected)
    for row in metrics:
        want = expected[(row["player_id"], row["metric_date"])]
        for column, value in want.items():
            assert_close(
                row[column], value, f"{column} of {row['player_day_id']}", ROUNDED_TOLERANCE.get(column, TOLERANCE)
            )
        for variant in ("acwr_coupled_rolling", "acwr_uncoupled_rolling", "acwr_ewma"):
            if row[variant] is not None and abs(row[variant] - want[variant]) < 5e-4:
                assert row[f"{variant}_band"] == band(round(want[variant], 3)), row["player_day_id"]
    # the season exercises every branch of the guard and of monotony
    reasons = {m["acwr_withheld_reason"] for m in metrics}
    assert reasons == {None, "under_28_days_of_history", "no_entries_in_last_7_days", "under_21_of_28_days_with_data"}
    assert any(m["acwr_ewma"] is not None for m in metrics)
    # the acute and chronic loads as published divide to the ratio as published, for every variant
    for row in metrics:
        for variant, acute, chronic in (
            ("acwr_coupled_rolling", "acute_load_au", "chronic_load_coupled_weekly_au"),
            ("acwr_uncoupled_rolling", "acute_load_au", "chronic_load_uncoupled_weekly_au"),
            ("acwr_ewma", "ewma_acute_load_au", "ewma_chronic_load_au"),
        ):
            if row[variant] is not None:
                assert round(row[acute] / row[chronic], 3) == row[variant], (variant, row["player_day_id"])

    expected_w = expected_wellness(season)
    assert {(w["player_id"], w["wellness_date"], w["instrument"]) for w in wellness} == set(expected_w)
    for row in wellness:
        for column, value in expected_w[(row["player_id"], row["wellness_date"], row["instrument"])].items():
            assert_close(row[column], value, f"{column} of {row['player_day_instrument_id']}")
    assert any(w["below_baseline_flag"] for w in wellness)

    expected_ranks = expected_test_percentiles(season)
    assert {t["result_id"]: t["team_percentile_rank"] for t in tests}.keys() == expected_ranks.keys()
    # results the admin recorded without a team belong to the player's team, and are ranked there
    assert {(t["player_id"], t["team_id"]) for t in tests} == set(season.team_of.items())
    assert any(t["team_percentile_rank"] is not None for t in tests if t["tested_on"] > SEASON_START + timedelta(50))
    for row in tests:
        assert_close(row["team_percentile_rank"], expected_ranks[row["result_id"]], row["result_id"])

    assert {a["player_id"]: a["availability_status"] for a in availability} == season.availability

    # the stats API reads these very tables: each player's latest day on the team's board
    stats_settings = StatsSettings(
        var_dir=tmp_path / "var", serving_dir=pipeline_env.serving_dir, log_json=False,
        nats_url=pipeline_env.nats_url, jwt_private_key_path=key_dir / "jwt_private.pem",
        jwt_public_key_path=key_dir / "jwt_public.pem",
    )  # fmt: skip
    admin = person_with(stats_settings, season.org_id, {"club_admin"}, set())
    team_id = season.team_of[next(iter(season.availability))]
    with TestClient(create_app(stats_settings)) as stats:
        board = stats.get(f"/api/v1/stats/teams/{team_id}/load-board", headers=admin.headers)
        compliance = stats.get(f"/api/v1/stats/teams/{team_a_of(season)}/compliance",
                               headers=admin.headers)  # fmt: skip
        attendance = stats.get(f"/api/v1/stats/teams/{team_id}/attendance", headers=admin.headers)
    assert board.status_code == 200, board.text
    # compliance on the rosters dbt built from the membership events: each player's last logged days, by name
    assert compliance.status_code == 200, compliance.text
    roster = [p for p, team in season.team_of.items() if team == team_a_of(season)]
    assert [p["player_name"] for p in compliance.json()["players"]] == sorted(season.names[p] for p in roster)
    for row in compliance.json()["players"]:
        last = max(s.session_date for s in season.sessions if s.player_id == row["player_id"])
        assert row["last_rpe_date"] == str(last)
    # no attendance was taken in the season: an empty report, not an error
    assert (attendance.status_code, attendance.json()["players"]) == (200, [])
    (player,) = board.json()["players"]
    latest = max(day for (p, day) in expected if p == player["player_id"])
    want = expected[(player["player_id"], latest)]
    assert player["metric_date"] == str(latest)
    assert player["player_name"] == season.names[player["player_id"]]
    assert player["acute_load_au"] == want["acute_load_au"]
    assert player["availability"]["status"] == "limited"
    assert player["acwr_variant"] == "uncoupled_rolling"
    assert set(player["acwr_variants"]) == {"coupled_rolling", "uncoupled_rolling", "ewma"}


def team_a_of(season: Season) -> str:
    """The team with the most players (the season's first team)."""
    teams = list(season.team_of.values())
    return max(set(teams), key=teams.count)
