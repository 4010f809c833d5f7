"""The SMS port: one text to one phone number, through a provider. ``transport_for(settings)`` gives the adapter the
settings name (Twilio's Messages API), or None when SMS is off (the default: the embedded system sends none).

Errors: :class:`SmsNotSent`, whose message says why (the provider's code and text), for the log and a retry.
"""

from __future__ import annotations

from typing import Protocol

from operational.comms.config import CommsSettings


class SmsNotSent(Exception):
    """The provider did not take the text; the message says why (never shown to the recipient)."""


class SmsTransport(Protocol):
    async def send(self, to: str, body: str) -> str:
        """Sends ``body`` to ``to`` (E.164, e.g. ``+46701234567``); returns the provider's id for the message."""
        ...


def transport_for(settings: CommsSettings) -> SmsTransport | None:
    if settings.sms_transport == "twilio":
        from operational.comms.sms.twilio import TwilioTransport

        return TwilioTransport(settings)
    return None
