"""A person's own feed fetched by a calendar app is their use of Hockey Hub: counted once a day, however often."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg

from operational.calendar.feeds import service
from operational.kit.auth import today_in
from operational.kit.db import libpq_url
from tests.operational.admin.outbox import outbox_envelopes
from tests.operational.calendar.helpers import API

FETCHED = "calendar.feed.fetched"


def _all_fetched(settings) -> int:
    with psycopg.connect(libpq_url(settings.database_url)) as conn:
        return conn.execute("SELECT count(*) FROM calendar.outbox WHERE envelope->>'type' = %s", (FETCHED,)).fetchone()[
            0
        ]


def test_a_personal_feed_counts_once_a_day_however_often_it_is_fetched(gateway, cal_club, settings, monkeypatch):
    player = cal_club["player"]
    created = gateway.post(f"{API}/feeds", json={}, headers=player.headers).json()
    assert gateway.get(created["url"]).status_code == 200
    assert gateway.get(created["url"]).status_code == 200  # the app polls again the same day

    today = today_in("Europe/Stockholm")
    [first] = outbox_envelopes(settings, "calendar", FETCHED, player.id)
    assert first["org_id"] == str(cal_club.org_id)
    assert first["data"] == {"feed_id": created["id"], "day": today.isoformat()}

    tomorrow = datetime.now(UTC) + timedelta(days=1)
    monkeypatch.setattr(service, "today_in", lambda time_zone, now=None: today_in(time_zone, tomorrow))
    assert gateway.get(created["url"]).status_code == 200
    assert gateway.get(created["url"]).status_code == 200
    days = [e["data"]["day"] for e in outbox_envelopes(settings, "calendar", FETCHED, player.id)]
    assert days == [today.isoformat(), (today + timedelta(days=1)).isoformat()]


def test_a_bad_link_or_a_team_feed_is_not_counted_as_anyones_use(gateway, cal_club, settings):
    before = _all_fetched(settings)
    assert gateway.get(f"{API}/feeds/not-a-real-link.ics").status_code == 404
    coach = cal_club["coach"]
    team_feed = gateway.post(f"{API}/feeds", json={"team_id": str(cal_club.team_id)}, headers=coach.headers).json()
    assert gateway.get(team_feed["url"]).status_code == 200  # a shared link: who fetched it is unknown
    revoked = gateway.post(f"{API}/feeds", json={}, headers=coach.headers).json()
    assert gateway.delete(f"{API}/feeds/{revoked['id']}", headers=coach.headers).status_code == 204
    assert gateway.get(revoked["url"]).status_code == 404
    assert _all_fetched(settings) == before
