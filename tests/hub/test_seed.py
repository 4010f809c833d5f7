"""`hub seed`: the demo club a newcomer logs into, created once, through the services (so events flow)."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import jwt
import psycopg
import pytest

from hub.embedded import ensure_database
from hub.seed import CLUB_SLUG, DEMO_LOGINS, DEMO_PASSWORD, RANDOM_SEED, SEED_WEEKS, planned_sessions
from operational.kit.db import libpq_url
from operational.kit.migrations import upgrade_all
from tests.hub.processes import run_hub

ROLES = ("club_admin", "coach", "physical_trainer", "medical_staff", "player", "parent")


def _counts(database_url: str) -> tuple[int, int, int]:
    with psycopg.connect(libpq_url(database_url)) as conn:
        org = conn.execute("SELECT id FROM users.organizations WHERE slug = %s", (CLUB_SLUG,)).fetchone()
        if org is None:
            return 0, 0, 0
        users = conn.execute("SELECT count(*) FROM users.users WHERE org_id = %s", org).fetchone()[0]
        logs = conn.execute("SELECT count(*) FROM training.session_rpe_logs WHERE org_id = %s", org).fetchone()[0]
        events = conn.execute(
            "SELECT count(*) FROM training.outbox WHERE envelope->>'org_id' = %s AND subject = %s",
            (str(org[0]), "hub.training.session_rpe.logged"),
        ).fetchone()[0]
        return users, logs, events


@pytest.fixture(scope="module")
def seed_database_url(postgres_admin_url: str) -> str:
    """A database of its own: the demo club's hundreds of events stay out of the stream other tests read."""
    url = ensure_database(postgres_admin_url, "hub_seed_demo")
    upgrade_all(url)
    return url


