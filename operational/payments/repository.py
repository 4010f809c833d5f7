"""All SQL of the payments service: fee plans, invoices, credit notes, payments and the roster read model. Every
lookup by id takes the club's id: a row of another club is never found."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import and_, delete, func, or_, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.pagination import PageParams, paginate
from operational.payments.models import (
    CreditEntry,
    CreditNote,
    DirectoryName,
    FeePlan,
    GuardianEntry,
    Hardship,
    Instalment,
    Invoice,
    Payment,
    Refund,
    Reminder,
    ReminderPolicy,
    RosterEntry,
)
from operational.payments.policies import InvoiceScope


async def add(session: AsyncSession, row) -> None:
    session.add(row)
    await session.flush()


async def remove(session: AsyncSession, row) -> None:
    await session.delete(row)
    await session.flush()


# --- fee plans ------------------------------------------------------------------------------------------------------
async def get_fee_plan(session: AsyncSession, org_id: uuid.UUID, fee_plan_id: uuid.UUID) -> FeePlan | None:
    return await session.scalar(select(FeePlan).where(FeePlan.org_id == org_id, FeePlan.id == fee_plan_id))


async def list_fee_plans(session: AsyncSession, org_id: uuid.UUID, page: PageParams) -> tuple[list[FeePlan], int]:
    query = select(FeePlan).where(FeePlan.org_id == org_id)
    return await paginate(session, query, page, order_by=(FeePlan.season_start.desc(), FeePlan.id))


# --- invoices -------------------------------------------------------------------------------------------------------
async def get_invoice(session: AsyncSession, org_id: uuid.UUID, invoice_id: uuid.UUID) -> Invoice | None:
    return await session.scalar(select(Invoice).where(Invoice.org_id == org_id, Invoice.id == invoice_id))


async def get_invoice_in_scope(
    session: AsyncSession, org_id: uuid.UUID, scope: InvoiceScope, invoice_id: uuid.UUID
) -> Invoice | None:
    """The invoice, unless it is a draft the scope may not know of (None then: not found, as if it did not exist).
    Whether the caller may read an invoice they know of is the policy's (a 403 for someone else's)."""
    query = select(Invoice).where(Invoice.org_id == org_id, Invoice.id == invoice_id)
    if not scope.drafts:
        query = query.where(Invoice.status != "draft")
    return await session.scalar(query)


async def lock_invoice(session: AsyncSession, invoice: Invoice) -> Invoice:
    """The invoice re-read under a row lock: two payments of one invoice are applied one after the other."""
    return await session.scalar(
        select(Invoice).where(Invoice.id == invoice.id).with_for_update().execution_options(populate_existing=True)
    )


async def list_invoices(
    session: AsyncSession,
    org_id: uuid.UUID,
    scope: InvoiceScope,
    page: PageParams,
    *,
    status: str | None,
    player_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
) -> tuple[list[Invoice], int]:
    query = select(Invoice).where(Invoice.org_id == org_id)
    if not scope.everything:
        query = query.where(or_(Invoice.payer_id == scope.user_id, Invoice.player_id.in_(scope.player_ids)))
    if not scope.drafts:
        query = query.where(Invoice.status != "draft")
    if status is not None:
        query = query.where(Invoice.status == status)
    if player_id is not None:
        query = query.where(Invoice.player_id == player_id)
    if team_id is not None:
        query = query.where(Invoice.team_id == team_id)
    return await paginate(session, query, page, order_by=(Invoice.due_on.desc(), Invoice.number.desc(), Invoice.id))


async def next_invoice_number(session: AsyncSession, org_id: uuid.UUID, year: int) -> str:
    """The club's next invoice number of ``year`` ("2026-0001" …), without gaps; the club's lock is held until the
    request commits, so two runs at once never draw the same number."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('payments.invoice_number'), hashtext(:org))"),
                          {"org": str(org_id)})  # fmt: skip
    prefix = f"{year}-"
    last = await session.scalar(
        select(func.max(Invoice.number)).where(Invoice.org_id == org_id, Invoice.number.startswith(prefix))
    )
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


async def players_invoiced_for(session: AsyncSession, fee_plan_id: uuid.UUID) -> set[uuid.UUID]:
    """Players who already have a live (not void) invoice of this fee plan: a second run skips them."""
    rows = await session.scalars(
        select(Invoice.player_id).where(Invoice.fee_plan_id == fee_plan_id, Invoice.status != "void")
    )
    return set(rows)


async def players_invoiced_in_season(
    session: AsyncSession, org_id: uuid.UUID, season_start: date, season_end: date
) -> set[uuid.UUID]:
    """Players with a live invoice of any fee plan whose season overlaps this one (siblings already paying)."""
    rows = await session.scalars(
        select(Invoice.player_id)
        .join(FeePlan, FeePlan.id == Invoice.fee_plan_id)
        .where(
            Invoice.org_id == org_id,
            Invoice.status != "void",
            FeePlan.season_start <= season_end,
            FeePlan.season_end >= season_start,
        )
    )
    return set(rows)


