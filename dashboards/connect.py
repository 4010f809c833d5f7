"""The API clients of one page run, signed in as the viewer and renewing the sign-in when an API says it expired."""

from __future__ import annotations

from dashboards import session
from dashboards.client import ClubClient, StatsClient
from dashboards.config import DashboardSettings


def stats_client() -> StatsClient:
    settings = DashboardSettings()
    return StatsClient(
        settings.stats_url, session.access_token, timeout=settings.request_timeout_seconds, renew=session.renew
    )


def club_client() -> ClubClient:
    settings = DashboardSettings()
    return ClubClient(
        settings.gateway_url, session.access_token, timeout=settings.request_timeout_seconds, renew=session.renew
    )
