"""Mail over SMTP (aiosmtplib): STARTTLS and a login when the settings give them."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from operational.comms.config import CommsSettings
from operational.comms.mail.port import MailNotSent


class SmtpTransport:
    def __init__(self, settings: CommsSettings):
        self.settings = settings

    async def send(self, message: EmailMessage) -> None:
        settings = self.settings
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        try:
            await aiosmtplib.send(
                message,
                hostname=settings.smtp_host,
                port=settings.smtp_port,
                username=settings.smtp_username,
                password=password,
                start_tls=settings.smtp_starttls,
                timeout=settings.smtp_timeout_seconds,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise MailNotSent(f"SMTP {settings.smtp_host}:{settings.smtp_port}: {exc}") from exc
