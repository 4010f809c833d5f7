from __future__ import annotations

import dataclasses

import pytest

from tests.factories import Person, token_for
from tests.messaging import drain_and_consume


@pytest.fixture
def sync_read_models(settings):
    """Publish every outbox (and any extra events) and let the training consumer catch up, as the worker does
    continuously."""
    return lambda *extra_events: drain_and_consume(settings, *extra_events, services=["training"])


@pytest.fixture
def other_club(settings):
    """A second club (another tenant) whose people try to reach the first club's data."""
    from tests.factories import make_club

    return make_club(settings)


@pytest.fixture
def as_(settings):
    """The same person with a token that says something else (``roles``, ``team_ids``, ``guardian_of``,
    ``time_zone`` …), as the users service would sign it."""

    def person(base: Person, **claims) -> Person:
        principal = dataclasses.replace(base.principal, **claims)
        return Person(id=base.id, email=base.email, principal=principal, token=token_for(settings, principal))

    return person
