"""iCalendar: per-person and per-team feed URLs with revocable tokens, and the .ics of one event.

A series is one VEVENT with its RRULE in its own zone (so calendar apps keep 17:00 local across DST); a cancelled
occurrence is an EXDATE and a moved or edited one a VEVENT with RECURRENCE-ID.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vRecur
from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar import policies, recurrence, repository
from operational.calendar.models import EventSeries, FeedToken
from operational.calendar.policies import ListScope
from operational.kit.auth import Principal
from operational.kit.errors import NotFound

FEED_PAST = timedelta(days=90)
FEED_FUTURE = timedelta(days=400)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _uid(series: EventSeries) -> str:
    return f"{series.id}@hockey-hub"


def _vevent(series: EventSeries, stamp: datetime) -> Event:
    zone = recurrence.zone(series.time_zone)
    start = series.starts_local.replace(tzinfo=zone)
    event = Event()
    event.add("uid", _uid(series))
    event.add("dtstamp", stamp)
    event.add("summary", series.title)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=series.duration_minutes))
    event.add("categories", [series.kind.upper()])
    if series.location:
        event.add("location", series.location)
    if series.notes:
        event.add("description", series.notes)
    if series.rrule:
        event.add("rrule", vRecur.from_ical(series.rrule))
    return event


def calendar_of(name: str, series_list: list[EventSeries], exceptions: dict) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Hockey Hub//Calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = datetime.now(UTC)
    for series in series_list:
        zone = recurrence.zone(series.time_zone)
        master = _vevent(series, stamp)
        calendar.add_component(master)
        for exception in sorted(exceptions.get(series.id, ()), key=lambda e: e.occurrence_start):
            original = exception.occurrence_start.astimezone(zone)
            if exception.cancelled:
                master.add("exdate", original)
                continue
            override = _vevent(series, stamp)
            override.pop("rrule", None)
            override.add("recurrence-id", original)
            for key, value in (("dtstart", exception.starts_at), ("dtend", exception.ends_at)):
                if value is not None:
                    override.pop(key)
                    override.add(key, value.astimezone(zone))
            if exception.title:
                override.pop("summary")
                override.add("summary", exception.title)
            if exception.location is not None:
                override.pop("location", None)
                override.add("location", exception.location)
            calendar.add_component(override)
    calendar.add_missing_timezones()
    return calendar.to_ical()


async def event_ics(session: AsyncSession, principal: Principal, series_id: uuid.UUID) -> bytes:
    series = policies.load_readable(principal, await repository.get_series(session, series_id))
    return calendar_of(series.title, [series], await repository.exceptions_of(session, [series.id]))


async def create_feed(session: AsyncSession, principal: Principal, team_id: uuid.UUID | None) -> tuple[FeedToken, str]:
    policies.ensure_can_open_feed(principal, team_id)
    token = secrets.token_urlsafe(32)
    feed = FeedToken(
        id=uuid.uuid4(), org_id=principal.org_id, owner_id=principal.user_id, team_id=team_id, token_sha256=_hash(token)
    )
    await repository.add(session, feed)
    return feed, token


async def revoke_feed(session: AsyncSession, principal: Principal, feed_id: uuid.UUID) -> None:
    feed = await repository.get_feed(session, feed_id)
    if feed is None or feed.org_id != principal.org_id or feed.revoked_at is not None:
        raise NotFound("No such feed.")
    if feed.owner_id != principal.user_id and not policies.is_admin(principal):
        raise NotFound("No such feed.")
    feed.revoked_at = datetime.now(UTC)
    await session.flush()


async def feed_ics(session: AsyncSession, token: str) -> bytes:
    feed = await repository.feed_by_hash(session, _hash(token))
    if feed is None:
        raise NotFound("This calendar link is not valid (it may have been revoked).")
    now = datetime.now(UTC)
    if feed.team_id is not None:
        scope = ListScope(False, frozenset({feed.team_id}), frozenset(), frozenset(), feed.owner_id)
        team_ids, player_id, name = {feed.team_id}, None, "Team calendar"
    else:
        teams = frozenset(await repository.teams_of(session, feed.org_id, feed.owner_id))
        scope = ListScope(False, teams, frozenset(), frozenset({feed.owner_id}), feed.owner_id)
        team_ids, player_id, name = None, None, "My Hockey Hub calendar"
    found = await repository.series_in_window(
        session, feed.org_id, now - FEED_PAST, now + FEED_FUTURE, scope=scope, team_ids=team_ids, player_id=player_id
    )
    if feed.team_id is not None:
        found = [s for s in found if s.visibility in ("team", "org")]
    return calendar_of(name, found, await repository.exceptions_of(session, [s.id for s in found]))