# --- credit notes and payments --------------------------------------------------------------------------------------
async def credit_notes_of(session: AsyncSession, invoice_id: uuid.UUID) -> list[CreditNote]:
    rows = await session.scalars(
        select(CreditNote).where(CreditNote.invoice_id == invoice_id).order_by(CreditNote.created_at, CreditNote.id)
    )
    return list(rows)


async def payments_of(session: AsyncSession, invoice_id: uuid.UUID) -> list[Payment]:
    rows = await session.scalars(
        select(Payment).where(Payment.invoice_id == invoice_id).order_by(Payment.created_at, Payment.id)
    )
    return list(rows)


async def payment_with_reference(session: AsyncSession, invoice_id: uuid.UUID, reference: str) -> Payment | None:
    return await session.scalar(select(Payment).where(Payment.invoice_id == invoice_id, Payment.reference == reference))


# --- roster read model ----------------------------------------------------------------------------------------------
async def teams_of_player(session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(RosterEntry.team_id).where(
            RosterEntry.org_id == org_id, RosterEntry.user_id == player_id, RosterEntry.role == "player"
        )
    )
    return set(rows)


async def team_in_org(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(RosterEntry.team_id).where(RosterEntry.org_id == org_id, RosterEntry.team_id == team_id).limit(1)
    )
    return found is not None


