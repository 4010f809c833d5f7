"""Fixtures of the medical service's tests."""

from __future__ import annotations

import pytest

from tests.messaging import drain_and_consume


@pytest.fixture
def medical_club(club, settings):
    """The club fixture with the medical service's roster read model caught up (as the worker keeps it)."""
    drain_and_consume(settings, services=["medical"])
    return club


@pytest.fixture
def other_club(settings):
    from tests.factories import make_club

    club = make_club(settings)
    drain_and_consume(settings, services=["medical"])
    return club
