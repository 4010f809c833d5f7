"""Payment reminders by levels (hitobito's reminder levels): once an invoice (or one of its instalments) is past
due, reminder 1 goes out and gives ``days_to_pay[0]`` more days; when that deadline passes too, reminder 2 gives
``days_to_pay[1]`` days, and so on until the club's last level (default 30, 14, 5 days). Only what is overdue and
unpaid is reminded; members the club marks as in hardship get none. Reminders are events (``payments.reminder.due``)
a notification service delivers. Nothing here ever keeps a minor from training: that is a person's decision.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from contracts import payments as contract
from operational.kit.db import session_factory
from operational.kit.events import new_event
from operational.payments import repository
from operational.payments.models import Instalment, Invoice, Reminder, outbox

log = logging.getLogger(__name__)
DEFAULT_DAYS_TO_PAY = (30, 14, 5)


@dataclass(frozen=True)
class Overdue:
    amount_minor: int  # overdue and unpaid
    since: date  # the first day of what is overdue was due


def overdue_on(invoice: Invoice, parts: list[Instalment], today: date) -> Overdue | None:
    """What of ``invoice`` is overdue on ``today``: all that is due once its day has passed, or with instalments the
    parts whose day has passed, less what was settled (payments and credits settle parts in order)."""
    if not parts:
        return Overdue(invoice.due_minor, invoice.due_on) if invoice.due_on < today and invoice.due_minor else None
    settled = sum(part.amount_minor for part in parts) - invoice.due_minor
    running, amount, since = 0, 0, None
    for part in parts:
        running += part.amount_minor
        if part.due_on < today and running > settled:
            amount += min(part.amount_minor, running - settled)
            since = since or part.due_on
    return Overdue(amount, since) if amount > 0 else None


def next_level(overdue: Overdue, last: Reminder | None, days_to_pay: list[int], today: date) -> tuple[int, date] | None:
    """(level, pay_by) of the reminder due ``today``, or None: the last one's deadline has not passed, or every
    level was sent."""
    deadline = last.pay_by if last else overdue.since
    level = (last.level if last else 0) + 1
    if today <= deadline or level > len(days_to_pay):
        return None
    return level, today + timedelta(days=days_to_pay[level - 1])


async def send_due_reminders(engine: AsyncEngine, today: date | None = None) -> int:
    """The periodic job: every reminder due ``today`` (default: today in UTC) recorded once, with its event; returns
    how many were sent."""
    today = today or datetime.now(UTC).date()
    sent = 0
    async with session_factory(engine)() as session, session.begin():
        policies: dict[uuid.UUID, list[int]] = {}
        for invoice in await repository.overdue_invoices(session, today):
            if invoice.org_id not in policies:
                policies[invoice.org_id] = await repository.reminder_days(session, invoice.org_id) or list(
                    DEFAULT_DAYS_TO_PAY
                )
            overdue = overdue_on(invoice, await repository.instalments_of(session, invoice.id), today)
            if overdue is None:
                continue
            earlier = await repository.reminders_of(session, invoice.id)
            due = next_level(overdue, earlier[-1] if earlier else None, policies[invoice.org_id], today)
            if due is None:
                continue
            reminder = Reminder(id=uuid.uuid4(), org_id=invoice.org_id, invoice_id=invoice.id, level=due[0],
                                sent_on=today, amount_due_minor=overdue.amount_minor, pay_by=due[1])  # fmt: skip
            if await repository.insert_reminder(session, reminder):
                await outbox.record(session, _reminder_due(invoice, reminder, overdue, today))
                sent += 1
    if sent:
        log.info("payment reminders sent", extra={"sent": sent})
    return sent


def _reminder_due(invoice: Invoice, reminder: Reminder, overdue: Overdue, today: date):
    data = contract.ReminderDue(
        reminder_id=reminder.id,
        invoice_id=invoice.id,
        number=invoice.number,
        payer_id=invoice.payer_id,
        player_id=invoice.player_id,
        team_id=invoice.team_id,
        level=reminder.level,
        days_overdue=(today - overdue.since).days,
        amount_due_minor=reminder.amount_due_minor,
        currency=invoice.currency,
        pay_by=reminder.pay_by,
    )
    return new_event(contract.ReminderDueEvent, org_id=invoice.org_id, subject_id=reminder.id, actor=None, data=data)
