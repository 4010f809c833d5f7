"""All SQL of the transfer saga: its stored state, the lock a worker holds while it drives one, and the fee facts
its fee steps need (the player's invoices of the team they leave, the fee plan of the team they join)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from operational.kit.pagination import PageParams, paginate
from operational.payments.models import CreditEntry, CreditNote, FeePlan, Invoice
from operational.payments.transfers.models import Transfer, TransferStep


async def add(session: AsyncSession, row) -> None:
    session.add(row)
    await session.flush()


async def get_transfer(session: AsyncSession, transfer_id: uuid.UUID) -> Transfer | None:
    return await session.scalar(
        select(Transfer).where(Transfer.id == transfer_id).execution_options(populate_existing=True)
    )


async def get_transfer_in_club(session: AsyncSession, org_id: uuid.UUID, transfer_id: uuid.UUID) -> Transfer | None:
    """A transfer the club ``org_id`` is part of: the one the player leaves or the one they join."""
    return await session.scalar(
        select(Transfer).where(Transfer.id == transfer_id, or_(Transfer.org_id == org_id, Transfer.to_org_id == org_id))
    )


async def list_transfers(
    session: AsyncSession, org_id: uuid.UUID, page: PageParams, *, status: str | None = None
) -> tuple[list[Transfer], int]:
    query = select(Transfer).where(or_(Transfer.org_id == org_id, Transfer.to_org_id == org_id))
    if status is not None:
        query = query.where(Transfer.status == status)
    return await paginate(session, query, page, order_by=(Transfer.created_at.desc(), Transfer.id))


async def steps_of(session: AsyncSession, transfer_id: uuid.UUID) -> list[TransferStep]:
    rows = await session.scalars(
        select(TransferStep)
        .where(TransferStep.transfer_id == transfer_id)
        .order_by(TransferStep.sequence)
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def count_attempt(session: AsyncSession, transfer_id: uuid.UUID, name: str) -> None:
    await session.execute(
        update(TransferStep)
        .where(TransferStep.transfer_id == transfer_id, TransferStep.name == name)
        .values(attempts=TransferStep.attempts + 1, updated_at=datetime.now(UTC))
    )


async def unfinished_transfer_ids(session: AsyncSession) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(Transfer.id).where(Transfer.status.in_(("running", "compensating"))).order_by(Transfer.created_at)
    )
    return list(rows)


async def open_transfer_of(session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID) -> Transfer | None:
    """The player's transfer that is still being done or undone, if any (one at a time)."""
    return await session.scalar(
        select(Transfer).where(
            Transfer.org_id == org_id,
            Transfer.player_id == player_id,
            Transfer.status.in_(("running", "compensating")),
        )
    )


# --- the worker's hold on a transfer ---------------------------------------------------------------------------------
async def try_hold(conn: AsyncConnection, transfer_id: uuid.UUID) -> bool:
    """A session-level advisory lock on the transfer, on its own connection: one worker drives a transfer at a time,
    and a worker that dies (kill -9) lets go of it with its connection."""
    return bool(
        await conn.scalar(
            text("SELECT pg_try_advisory_lock(hashtext('payments.transfer'), hashtext(:id))"), {"id": str(transfer_id)}
        )
    )


async def let_go(conn: AsyncConnection, transfer_id: uuid.UUID) -> None:
    await conn.execute(
        text("SELECT pg_advisory_unlock(hashtext('payments.transfer'), hashtext(:id))"), {"id": str(transfer_id)}
    )


# --- fee facts ------------------------------------------------------------------------------------------------------
async def fee_invoices_of(
    session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID, team_id: uuid.UUID, on: date
) -> list[tuple[Invoice, FeePlan]]:
    """The player's live invoices (issued or draft, not void) of the team's fee plans whose season includes ``on``,
    locked, each with its plan."""
    rows = await session.execute(
        select(Invoice, FeePlan)
        .join(FeePlan, FeePlan.id == Invoice.fee_plan_id)
        .where(
            Invoice.org_id == org_id,
            Invoice.player_id == player_id,
            FeePlan.team_id == team_id,
            Invoice.status != "void",
            FeePlan.season_start <= on,
            FeePlan.season_end >= on,
        )
        .order_by(Invoice.number)
        .with_for_update(of=Invoice)
        .execution_options(populate_existing=True)
    )
    return [(invoice, plan) for invoice, plan in rows.all()]


async def fee_plan_on(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID, on: date) -> FeePlan | None:
    """The team's fee plan whose season includes ``on`` (the latest made, when there are several)."""
    return await session.scalar(
        select(FeePlan)
        .where(
            FeePlan.org_id == org_id, FeePlan.team_id == team_id, FeePlan.season_start <= on, FeePlan.season_end >= on
        )  # fmt: skip
        .order_by(FeePlan.created_at.desc(), FeePlan.id)
        .limit(1)
    )


async def credit_note(session: AsyncSession, note_id: uuid.UUID) -> CreditNote | None:
    return await session.get(CreditNote, note_id)


async def credit_entry(session: AsyncSession, entry_id: uuid.UUID) -> CreditEntry | None:
    return await session.get(CreditEntry, entry_id)


async def invoice(session: AsyncSession, invoice_id: uuid.UUID) -> Invoice | None:
    return await session.scalar(
        select(Invoice).where(Invoice.id == invoice_id).with_for_update().execution_options(populate_existing=True)
    )
