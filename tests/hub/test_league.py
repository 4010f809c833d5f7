"""The synthetic league: repeatable from its seed, the size asked for, and both ways in land in the system."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, timedelta

import nats
import pytest
from sqlalchemy import create_engine, text

from contracts.registry import parse_event
from hub.league import LeagueSize, RpeEntry, count_events, league_events, plan_league
from hub.league_seed import publish_league, seed_league_via_api
from operational.kit.db import sqlalchemy_url

END = date.today() - timedelta(days=1)


def _events(seed: int, size: LeagueSize) -> list[str]:
    return [e.model_dump_json() for e in league_events(plan_league(size, seed=seed, end_date=END))]


def test_the_same_seed_gives_the_same_events_and_another_seed_does_not():
    size = LeagueSize(orgs=1, teams=2, players=5, days=30)
    first, again, other = _events(7, size), _events(7, size), _events(8, size)
    assert first == again
    assert first != other


def test_the_league_has_the_size_asked_for_with_rest_days_gaps_and_every_kind_of_event():
    size = LeagueSize(orgs=2, teams=3, players=10, days=120)
    league = plan_league(size, seed=3, end_date=END)
    events = list(league_events(league))
    kinds = Counter(e.type for e in events)
    assert kinds["users.organization.created"] == 2
    assert kinds["users.team.created"] == 6
    assert kinds["users.membership.added"] == 6 * (10 + 1)
    assert len(events) == count_events(league)
    rpe = [e.data for e in events if e.type == "training.session_rpe.logged"]
    assert {r.session_date for r in rpe} <= {END - timedelta(days=d) for d in range(120)}
    per_player = Counter(r.player_id for r in rpe)
    assert len(per_player) == 60
    # five planned sessions a week, some missed, none on rest days (Thursday and Sunday)
    # (120 days are 17 weeks and a day, so a window holds 85 or 86 planned sessions, by the weekday it ends on)
    planned = sum(1 for d in range(120) if (END - timedelta(days=d)).weekday() not in (3, 6))
    assert all(n <= planned for n in per_player.values())
    assert sum(per_player.values()) < 60 * planned, "some sessions are missed"
    assert sum(per_player.values()) > 60 * planned * 0.75
    assert not any(r.session_date.weekday() in (3, 6) for r in rpe)
    assert kinds["medical.availability.changed"] > 0, "over 120 days some of 60 players get injured"
    assert 0.6 < kinds["training.wellness.submitted"] / (60 * 120) < 0.8
    assert kinds["training.test_result.recorded"] > 0
    # every event is a valid contract event as a consumer parses it from the wire
    for event in events[:: max(1, len(events) // 500)]:
        assert parse_event(event.model_dump_json().encode()).event_id == event.event_id


def test_a_league_of_more_than_a_year_is_refused():
    with pytest.raises(ValueError, match="365"):
        LeagueSize(days=400)


def test_the_nats_way_in_puts_every_event_on_the_stream_once(nats_server):
    league = plan_league(LeagueSize(orgs=1, teams=1, players=3, days=14), seed=11, end_date=END)
    expected = {str(e.event_id) for e in league_events(league)}

    async def publish_twice_and_read_back() -> set[str]:
        await publish_league(league, nats_server.url)
        await publish_league(league, nats_server.url)  # JetStream drops the repeats by Nats-Msg-Id
        nc = await nats.connect(nats_server.url)
        try:
            js = nc.jetstream()
            sub = await js.subscribe("hub.>", ordered_consumer=True)
            seen = []
            while True:
                try:
                    msg = await sub.next_msg(timeout=2)
                except nats.errors.TimeoutError:
                    return seen
                seen.append(msg.headers["Nats-Msg-Id"])
        finally:
            await nc.close()

    seen = asyncio.run(publish_twice_and_read_back())
    mine = [event_id for event_id in seen if event_id in expected]
    assert sorted(mine) == sorted(expected)


def test_the_api_way_in_logs_every_session_through_the_training_service(gateway, settings):
    league = plan_league(LeagueSize(orgs=1, teams=2, players=3, days=10), seed=12, end_date=END)
    report = seed_league_via_api(league, gateway, settings)
    planned = [a for _, a in league.activities() if isinstance(a, RpeEntry)]
    assert report.teams == 2 and report.players == 6
    assert report.events["training.session_rpe.logged"] == len(planned)
    engine = create_engine(sqlalchemy_url(settings.database_url))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT u.email, l.session_date, l.rpe, l.duration_minutes FROM training.session_rpe_logs l "
                "JOIN users.users u ON u.id = l.player_id JOIN users.organizations o ON o.id = l.org_id "
                "WHERE o.slug = :slug"
            ),
            {"slug": league.clubs[0].slug},
        ).all()
    engine.dispose()
    emails = {p.id: p.email for _, t in league.teams() for p in t.players}
    assert sorted(rows) == sorted((emails[a.player_id], a.session_date, a.rpe, a.duration_minutes) for a in planned)
    with pytest.raises(RuntimeError, match="already exists"):
        seed_league_via_api(league, gateway, settings)
