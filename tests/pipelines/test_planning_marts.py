"""The planning marts against independent computations in plain Python: the fitness/fatigue/form projection that
runs on past today on the team's planned weeks and sessions, planned vs actual load per team-week, games counted as
scheduled (not added, not missed), and the standardised mean difference of intended vs perceived RPE.

A small club's events (three weeks of logged sessions and a game, a season plan whose last weeks lie ahead and end
in a taper with its sessions and an A game scheduled) are loaded into a DuckDB warehouse and the marts are built by
dbt, as the pipeline builds them.
"""

from __future__ import annotations

import statistics
import uuid
from datetime import UTC, date, datetime, timedelta

import duckdb
import pytest

from contracts import calendar, planning, training, users
from pipelines.dbt_build import invoke_dbt
from tests.warehouse.events import session_rpe_logged
from warehouse.raw import ensure_raw_schema, load_events

ORG, TEAM, COACH = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
PLAYERS = [uuid.uuid4(), uuid.uuid4()]
FIRST_DAY = date(2026, 2, 9)  # a Monday; three weeks of history, then three planned weeks ahead
HISTORY_DAYS = 21
# planned load per week (AU): three weeks behind, two building weeks ahead, then a taper before an A game
PLANNED = [2000, 2200, 2400, 2600, 2600, 1200]
# (day offset, rpe, minutes, intended rpe) of the sessions both players log, the second player at rpe − 1; the
# last day of the history has a session, so the warehouse's days on record end there
SESSIONS = [(d, 3 + d % 5, 60 + 5 * (d % 3), 2 + d % 6) for d in range(HISTORY_DAYS) if d % 7 not in (2, 5)]
# (day offset, rpe, minutes): the second Saturday's game (given an intended RPE of 9), logged by the first player only
GAME = (12, 8, 60)
# (day offset, intended rpe, minutes) of the taper week's training sessions ahead; its A game (Saturday, day 40) has
# no intended RPE, so the week's other 1200 − 420 = 780 AU spread over its five other days, 156 AU each
TAPER_SESSIONS = [(35, 5, 60), (37, 3, 40)]
A_GAME_DAY = 40


def _envelope(model, data, subject_id):
    return model(
        event_id=uuid.uuid4(),
        occurred_at=datetime.now(UTC),
        org_id=ORG,
        actor_id=COACH,
        subject_id=subject_id,
        data=data,
    )


def _events() -> list:
    plan_id, events = uuid.uuid4(), []
    for week, load in enumerate(PLANNED):
        week_id = uuid.uuid4()
        mix = planning.IntensityMix(low_pct=40, moderate_pct=40, high_pct=20)
        data = planning.WeekPlanned(
            week_id=week_id,
            plan_id=plan_id,
            team_id=TEAM,
            week_start=FIRST_DAY + timedelta(weeks=week),
            planned_sessions=5,
            planned_load_au=load,
            intensity_mix=mix,
        )
        events.append(_envelope(planning.WeekPlannedEvent, data, week_id))
    for player in PLAYERS:
        data = users.MembershipAdded(membership_id=uuid.uuid4(), user_id=player, team_id=TEAM, role="player")
        events.append(_envelope(users.MembershipAddedEvent, data, player))
    for offset, minutes, rpe in ((GAME[0], GAME[2], 9), (A_GAME_DAY, 60, None)):
        day = FIRST_DAY + timedelta(days=offset)
        game = calendar.EventScheduled(
            series_id=uuid.uuid4(),
            kind="game",
            title="Game",
            team_id=TEAM,
            starts_at=datetime(day.year, day.month, day.day, 16, tzinfo=UTC),
            duration_minutes=minutes,
            time_zone="UTC",
            planned_rpe=rpe,
        )
        events.append(_envelope(calendar.EventCreatedEvent, game, game.series_id))
    offset, rpe, minutes = GAME
    events.append(
        session_rpe_logged(
            org_id=ORG, player_id=PLAYERS[0], team_id=TEAM, session_date=FIRST_DAY + timedelta(days=offset), rpe=rpe,
            duration_minutes=minutes,
        )
    )  # fmt: skip
    for offset, intended, minutes in TAPER_SESSIONS:
        session_id, day = uuid.uuid4(), FIRST_DAY + timedelta(days=offset)
        scheduled = training.SessionScheduled(
            session_id=session_id,
            team_id=TEAM,
            player_ids=PLAYERS,
            starts_at=datetime(day.year, day.month, day.day, 16, tzinfo=UTC),
            planned_duration_minutes=minutes,
            planned_rpe=intended,
        )
        events.append(_envelope(training.SessionScheduledEvent, scheduled, session_id))
    for offset, rpe, minutes, intended in SESSIONS:
        session_id, day = uuid.uuid4(), FIRST_DAY + timedelta(days=offset)
        scheduled = training.SessionScheduled(
            session_id=session_id,
            team_id=TEAM,
            player_ids=PLAYERS,
            starts_at=datetime(day.year, day.month, day.day, 16, tzinfo=UTC),
            planned_duration_minutes=minutes,
            planned_rpe=intended,
        )
        events.append(_envelope(training.SessionScheduledEvent, scheduled, session_id))
        for index, player in enumerate(PLAYERS):
            log = session_rpe_logged(
                org_id=ORG, player_id=player, team_id=TEAM, session_date=day, rpe=rpe - index, duration_minutes=minutes
            )
            events.append(log.model_copy(update={"data": log.data.model_copy(update={"session_id": session_id})}))
    return events


