"""Guardian links: a parent acts for a minor within what the minor's role allows.

When the athlete turns 18 the link ends, unless the athlete has consented to keep it. The access check
(auth_service.principal_for) enforces this the day the athlete turns 18; ``end_links_of_adults`` records it and tells
the other services.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, Forbidden, HubError, NotFound
from operational.users import events, policies, repository
from operational.users.auth_service import age_on
from operational.users.models import GuardianLink, outbox


async def link(session: AsyncSession, principal: Principal, minor_id: uuid.UUID, guardian_id: uuid.UUID):
    minor = policies.ensure_user_in_org(principal, await repository.get_user(session, principal.org_id, minor_id))
    guardian = policies.ensure_user_in_org(principal, await repository.get_user(session, principal.org_id, guardian_id))
    policies.ensure_admin(principal, "link a parent to an athlete")
    if guardian.id == minor.id:
        raise HubError("A person cannot be their own guardian.", field="guardian_id")
    if minor.date_of_birth is None:
        raise HubError("Record the athlete's date of birth first: links end when they turn 18.", field="minor_id")
    if age_on(minor.date_of_birth, datetime.now(UTC).date()) >= 18:
        raise HubError("The athlete is an adult; they manage their own account.", field="minor_id")
    if await repository.active_guardian_links(session, guardian_id=guardian.id, minor_id=minor.id):
        raise Conflict(f"{guardian.full_name} is already a guardian of {minor.full_name}.")
    new_link = await repository.add(
        session, GuardianLink(id=uuid.uuid4(), org_id=principal.org_id, guardian_id=guardian.id, minor_id=minor.id)
    )
    await outbox.record(session, events.guardian_linked(new_link, actor_id=principal.user_id))
    return new_link


async def guardians_of(session: AsyncSession, principal: Principal, minor_id: uuid.UUID) -> list[GuardianLink]:
    minor = policies.ensure_user_in_org(principal, await repository.get_user(session, principal.org_id, minor_id))
    if not (policies.is_admin(principal) or principal.user_id == minor.id or minor.id in principal.guardian_of):
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
    if minor.date_of_birth is None or age_on(minor.date_of_birth, datetime.now(UTC).date()) < 16:
        raise HubError("Consent can be given from the age of 16.")
    found.athlete_consented_at = datetime.now(UTC)
    return found


async def end_links_of_adults(session: AsyncSession, today: date | None = None) -> int:
    today = today or datetime.now(UTC).date()
    eighteen_years_ago = _years_before(today, 18)
    ended = await repository.adult_links_without_consent(session, born_on_or_before=eighteen_years_ago)
    for found in ended:
        await _end(session, found, "athlete_turned_18", actor_id=None)
    return len(ended)


async def _end(session: AsyncSession, found: GuardianLink, reason: str, actor_id: uuid.UUID | None) -> None:
    found.ended_at, found.end_reason = datetime.now(UTC), reason
    await outbox.record(session, events.guardian_unlinked(found, reason, actor_id=actor_id))


async def _is_adult(session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> bool:
    user = await repository.get_user(session, principal.org_id, user_id)
    return bool(user and user.date_of_birth and age_on(user.date_of_birth, datetime.now(UTC).date()) >= 18)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
