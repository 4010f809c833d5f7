"""An e-mail from a notification: the same words as in the app (templates.py), in the recipient's language, as plain
text and as HTML (jinja2, autoescaped: an event title is the coach's text, never markup)."""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from jinja2 import Environment

from operational.comms.templates import language_of, render

_LINK_TEXT = {
    "invitation": {"en": "Accept the invitation", "sv": "Tacka ja till inbjudan"},
    "password_reset": {"en": "Choose a new password", "sv": "Välj ett nytt lösenord"},
}
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
{% if link %}<p><a href="{{ link }}">{{ link_text }}</a></p>
{% endif %}<p style="color: #666; font-size: 0.8em">{{ footer }}</p>
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
    link = data.get("link")
    link_text = _LINK_TEXT.get(kind, {}).get(language, link)
    plain_link = f"\n\n{link_text}: {link}" if link else ""
    message.set_content(f"{text.body}{plain_link}\n\n-- \n{_FOOTER[language]}\n")
    html = _HTML.render(
        lang=language, title=text.title, body=text.body, link=link, link_text=link_text, footer=_FOOTER[language]
    )
    message.add_alternative(html, subtype="html")
    return message
