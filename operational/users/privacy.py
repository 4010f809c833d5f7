"""The right of access (everything held about me) and the right to erasure (anonymize, and tell every service)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import HubError
from operational.users import events, policies, repository, sessions
from operational.users.models import User, outbox, private_outbox


async def export_me(session: AsyncSession, principal: Principal) -> dict:
    user = (await policies.person_loader.load(session, principal, principal.user_id)).user
    org = await repository.get_organization(session, user.org_id)
    memberships = await repository.memberships_of(session, user.id)
    teams = {m.team_id: await repository.get_team(session, user.org_id, m.team_id) for m in memberships}
    as_guardian = await repository.active_guardian_links(session, guardian_id=user.id)
    as_minor = await repository.active_guardian_links(session, minor_id=user.id)
    export = {
        "exported_at": datetime.now(UTC).isoformat(),
        "account": {
            "id": str(user.id),
            "email": user.email,
            "full_name": user.full_name,
            "date_of_birth": user.date_of_birth.isoformat() if user.date_of_birth else None,
            "position": user.position,
            "jersey_number": user.jersey_number,
            "language": user.language,
            "time_zone": user.time_zone,
            "club_roles": list(user.org_roles),
            "second_factor_enabled": user.totp_enabled_at is not None,
            "created_at": user.created_at.isoformat(),
        },
        "club": {"id": str(org.id), "name": org.name} if org else None,
        "teams": [
            {"team_id": str(m.team_id), "team": teams[m.team_id].name if teams[m.team_id] else None, "role": m.role}
            for m in memberships
        ],
        "guardian_of": [str(link.minor_id) for link in as_guardian],
        "guardians": [str(link.guardian_id) for link in as_minor],
        "note": "Training and calendar records are exported by those services.",
    }
    # every other service's part, as the service itself gives it (declared in its registration)
    from operational.registry import SERVICES  # the registry imports this service

    for service in SERVICES:
        if service.personal_data is not None:
            export[service.name] = await service.personal_data(session, principal)
    return export


async def anonymize(session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> None:
    person = await policies.person_loader.load(session, principal, user_id)
    user = person.user
    if user.id != principal.user_id:
        policies.ensure_admin(principal, "erase another person's account")
    if "club_admin" in user.org_roles and user.id == principal.user_id:
        raise HubError("Hand your club admin role to someone else before erasing your account.")
    await _erase(session, user, actor_id=principal.user_id)
    await outbox.record(session, events.user_anonymized(user, actor_id=principal.user_id))
    await private_outbox.record(session, events.contact_changed(user))


async def _erase(session: AsyncSession, user: User, actor_id: uuid.UUID) -> None:
    now = datetime.now(UTC)
    for link in await repository.active_guardian_links(session, guardian_id=user.id):
        link.ended_at, link.end_reason = now, "removed"
    for link in await repository.active_guardian_links(session, minor_id=user.id):
        link.ended_at, link.end_reason = now, "removed"
    for membership in await repository.memberships_of(session, user.id):
        await repository.delete_row(session, membership)
    await sessions.revoke_all_sessions(session, user, reason="erased", actor_id=actor_id)
    await repository.revoke_one_time_tokens(session, user.id, now)
    user.email = f"erased-{user.id}@invalid"
    user.full_name = "Erased user"
    user.password_hash = None
    user.date_of_birth = user.position = user.jersey_number = user.time_zone = None
    user.totp_secret_encrypted = user.totp_enabled_at = None
    user.org_roles = []
    user.is_active = False
    user.anonymized_at = user.deactivated_at = now
