"""The registry is the one list of services, and what it says agrees with the contracts registry."""

from __future__ import annotations

import pytest

from contracts.registry import EVENT_TYPES
from operational.kit.app import REVOCATIONS_SUBJECT
from operational.registry import SERVICES

# Every API process follows session revocations (operational/kit/app.py: follow_revocations); the stats API is one.
API_CONSUMERS_OUTSIDE_THE_REGISTRY = {"stats"}


def declared_subjects(consumer: str) -> set[str]:
    return {event_type.subject for event_type in EVENT_TYPES if consumer in event_type.consumers}


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_a_services_declared_consumers_are_what_its_handlers_subscribe_to(service):
    subscribed = set(service.subjects)
    if service.routers:  # its API refuses revoked tokens at once
        subscribed.add(REVOCATIONS_SUBJECT)
    declared = declared_subjects(service.name)
    assert not declared - subscribed, f"{service.name} is declared a consumer of events it never subscribes to"
    assert not subscribed - declared, f"{service.name} subscribes to events contracts/registry.py does not name it for"


def test_the_stats_api_is_declared_for_the_revocations_it_follows():
    for name in API_CONSUMERS_OUTSIDE_THE_REGISTRY:
        assert declared_subjects(name) == {REVOCATIONS_SUBJECT}


def test_service_names_are_unique_and_the_kit_migrates_first():
    names = [service.name for service in SERVICES]
    assert len(names) == len(set(names))
    assert SERVICES[0].name == "kit" and SERVICES[0].migrations
