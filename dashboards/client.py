"""HTTP clients for the two APIs the dashboards call; every failure becomes an ApiError with a readable message.

Messages shown to people never name an API path or an HTTP status: an API's own message is passed on only when it
reads as a sentence for people, otherwise the status is put into words here.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

# The gateway believes the browser address the dashboards forward only with this secret (shared through the var
# directory, or HUB_PROXY_SECRET), so each person's failed sign-ins count against their own address.
PROXY_SECRET_HEADER = "X-Hub-Proxy-Secret"

# What a status means to the person looking at a page, when the API's own message cannot be shown.
_STATUS_IN_WORDS = {
    401: "Your session has ended; log in again.",
    403: "Your account may not see this.",
    404: "There is nothing to show here for you.",
    409: "Someone changed this at the same time; try again.",
    422: "The dashboard asked for something the club's service does not accept; try other choices.",
    429: "Too many requests in a short time; wait a minute and try again.",
}
_SERVER_TROUBLE = "The {service} had a problem answering; try again in a moment."
# API messages that name a path (/api/v1/…), a URL or a status code are for developers, not for this page.
_TECHNICAL = re.compile(r"(/api/|https?://|\bHTTP\b|\b[45]\d\d\b|\{[a-z_ ]+\})", re.IGNORECASE)


class ApiError(Exception):
    """An API said no, or could not be reached. ``message`` is meant for the person using the dashboard."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        code: str | None = None,
        endpoint_missing: bool = False,
        details: list[dict[str, Any]] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code
        # what the API attached to the refusal, e.g. the clubs to choose from on a ``club_required``
        self.details = details or []
        # the service has no such endpoint (an older version): routing said 404 or 405, not one of its rules
        self.endpoint_missing = endpoint_missing


def words_for(status_code: int, service: str) -> str:
    if status_code >= 500:
        return _SERVER_TROUBLE.format(service=service)
    return _STATUS_IN_WORDS.get(status_code, f"The {service} did not accept the request; try again in a moment.")


def _error_from(response: httpx.Response, service: str) -> ApiError:
    status = response.status_code
    try:
        error = response.json()["error"]
        message, code = str(error["message"]), error.get("code")
        details = [d for d in error.get("details") or [] if isinstance(d, dict)]
    except (ValueError, KeyError, TypeError, AttributeError):
        message, code, details = "", None, []
    readable = message.endswith(".") and not _TECHNICAL.search(message) and status < 500
    return ApiError(
        message if readable else words_for(status, service),
        status_code=status,
        code=code,
        endpoint_missing=status == 405 or (status == 404 and message in ("Not Found", "")),
        details=details,
    )


def _send(service: str, base_url: str, request: httpx.Request, timeout: float) -> Any:
    try:
        with httpx.Client(timeout=timeout) as http:
            response = http.send(request)
    except httpx.TimeoutException as exc:
        raise ApiError(f"The {service} did not answer in {timeout:.0f} seconds; try again in a moment.") from exc
    except httpx.TransportError as exc:
        raise ApiError(f"The {service} cannot be reached right now; try again in a moment.") from exc
    if response.is_error:
        raise _error_from(response, service)
    return response.json() if response.content else None


@dataclass(frozen=True)
class Tokens:
    """A sign-in: the access token (minutes) and the refresh token that renews it (days; used up on each renewal)."""

    access_token: str
    refresh_token: str | None
    # "access", or "totp_enroll" for someone whose club requires a second factor they have not set up yet
    scope: str = "access"


def _tokens(body: dict[str, Any]) -> Tokens:
    return Tokens(body["access_token"], body.get("refresh_token"), body.get("scope") or "access")


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
    gateway_url: str,
    email: str,
    password: str,
    *,
    totp_code: str | None = None,
    club: str | None = None,
    timeout: float = 10.0,
    client_address: str | None = None,
) -> Tokens:
    """Exchange e-mail and password (and, when asked for, the authenticator code and the club) for an access token
    and a refresh token at the gateway, on behalf of the browser at ``client_address`` (default: the current
    Streamlit session's). ApiError ``totp_required`` asks for the code; ``club_required`` lists the clubs in
    ``details`` ({club, name})."""
    base = gateway_url.rstrip("/")
    headers = forwarding_headers(client_address or _browser_address())
    body = {"email": email, "password": password}
    body |= {"totp_code": totp_code} if totp_code else {}
    body |= {"club": club} if club else {}
    request = httpx.Request("POST", f"{base}/api/v1/auth/login", json=body, headers=headers)
    return _tokens(_send("login service", base, request, timeout))