@pytest.fixture(scope="module")
def marts(tmp_path_factory):
    """The built warehouse, open for reading."""
    path = tmp_path_factory.mktemp("planning-warehouse") / "hub.duckdb"  # dbt-duckdb names the database after the file
    with duckdb.connect(str(path)) as conn:
        ensure_raw_schema(conn)
        load_events(conn, _events())
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HUB_WAREHOUSE_PATH", str(path))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        selected = [
            "+fct_player_fitness_fatigue_form",
            "+fct_team_weekly_planned_vs_actual",
            "+fct_intended_vs_perceived_rpe",
        ]
        outcome = invoke_dbt(["run", "--select", *selected])
        assert outcome.success, outcome.exception
    conn = duckdb.connect(str(path), read_only=True)
    yield conn
    conn.close()


def _logged(player_index: int) -> dict[int, int]:
    """The player's logged load (AU) per day offset: the sessions, and the game for the first player."""
    logged = {offset: (rpe - player_index) * minutes for offset, rpe, minutes, _ in SESSIONS}
    if player_index == 0:
        logged[GAME[0]] = GAME[1] * GAME[2]
    return logged


def _daily_loads(player_index: int) -> list[float]:
    """What the player logged each day of the history, then each day ahead: the planned load of its sessions, else
    an even share of what the week's planned load leaves beyond them."""
    logged = _logged(player_index)
    history = [float(logged.get(d, 0)) for d in range(HISTORY_DAYS)]
    sessions = {offset: intended * minutes for offset, intended, minutes in TAPER_SESSIONS}
    ahead = []
    for week in range(HISTORY_DAYS // 7, len(PLANNED)):
        days = range(7 * week, 7 * week + 7)
        scheduled = [sessions[d] for d in days if d in sessions]
        rest = max(PLANNED[week] - sum(scheduled), 0) / (7 - len(scheduled))
        ahead += [float(sessions.get(d, rest)) for d in days]
    return history + ahead


def _banister(loads: list[float]) -> list[tuple[float, float, float]]:
    fitness = fatigue = 0.0
    out = []
    for load in loads:
        fitness += (load - fitness) * 2 / 43
        fatigue += (load - fatigue) * 2 / 8
        out.append((fitness, fatigue, fitness - fatigue))
    return out


def test_the_form_projection_on_planned_load_matches_an_independent_computation(marts):
    for index, player in enumerate(PLAYERS):
        rows = marts.execute(
            "SELECT metric_date, is_projected, fitness_au, fatigue_au, form_au "
            "FROM marts.fct_player_fitness_fatigue_form WHERE player_id = ? ORDER BY metric_date",
            [str(player)],
        ).fetchall()
        expected = _banister(_daily_loads(index))
        assert len(rows) == len(expected) == 7 * len(PLANNED)
        assert [r[1] for r in rows] == [False] * HISTORY_DAYS + [True] * (len(rows) - HISTORY_DAYS)
        for (day, _, fitness, fatigue, form), (want_fitness, want_fatigue, want_form) in zip(
            rows, expected, strict=True
        ):
            assert fitness == pytest.approx(want_fitness, abs=0.006), day
            assert fatigue == pytest.approx(want_fatigue, abs=0.006), day
            assert form == pytest.approx(want_form, abs=0.006), day
        # the taper week's planned sessions carry their loads on their days, its other days share the rest
        loads = marts.execute(
            "SELECT load_au FROM marts.fct_player_fitness_fatigue_form WHERE player_id = ? AND metric_date >= ? "
            "ORDER BY metric_date",
            [str(player), FIRST_DAY + timedelta(weeks=len(PLANNED) - 1)],
        ).fetchall()
        assert [load for (load,) in loads] == [300, 156, 120, 156, 156, 156, 156]
        # the taper week ahead: the player arrives at the A game fresher than at the end of the building weeks
        form_by_day = {row[0]: row[4] for row in rows}
        taper_start = FIRST_DAY + timedelta(weeks=len(PLANNED) - 1)
        assert form_by_day[taper_start + timedelta(days=6)] > form_by_day[taper_start - timedelta(days=1)] + 50


def test_planned_vs_actual_per_team_week_matches_the_logs(marts):
    rows = marts.execute(
        "SELECT week_start, planned_load_au, players_on_record, mean_actual_load_au, actual_to_planned_load_ratio "
        "FROM marts.fct_team_weekly_planned_vs_actual WHERE team_id = ? ORDER BY week_start",
        [str(TEAM)],
    ).fetchall()
    assert [r[1] for r in rows] == PLANNED
    for week, (_, planned, players, mean_actual, ratio) in enumerate(rows):
        if week >= HISTORY_DAYS // 7:
            assert (players, mean_actual, ratio) == (0, None, None)  # ahead: nothing logged yet
            continue
        per_player = [
            sum(load for offset, load in _logged(index).items() if offset // 7 == week) for index in range(len(PLAYERS))
        ]
        assert players == len(PLAYERS)
        assert mean_actual == pytest.approx(statistics.mean(per_player), abs=0.006)
        assert ratio == pytest.approx(statistics.mean(per_player) / planned, abs=0.0011)


def test_intended_vs_perceived_effect_size_matches_an_independent_computation(marts):
    intended = [i for _, _, _, i in SESSIONS for _ in PLAYERS]
    perceived = [rpe - index for _, rpe, _, _ in SESSIONS for index in range(len(PLAYERS))]
    pooled = ((statistics.stdev(intended) ** 2 + statistics.stdev(perceived) ** 2) / 2) ** 0.5
    d = (statistics.mean(intended) - statistics.mean(perceived)) / pooled
    g = d * (1 - 3 / (4 * (len(intended) - 1) - 1))
    row = marts.execute(
        "SELECT pairs, cohens_d, hedges_g FROM marts.fct_intended_vs_perceived_rpe "
        "WHERE coach_id = ? AND session_type = 'all'",
        [str(COACH)],
    ).fetchone()
    assert row[0] == len(intended)
    assert row[1] == pytest.approx(d, abs=0.0011) and row[2] == pytest.approx(g, abs=0.0011)


def test_a_game_is_scheduled_its_log_matches_it_and_no_one_missed_training_for_it(marts):
    rows = marts.execute(
        "SELECT week_start, sessions_missed, sessions_added, scheduled_sessions, scheduled_games, games_logged "
        "FROM marts.fct_team_weekly_planned_vs_actual WHERE team_id = ? AND week_start < ? ORDER BY week_start",
        [str(TEAM), FIRST_DAY + timedelta(days=HISTORY_DAYS)],
    ).fetchall()
    per_week = [sum(1 for offset, *_ in SESSIONS if offset // 7 == week) for week in range(HISTORY_DAYS // 7)]
    # the second week's game: scheduled, logged by one player (not added), and the other did not miss training
    assert [row[1:] for row in rows] == [
        (0, 0, sessions, int(week == 1), 0 if week != 1 else 1) for week, sessions in enumerate(per_week)
    ]
    player = marts.execute(
        "SELECT games_scheduled, games_logged, sessions_missed FROM marts.fct_player_weekly_planned_vs_actual "
        "WHERE player_id = ? AND week_start = ?",
        [str(PLAYERS[1]), FIRST_DAY + timedelta(weeks=1)],
    ).fetchone()
    assert player == (1, 0, 0)
