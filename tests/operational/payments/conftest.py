"""Fixtures of the payments service's tests."""

from __future__ import annotations

import pytest

from tests.messaging import apply_events, drain_and_consume
from tests.operational.payments.helpers import guardian_linked


@pytest.fixture
def payments_club(settings):
    """A club (tests/factories.py) with the payments read model caught up: its two teams' rosters, and the parent as
    the guardian of ``player`` (the factory links them without an event, so the event is applied here)."""
    from tests.factories import make_club

    club = make_club(settings, spares=2)
    drain_and_consume(settings, services=["payments"])
    apply_events(settings, "payments", [guardian_linked(club, "parent", "player")])
    return club
