"""iCalendar exports: the .ics of one event, and per-person and per-team feed URLs with revocable tokens.

A feed is read by calendar apps without a bearer token, so it is served as its owner would see it *now*: the owner is
rebuilt from the calendar's read models at every request (club roles, teams, minors), and a link stops working when
its owner may no longer read what it shows (left the team, deactivated, anonymized). The consumer also revokes the
links then, so they stay dead even if the person comes back.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar import events, loaders, policies, repository
from operational.calendar.feeds import repository as feeds_repository
from operational.calendar.feeds.ics import calendar_of
from operational.calendar.models import EventSeries, FeedToken, outbox
from operational.kit.auth import Principal, today_in
from operational.kit.errors import NotFound

FEED_PAST = timedelta(days=90)
FEED_FUTURE = timedelta(days=400)
GONE = "This calendar link is not valid (it was revoked, or its owner no longer has access to this calendar)."
# what a team's feed shows: its link may be shared, so never events meant for staff or for a few people
TEAM_FEED_VISIBILITIES = ("team", "org")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def event_ics(session: AsyncSession, series: EventSeries) -> bytes:
    places = await repository.resource_names(session, series.org_id, {series.resource_id})
    return calendar_of(series.title, [series], await repository.exceptions_of(session, [series.id]), places)


async def create_feed(session: AsyncSession, principal: Principal, team_id: uuid.UUID | None) -> tuple[FeedToken, str]:
    if team_id is not None:
        await loaders.followed_team.load(session, principal, team_id, field="team_id")
    token = secrets.token_urlsafe(32)
    feed = FeedToken(
        id=uuid.uuid4(), org_id=principal.org_id, owner_id=principal.user_id, team_id=team_id, token_sha256=_hash(token)
    )
    await repository.add(session, feed)
    return feed, token


async def revoke_feed(session: AsyncSession, feed: FeedToken) -> None:
    feed.revoked_at = datetime.now(UTC)
    await session.flush()


async def owner_as_now(session: AsyncSession, feed: FeedToken) -> Principal | None:
    """The feed's owner as the read models know them now; None when they are gone or inactive."""
    person = await repository.get_active_person(session, feed.owner_id)
    if person is None or person.org_id != feed.org_id:
        return None
    memberships = await repository.memberships_of(session, feed.org_id, feed.owner_id)
    return Principal(
        user_id=feed.owner_id,
        org_id=feed.org_id,
        roles=frozenset(person.org_roles or ()) | {role for _, role in memberships},
        team_ids=frozenset(team_id for team_id, _ in memberships),
        guardian_of=frozenset(await repository.minors_of(session, feed.org_id, feed.owner_id)),
    )


async def feed_ics(session: AsyncSession, token: str, time_zone: str) -> bytes:
    """The feed's iCalendar document. A personal feed's first fetch of the day (in ``time_zone``, the club's) is its
    owner's use of Hockey Hub: one ``calendar.feed.fetched`` event, in the same transaction as the day's mark."""
    feed = await feeds_repository.feed_by_hash(session, _hash(token))
    owner = await owner_as_now(session, feed) if feed is not None else None
    if feed is None or owner is None:
        raise NotFound(GONE)
    if feed.team_id is not None and not policies.may_follow_team(owner, feed.team_id):
        raise NotFound(GONE)
    now = datetime.now(UTC)
    if feed.team_id is None:
        await _count_the_days_first_fetch(session, feed, today_in(time_zone, now))
    team_ids = {feed.team_id} if feed.team_id is not None else None
    found = await repository.series_in_window(
        session, feed.org_id, now - FEED_PAST, now + FEED_FUTURE, scope=policies.event_scope(owner), team_ids=team_ids
    )
    if feed.team_id is not None:
        found = [s for s in found if s.visibility in TEAM_FEED_VISIBILITIES]
        name = (await repository.team_names(session, feed.org_id, {feed.team_id})).get(feed.team_id, "Team")
        name = f"{name} calendar"
    else:
        name = "My Hockey Hub calendar"
    exceptions = await repository.exceptions_of(session, [s.id for s in found])
    places = await repository.resource_names(session, feed.org_id, {s.resource_id for s in found})
    return calendar_of(name, found, exceptions, places)


async def _count_the_days_first_fetch(session: AsyncSession, feed: FeedToken, day: date) -> None:
    # calendar apps poll a feed many times a day: only the first fetch a day is counted
    if await feeds_repository.first_fetch_of_the_day(session, feed.org_id, feed.owner_id, day):
        await outbox.record(session, events.feed_fetched(feed, day))
