"""Checking a transfer request before the saga starts: both ends exist, the player is in the team they leave and not
yet in the one they join, and the caller may move them (policies.py). The users service answers about people, teams
and memberships (its client module); payments' read models give the names.

Errors: 403 (not an admin), 404 (a person or team of neither club; another club without being a platform admin),
409 (not in the old team, already in the new one, a transfer of the player still under way), 422 (same team, a
day out of range, ``to_player_id`` missing for another club).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, Forbidden, InvalidValue, NotFound
from operational.payments import repository as payments_repository
from operational.payments.transfers import policies, repository, service
from operational.payments.transfers.models import Transfer
from operational.payments.transfers.schemas import TransferCreate, TransferRead, TransferStepRead
from operational.users import client as users_client

MAX_DAYS_BACK = 90  # a move recorded late may start its fees up to this many days ago


async def start(session: AsyncSession, principal: Principal, body: TransferCreate) -> Transfer:
    if not policies.can_move_players(principal):
        raise Forbidden(policies.ADMINS_ONLY)
    from_org_id = body.from_org_id or principal.org_id
    to_org_id = body.to_org_id or from_org_id
    cross_club = to_org_id != from_org_id
    outside_own_club = principal.org_id != from_org_id or cross_club
    if outside_own_club and not policies.can_move_between_clubs(principal):
        # another club is not found, whether it exists or not: ids reveal nothing across clubs
        raise NotFound(policies.PLATFORM_ONLY, field="to_org_id" if body.to_org_id else "from_org_id")
    if cross_club and body.to_player_id is None:
        raise InvalidValue("Name the player's account in the club they join.", field="to_player_id")
    to_player_id = body.to_player_id or body.player_id
    today = principal.today()
    effective_on = body.effective_on or today
    if not today - timedelta(days=MAX_DAYS_BACK) <= effective_on <= today:
        raise InvalidValue(f"The transfer's day is today or up to {MAX_DAYS_BACK} days back.", field="effective_on")
    if not cross_club and body.from_team_id == body.to_team_id:
        raise InvalidValue("The player is in that team already; name another team.", field="to_team_id")
    player = await users_client.member(session, from_org_id, body.player_id)
    if player is None or not player.is_active:
        raise NotFound("No such player.", field="player_id")
    if not await users_client.team_exists(session, from_org_id, body.from_team_id):
        raise NotFound("No such team.", field="from_team_id")
    joining = await users_client.member(session, to_org_id, to_player_id)
    if joining is None or not joining.is_active:
        raise NotFound("No such player in the club they join.", field="to_player_id" if cross_club else "player_id")
    if not await users_client.team_exists(session, to_org_id, body.to_team_id):
        raise NotFound("No such team.", field="to_team_id")
    if not cross_club and to_player_id != body.player_id:
        message = "Within a club the player keeps their account; leave out to_player_id."
        raise InvalidValue(message, field="to_player_id")
    if not await users_client.is_in_team(session, body.player_id, body.from_team_id, body.role):
        raise Conflict(f"{player.full_name} is not a {body.role} of that team.", field="from_team_id")
    if await users_client.is_in_team(session, to_player_id, body.to_team_id, body.role):
        raise Conflict(f"{player.full_name} is a {body.role} of the new team already.", field="to_team_id")
    if await repository.open_transfer_of(session, from_org_id, body.player_id):
        raise Conflict(f"A transfer of {player.full_name} is under way; wait until it ends.", field="player_id")
    facts = {
        "org_id": from_org_id,
        "player_id": body.player_id,
        "from_team_id": body.from_team_id,
        "to_org_id": to_org_id,
        "to_player_id": to_player_id,
        "to_team_id": body.to_team_id,
        "role": body.role,
        "effective_on": effective_on,
    }
    return await service.record_start(session, principal, facts)


async def transfer_read(session: AsyncSession, transfer: Transfer) -> TransferRead:
    """The transfer with its steps and the names the club knows."""
    state = await repository.steps_of(session, transfer.id)
    names = await payments_repository.names_of(session, transfer.org_id, (transfer.player_id, transfer.from_team_id))
    to_names = await payments_repository.names_of(session, transfer.to_org_id, (transfer.to_team_id,))
    read = TransferRead.model_validate(transfer)
    return read.model_copy(
        update={
            "steps": [TransferStepRead.model_validate(step) for step in state],
            "compensations_run": sum(step.status == "compensated" for step in state),
            "player_name": names.get(transfer.player_id),
            "from_team_name": names.get(transfer.from_team_id),
            "to_team_name": to_names.get(transfer.to_team_id),
        }
    )