def refresh(gateway_url: str, refresh_token: str, *, timeout: float = 10.0) -> Tokens:
    """A new token pair for a refresh token (which is used up). ApiError when it is expired, used or revoked."""
    base = gateway_url.rstrip("/")
    request = httpx.Request("POST", f"{base}/api/v1/auth/refresh", json={"refresh_token": refresh_token})
    return _tokens(_send("login service", base, request, timeout))


def log_out(gateway_url: str, refresh_token: str, *, timeout: float = 10.0) -> None:
    """End the sign-in at the gateway, so its refresh token stops working."""
    base = gateway_url.rstrip("/")
    request = httpx.Request("POST", f"{base}/api/v1/auth/logout", json={"refresh_token": refresh_token})
    _send("login service", base, request, timeout)


class _Client:
    """GETs with the viewer's access token (a string, or a function giving the current one); on a 401 the token is
    renewed once (``renew`` returns the new access token, or None when the sign-in cannot be renewed) and the
    request repeated."""

    service = "club service"

    def __init__(
        self,
        base_url: str,
        access_token: str | Callable[[], str | None],
        *,
        timeout: float = 10.0,
        renew: Callable[[], str | None] | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self._token = access_token
        self.timeout = timeout
        self.renew = renew

    @property
    def access_token(self) -> str:
        return (self._token() if callable(self._token) else self._token) or ""

    def _send(self, path: str, params: dict[str, Any] | None) -> Any:
        headers = {"Authorization": f"Bearer {self.access_token}"}
        request = httpx.Request("GET", f"{self.base_url}{path}", params=params, headers=headers)
        return _send(self.service, self.base_url, request, self.timeout)

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        try:
            return self._send(path, params)
        except ApiError as error:
            if error.status_code != 401 or self.renew is None:
                raise
            renewed = self.renew()
            if renewed is None:
                raise
            if not callable(self._token):
                self._token = renewed
            return self._send(path, params)

    def get_all(self, path: str, params: dict[str, Any] | None = None, *, limit: int = 500) -> list[dict[str, Any]]:
        """Every item of a paged list (``{items, total, limit, offset}``)."""
        items: list[dict[str, Any]] = []
        while True:
            page = self.get(path, {**(params or {}), "limit": limit, "offset": len(items)})
            items.extend(page["items"])
            if not page["items"] or len(items) >= page["total"]:
                return items


def _period(date_from: date, date_to: date) -> dict[str, str]:
    return {"from": date_from.isoformat(), "to": date_to.isoformat()}


class StatsClient(_Client):
    """The read-only statistics API."""

    service = "statistics service"

    def me(self) -> dict[str, Any]:
        return self.get("/api/v1/stats/me")

    def team_daily_load(self, team_id: uuid.UUID | str, date_from: date, date_to: date) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/teams/{team_id}/daily-load", _period(date_from, date_to))

    def player_daily_load(self, player_id: uuid.UUID | str, date_from: date, date_to: date) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/players/{player_id}/daily-load", _period(date_from, date_to))

    def team_load_board(self, team_id: uuid.UUID | str) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/teams/{team_id}/load-board")

    def team_attendance(self, team_id: uuid.UUID | str, date_from: date, date_to: date) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/teams/{team_id}/attendance", _period(date_from, date_to))

    def team_compliance(self, team_id: uuid.UUID | str, days: int | None = None) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/teams/{team_id}/compliance", {"days": days} if days else None)

    def club_finance(self) -> dict[str, Any]:
        return self.get("/api/v1/stats/finance")

    def player_load_metrics(self, player_id: uuid.UUID | str, date_from: date, date_to: date) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/players/{player_id}/load-metrics", _period(date_from, date_to))

    def player_wellness(self, player_id: uuid.UUID | str, date_from: date, date_to: date) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/players/{player_id}/wellness", _period(date_from, date_to))

    def club_usage_list(self) -> dict[str, Any]:
        return self.get("/api/v1/stats/usage/clubs")

    def club_usage(self, club_id: uuid.UUID | str, days: int = 28) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/usage/clubs/{club_id}", {"days": days})

    def player_test_results(self, player_id: uuid.UUID | str) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/players/{player_id}/test-results")

    def team_availability(self, team_id: uuid.UUID | str, date_from: date, date_to: date) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/teams/{team_id}/availability", _period(date_from, date_to))

    def team_injury_surveillance(self, team_id: uuid.UUID | str, season: int | None = None) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/teams/{team_id}/injury-surveillance", {"season": season} if season else None)

    def team_return_to_play(self, team_id: uuid.UUID | str, group_by: str = "osiics_group") -> dict[str, Any]:
        return self.get(f"/api/v1/stats/teams/{team_id}/return-to-play", {"group_by": group_by})

    # planning insights
    def team_season_plan(self, team_id: uuid.UUID | str, date_from: date, date_to: date) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/teams/{team_id}/season-plan", _period(date_from, date_to))

    def team_form(self, team_id: uuid.UUID | str, date_from: date, date_to: date) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/teams/{team_id}/form", _period(date_from, date_to))

    def team_goals(self, team_id: uuid.UUID | str) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/teams/{team_id}/goals")

    def player_goals(self, player_id: uuid.UUID | str) -> dict[str, Any]:
        return self.get(f"/api/v1/stats/players/{player_id}/goals")


class ClubClient(_Client):
    """The club's operational API at the gateway: people, teams, calendar and training logs."""

    service = "club service"

    def system_status(self) -> dict[str, Any]:
        return self.get("/api/v1/admin/status")

    def record_page_view(self, page: str, *, timeout: float = 1.0) -> None:
        """Tell the admin service the viewer opened ``page`` (usage reports count it). Best effort: a page never
        waits long for it or fails because of it."""
        headers = {"Authorization": f"Bearer {self.access_token}"}
        request = httpx.Request("POST", f"{self.base_url}/api/v1/admin/usage/page-views", json={"page": page},
                                headers=headers)  # fmt: skip
        with contextlib.suppress(ApiError):  # an uncounted view is better than a page that fails
            _send(self.service, self.base_url, request, timeout)

    def user(self, user_id: uuid.UUID | str) -> dict[str, Any]:
        return self.get(f"/api/v1/users/{user_id}")

    def teams(self) -> list[dict[str, Any]]:
        return self.get_all("/api/v1/teams")

    def team_members(self, team_id: uuid.UUID | str, role: str | None = None) -> list[dict[str, Any]]:
        params = {"team_id": str(team_id)} | ({"role": role} if role else {})
        return self.get_all("/api/v1/users", params)

    def occurrences(self, team_id: uuid.UUID | str, window_from: datetime, window_to: datetime) -> list[dict]:
        params = {"team_id": str(team_id), "from": window_from.isoformat(), "to": window_to.isoformat()}
        return self.get_all("/api/v1/calendar/occurrences", params)

    def medical_problems(self, *, open_only: bool = True) -> list[dict[str, Any]]:
        """The club's health problems with clinical detail (medical staff only)."""
        return self.get_all("/api/v1/medical/problems", {"open": "true" if open_only else "false"})

    def return_to_play(self, problem_id: str) -> dict[str, Any]:
        return self.get(f"/api/v1/medical/problems/{problem_id}/return-to-play")

    def medical_access_log(self, player_id: str) -> list[dict[str, Any]]:
        return self.get_all(f"/api/v1/medical/players/{player_id}/access-log")

    def rsvps(self, series_id: str, occurrence_start: str) -> list[dict[str, Any]]:
        """The answers given so far (the sheet also lists who has not answered, with no response)."""
        start = quote(occurrence_start, safe="")
        sheet = self.get_all(f"/api/v1/calendar/events/{series_id}/occurrences/{start}/rsvps")
        return [line for line in sheet if line.get("response")]

    def announcements(self) -> list[dict[str, Any]]:
        """Announcements to the viewer's teams (comms), newest first."""
        return self.get_all("/api/v1/comms/announcements", limit=100)

    def acknowledgement_report(self, announcement_id: uuid.UUID | str) -> dict[str, Any]:
        """Who of the team has acknowledged an announcement, and who has not (the team's staff and admins only)."""
        return self.get(f"/api/v1/comms/announcements/{announcement_id}/report")

    def invoices(self) -> list[dict[str, Any]]:
        """The invoices the viewer pays and those of their family (payments), with names, amounts shown in the
        viewer's language, and instalments; the latest due first."""
        return self.get_all("/api/v1/payments/invoices", limit=100)
