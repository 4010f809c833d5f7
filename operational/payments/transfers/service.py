"""Moving a player between teams or clubs: an orchestrated saga with stored state (models.py).

Why it lives in the payments service: of its four steps, the two on fees (a pro-rata credit on the old team's fee, a
pro-rata charge on the new one) touch payments' own tables, so each runs in the same transaction as the saga noting
it done; only the membership steps cross to another service (the users service, through its client module,
operational/users/client.py). Calendar, training, planning, medical and comms (team chat channels) follow the
membership events those steps record, as they follow any roster change; payments' own roster read model too.

Steps, in order, each with its compensation:

1. ``leave_old_team``: the player leaves the old team (undo: they rejoin it);
2. ``join_new_team``: the player (their account in the new club) joins the new team (undo: they leave it);
3. ``credit_old_fee``: the old team's fee is credited pro rata (fees.py; undo: the credit is taken back);
4. ``charge_new_fee``: the new team's fee is charged pro rata as drafts (undo: the drafts go).

A step that fails for good (a 4xx-kind error: the team was deleted, the account deactivated …) or that failed for a
passing reason :data:`MAX_ATTEMPTS` times turns the transfer to ``compensating``: the done steps are undone, last
first, then it is ``compensated``. A step that fails for a passing reason (the database unreachable) leaves the
transfer ``running`` for the next try.

Every step is idempotent, keyed by the transfer and the step: the membership steps check before they change (a join
of someone already in the team changes nothing), and the fee steps commit with the step's state. A worker stopped at
any point (kill -9 included) leaves a ``running`` or ``compensating`` transfer the next worker resumes
(:func:`resume_transfers`, a periodic job): it may repeat the step it was in, never half of one. One worker drives a
transfer at a time (an advisory lock held on a connection of its own, which a dead worker lets go of).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from operational.kit.auth import Principal
from operational.kit.db import session_factory
from operational.kit.errors import HubError
from operational.payments.config import PaymentsSettings
from operational.payments.models import outbox
from operational.payments.transfers import events, fees, repository
from operational.payments.transfers.models import Transfer, TransferStep
from operational.users import client as users_client

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # a step failing for a passing reason this often is given up on, and the transfer undone


def _nothing(_point: str) -> None:
    return None


@dataclass(frozen=True)
class Step:
    """``forward(session, transfer) -> result`` and ``undo(session, transfer, result)``. ``same_transaction``: the
    step changes payments' own tables, so it and its state commit together; otherwise (another service's change) the
    step commits first and its state after, and a repeat of the step must change nothing."""

    name: str
    forward: Callable[[AsyncSession, Transfer], Awaitable[dict]]
    undo: Callable[[AsyncSession, Transfer, dict], Awaitable[None]]
    same_transaction: bool


def steps(settings: PaymentsSettings) -> tuple[Step, ...]:
    async def leave_old_team(session, t):
        left = await users_client.leave_team(session, t.org_id, t.player_id, t.from_team_id, t.role, t.started_by)
        return {"left": left}

    async def rejoin_old_team(session, t, _result):
        await users_client.join_team(session, t.org_id, t.player_id, t.from_team_id, t.role, t.started_by)

    async def join_new_team(session, t):
        joined = await users_client.join_team(session, t.to_org_id, t.to_player_id, t.to_team_id, t.role, t.started_by)
        return {"joined": joined}

    async def leave_new_team(session, t, _result):
        await users_client.leave_team(session, t.to_org_id, t.to_player_id, t.to_team_id, t.role, t.started_by)

    async def credit_old_fee(session, t):
        return await fees.credit_old_fee(session, t)

    async def undo_credit(session, t, result):
        await fees.undo_credit(session, t, result)

    async def charge_new_fee(session, t):
        return await fees.charge_new_fee(session, t, settings, datetime.now(UTC).date())

    async def undo_charge(session, _t, result):
        await fees.undo_charge(session, result)

    return (
        Step("leave_old_team", leave_old_team, rejoin_old_team, same_transaction=False),
        Step("join_new_team", join_new_team, leave_new_team, same_transaction=False),
        Step("credit_old_fee", credit_old_fee, undo_credit, same_transaction=True),
        Step("charge_new_fee", charge_new_fee, undo_charge, same_transaction=True),
    )


STEP_NAMES = ("leave_old_team", "join_new_team", "credit_old_fee", "charge_new_fee")


async def record_start(session: AsyncSession, principal: Principal, facts: dict) -> Transfer:
    """A new transfer (``running``, every step pending) and its ``payments.transfer.started`` event, in the caller's
    transaction; :func:`drive` does the steps once it is committed."""
    transfer = Transfer(id=uuid.uuid4(), status="running", started_by=principal.user_id, **facts)
    await repository.add(session, transfer)
    for sequence, name in enumerate(STEP_NAMES, start=1):
        session.add(TransferStep(transfer_id=transfer.id, name=name, sequence=sequence, status="pending",
                                 attempts=0, result={}))  # fmt: skip
    await session.flush()
    await outbox.record(session, events.transfer_started(transfer))
    return transfer


async def drive(
    engine: AsyncEngine,
    settings: PaymentsSettings,
    transfer_id: uuid.UUID,
    checkpoint: Callable[[str], None] = _nothing,
) -> str | None:
    """Do (or undo) the transfer's remaining steps; return its status then, or None when another worker drives it.

    ``checkpoint(point)`` is called before each step (``"before:<step>"``), after each step is committed
    (``"after:<step>"``, before the saga notes it for a step of another service) and before each undo
    (``"undo:<step>"``): the kill tests stop the process there."""
    sessions = session_factory(engine)
    by_name = {step.name: step for step in steps(settings)}
    async with engine.connect() as hold:
        if not await repository.try_hold(hold, transfer_id):
            return None
        try:
            while True:
                async with sessions() as session, session.begin():
                    transfer = await repository.get_transfer(session, transfer_id)
                    state = await repository.steps_of(session, transfer_id)
                if transfer.status == "running":
                    pending = next((s for s in state if s.status == "pending"), None)
                    if pending is None:
                        await _finish(sessions, transfer_id, "completed")
                        continue
                    if not await _forward(sessions, transfer, pending, by_name[pending.name], checkpoint):
                        return "running"
                elif transfer.status == "compensating":
                    to_undo = [s for s in state if _needs_undo(s, by_name[s.name])]
                    if not to_undo:
                        await _finish(sessions, transfer_id, "compensated")
                        continue
                    await _undo(sessions, transfer, to_undo[-1], by_name[to_undo[-1].name], checkpoint)
                else:
                    return transfer.status
        finally:
            await repository.let_go(hold, transfer_id)


def _needs_undo(state: TransferStep, step: Step) -> bool:
    """A done step is undone; so is the failed step of another service (it may have committed before it failed to
    be noted; its undo changes nothing when it had not)."""
    return state.status == "done" or (
        state.status == "pending" and state.error is not None and not step.same_transaction
    )


async def _forward(sessions, transfer: Transfer, state: TransferStep, step: Step, checkpoint) -> bool:
    """One step forward; False when it failed for a passing reason and is to be tried again later."""
    async with sessions() as session, session.begin():
        await repository.count_attempt(session, transfer.id, step.name)
    try:
        checkpoint(f"before:{step.name}")
        async with sessions() as session, session.begin():
            result = await step.forward(session, transfer)
            if step.same_transaction:
                await _mark(session, transfer.id, step.name, "done", result=result)
        checkpoint(f"after:{step.name}")
        if not step.same_transaction:
            async with sessions() as session, session.begin():
                await _mark(session, transfer.id, step.name, "done", result=result)
        return True
    except HubError as exc:
        await _give_up(sessions, transfer.id, step.name, exc.message)
        return True
    except Exception as exc:
        if state.attempts + 1 >= MAX_ATTEMPTS:
            await _give_up(sessions, transfer.id, step.name, f"Failed {MAX_ATTEMPTS} times: {exc!r}")
            return True
        log.warning("transfer step failed; will retry", extra={"transfer": str(transfer.id), "step": step.name,
                                                               "error": repr(exc)})  # fmt: skip
        return False


async def _undo(sessions, transfer: Transfer, state: TransferStep, step: Step, checkpoint) -> None:
    checkpoint(f"undo:{step.name}")
    async with sessions() as session, session.begin():
        await step.undo(session, transfer, state.result)
        if step.same_transaction:
            await _mark(session, transfer.id, step.name, "compensated")
    if not step.same_transaction:
        async with sessions() as session, session.begin():
            await _mark(session, transfer.id, step.name, "compensated")


async def _mark(session: AsyncSession, transfer_id, name: str, status: str, *, result: dict | None = None) -> None:
    (state,) = [s for s in await repository.steps_of(session, transfer_id) if s.name == name]
    state.status, state.updated_at = status, datetime.now(UTC)
    if result is not None:
        state.result = result
    await session.flush()


async def _give_up(sessions, transfer_id, step_name: str, reason: str) -> None:
    async with sessions() as session, session.begin():
        transfer = await repository.get_transfer(session, transfer_id)
        (state,) = [s for s in await repository.steps_of(session, transfer_id) if s.name == step_name]
        state.error = reason
        transfer.status, transfer.failure, transfer.updated_at = "compensating", reason, datetime.now(UTC)
    log.info("transfer step failed for good; undoing", extra={"transfer": str(transfer_id), "step": step_name})


async def _finish(sessions, transfer_id, status: str) -> None:
    async with sessions() as session, session.begin():
        transfer = await repository.get_transfer(session, transfer_id)
        state = {s.name: s for s in await repository.steps_of(session, transfer_id)}
        transfer.status, transfer.updated_at = status, datetime.now(UTC)
        if status == "completed":
            credit, charge = state["credit_old_fee"].result, state["charge_new_fee"].result
            currency = charge.get("currency") or credit.get("currency")
            event = events.transfer_completed(
                transfer, credit.get("credited_minor", 0), charge.get("charged_minor", 0), currency
            )
        else:
            failed = next(s.name for s in state.values() if s.error)
            event = events.transfer_compensated(transfer, failed, transfer.failure or "")
        await outbox.record(session, event)


async def resume_transfers(engine: AsyncEngine, settings: PaymentsSettings | None = None) -> int:
    """The periodic job: drive every transfer left ``running`` or ``compensating`` (a worker stopped in it, or a
    step to try again); returns how many it drove to an end."""
    settings = settings or PaymentsSettings()
    async with session_factory(engine)() as session:
        unfinished = await repository.unfinished_transfer_ids(session)
    finished = 0
    for transfer_id in unfinished:
        if await drive(engine, settings, transfer_id) in ("completed", "compensated"):
            finished += 1
    return finished


async def drive_quietly(engine: AsyncEngine, settings: PaymentsSettings, transfer_id: uuid.UUID) -> None:
    """:func:`drive` right after the request that started the transfer; whatever stops it, the periodic job resumes."""
    try:
        await drive(engine, settings, transfer_id)
    except Exception as exc:  # the transfer stays unfinished in its stored state; resume_transfers picks it up
        log.warning("transfer stopped; the worker resumes it", extra={"transfer": str(transfer_id),
                                                                      "error": repr(exc)})  # fmt: skip
