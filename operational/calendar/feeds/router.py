from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from operational.calendar.config import SettingsDep
from operational.calendar.feeds import service
from operational.calendar.feeds.schemas import FeedCreate, FeedRead
from operational.calendar.loaders import OwnFeed, ReadableSeries
from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep

router = APIRouter(tags=["calendar"])  # mounted under /api/v1/calendar by the calendar router
ICS = "text/calendar; charset=utf-8"


@router.get("/events/{series_id}/event.ics")
async def event_ics(series: ReadableSeries, session: SessionDep) -> Response:
    """The event (or series) as an iCalendar file."""
    return Response(await service.event_ics(session, series), media_type=ICS)


@router.post("/feeds", status_code=status.HTTP_201_CREATED, response_model=FeedRead)
async def create_feed(body: FeedCreate, request: Request, session: SessionDep, user: CurrentUser) -> FeedRead:
    """A secret iCalendar URL of your calendar or a team's. Anyone with it can read the feed until you revoke it,
    or until you no longer have access to that calendar."""
    feed, token = await service.create_feed(session, user, body.team_id)
    url = str(request.url_for("calendar_feed", token=token))
    return FeedRead(id=feed.id, team_id=feed.team_id, url=url)


@router.delete("/feeds/{feed_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_feed(feed: OwnFeed, session: SessionDep) -> Response:
    """Revoke a calendar link: calendar apps using it stop getting updates at once."""
    await service.revoke_feed(session, feed)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/feeds/{token}.ics", name="calendar_feed")
async def feed(token: str, session: SessionDep, settings: SettingsDep) -> Response:
    """The feed itself: the token in the URL is the credential (calendar apps cannot send bearer tokens)."""
    return Response(await service.feed_ics(session, token, settings.default_time_zone), media_type=ICS)
