"""E-mail: sent over a real SMTP server (aiosmtpd on loopback) or written as files, in the recipient's language, as
text and HTML, once; held for a minor during the club's quiet hours and sent when they end."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from operational.comms.config import CommsSettings
from operational.comms.mail.delivery import deliver_pending_mail
from operational.comms.mail.directory import stored_mail
from operational.kit.db import create_engine
from tests.messaging import drain_and_consume
from tests.operational.comms.helpers import BASE, notifications, schedule
from tests.operational.comms.mail_server import free_port, smtp_server
from tests.operational.comms.test_notifications import _sql


def comms_settings(settings, **overrides) -> CommsSettings:
    return CommsSettings(database_url=settings.database_url, var_dir=settings.var_dir, log_json=False, **overrides)


def deliver(comms: CommsSettings) -> int:
    async def go() -> int:
        engine = create_engine(comms.database_url, pool_size=1)
        try:
            return await deliver_pending_mail(engine, comms)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def prefer(gateway, person, **body) -> dict:
    response = gateway.put(f"{BASE}/preferences", json=body, headers=person.headers)
    assert response.status_code == 200, response.text
    return response.json()


def addresses(club) -> dict[str, str]:
    return {who: f"{who}-{club.org_id.hex[:8]}@example.org" for who in ("player", "parent", "teammate")}


def test_a_new_practice_is_mailed_over_smtp_in_each_recipients_language_once(
    gateway, comms_club, settings, quiet_hours
):
    mail = addresses(comms_club)
    prefer(gateway, comms_club["player"], language="sv", email=mail["player"])
    prefer(gateway, comms_club["parent"], language="en", email=mail["parent"])
    schedule(gateway, comms_club)
    drain_and_consume(settings, services=["comms"])

    with smtp_server() as (inbox, port):
        smtp = comms_settings(settings, mail_transport="smtp", smtp_port=port, smtp_starttls=False)
        assert deliver(smtp) >= 2
        assert deliver(smtp) == 0

    (swedish,) = inbox.to(mail["player"])
    assert swedish["Subject"] == "Nytt i kalendern: Ice practice"
    assert "tisdag 6 april 17:00" in swedish.get_body(("plain",)).get_content()
    assert "<h1" in swedish.get_body(("html",)).get_content()
    (english,) = inbox.to(mail["parent"])
    assert english["Subject"] == "New in the calendar: Ice practice"
    # gave no address in the app: the e-mail goes to their account's address, in their account's language
    (account,) = inbox.to(comms_club["teammate"].email)
    assert account["Subject"] == "New in the calendar: Ice practice"
    assert notifications(gateway, comms_club["teammate"])["total"] == 1


def test_an_event_title_is_text_in_the_html_part(gateway, comms_club, settings, quiet_hours):
    mail = addresses(comms_club)
    prefer(gateway, comms_club["parent"], email=mail["parent"])
    schedule(gateway, comms_club, title="<script>alert(1)</script>")
    drain_and_consume(settings, services=["comms"])
    with smtp_server() as (inbox, port):
        deliver(comms_settings(settings, mail_transport="smtp", smtp_port=port, smtp_starttls=False))
    html = inbox.to(mail["parent"])[0].get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_mail_that_cannot_be_sent_is_tried_again_then_marked_failed(gateway, comms_club, settings, quiet_hours):
    prefer(gateway, comms_club["parent"], email=addresses(comms_club)["parent"])
    schedule(gateway, comms_club)
    drain_and_consume(settings, services=["comms"])
    nowhere = comms_settings(settings, mail_transport="smtp", smtp_port=free_port(), smtp_starttls=False,
                             smtp_timeout_seconds=2, mail_attempts=2)  # fmt: skip

    assert deliver(nowhere) == 0
    assert _email_states(settings, comms_club, "parent") == [("pending", 1)]
    assert deliver(nowhere) == 0
    assert _email_states(settings, comms_club, "parent") == [("failed", 2)]


def test_the_directory_transport_writes_files_that_hub_mail_lists(gateway, comms_club, settings, quiet_hours, tmp_path):
    prefer(gateway, comms_club["parent"], language="sv", email=addresses(comms_club)["parent"])
    schedule(gateway, comms_club)
    drain_and_consume(settings, services=["comms"])

    assert deliver(comms_settings(settings, mail_dir=tmp_path / "mail")) >= 1
    stored = [m for m in stored_mail(tmp_path / "mail") if m.to == addresses(comms_club)["parent"]]
    assert [m.subject for m in stored] == ["Nytt i kalendern: Ice practice"]


def test_a_minors_mail_waits_for_the_end_of_quiet_hours_and_an_adults_does_not(
    gateway, comms_club, settings, quiet_hours
):
    mail = addresses(comms_club)
    prefer(gateway, comms_club["player"], email=mail["player"])  # a minor
    prefer(gateway, comms_club["parent"], email=mail["parent"])
    quiet_ends = quiet_hours.around_now()
    schedule(gateway, comms_club)
    drain_and_consume(settings, services=["comms"])

    with smtp_server() as (inbox, port):
        smtp = comms_settings(settings, mail_transport="smtp", smtp_port=port, smtp_starttls=False)
        deliver(smtp)
        assert inbox.to(mail["parent"]) and not inbox.to(mail["player"])
        (held,) = _sql(
            settings,
            "SELECT not_before FROM comms.notifications WHERE recipient_id = :who AND channel = 'email'",
            who=comms_club["player"].id,
        )
        assert held[0] == quiet_ends.astimezone(UTC)
        # the quiet hours end
        _sql(settings, "UPDATE comms.notifications SET not_before = :t WHERE recipient_id = :who",
             t=datetime.now(UTC), who=comms_club["player"].id)  # fmt: skip
        deliver(smtp)
        assert len(inbox.to(mail["player"])) == 1


def test_a_muted_category_and_channel_is_not_used(gateway, comms_club, settings, quiet_hours):
    body = prefer(gateway, comms_club["player"], muted=[{"category": "schedule", "channel": "in_app"}])
    muted = [{"category": "schedule", "channel": "in_app"}]
    assert body == {"language": None, "email": None, "phone": None, "muted": muted, "digest": []}
    schedule(gateway, comms_club)
    drain_and_consume(settings, services=["comms"])
    assert notifications(gateway, comms_club["player"])["total"] == 0
    assert notifications(gateway, comms_club["teammate"])["total"] == 1


def test_preferences_refuse_a_bad_address_and_unknown_fields(gateway, comms_club):
    headers = comms_club["player"].headers
    bad = gateway.put(f"{BASE}/preferences", json={"email": "not-an-address"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "email"
    assert gateway.put(f"{BASE}/preferences", json={"user_id": "x"}, headers=headers).status_code == 422
    assert gateway.get(f"{BASE}/preferences", headers=headers).json()["email"] is None


def _email_states(settings, club, who) -> list[tuple]:
    return _sql(
        settings,
        "SELECT status, attempts FROM comms.notifications WHERE recipient_id = :who AND channel = 'email'",
        who=club[who].id,
    )
