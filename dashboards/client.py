"""HTTP clients for the two APIs the dashboards call; every failure becomes an ApiError with a readable message."""

from __future__ import annotations

import os
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx

# The gateway believes the browser address the dashboards forward only with this secret (shared through the var
# directory, or HUB_PROXY_SECRET), so each person's failed sign-ins count against their own address.
PROXY_SECRET_HEADER = "X-Hub-Proxy-Secret"


class ApiError(Exception):
    """An API said no, or could not be reached. ``message`` is meant for the person using the dashboard."""

    def __init__(self, message: str, *, status_code: int | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code


def _error_from(response: httpx.Response, service: str) -> ApiError:
    try:
        error = response.json()["error"]
        return ApiError(error["message"], status_code=response.status_code, code=error.get("code"))
    except (ValueError, KeyError, TypeError):
        return ApiError(
            f"The {service} answered with HTTP {response.status_code}; try again in a moment.",
            status_code=response.status_code,
        )


def _send(service: str, base_url: str, request: httpx.Request, timeout: float) -> dict[str, Any]:
    try:
        with httpx.Client(timeout=timeout) as http:
            response = http.send(request)
    except httpx.TimeoutException as exc:
        raise ApiError(f"The {service} at {base_url} did not answer in {timeout:.0f} seconds.") from exc
    except httpx.TransportError as exc:
        raise ApiError(f"Could not reach the {service} at {base_url}; is it running?") from exc
    if response.is_error:
        raise _error_from(response, service)
    return response.json()


def _proxy_secret() -> str | None:
    if secret := os.environ.get("HUB_PROXY_SECRET"):
        return secret
    path = Path(os.environ.get("HUB_VAR_DIR", "var")) / "keys" / "proxy_secret"
    try:
        return path.read_text().strip() or None
    except OSError:
        return None


def _browser_address() -> str | None:
    """The signed-in person's address as Streamlit sees it (None for a browser on this machine)."""
    try:
        import streamlit as st

        return st.context.ip_address
    except Exception:  # not inside a Streamlit script run
        return None


def forwarding_headers(client_address: str | None) -> dict[str, str]:
    """Headers that make the gateway count a sign-in under the browser's address rather than the dashboards'."""
    secret = _proxy_secret()
    if not client_address or not secret:
        return {}
    return {"X-Forwarded-For": client_address, PROXY_SECRET_HEADER: secret}


def log_in(
    gateway_url: str, email: str, password: str, *, timeout: float = 10.0, client_address: str | None = None
) -> str:
    """Exchange e-mail and password for an access token at the gateway, on behalf of the browser at
    ``client_address`` (default: the current Streamlit session's)."""
    base = gateway_url.rstrip("/")
    headers = forwarding_headers(client_address or _browser_address())
    request = httpx.Request(
        "POST", f"{base}/api/v1/auth/login", json={"email": email, "password": password}, headers=headers
    )
    return _send("login service", base, request, timeout)["access_token"]


class StatsClient:
    def __init__(self, base_url: str, access_token: str, *, timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {access_token}"}
        self.timeout = timeout

    def _get(self, path: str, date_from: date, date_to: date) -> dict[str, Any]:
        params = {"from": date_from.isoformat(), "to": date_to.isoformat()}
        request = httpx.Request("GET", f"{self.base_url}{path}", params=params, headers=self.headers)
        return _send("statistics service", self.base_url, request, self.timeout)

    def team_daily_load(self, team_id: uuid.UUID | str, date_from: date, date_to: date) -> dict[str, Any]:
        return self._get(f"/api/v1/stats/teams/{team_id}/daily-load", date_from, date_to)

    def player_daily_load(self, player_id: uuid.UUID | str, date_from: date, date_to: date) -> dict[str, Any]:
        return self._get(f"/api/v1/stats/players/{player_id}/daily-load", date_from, date_to)

    def _get_plain(self, path: str) -> dict[str, Any]:
        request = httpx.Request("GET", f"{self.base_url}{path}", headers=self.headers)
        return _send("statistics service", self.base_url, request, self.timeout)

    def team_load_board(self, team_id: uuid.UUID | str) -> dict[str, Any]:
        return self._get_plain(f"/api/v1/stats/teams/{team_id}/load-board")

    def player_load_metrics(self, player_id: uuid.UUID | str, date_from: date, date_to: date) -> dict[str, Any]:
        return self._get(f"/api/v1/stats/players/{player_id}/load-metrics", date_from, date_to)

    def player_wellness(self, player_id: uuid.UUID | str, date_from: date, date_to: date) -> dict[str, Any]:
        return self._get(f"/api/v1/stats/players/{player_id}/wellness", date_from, date_to)

    def player_test_results(self, player_id: uuid.UUID | str) -> dict[str, Any]:
        return self._get_plain(f"/api/v1/stats/players/{player_id}/test-results")