@pytest.fixture(scope="module")
def seeded(seed_database_url):
    env = {
        "HUB_DATABASE_URL": seed_database_url,
        # the floor OWASP allows keeps the suite fast; `hub up` hashes with the production cost
        "HUB_USERS_ARGON2_MEMORY_KIB": str(19 * 1024),
    }
    first = run_hub("seed", env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    return env, first


@pytest.fixture
def seed_gateway(settings, seed_database_url):
    """The API over the seeded database, without relays (nothing is published)."""
    from fastapi.testclient import TestClient

    from operational.gateway import create_app

    with TestClient(create_app(settings.model_copy(update={"database_url": seed_database_url}))) as client:
        yield client


def test_seed_creates_one_login_per_role_and_every_login_works(seeded, seed_gateway):
    _env, first = seeded
    assert "seeded Northside Hockey Club: 13 logins" in first.stdout
    assert {login.role for login in DEMO_LOGINS} == set(ROLES)
    for login in DEMO_LOGINS:
        response = seed_gateway.post("/api/v1/auth/login", json={"email": login.email, "password": DEMO_PASSWORD})
        assert response.status_code == 200, (login.email, response.text)
        token = response.json()["access_token"]
        me = seed_gateway.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"}).json()
        roles = set(me["org_roles"]) | {m["role"] for m in me["memberships"]}
        assert login.role in roles
        if login.guardian_of:
            minor = next(other for other in DEMO_LOGINS if other.email == login.guardian_of)
            guardian_of = jwt.decode(token, options={"verify_signature": False})["guardian_of"]
            minor_me = seed_gateway.get(f"/api/v1/users/{guardian_of[0]}", headers={"Authorization": f"Bearer {token}"})
            assert minor_me.json()["full_name"] == minor.full_name


def test_seeded_rpe_logs_went_through_the_outbox(seeded, seed_database_url):
    users, logs, events = _counts(seed_database_url)
    assert users == len(DEMO_LOGINS)
    assert logs > 150  # eight players, about five sessions a week for six weeks
    assert events == logs  # one training.session_rpe.logged event per log
    with psycopg.connect(libpq_url(seed_database_url)) as conn:
        wellness_days = conn.execute("SELECT count(*) FROM training.wellness_entries").fetchone()[0]
        results = conn.execute("SELECT count(*) FROM training.test_results").fetchone()[0]
    assert wellness_days > 8 * 42 * 0.7  # most mornings of six weeks, eight players
    assert results == 8 * 2 * 2  # two tests, twice, for eight players


def test_seeding_twice_changes_nothing(seeded, seed_database_url):
    env, _first = seeded
    before = _counts(seed_database_url)
    second = run_hub("seed", env=env, timeout=120)
    assert second.returncode == 0, second.stderr
    assert "already exists; nothing seeded" in second.stdout
    assert _counts(seed_database_url) == before


def test_six_weeks_of_plausible_sessions_with_rest_days():
    player = next(login for login in DEMO_LOGINS if login.role == "player")
    last_day = date(2026, 11, 21)
    sessions = planned_sessions(player, random.Random(RANDOM_SEED), last_day)
    assert sessions == planned_sessions(player, random.Random(RANDOM_SEED), last_day)  # deterministic
    days = {s.session_date for s in sessions}
    assert min(days) >= last_day - timedelta(weeks=SEED_WEEKS) and max(days) <= last_day
    assert all(3 <= s.rpe <= 9 and 30 <= s.duration_minutes <= 120 for s in sessions)
    assert not any(day.weekday() in (3, 6) for day in days)  # Thursdays and Sundays are rest days
    assert len({s.rpe for s in sessions}) >= 4  # a real spread, not one value repeated


def test_the_demo_has_injuries_an_illness_and_a_concussion_part_way_back(seeded, seed_database_url):
    _env, first = seeded
    assert "4 health problems" in first.stdout
    with psycopg.connect(libpq_url(seed_database_url)) as conn:
        problems = dict(conn.execute("SELECT osiics_code, kind FROM medical.health_problems").fetchall())
        availability = dict(
            conn.execute(
                "SELECT u.email, a.status FROM medical.availability a JOIN users.users u ON u.id = a.player_id"
            ).fetchall()
        )
        stage = conn.execute("SELECT protocol, stage FROM medical.return_to_play").fetchall()
        tasks = conn.execute("SELECT count(*) FROM medical.tasks WHERE done_at IS NULL").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM medical.outbox WHERE subject LIKE 'hub.medical.%'").fetchone()[0]
    assert problems == {"TM1": "injury", "AL1": "injury", "MPIX": "illness", "HN1": "injury"}
    assert stage == [("concussion_graduated_return", 3)]
    assert availability["elias.nilsson@northside.example.org"] == "unavailable"  # concussion, stage 3
    assert availability["hugo.larsson@northside.example.org"] == "limited"  # back to modified training
    assert availability["liam.johansson@northside.example.org"] == "unavailable"  # the illness
    assert "oscar.andersson@northside.example.org" not in availability  # long back: never unavailable as seeded
    assert tasks == 1
    assert events >= 8  # a problem outline per problem and change, and every change of availability


def test_the_demo_warehouse_shows_injury_surveillance_and_availability(
    seeded, seed_database_url, tmp_path, monkeypatch
):
    """The demo's events, built by dbt as the pipeline builds them: its teams have exposure, incidence, burden and
    weekly availability to show on the dashboards, and season-plan weeks whose practices players logged."""
    import contextlib

    import duckdb

    from contracts.registry import parse_event
    from pipelines.dbt_build import invoke_dbt
    from warehouse.raw import load_events

    with psycopg.connect(libpq_url(seed_database_url)) as conn:
        schemas = [s for (s,) in conn.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox'"
        ).fetchall()]  # fmt: skip
        envelopes = [row[0] for schema in schemas for row in conn.execute(f"SELECT envelope FROM {schema}.outbox")]
    path = tmp_path / "hub.duckdb"
    with contextlib.closing(duckdb.connect(str(path))) as warehouse:
        load_events(warehouse, [parse_event(json.dumps(envelope)) for envelope in envelopes])
    monkeypatch.setenv("HUB_WAREHOUSE_PATH", str(path))
    monkeypatch.setenv("HUB_DBT_TARGET", "duckdb")
    outcome = invoke_dbt(
        [
            "run",
            "--select",
            "+fct_injury_incidence",
            "+fct_team_availability_weekly",
            "+dim_teams",
            "+fct_team_weekly_planned_vs_actual",
        ]
    )
    assert outcome.success, outcome.exception

    with contextlib.closing(duckdb.connect(str(path), read_only=True)) as warehouse:
        teams = warehouse.execute(
            "SELECT t.team_name, i.problems_count, i.incidence_per_1000h, i.burden_days_per_1000h "
            "FROM marts.fct_injury_incidence AS i JOIN marts.dim_teams AS t USING (team_id) "
            "WHERE i.breakdown = 'all' AND i.problem_kind = 'injury' ORDER BY t.team_name"
        ).fetchall()
        weeks = warehouse.execute(
            "SELECT count(*), min(availability_pct) FROM marts.fct_team_availability_weekly"
        ).fetchone()
        plan_weeks = warehouse.execute(
            "SELECT scheduled_sessions, scheduled_load_au, players_on_record, sessions_missed, sessions_added, "
            "scheduled_games, games_logged "
            "FROM marts.fct_team_weekly_planned_vs_actual WHERE week_start < current_date - 7"
        ).fetchall()
    assert sum(problems for _, problems, _, _ in teams) == 3  # the hamstring, the ankle and the concussion
    assert all(incidence > 0 for _, _, incidence, _ in teams)
    assert any(burden is not None and burden > 0 for _, _, _, burden in teams)
    assert weeks[0] >= 2 and weeks[1] < 100  # weeks with someone out
    # four practices a week (5 × 60 + 6 × 75 + 7 × 90 + 4 × 45 = 1560 AU planned); players logged most of them and
    # missed a few; Saturday's game is a game on the calendar, apart from them: its logs match it, none is added
    assert plan_weeks and all(row[:2] == (4, 1560) and row[5] == 1 for row in plan_weeks)
    missed, added, games_logged = (sum(row[index] for row in plan_weeks) for index in (3, 4, 6))
    assert 0 < missed < sum(4 * row[2] for row in plan_weeks) / 2 and added == 0 and games_logged > 0


