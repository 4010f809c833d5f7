"""What a notification says, in the reader's language (Swedish and English; anything else reads English).

A notification stores what happened (``kind`` and ``data``); the words are made here, when it is read or sent, so a
person who changes language reads everything in the new one. Dates and times are formatted for the language with
babel (CLDR), on the clock of the event's own time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, get_currency_precision

LANGUAGES = ("sv", "en")

# {title}, {team}, {when}; a team-less event drops the "{team}: " prefix
_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "event_created": ("New in the calendar: {title}", "{team}{title}, {when}."),
        "event_moved": ("{title} has moved", "{team}{title} now starts {when}."),
        "event_changed": ("{title} has changed", "{team}{title}, {when}, has changed. See the calendar."),
        "event_cancelled": ("{title} is cancelled", "{team}{title}, {when}, is cancelled."),
        "series_cancelled": ("{title} is cancelled", "{team}every {title} from {when} on is cancelled."),
        "announcement": ("New announcement: {title}", "{team}{title}.{by}"),
        "announcement_reminder": (
            "Please acknowledge: {title}",
            "{team}{title} is waiting for your acknowledgement.{by}",
        ),
        "availability_changed": ("{player} is {status}", "{player}'s availability is now: {status}."),
        "invitation": ("You are invited to Hockey Hub", "Your club invited you; the invitation is valid to {until}."),
        "password_reset": ("Reset your password", "A new password was asked for; the reset is valid to {until}."),
        "rsvp_reminder": ("Will you come? {title}", "{team}{title}, {when}: please answer whether you will come."),
        "payment_reminder": (
            "Reminder: invoice {number} is overdue",
            "{amount} for {player} is {days} days overdue. Please pay by {pay_by}.",
        ),
    },
    "sv": {
        "event_created": ("Nytt i kalendern: {title}", "{team}{title}, {when}."),
        "event_moved": ("{title} har flyttats", "{team}{title} börjar nu {when}."),
        "event_changed": ("{title} har ändrats", "{team}{title}, {when}, har ändrats. Se kalendern."),
        "event_cancelled": ("{title} är inställd", "{team}{title}, {when}, är inställd."),
        "series_cancelled": ("{title} är inställd", "{team}alla {title} från {when} är inställda."),
        "announcement": ("Nytt meddelande: {title}", "{team}{title}.{by}"),
        "announcement_reminder": ("Bekräfta: {title}", "{team}{title} väntar på din bekräftelse.{by}"),
        "availability_changed": ("{player}: {status}", "{player} är nu {status}."),
        "invitation": ("Du är inbjuden till Hockey Hub", "Din klubb har bjudit in dig; inbjudan gäller till {until}."),
        "password_reset": ("Återställ ditt lösenord", "Någon bad om ett nytt lösenord; det gäller till {until}."),
        "rsvp_reminder": ("Kommer du? {title}", "{team}{title}, {when}: svara om du kommer."),
        "payment_reminder": (
            "Påminnelse: faktura {number} är förfallen",
            "{amount} för {player} är {days} dagar försenad. Betala senast {pay_by}.",
        ),
    },
}


_ACKNOWLEDGE_BY = {"en": " Acknowledge it by {when}.", "sv": " Bekräfta senast {when}."}
_STATUSES = {
    "en": {"available": "available", "limited": "limited (modified training)", "unavailable": "unavailable"},
    "sv": {"available": "tillgänglig", "limited": "begränsad (anpassad träning)", "unavailable": "inte tillgänglig"},
}


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str


def language_of(lang: str | None) -> str:
    """``lang`` if we write it ("sv-SE" reads Swedish), else English."""
    short = (lang or "").split("-")[0].split("_")[0].lower()
    return short if short in LANGUAGES else "en"


def when(moment: str | datetime, time_zone: str, lang: str) -> str:
    """A start as a person reads it: "Tuesday 6 April 17:00" / "tisdag 6 april 17:00", on the event's clock."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return format_datetime(value, "EEEE d MMMM HH:mm", tzinfo=ZoneInfo(time_zone), locale=language_of(lang))


def money(amount_minor: int, currency: str, lang: str) -> str:
    """An amount in integer minor units as the language writes it: 1 250,00 kr / SEK 1,250.00 (ISO 4217 digits)."""
    amount = Decimal(amount_minor).scaleb(-get_currency_precision(currency))
    return format_currency(amount, currency, locale=language_of(lang))


def _day(value: str | None, language: str) -> str:
    return format_date(date.fromisoformat(value), "d MMMM y", locale=language) if value else ""


def render(kind: str, data: dict, lang: str | None) -> Rendered:
    """The title and text of a notification of ``kind`` with its stored ``data`` (raises KeyError for an unknown
    kind: a programming error, not bad input)."""
    language = language_of(lang)
    title, body = _TEXTS[language][kind]
    values = {
        "title": data.get("title", ""),
        "player": data.get("player_name", ""),
        "status": _STATUSES[language].get(data.get("status", ""), data.get("status", "")),
        "team": f"{data['team_name']}: " if data.get("team_name") else "",
        "until": _day(data.get("expires_on"), language),
        "number": data.get("number", ""),
        "amount": money(data["amount_due_minor"], data["currency"], language) if data.get("currency") else "",
        "days": data.get("days_overdue", ""),
        "pay_by": _day(data.get("pay_by"), language),
        "when": when(data["starts_at"], data.get("time_zone", "UTC"), language) if data.get("starts_at") else "",
    }
    deadline = data.get("deadline")
    values["by"] = (
        _ACKNOWLEDGE_BY[language].format(when=when(deadline, data.get("time_zone", "UTC"), language))
        if deadline
        else ""
    )
    return Rendered(title=title.format(**values), body=body.format(**values))
