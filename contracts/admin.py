"""Admin domain events: what shows use of the system that no other service records (a dashboard page opened)."""

from __future__ import annotations

from pydantic import Field

from contracts.envelope import Payload, define_event


class PageViewed(Payload):
    """Someone opened a dashboard page. Who is the envelope's ``actor_id``; their club is ``org_id``."""

    page: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", description="The page's address name, e.g. team-load")


PageViewedEvent = define_event("admin.page.viewed", PageViewed)