def test_the_demo_has_a_season_plan_per_team_six_weeks_behind_four_ahead_with_a_taper_and_goals(
    seeded, seed_database_url
):
    with psycopg.connect(libpq_url(seed_database_url)) as conn:
        plans = conn.execute("SELECT id, starts_on, ends_on FROM planning.season_plans").fetchall()
        weeks = conn.execute(
            "SELECT week_start, planned_load_au FROM planning.weeks WHERE plan_id = %s ORDER BY week_start",
            (plans[0][0],),
        ).fetchall()
        priorities = sorted(r[0] for r in conn.execute("SELECT priority FROM planning.key_game_priorities"))
        goals = conn.execute("SELECT metric FROM planning.goals").fetchall()
        reviews = conn.execute("SELECT count(*) FROM planning.development_reviews").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM planning.outbox WHERE subject LIKE 'hub.planning.%'").fetchone()[0]
    assert len(plans) == 2 and len(weeks) == 10
    this_monday = date.today() - timedelta(days=date.today().weekday())
    assert (
        sum(1 for day, _ in weeks if day < this_monday) == 6
    )  # the Monday may differ by the club's zone near midnight
    assert weeks[-1][1] < weeks[-3][1]  # the last two weeks taper into the A game
    assert priorities == ["A", "A", "B", "B"]
    assert sorted(m for (m,) in goals) == ["attendance_rate", "test_result", "weekly_load", "wellness_compliance"]
    assert reviews == 1 and events > 20


def test_the_demo_clubs_use_over_the_weeks_is_in_the_outboxes(seeded, seed_database_url):
    """Sign-ins on past days for every role and dashboard page views for staff: the usage reports have figures."""
    with psycopg.connect(libpq_url(seed_database_url)) as conn:
        sign_ins = conn.execute(
            "SELECT envelope->'data'->'roles', (envelope->>'occurred_at')::timestamptz::date FROM users.outbox "
            "WHERE envelope->>'type' = 'users.session.signed_in'"
        ).fetchall()
        viewers = conn.execute(
            "SELECT DISTINCT envelope->>'actor_id' FROM admin.outbox WHERE envelope->>'type' = 'admin.page.viewed'"
        ).fetchall()
        players = conn.execute(
            "SELECT id::text FROM users.users u WHERE EXISTS (SELECT 1 FROM users.memberships m "
            "WHERE m.user_id = u.id AND m.role = 'player')"
        ).fetchall()
    assert {role for roles, _day in sign_ins for role in roles} == set(ROLES)
    assert len({day for _roles, day in sign_ins}) > 30  # most days of six weeks
    assert viewers and not {v for (v,) in viewers} & {p for (p,) in players}
