from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def client(settings):
    """One app for the module's tests (each test makes its own club)."""
    from operational.gateway import create_app

    with TestClient(create_app(settings)) as test_client:
        yield test_client
