"""Calendar changes reach the team's players and their guardians as in-app notifications, in the reader's language,
once per event however often it is delivered; each person reads and marks only their own."""

from __future__ import annotations

from sqlalchemy import text

from tests.messaging import apply_events, drain_and_consume
from tests.operational.comms.helpers import BASE, CAL, notifications, schedule, speaking


def test_a_new_practice_tells_the_teams_players_and_parent_but_not_the_coach_or_another_team(
    gateway, comms_club, settings
):
    schedule(gateway, comms_club)
    drain_and_consume(settings, services=["comms"])

    for who in ("player", "teammate", "parent"):
        page = notifications(gateway, comms_club[who])
        assert (page["total"], page["unread"]) == (1, 1), who
        (item,) = page["items"]
        assert item["title"] == "New in the calendar: Ice practice"
        assert item["body"] == "U16: Ice practice, Tuesday 6 April 17:00."
    for who in ("coach", "other_player", "other_coach"):
        assert notifications(gateway, comms_club[who])["total"] == 0, who


def test_a_moved_practice_is_told_in_the_readers_language_on_the_events_clock(gateway, comms_club, settings):
    event = schedule(gateway, comms_club)
    moved = gateway.patch(
        f"{CAL}/events/{event['id']}",
        json={"starts_at": "2027-04-07T18:30:00+02:00"},
        headers=comms_club["coach"].headers,
    )
    assert moved.status_code == 200, moved.text
    drain_and_consume(settings, services=["comms"])

    swedish_parent = speaking(settings, comms_club["parent"], "sv")
    newest = notifications(gateway, swedish_parent)["items"][0]
    assert (newest["kind"], newest["title"]) == ("event_moved", "Ice practice har flyttats")
    assert newest["body"] == "U16: Ice practice börjar nu onsdag 7 april 18:30."


def test_a_cancelled_practice_is_told_by_its_name(gateway, comms_club, settings):
    event = schedule(gateway, comms_club)
    assert gateway.delete(f"{CAL}/events/{event['id']}", headers=comms_club["coach"].headers).status_code == 200
    drain_and_consume(settings, services=["comms"])

    newest = notifications(gateway, comms_club["player"])["items"][0]
    assert newest["title"] == "Ice practice is cancelled"


def test_a_redelivered_event_notifies_nobody_twice(gateway, comms_club, settings):
    from contracts.registry import parse_event

    schedule(gateway, comms_club)
    drain_and_consume(settings, services=["comms"])
    (envelope,) = _outbox_envelopes(settings, comms_club.org_id, "hub.calendar.event.created")
    # handed to the consumer again as a fresh delivery (the shared inbox is bypassed by deleting its row)
    _forget_inbox(settings, envelope["event_id"])
    apply_events(settings, "comms", [parse_event(_json(envelope))])

    assert notifications(gateway, comms_club["player"])["total"] == 1


def test_marking_read_counts_down_and_only_the_recipient_may(gateway, comms_club, settings, other_comms_club):
    schedule(gateway, comms_club)
    drain_and_consume(settings, services=["comms"])
    (item,) = notifications(gateway, comms_club["player"])["items"]
    path = f"{BASE}/notifications/{item['id']}/read"

    assert gateway.post(path, headers=comms_club["teammate"].headers).status_code == 403
    assert gateway.post(path, headers=other_comms_club["player"].headers).status_code == 404
    first = gateway.post(path, headers=comms_club["player"].headers)
    assert first.status_code == 200 and first.json()["read_at"]
    again = gateway.post(path, headers=comms_club["player"].headers)
    assert again.json()["read_at"] == first.json()["read_at"]
    page = notifications(gateway, comms_club["player"])
    assert (page["total"], page["unread"]) == (1, 0)
    assert notifications(gateway, comms_club["player"], unread_only=True)["total"] == 0
    assert notifications(gateway, comms_club["teammate"])["unread"] == 1


def test_an_invitation_is_queued_as_an_email_to_the_invited_person(gateway, comms_club, settings):
    invited = gateway.post(
        "/api/v1/users/invitations",
        json={"email": "newcomer@example.org", "full_name": "New Comer", "team_id": str(comms_club.team_id),
              "role": "player"},
        headers=comms_club["coach"].headers,
    )  # fmt: skip
    assert invited.status_code == 201, invited.text
    drain_and_consume(settings, services=["comms"])
    rows = _sql(
        settings,
        "SELECT channel, kind, status FROM comms.notifications WHERE org_id = :org AND category = 'account'",
        org=comms_club.org_id,
    )
    assert rows == [("email", "invitation", "pending")]


# --- SQL as the database owner ------------------------------------------------------------------------------------


def _sql(settings, statement: str, **params):
    import asyncio

    from operational.kit.db import create_engine

    async def go():
        engine = create_engine(settings.database_url, pool_size=1)
        try:
            async with engine.begin() as conn:
                result = await conn.execute(text(statement), params)
                return [tuple(row) for row in result] if result.returns_rows else None
        finally:
            await engine.dispose()

    return asyncio.run(go())


def _outbox_envelopes(settings, org_id, subject) -> list[dict]:
    rows = _sql(
        settings,
        "SELECT envelope FROM calendar.outbox WHERE subject = :subject AND envelope->>'org_id' = :org",
        subject=subject,
        org=str(org_id),
    )
    return [row[0] for row in rows]


def _forget_inbox(settings, event_id) -> None:
    _sql(settings, "DELETE FROM hub_messaging.inbox WHERE consumer = 'comms' AND event_id = :id", id=event_id)


def _json(envelope: dict) -> str:
    import json

    return json.dumps(envelope)
