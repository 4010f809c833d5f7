"""The mail port: one e-mail to one person, and the two ways to send it (files in a directory, or SMTP).

``transport_for(settings)`` picks the adapter the settings name; both take an :class:`email.message.EmailMessage`
with text and HTML parts, and raise :class:`MailNotSent` when it did not go out (the delivery job tries again).
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Protocol

from operational.comms.config import CommsSettings


class MailNotSent(Exception):
    """The message did not go out; the text says why (for the log, never for the recipient)."""


class MailTransport(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


def transport_for(settings: CommsSettings) -> MailTransport:
    if settings.mail_transport == "smtp":
        from operational.comms.mail.smtp import SmtpTransport

        return SmtpTransport(settings)
    from operational.comms.mail.directory import DirectoryTransport

    return DirectoryTransport(settings.mail_directory)
