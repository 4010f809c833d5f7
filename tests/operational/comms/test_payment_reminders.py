"""An overdue invoice's reminder (``payments.reminder.due``) reaches its payer in the app and by e-mail, in their
language with the amount written for it, once however often the event is delivered."""

from __future__ import annotations

import uuid
from datetime import date

from contracts import payments
from tests.messaging import apply_events
from tests.operational.calendar.helpers import envelope
from tests.operational.comms.helpers import notifications, speaking
from tests.operational.comms.test_account_mail import mail_over_smtp
from tests.operational.comms.test_mail import prefer


def reminder_due(club, payer_id, player_id):
    data = payments.ReminderDue(
        reminder_id=uuid.uuid4(), invoice_id=uuid.uuid4(), number="2027-0042", payer_id=payer_id,
        player_id=player_id, team_id=club.team_id, level=1, days_overdue=14, amount_due_minor=125_000,
        currency="SEK", pay_by=date(2027, 3, 1),
    )  # fmt: skip
    return envelope(payments.ReminderDueEvent, club.org_id, data)


def test_the_payer_is_reminded_once_in_their_language(gateway, comms_club, settings, quiet_hours):
    parent, player = comms_club["parent"], comms_club["player"]
    prefer(gateway, parent, language="sv")
    event = reminder_due(comms_club, parent.id, player.id)
    assert apply_events(settings, "comms", [event]) == 1
    assert apply_events(settings, "comms", [event]) == 0  # redelivered: nobody told twice

    (told,) = notifications(gateway, speaking(settings, parent, "sv"))["items"]
    assert told["title"] == "Påminnelse: faktura 2027-0042 är förfallen"
    assert told["body"] == "1\xa0250,00\xa0kr för Player är 14 dagar försenad. Betala senast 1 mars 2027."
    assert notifications(gateway, player)["total"] == 0  # the payer is reminded, never the child

    inbox = mail_over_smtp(settings)
    (mail,) = inbox.to(parent.email)
    assert mail["Subject"] == "Påminnelse: faktura 2027-0042 är förfallen"
    assert mail_over_smtp(settings).messages == []