async def players_of_team(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> list[RosterEntry]:
    rows = await session.scalars(
        select(RosterEntry)
        .where(RosterEntry.org_id == org_id, RosterEntry.team_id == team_id, RosterEntry.role == "player")
        .order_by(RosterEntry.joined_on, RosterEntry.user_id)
    )
    return list(rows)


async def guardians_of(session: AsyncSession, org_id: uuid.UUID, minor_ids) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Each minor's guardians, in a stable order."""
    rows = await session.execute(
        select(GuardianEntry.minor_id, GuardianEntry.guardian_id)
        .where(GuardianEntry.org_id == org_id, GuardianEntry.minor_id.in_(list(minor_ids)))
        .order_by(GuardianEntry.minor_id, GuardianEntry.guardian_id)
    )
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    for minor_id, guardian_id in rows:
        found.setdefault(minor_id, []).append(guardian_id)
    return found


async def siblings_of(session: AsyncSession, org_id: uuid.UUID, minor_id: uuid.UUID) -> set[uuid.UUID]:
    """Other minors who share a guardian with ``minor_id``."""
    mine = select(GuardianEntry.guardian_id).where(GuardianEntry.org_id == org_id, GuardianEntry.minor_id == minor_id)
    rows = await session.scalars(
        select(GuardianEntry.minor_id).where(
            GuardianEntry.org_id == org_id, GuardianEntry.guardian_id.in_(mine), GuardianEntry.minor_id != minor_id
        )
    )
    return set(rows)


async def join_team(session: AsyncSession, org_id, team_id, user_id, role: str, joined_on: date) -> None:
    await session.execute(
        pg_insert(RosterEntry)
        .values(team_id=team_id, user_id=user_id, role=role, org_id=org_id, joined_on=joined_on)
        .on_conflict_do_nothing()
    )


async def leave_team(session: AsyncSession, org_id, user_id, *, team_id=None, role: str | None = None) -> None:
    """``user_id`` leaves ``team_id`` in ``role`` (every team and role when they are None)."""
    conditions = [RosterEntry.org_id == org_id, RosterEntry.user_id == user_id]
    if team_id is not None:
        conditions.append(RosterEntry.team_id == team_id)
    if role is not None:
        conditions.append(RosterEntry.role == role)
    await session.execute(delete(RosterEntry).where(and_(*conditions)))


async def link_guardian(session: AsyncSession, org_id, guardian_id, minor_id) -> None:
    await session.execute(
        pg_insert(GuardianEntry)
        .values(org_id=org_id, guardian_id=guardian_id, minor_id=minor_id)
        .on_conflict_do_nothing()
    )


async def unlink_guardian(session: AsyncSession, org_id, *, guardian_id=None, minor_id=None) -> None:
    conditions = [GuardianEntry.org_id == org_id]
    if guardian_id is not None:
        conditions.append(GuardianEntry.guardian_id == guardian_id)
    if minor_id is not None:
        conditions.append(GuardianEntry.minor_id == minor_id)
    await session.execute(delete(GuardianEntry).where(and_(*conditions)))


async def invoice_by_number(session: AsyncSession, org_id: uuid.UUID, number: str) -> Invoice | None:
    return await session.scalar(select(Invoice).where(Invoice.org_id == org_id, Invoice.number == number))


# --- refunds, credit balances, instalments --------------------------------------------------------------------------
async def get_payment(session: AsyncSession, org_id: uuid.UUID, payment_id: uuid.UUID) -> Payment | None:
    return await session.scalar(select(Payment).where(Payment.org_id == org_id, Payment.id == payment_id))


async def refunded_of(session: AsyncSession, payment_id: uuid.UUID) -> int:
    return await session.scalar(
        select(func.coalesce(func.sum(Refund.amount_minor), 0)).where(Refund.payment_id == payment_id)
    )


async def refunds_of_invoice(session: AsyncSession, invoice_id: uuid.UUID) -> list[Refund]:
    rows = await session.scalars(
        select(Refund).where(Refund.invoice_id == invoice_id).order_by(Refund.created_at, Refund.id)
    )
    return list(rows)


async def credit_balance(session: AsyncSession, org_id: uuid.UUID, payer_id: uuid.UUID, currency: str) -> int:
    """The payer's credit in ``currency``, minor units; the payer's rows are locked first, so two invoices issued at
    once never spend the same credit."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('payments.credit'), hashtext(:payer))"), {"payer": str(payer_id)}
    )
    return await session.scalar(
        select(func.coalesce(func.sum(CreditEntry.amount_minor), 0)).where(
            CreditEntry.org_id == org_id, CreditEntry.payer_id == payer_id, CreditEntry.currency == currency
        )
    )


async def instalments_of(session: AsyncSession, invoice_id: uuid.UUID) -> list[Instalment]:
    rows = await session.scalars(
        select(Instalment).where(Instalment.invoice_id == invoice_id).order_by(Instalment.sequence)
    )
    return list(rows)


async def remove_instalments(session: AsyncSession, invoice_id: uuid.UUID) -> None:
    await session.execute(delete(Instalment).where(Instalment.invoice_id == invoice_id))


# --- reminders ------------------------------------------------------------------------------------------------------
async def reminder_days(session: AsyncSession, org_id: uuid.UUID) -> list[int] | None:
    return await session.scalar(select(ReminderPolicy.days_to_pay).where(ReminderPolicy.org_id == org_id))


async def set_reminder_days(session: AsyncSession, org_id: uuid.UUID, days: list[int]) -> None:
    statement = pg_insert(ReminderPolicy).values(org_id=org_id, days_to_pay=days)
    await session.execute(statement.on_conflict_do_update(index_elements=["org_id"], set_={"days_to_pay": days}))


async def reminders_of(session: AsyncSession, invoice_id: uuid.UUID) -> list[Reminder]:
    rows = await session.scalars(select(Reminder).where(Reminder.invoice_id == invoice_id).order_by(Reminder.level))
    return list(rows)


async def overdue_invoices(session: AsyncSession, today: date) -> list[Invoice]:
    """Open invoices with something due before ``today`` (the invoice, or one of its instalments), whose payer and
    player are not marked as in hardship."""
    instalment_due = select(Instalment.id).where(Instalment.invoice_id == Invoice.id, Instalment.due_on < today)
    in_hardship = select(Hardship.user_id).where(
        Hardship.org_id == Invoice.org_id, Hardship.user_id.in_([Invoice.payer_id, Invoice.player_id])
    )
    rows = await session.scalars(
        select(Invoice)
        .where(
            Invoice.status == "open",
            or_(Invoice.due_on < today, instalment_due.exists()),
            ~in_hardship.exists(),
        )
        .order_by(Invoice.org_id, Invoice.id)
    )
    return list(rows)


async def insert_reminder(session: AsyncSession, reminder: Reminder) -> bool:
    """True when the reminder is new (a level is sent once per invoice, whoever runs the job)."""
    values = {column.key: getattr(reminder, column.key) for column in Reminder.__table__.columns}
    inserted = await session.execute(
        pg_insert(Reminder).values(**values).on_conflict_do_nothing().returning(Reminder.id)
    )
    return inserted.first() is not None


async def is_member(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """Known to the read model as on a team or as a guardian."""
    on_team = select(RosterEntry.user_id).where(RosterEntry.org_id == org_id, RosterEntry.user_id == user_id)
    guardian = select(GuardianEntry.guardian_id).where(
        GuardianEntry.org_id == org_id, GuardianEntry.guardian_id == user_id
    )
    return bool(await session.scalar(select(on_team.exists() | guardian.exists())))


async def set_hardship(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, marked_by: uuid.UUID) -> None:
    statement = pg_insert(Hardship).values(org_id=org_id, user_id=user_id, marked_by=marked_by)
    await session.execute(statement.on_conflict_do_nothing())


async def clear_hardship(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> None:
    await session.execute(delete(Hardship).where(Hardship.org_id == org_id, Hardship.user_id == user_id))


# --- names ----------------------------------------------------------------------------------------------------------
async def set_name(session: AsyncSession, org_id: uuid.UUID, object_id: uuid.UUID, kind: str, name: str) -> None:
    statement = pg_insert(DirectoryName).values(org_id=org_id, id=object_id, kind=kind, name=name)
    await session.execute(statement.on_conflict_do_update(index_elements=["org_id", "id"], set_={"name": name}))


async def names_of(session: AsyncSession, org_id: uuid.UUID, ids) -> dict[uuid.UUID, str]:
    rows = await session.execute(
        select(DirectoryName.id, DirectoryName.name).where(
            DirectoryName.org_id == org_id, DirectoryName.id.in_([i for i in ids if i is not None])
        )
    )
    return dict(rows.all())
