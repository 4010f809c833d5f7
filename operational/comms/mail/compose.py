"""An e-mail from a notification: the same words as in the app (templates.py), in the recipient's language, as plain
text and as HTML (jinja2, autoescaped: an event title is the coach's text, never markup)."""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from jinja2 import Environment

from operational.comms.templates import language_of, render

_FOOTER = {
    "en": "You get this e-mail because of your notification settings in Hockey Hub.",
    "sv": "Du får det här mejlet på grund av dina aviseringsinställningar i Hockey Hub.",
}
_HTML = Environment(autoescape=True).from_string(
    """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body style="font-family: sans-serif">
<h1 style="font-size: 1.2em">{{ title }}</h1>
<p>{{ body }}</p>
<p style="color: #666; font-size: 0.8em">{{ footer }}</p>
</body></html>
"""
)


def compose(
    *, notification_id: uuid.UUID, kind: str, data: dict, lang: str | None, to: str, sender: str, created_at
) -> EmailMessage:
    language = language_of(lang)
    text = render(kind, data, language)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = text.title
    message["Date"] = format_datetime(created_at)
    message["Message-ID"] = make_msgid(idstring=str(notification_id), domain="hockeyhub.local")
    message["Content-Language"] = language
    message.set_content(f"{text.body}\n\n-- \n{_FOOTER[language]}\n")
    message.add_alternative(
        _HTML.render(lang=language, title=text.title, body=text.body, footer=_FOOTER[language]), subtype="html"
    )
    return message
