"""The daily digest: a person who chose it for a category gets that category's e-mail once a day in one message, at
the digest time on their clock, instead of one e-mail per notification; everyone else still gets theirs at once."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from operational.comms.mail.digest import send_digests
from operational.kit.db import create_engine
from tests.messaging import drain_and_consume
from tests.operational.comms.helpers import schedule
from tests.operational.comms.mail_server import smtp_server
from tests.operational.comms.test_mail import comms_settings, deliver, prefer


def digests(settings, port: int, now: datetime) -> int:
    smtp = comms_settings(settings, mail_transport="smtp", smtp_port=port, smtp_starttls=False)

    async def go() -> int:
        engine = create_engine(settings.database_url, pool_size=1)
        try:
            return await send_digests(engine, smtp, now=now)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def test_a_digest_comes_once_a_day_at_the_digest_time_with_everything_in_it(gateway, comms_club, settings, quiet_hours):
    player, parent = comms_club["player"], comms_club["parent"]
    prefer(gateway, player, language="sv", digest=["schedule"])
    assert prefer(gateway, player, language="sv", digest=["schedule"])["digest"] == ["schedule"]
    schedule(gateway, comms_club, title="Morning ice")
    schedule(gateway, comms_club, title="Evening ice")
    drain_and_consume(settings, services=["comms"])
    zone = ZoneInfo(player.principal.time_zone)  # the clock the preferences were saved on

    with smtp_server() as (inbox, port):
        deliver(comms_settings(settings, mail_transport="smtp", smtp_port=port, smtp_starttls=False))
        assert inbox.to(player.email) == []  # waits for the digest
        assert len(inbox.to(parent.email)) == 2  # no digest chosen: one e-mail each, at once
        assert digests(settings, port, datetime(2031, 5, 2, 6, 30, tzinfo=zone)) == 0  # before 07:00
        assert digests(settings, port, datetime(2031, 5, 2, 7, 5, tzinfo=zone)) >= 1
        assert digests(settings, port, datetime(2031, 5, 2, 9, 0, tzinfo=zone)) == 0  # one a day

    (digest,) = inbox.to(player.email)
    assert digest["Subject"] == "Din sammanfattning från Hockey Hub: 2 nya"
    text = digest.get_body(("plain",)).get_content()
    assert "Nytt i kalendern: Morning ice" in text and "Nytt i kalendern: Evening ice" in text
