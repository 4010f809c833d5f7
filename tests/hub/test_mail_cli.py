"""`hub mail` lists the e-mail comms wrote as files, and says where mail goes when there is none."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from operational.comms.mail.compose import compose
from operational.comms.mail.directory import DirectoryTransport
from tests.hub.test_cli import run_hub


def test_hub_mail_lists_the_messages_and_shows_the_newest(tmp_path):
    empty = run_hub("mail", env={"HUB_VAR_DIR": str(tmp_path)})
    assert empty.returncode == 0 and f"land in {tmp_path / 'mail'}" in empty.stdout

    message = compose(notification_id=uuid.uuid4(), kind="event_cancelled", lang="sv", to="anna@example.org",
                      sender="Hub <hub@example.org>", created_at=datetime.now(UTC),
                      data={"title": "Is", "team_name": "U16", "starts_at": "2027-04-06T15:00:00+00:00",
                            "time_zone": "Europe/Stockholm"})  # fmt: skip
    asyncio.run(DirectoryTransport(tmp_path / "mail").send(message))

    listed = run_hub("mail", "--show", env={"HUB_VAR_DIR": str(tmp_path)})
    assert listed.returncode == 0, listed.stderr
    assert "anna@example.org  Is är inställd" in listed.stdout
    assert "U16: Is, tisdag 6 april 17:00, är inställd." in listed.stdout
