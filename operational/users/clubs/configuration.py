"""A club's configuration: switches a club admin sets, each change audited (who, when, before, after).

Where each switch takes effect:
- ``required_totp_roles`` is the organization's ``mfa_required_roles``, which every sign-in and every refresh reads
  (:mod:`operational.users.auth_service`): from the next sign-in on, members of those roles need their code, and a
  password-only session of such a member ends at its next refresh.
- ``wellness_questionnaire`` is what the training service asks of every team that did not choose its own: it follows
  ``users.club_configuration.changed``, which carries the whole configuration.
- ``default_acwr_variant`` reaches the warehouse in the same event (``dim_clubs``): the stats API reads the club's
  chosen variant first on the load board and in each player's load metrics.

Never commits: the request's unit of work does.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import users as contract
from operational.kit.auth import Principal
from operational.kit.errors import NotFound
from operational.kit.events import new_event
from operational.kit.pagination import PageParams
from operational.kit.policies import require_any_role
from operational.users import repository as users_repository
from operational.users.clubs import repository
from operational.users.clubs.schemas import ClubConfigurationRead, ClubConfigurationUpdate
from operational.users.models import ClubSettingChange, Organization, outbox
from operational.users.policies import ADMINS

DEFAULTS: dict[str, Any] = {"wellness_questionnaire": "hooper", "default_acwr_variant": "uncoupled_rolling"}


def configuration_of(org: Organization) -> ClubConfigurationRead:
    stored = org.settings or {}
    return ClubConfigurationRead(
        wellness_questionnaire=stored.get("wellness_questionnaire", DEFAULTS["wellness_questionnaire"]),
        required_totp_roles=sorted(org.mfa_required_roles or []),
        default_acwr_variant=stored.get("default_acwr_variant", DEFAULTS["default_acwr_variant"]),
    )


async def _own_club(session: AsyncSession, principal: Principal, *, lock: bool = False) -> Organization:
    if lock:
        org = await repository.lock_club(session, principal.org_id)
    else:
        org = await session.get(Organization, principal.org_id)
    if org is None:
        raise NotFound("Your club no longer exists.")
    return org


async def read(session: AsyncSession, principal: Principal) -> ClubConfigurationRead:
    require_any_role(principal, *ADMINS, action="see the club's configuration")
    return configuration_of(await _own_club(session, principal))


async def record_change(
    session: AsyncSession, org: Organization, principal: Principal | None, setting: str, before: Any, after: Any
) -> None:
    """One line of the audit. The actor's name is kept as it was then."""
    actor = await users_repository.get_user(session, org.id, principal.user_id) if principal else None
    session.add(
        ClubSettingChange(
            id=uuid.uuid4(),
            org_id=org.id,
            actor_id=principal.user_id if principal else None,
            actor_name=actor.full_name if actor else None,
            changed_at=datetime.now(UTC),
            setting=setting,
            before=before,
            after=after,
        )
    )


async def announce(session: AsyncSession, org: Organization, principal: Principal | None, changed: list[str]) -> None:
    now = configuration_of(org)
    data = contract.ClubConfigurationChanged(**now.model_dump(), changed_settings=sorted(changed))
    await outbox.record(
        session,
        new_event(contract.ClubConfigurationChangedEvent, org_id=org.id, subject_id=org.id, actor=principal, data=data),
    )


async def update(session: AsyncSession, principal: Principal, body: ClubConfigurationUpdate) -> ClubConfigurationRead:
    """Apply the switches the club admin sent; each one that really changes is audited and announced."""
    require_any_role(principal, *ADMINS, action="change the club's configuration")
    org = await _own_club(session, principal, lock=True)
    before = configuration_of(org).model_dump()
    wanted = body.changes()
    if "required_totp_roles" in wanted:
        wanted["required_totp_roles"] = sorted(set(wanted["required_totp_roles"]))
    changed = [name for name, value in wanted.items() if before[name] != value]
    for name in changed:
        if name == "required_totp_roles":
            org.mfa_required_roles = wanted[name]
        else:
            org.settings = {**(org.settings or {}), name: wanted[name]}  # a new dict, so the JSONB change is seen
        await record_change(session, org, principal, name, before[name], wanted[name])
    if changed:
        await announce(session, org, principal, changed)
    return configuration_of(org)


async def list_changes(session: AsyncSession, principal: Principal, page: PageParams, *, setting: str | None):
    require_any_role(principal, *ADMINS, action="see the club's configuration changes")
    return await repository.list_setting_changes(session, principal.org_id, page, setting=setting)
