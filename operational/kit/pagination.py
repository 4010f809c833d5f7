"""Limit/offset pagination with one page shape for every list endpoint."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

from operational.kit.errors import HubError

ItemT = TypeVar("ItemT")


class PageParams(BaseModel):
    limit: int
    offset: int


def _page_params(
    limit: Annotated[int, Query(ge=1, le=500, description="Items per page")] = 50,
    offset: Annotated[int, Query(ge=0, description="Items to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(_page_params)]


class DateRange(BaseModel):
    date_from: date | None
    date_to: date | None


def _date_range(
    date_from: Annotated[date | None, Query(alias="from", description="First day, ISO 8601")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Last day, ISO 8601")] = None,
) -> DateRange:
    if date_from and date_to and date_from > date_to:
        raise HubError("'from' must be on or before 'to'.", field="from")
    return DateRange(date_from=date_from, date_to=date_to)


DateRangeDep = Annotated[DateRange, Depends(_date_range)]


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    total: int
    limit: int
    offset: int
