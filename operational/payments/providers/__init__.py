"""How money reaches the club: a port (port.py) and its adapters, bank transfer / manual (the default: nothing to
set up) and Stripe for cards (``HUB_PAYMENTS_STRIPE_SECRET_KEY``)."""

from __future__ import annotations

from operational.kit.errors import Unavailable
from operational.payments.config import PaymentsSettings
from operational.payments.providers.manual import BankTransferProvider
from operational.payments.providers.port import PaymentProvider

# one card provider per Stripe account and address in a process: its circuit breaker is shared by every request
_card_providers: dict[tuple[str, str | None], PaymentProvider] = {}


def provider_for(settings: PaymentsSettings, method: str) -> PaymentProvider:
    """The adapter for ``method`` ("card" or "bank_transfer"); Unavailable (503) when cards are not set up."""
    if method == "bank_transfer":
        return BankTransferProvider(settings)
    if settings.stripe_secret_key is None:
        raise Unavailable("Card payments are not set up for this club; pay by bank transfer.")
    from operational.payments.providers.stripe_cards import StripeCardProvider

    key = (settings.stripe_secret_key.get_secret_value(), settings.stripe_api_base)
    if key not in _card_providers:
        _card_providers[key] = StripeCardProvider(settings)
    return _card_providers[key]
