from __future__ import annotations

import pytest

from tests.read_models import sync_training_read_models


@pytest.fixture
def sync_read_models(settings):
    """Publish the users outbox (and any extra events) and let the training consumer catch up, as the relay process
    does continuously."""
    return lambda *extra_events: sync_training_read_models(settings, *extra_events)
