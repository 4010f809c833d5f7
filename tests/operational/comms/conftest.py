"""Fixtures of the comms service's tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.messaging import drain_and_consume


@pytest.fixture
def comms_club(club, settings):
    """The club fixture with the comms (and calendar) read models caught up, as the worker keeps them; the parent's
    guardian link (which the factory writes without its event) as the users service announces one."""
    import uuid

    from contracts import users
    from tests.messaging import apply_events
    from tests.operational.calendar.helpers import envelope

    drain_and_consume(settings, services=["calendar", "comms"])
    link = users.GuardianLinked(link_id=uuid.uuid4(), guardian_id=club["parent"].id, minor_id=club["player"].id)
    apply_events(settings, "comms", [envelope(users.GuardianLinkedEvent, club.org_id, link)])
    return club


@pytest.fixture
def other_comms_club(settings):
    from tests.factories import make_club

    club = make_club(settings)
    drain_and_consume(settings, services=["comms"])
    return club


class QuietHours:
    """The club's quiet hours as the worker's comms consumer reads them (from its environment)."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def set(self, start: str, end: str) -> None:
        from operational.comms.config import settings_from_environment

        self.monkeypatch.setenv("HUB_COMMS_QUIET_HOURS_START", start)
        self.monkeypatch.setenv("HUB_COMMS_QUIET_HOURS_END", end)
        settings_from_environment.cache_clear()

    def none(self) -> None:
        self.set("00:00", "00:00")

    def around_now(self) -> datetime:
        """Quiet from an hour ago to an hour from now; returns when they end."""
        local = datetime.now(ZoneInfo("Europe/Stockholm")).replace(second=0, microsecond=0)
        end = local + timedelta(hours=1)
        self.set((local - timedelta(hours=1)).strftime("%H:%M"), end.strftime("%H:%M"))
        return end


@pytest.fixture
def quiet_hours(monkeypatch):
    """No quiet hours unless the test sets some (the default 21:00-07:00 would make tests depend on the clock)."""
    from operational.comms.config import settings_from_environment

    hours = QuietHours(monkeypatch)
    hours.none()
    yield hours
    monkeypatch.undo()
    settings_from_environment.cache_clear()
