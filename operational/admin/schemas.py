from __future__ import annotations

from pydantic import Field

from operational.kit.schemas import WriteModel


class PageViewCreate(WriteModel):
    page: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", description="The page's address name, e.g. team-load")
