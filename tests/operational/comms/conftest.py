"""Fixtures of the comms service's tests."""

from __future__ import annotations

import pytest

from tests.messaging import drain_and_consume


@pytest.fixture
def comms_club(club, settings):
    """The club fixture with the comms (and calendar) read models caught up, as the worker keeps them."""
    drain_and_consume(settings, services=["calendar", "comms"])
    return club


@pytest.fixture
def other_comms_club(settings):
    from tests.factories import make_club

    club = make_club(settings)
    drain_and_consume(settings, services=["comms"])
    return club
