"""The safeguarding rule for conversations (the US Center for SafeSport's rule for electronic communication): no
conversation between an adult staff member and a minor unless the minor's guardian or a second adult is in it.

It is checked when a group or private conversation is made (refused when it does not hold), when someone joins, and
when someone leaves (a conversation it no longer holds for is put on hold: nobody can post until an adult joins).
Every decision about a conversation with a minor in it is written to the append-only audit, so it can be proven
later who was in it and why it was allowed. A team's channel follows the roster and is not checked: the whole team
and its staff are in it.

Who is who comes from the users events: a minor is anyone who may still be 17 this year (only the year of birth is
known); staff are coaches and physical trainers of any team and people with a club-wide staff role.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.comms.channels import is_minor
from operational.comms.conversations import repository

STAFF_ROLES = frozenset({"coach", "physical_trainer", "medical_staff", "club_admin", "platform_admin"})
RULE = "A conversation between an adult staff member and a minor needs the minor's guardian or a second adult in it."


@dataclass(frozen=True)
class Member:
    user_id: uuid.UUID
    minor: bool
    staff: bool
    guardian_of: frozenset[uuid.UUID]


def breach(members: Iterable[Member]) -> str | None:
    """Why ``members`` may not talk together, or None when they may."""
    people = list(members)
    minors = [m for m in people if m.minor]
    adults = [m for m in people if not m.minor]
    if not minors or not any(m.staff for m in adults) or len(adults) >= 2:
        return None
    # the one adult is staff: allowed only for their own children (a coach who is the player's parent)
    if all(any(minor.user_id in adult.guardian_of for adult in adults) for minor in minors):
        return None
    return RULE


async def members_as_known(
    session: AsyncSession, org_id: uuid.UUID, user_ids: Iterable[uuid.UUID], on: datetime
) -> list[Member]:
    ids = sorted(set(user_ids))
    facts = await repository.safeguarding_facts(session, org_id, ids)
    return [
        Member(
            user_id=user_id,
            minor=is_minor(facts[user_id].birth_year, on) if user_id in facts else False,
            staff=user_id in facts and (bool(STAFF_ROLES.intersection(facts[user_id].roles))),
            guardian_of=facts[user_id].guardian_of if user_id in facts else frozenset(),
        )
        for user_id in ids
    ]


async def audit(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    conversation_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    action: str,
    decision: str,
    members: list[Member],
    reason: str,
) -> None:
    """Record a decision when a minor is concerned (conversations of adults only are nobody's safeguarding)."""
    if any(m.minor for m in members):
        await repository.add_audit(
            session,
            {"org_id": org_id, "conversation_id": conversation_id, "actor_id": actor_id, "action": action,
             "decision": decision, "member_ids": [m.user_id for m in members], "reason": reason},
        )  # fmt: skip
