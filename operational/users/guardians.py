"""Guardian links: a parent acts for a minor within what the minor's role allows.

When the athlete turns 18 the link ends, unless the athlete has consented to keep it. The access check
(sessions.principal_for) enforces this the day the athlete turns 18; ``end_links_of_adults`` records it and tells
the other services. Birthdays turn over at midnight in the club's time zone, everywhere.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal, today_in
from operational.kit.errors import Conflict, Forbidden, HubError, NotFound
from operational.users import events, policies, repository
from operational.users.models import GuardianLink, outbox
from operational.users.policies import Person
from operational.users.sessions import ADULT_AGE, age_on

CONSENT_AGE = 16


async def link(session: AsyncSession, principal: Principal, minor_id: uuid.UUID, guardian_id: uuid.UUID):
    minor = (await policies.person_loader.load(session, principal, minor_id, field="minor_id")).user
    policies.ensure_admin(principal, "link a parent to an athlete")
    guardian = (await policies.person_loader.load(session, principal, guardian_id, field="guardian_id")).user
    if guardian.id == minor.id:
        raise HubError("A person cannot be their own guardian.", field="guardian_id")
    if minor.date_of_birth is None:
        raise HubError("Record the athlete's date of birth first: links end when they turn 18.", field="minor_id")
    if age_on(minor.date_of_birth, principal.today()) >= ADULT_AGE:
        raise HubError("The athlete is an adult; they manage their own account.", field="minor_id")
    if await repository.active_guardian_links(session, guardian_id=guardian.id, minor_id=minor.id):
        raise Conflict(f"{guardian.full_name} is already a guardian of {minor.full_name}.")
    new_link = await repository.add(
        session, GuardianLink(id=uuid.uuid4(), org_id=principal.org_id, guardian_id=guardian.id, minor_id=minor.id)
    )
    await outbox.record(session, events.guardian_linked(new_link, actor_id=principal.user_id))
    return new_link


async def guardians_of(session: AsyncSession, principal: Principal, minor: Person) -> list[GuardianLink]:
    if not (policies.is_admin(principal) or principal.acts_for(minor.id)):
        raise Forbidden("Only the athlete, their guardians and club admins see guardian links.")
    return await repository.active_guardian_links(session, minor_id=minor.id)


async def _link(session: AsyncSession, principal: Principal, link_id: uuid.UUID) -> GuardianLink:
    found = await repository.get_guardian_link(session, principal.org_id, link_id)
    if found is None or found.ended_at is not None:
        raise NotFound("No such guardian link.")
    return found


async def unlink(session: AsyncSession, principal: Principal, link_id: uuid.UUID) -> None:
    found = await _link(session, principal, link_id)
    if policies.is_admin(principal):
        reason = "removed"
    elif principal.user_id == found.minor_id and await _is_adult(session, principal, found.minor_id):
        reason = "athlete_withdrew_consent"
    else:
        raise Forbidden("Only club admins, or the athlete once they are an adult, can end a guardian link.")
    await _end(session, found, reason, actor_id=principal.user_id)


async def consent(session: AsyncSession, principal: Principal, link_id: uuid.UUID) -> GuardianLink:
    """The athlete (16 or older) agrees that their guardian keeps access after they turn 18."""
    found = await _link(session, principal, link_id)
    if principal.user_id != found.minor_id:
        raise Forbidden("Only the athlete can give this consent.")
    minor = await repository.get_user(session, principal.org_id, found.minor_id)
    if minor.date_of_birth is None or age_on(minor.date_of_birth, principal.today()) < CONSENT_AGE:
        raise HubError(f"Consent can be given from the age of {CONSENT_AGE}.")
    found.athlete_consented_at = datetime.now(UTC)
    return found


async def end_links_of_adults(session: AsyncSession, now: datetime | None = None) -> int:
    """End the links of athletes who are 18 on their club's today (clubs in different time zones turn over at
    different moments) and did not consent to keep them; return how many ended."""
    now = now or datetime.now(UTC)
    ended = 0
    for time_zone, org_ids in (await repository.organizations_by_time_zone(session)).items():
        born_on_or_before = _years_before(today_in(time_zone, now), ADULT_AGE)
        for found in await repository.adult_links_without_consent(session, org_ids, born_on_or_before):
            await _end(session, found, "athlete_turned_18", actor_id=None)
            ended += 1
    return ended


async def _end(session: AsyncSession, found: GuardianLink, reason: str, actor_id: uuid.UUID | None) -> None:
    found.ended_at, found.end_reason = datetime.now(UTC), reason
    await outbox.record(session, events.guardian_unlinked(found, reason, actor_id=actor_id))


async def _is_adult(session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> bool:
    user = await repository.get_user(session, principal.org_id, user_id)
    return bool(user and user.date_of_birth and age_on(user.date_of_birth, principal.today()) >= ADULT_AGE)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
