"""Invitations and password resets reach the person by e-mail with their one-time link (over a real SMTP server), and
the link travels only on the private stream: never in an event on ``HUB_EVENTS``, the warehouse's raw tables, an
outbox that is kept, comms' tables once sent, or a log line."""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import closing
from pathlib import Path

import duckdb

from messaging import nats as hub_nats
from pipelines.ingest import ingest_pending_events
from tests.messaging import drain_and_consume, jetstream_on, private_nats
from tests.operational.comms.helpers import notifications
from tests.operational.comms.mail_server import smtp_server
from tests.operational.comms.test_mail import comms_settings, deliver
from tests.operational.comms.test_notifications import _sql
from warehouse.duckdb_warehouse import DuckDBSession

INVITATIONS = "/api/v1/users/invitations"


def invite(gateway, club, email: str) -> str:
    body = {"email": email, "full_name": "New Comer", "team_id": str(club.team_id), "role": "player"}
    response = gateway.post(INVITATIONS, json=body, headers=club["coach"].headers)
    assert response.status_code == 201, response.text
    return response.json()["invitation_token"]


def mail_over_smtp(settings):
    with smtp_server() as (inbox, port):
        deliver(comms_settings(settings, mail_transport="smtp", smtp_port=port, smtp_starttls=False))
    return inbox


def private_outbox_empty(settings) -> None:
    """The relay deletes a private message as NATS takes it (polled, within a bound)."""
    deadline = time.monotonic() + 15
    while _sql(settings, "SELECT count(*) FROM users.private_outbox")[0][0]:
        assert time.monotonic() < deadline, "the private outbox was not relayed within 15 s"
        time.sleep(0.05)


def test_an_invitation_is_emailed_with_a_link_that_lets_the_person_in(gateway, comms_club, settings, quiet_hours):
    address = f"newcomer-{comms_club.org_id.hex[:8]}@example.org"
    token = invite(gateway, comms_club, address)
    drain_and_consume(settings, services=["comms"])
    inbox = mail_over_smtp(settings)

    (mail,) = inbox.to(address)
    assert mail["Subject"] == "You are invited to Hockey Hub"
    text = mail.get_body(("plain",)).get_content()
    assert f"/invitation?token={token}" in text
    assert f'href="http://localhost:8700/invitation?token={token}"' in mail.get_body(("html",)).get_content()
    # comms keeps no copy of the link nor the address once the e-mail is gone
    (data,) = _sql(settings, "SELECT data::text FROM comms.notifications WHERE kind = 'invitation' AND org_id = :org",
                   org=comms_club.org_id)[0:1]  # fmt: skip
    assert token not in data[0] and address not in data[0]
    # the link works: the person sets a password with it and is signed in
    link_token = text.split("token=")[1].split()[0]
    accepted = gateway.post(
        "/api/v1/auth/invitations/accept", json={"token": link_token, "password": "a-long-new-password"}
    )
    assert accepted.status_code == 200, accepted.text
    assert mail_over_smtp(settings).messages == []  # sent once


def test_a_password_reset_is_emailed_to_the_account_and_told_in_the_app(gateway, comms_club, settings, quiet_hours):
    player = comms_club["player"]
    response = gateway.post("/api/v1/auth/password-reset", json={"email": player.email})
    assert response.status_code == 202, response.text
    drain_and_consume(settings, services=["comms"])
    inbox = mail_over_smtp(settings)

    mails = inbox.to(player.email)
    assert [mail["Subject"] for mail in mails] == ["Reset your password"]
    assert "/password-reset?token=" in mails[0].get_body(("plain",)).get_content()
    told = notifications(gateway, player)["items"]
    assert [(item["kind"], "token" in item["body"]) for item in told] == [("password_reset", False)]


def test_a_one_time_link_never_reaches_the_event_stream_the_warehouse_or_a_log(
    gateway, comms_club, settings, quiet_hours, caplog
):
    caplog.set_level(logging.DEBUG)

    async def last_sequence() -> int:
        async with jetstream_on(settings) as js:
            return (await js.stream_info("HUB_EVENTS")).state.last_seq

    before = asyncio.run(last_sequence())
    address = f"leak-check-{comms_club.org_id.hex[:8]}@example.org"
    token = invite(gateway, comms_club, address)
    drain_and_consume(settings, services=["comms"])
    private_outbox_empty(settings)
    (mail,) = mail_over_smtp(settings).to(address)
    assert token in mail.get_body(("plain",)).get_content()  # delivered: the check below would see a leak

    async def events_since() -> list[tuple[str, bytes]]:
        async with jetstream_on(settings) as js:
            last = (await js.stream_info("HUB_EVENTS")).state.last_seq
            messages = [await js.get_msg("HUB_EVENTS", seq) for seq in range(before + 1, last + 1)]
        return [(message.subject, message.data) for message in messages]

    events = asyncio.run(events_since())
    assert "hub.users.invitation.created" in {subject for subject, _ in events}
    assert not [subject for subject, body in events if token.encode() in body]

    async def land(nats_url: str, conn) -> int:
        nc = await hub_nats.connect(nats_url, name="test")
        try:
            js = nc.jetstream()
            await hub_nats.ensure_streams(js)
            for number, (subject, body) in enumerate(events):
                await js.publish(subject, body, headers={"Nats-Msg-Id": f"copy-{number}"})
            return (await ingest_pending_events(js, DuckDBSession(conn, Path()), load_id="test")).rows_inserted
        finally:
            await nc.close()

    with private_nats() as nats, closing(duckdb.connect(":memory:")) as conn:
        assert asyncio.run(land(nats.url, conn)) == len(events)
        tables = [row[0] for row in conn.execute("SELECT table_name FROM information_schema.tables "
                                                 "WHERE table_schema = 'raw'").fetchall()]  # fmt: skip
        for table in tables:
            rows = conn.execute(f"SELECT * FROM raw.{table}").fetchall()
            assert rows and token not in repr(rows), f"raw.{table}"

    kept = _sql(settings, "SELECT envelope::text FROM users.outbox WHERE envelope->>'org_id' = :org",
                org=str(comms_club.org_id))  # fmt: skip
    assert kept and not [row for row in kept if token in row[0]]
    assert token not in caplog.text
