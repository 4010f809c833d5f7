"""Card payments through Stripe: a PaymentIntent per payment attempt, refunds, and webhooks verified with their
signature and its tolerance (stripe.Webhook).

Every call carries an idempotency key, so a retry never charges twice; a call that fails for a passing reason (no
connection, rate limited, Stripe's 5xx) is retried with exponential backoff (stamina); after repeated failures the
circuit breaker refuses card payments at once for a while (503), and bank transfer still works.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Literal

import stamina
import stripe

from operational.kit.errors import Unavailable
from operational.payments.config import PaymentsSettings
from operational.payments.providers.breaker import CircuitBreaker, CircuitOpen
from operational.payments.providers.port import PaymentRequest, PaymentStart, RefundRequest

log = logging.getLogger(__name__)
UNAVAILABLE = "Card payments are unavailable right now; try again in a few minutes, or pay by bank transfer."


def _transient(exc: Exception) -> bool:
    if isinstance(exc, stripe.APIConnectionError | stripe.RateLimitError):
        return True
    return isinstance(exc, stripe.APIError) and (exc.http_status or 0) >= 500


class StripeCardProvider:
    method: Literal["card"] = "card"

    def __init__(self, settings: PaymentsSettings):
        assert settings.stripe_secret_key is not None
        self.settings = settings
        addresses: Any = {"api": settings.stripe_api_base} if settings.stripe_api_base else None
        self.client = stripe.StripeClient(
            settings.stripe_secret_key.get_secret_value(),
            base_addresses=addresses,
            max_network_retries=0,  # retries are ours (stamina), with the same idempotency key
            http_client=stripe.HTTPXClient(timeout=settings.provider_timeout_seconds),
        )
        self.breaker = CircuitBreaker(settings.breaker_failures, settings.breaker_cooldown_seconds)

    async def start_payment(self, request: PaymentRequest) -> PaymentStart:
        params = {
            "amount": request.amount_minor,
            "currency": request.currency.lower(),
            "description": f"Invoice {request.invoice_number}",
            "metadata": {"org_id": str(request.org_id), "invoice_id": str(request.invoice_id)},
        }
        intent = await self._call(self.client.v1.payment_intents.create_async, params, request.idempotency_key)
        return PaymentStart(
            method="card",
            amount_minor=intent["amount"],
            currency=request.currency,
            reference=request.invoice_number,
            provider_payment_id=intent["id"],
            client_secret=intent["client_secret"],
        )

    async def refund(self, request: RefundRequest) -> str | None:
        params = {"payment_intent": request.provider_payment_id, "amount": request.amount_minor}
        refund = await self._call(self.client.v1.refunds.create_async, params, request.idempotency_key)
        return refund["id"]

    async def _call(self, method, params: dict, idempotency_key: str):
        try:
            self.breaker.before_call()
        except CircuitOpen as exc:
            raise Unavailable(UNAVAILABLE, headers={"Retry-After": str(int(exc.retry_after) + 1)}) from exc
        try:
            async for attempt in stamina.retry_context(
                on=_transient,
                attempts=self.settings.provider_attempts,
                wait_initial=self.settings.provider_retry_initial_seconds,
                wait_jitter=self.settings.provider_retry_initial_seconds,
                wait_max=2.0,
            ):
                with attempt:
                    result = await method(params=params, options={"idempotency_key": idempotency_key})
        except stripe.StripeError as exc:
            if _transient(exc):
                self.breaker.failed()
                log.warning("stripe unavailable", extra={"error": repr(exc)})
                raise Unavailable(UNAVAILABLE) from exc
            self.breaker.succeeded()  # Stripe answered; the request itself was refused
            raise Unavailable(
                f"The card provider refused the request: {exc.user_message or 'unknown reason'}."
            ) from exc
        self.breaker.succeeded()
        return result


def verify_webhook(settings: PaymentsSettings, payload: bytes, signature: str | None) -> dict:
    """The event Stripe sent, once its signature (``Stripe-Signature``) matches and is recent enough.

    Raises ValueError when it does not (a forged, altered or replayed request)."""
    if settings.stripe_webhook_secret is None or not signature:
        raise ValueError("no webhook secret configured, or no signature sent")
    try:
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"),
            signature,
            settings.stripe_webhook_secret.get_secret_value(),
            tolerance=settings.stripe_webhook_tolerance_seconds,
        )
    except (stripe.SignatureVerificationError, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from exc
    return json.loads(payload)
