"""Fixtures of the payments service's tests."""

from __future__ import annotations

import pytest

from tests.messaging import apply_events, drain_and_consume
from tests.operational.payments.helpers import guardian_linked


def _club(settings):
    from tests.factories import make_club

    club = make_club(settings, spares=2)
    drain_and_consume(settings, services=["payments"])
    apply_events(settings, "payments", [guardian_linked(club, "parent", "player")])
    return club


@pytest.fixture(scope="package")
def payments_club(settings):
    """A club (tests/factories.py) with the payments read model caught up: its two teams' rosters, and the parent as
    the guardian of ``player`` (the factory links them without an event, so the event is applied here).

    Shared by the tests of this folder that only add invoices of their own fee plans (making a club takes seconds);
    a test that changes the club's people, policies or credit takes :func:`own_club`."""
    return _club(settings)


@pytest.fixture
def own_club(settings):
    """A club of the test's own, as :func:`payments_club` builds it."""
    return _club(settings)


@pytest.fixture
def fake_stripe(monkeypatch):
    """Stripe's API faked on loopback, and the payments service pointed at it (fast retries, a small breaker)."""
    from tests.operational.payments.fake_stripe import WEBHOOK_SECRET, FakeStripe

    with FakeStripe() as fake:
        for name, value in {
            "STRIPE_SECRET_KEY": f"sk_test_{fake.url[-5:]}",
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "STRIPE_API_BASE": fake.url,
            "PROVIDER_RETRY_INITIAL_SECONDS": "0.01",
            "PROVIDER_TIMEOUT_SECONDS": "5",
            "BREAKER_FAILURES": "2",
        }.items():
            monkeypatch.setenv(f"HUB_PAYMENTS_{name}", value)
        yield fake


@pytest.fixture
def card_gateway(fake_stripe, settings):
    """The gateway with card payments set up against the fake."""
    from fastapi.testclient import TestClient

    from operational.gateway import create_app

    with TestClient(create_app(settings)) as client:
        yield client
