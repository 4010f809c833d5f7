"""What a season fee comes to for one child: the plan's amount, pro rata for a late joiner, less the sibling
discount, split between the guardians who pay it. Pure arithmetic over minor units (money.py); the invoice run
(service.py) gathers the facts.

A late joiner pays for the days from the day they joined to the season's last day, both included, out of the
season's days (a player joining on day 92 of a 365-day season pays 274/365 of the fee). A sibling discount applies
to each child of a family after the first one billed in the same season (siblings share a guardian).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from operational.payments import money


@dataclass(frozen=True)
class Line:
    description: str
    amount_minor: int

    def as_dict(self) -> dict:
        return {"description": self.description, "amount_minor": self.amount_minor}


@dataclass(frozen=True)
class Season:
    amount_minor: int
    start: date
    end: date
    sibling_discount_percent: int = 0

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def fee_lines(season: Season, *, joined_on: date, has_sibling_billed: bool) -> list[Line]:
    """The invoice lines of one child's fee (a reduction is a negative line); they add up to what the child owes.
    A child who joined after the season ended owes nothing (no lines)."""
    if joined_on > season.end:
        return []
    lines = [Line("Season fee", season.amount_minor)]
    amount = season.amount_minor
    if joined_on > season.start:
        days_left = (season.end - joined_on).days + 1
        amount = money.pro_rata(season.amount_minor, days_left, season.days)
        lines.append(
            Line(f"Joined on {joined_on.isoformat()}: {days_left} of {season.days} days", amount - season.amount_minor)
        )
    if has_sibling_billed and season.sibling_discount_percent:
        discount = money.percent_off(amount, season.sibling_discount_percent)
        if discount:
            lines.append(Line(f"Sibling discount {season.sibling_discount_percent}%", -discount))
    return lines


def shares_of(lines: list[Line], payers: int) -> list[list[Line]]:
    """One list of lines per payer: the whole breakdown, then the part the other payers carry as a negative line, so
    each payer's lines add up to their share and the shares add up to the whole."""
    total = sum(line.amount_minor for line in lines)
    if payers == 1:
        return [list(lines)]
    return [
        [*lines, Line(f"Share {index + 1} of {payers} (split between guardians)", share - total)]
        for index, share in enumerate(money.split(total, payers))
    ]
