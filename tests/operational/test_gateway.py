"""One service's API alone (``hub serve <service>``, a container of its own behind the proxy): its own paths answer
as in the gateway, another service's are not there."""

from __future__ import annotations

import time

import httpx
import pytest

from operational.gateway import api_service_names, create_one_service_app
from tests.servers import served


def _until_ready(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while httpx.get(f"{url}/readyz").status_code != 200:
        assert time.monotonic() < deadline, "the service never became ready"
        time.sleep(0.1)


def test_a_service_alone_serves_its_own_paths_and_no_other_services(settings, club):
    with served(create_one_service_app("training", settings)) as url:
        _until_ready(url)
        own = httpx.get(f"{url}/api/v1/training/rpe-logs", headers=club["coach"].headers)
        assert own.status_code == 200, own.text
        assert own.json()["total"] == 0
        assert httpx.get(f"{url}/api/v1/calendar/events", headers=club["coach"].headers).status_code == 404
        assert "/api/v1/users/me" not in httpx.get(f"{url}/openapi.json").json()["paths"]


def test_only_registered_services_with_an_api_run_alone():
    assert "kit" not in api_service_names()
    with pytest.raises(KeyError, match="kit"):
        create_one_service_app("kit")
