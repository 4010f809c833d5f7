"""SMS through Twilio's Messages API: ``POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`` with the form
fields ``To``, ``From`` (or ``MessagingServiceSid``) and ``Body``, HTTP basic auth with the account SID and auth
token. Twilio answers 201 with the message's ``sid``, or 4xx with ``{"code", "message"}`` (e.g. 21211, an invalid
'To' number). ``HUB_COMMS_TWILIO_BASE_URL`` points elsewhere only for a fake in tests.
"""

from __future__ import annotations

import httpx

from operational.comms.config import CommsSettings
from operational.comms.sms.port import SmsNotSent


class TwilioTransport:
    def __init__(self, settings: CommsSettings):
        if not (settings.twilio_account_sid and settings.twilio_auth_token and settings.sms_from):
            raise ValueError(
                "Twilio needs HUB_COMMS_TWILIO_ACCOUNT_SID, HUB_COMMS_TWILIO_AUTH_TOKEN and HUB_COMMS_SMS_FROM"
            )
        self.settings = settings

    async def send(self, to: str, body: str) -> str:
        settings = self.settings
        sid = settings.twilio_account_sid
        url = f"{settings.twilio_base_url.rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
        auth = (sid, settings.twilio_auth_token.get_secret_value())
        try:
            async with httpx.AsyncClient(timeout=settings.sms_timeout_seconds, trust_env=False) as client:
                response = await client.post(url, data={"To": to, "From": settings.sms_from, "Body": body}, auth=auth)
        except httpx.HTTPError as exc:
            raise SmsNotSent(f"Twilio: {exc!r}") from exc
        if response.status_code != 201:
            try:
                error = response.json()
                reason = f"{error.get('code')} {error.get('message')}"
            except ValueError:
                reason = response.text[:200]
            raise SmsNotSent(f"Twilio answered {response.status_code}: {reason}")
        return response.json()["sid"]
