"""Money: integer minor units of an ISO 4217 currency, ``Decimal`` for every step in between, babel for display.

Every rounding is half-up to the currency's minor unit (cents), once, at the end of a calculation, and every split
hands out the leftover cents one by one, so the parts always add up to the whole.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, get_currency_precision


def minor_digits(currency: str) -> int:
    """Digits after the decimal point of ``currency`` (EUR 2, JPY 0, KWD 3; CLDR data)."""
    return get_currency_precision(currency)


def _round(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_off(amount_minor: int, percent: int) -> int:
    """The discount of ``percent`` % on ``amount_minor``, in minor units (rounded half-up)."""
    return _round(Decimal(amount_minor) * Decimal(percent) / Decimal(100))


def pro_rata(amount_minor: int, days_charged: int, days_in_period: int) -> int:
    """``amount_minor`` for ``days_charged`` of ``days_in_period`` days (a late joiner pays the rest of the season).

    Raises ValueError when the period is empty."""
    if days_in_period <= 0:
        raise ValueError("a period of at least one day is needed")
    days_charged = max(0, min(days_charged, days_in_period))
    return _round(Decimal(amount_minor) * Decimal(days_charged) / Decimal(days_in_period))


def split(amount_minor: int, parts: int) -> list[int]:
    """``amount_minor`` in ``parts`` shares that differ by at most one minor unit; earlier shares take the leftover
    (10001 in 2 → [5001, 5000])."""
    if parts < 1:
        raise ValueError("at least one part is needed")
    share, leftover = divmod(amount_minor, parts)
    return [share + (1 if index < leftover else 0) for index in range(parts)]


def display(amount_minor: int, currency: str, locale: str = "en") -> str:
    """``amount_minor`` as a person reads it in ``locale``: 22500 EUR → "€225.00" (en), "225,00 €" (de)."""
    amount = Decimal(amount_minor).scaleb(-minor_digits(currency))
    try:
        return format_currency(amount, currency, locale=locale)
    except (ValueError, LookupError):
        return format_currency(amount, currency, locale="en")
