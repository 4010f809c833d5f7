"""A bank statement exported as CSV, read into lines a treasurer's import matches to invoices by reference.

Expected columns (header row, any order, extra columns ignored): ``date`` (ISO 8601), ``amount`` (a decimal with a
point, e.g. ``112.50``; outgoing money is negative and skipped), ``reference`` (the text the payer typed: it must
contain the invoice number, e.g. ``2026-0007``) and ``transaction_id`` (the bank's id for the line: the same line
imported twice is one payment).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

REQUIRED_COLUMNS = ("date", "amount", "reference", "transaction_id")
INVOICE_NUMBER = re.compile(r"\b(\d{4}-\d{4,})\b")
MAX_LINES = 5000


class BankFileError(ValueError):
    """The file cannot be read at all (no header, a missing column, too many lines)."""


@dataclass(frozen=True)
class BankLine:
    line_number: int  # in the file, the header being line 1
    received_on: date | None
    amount: Decimal | None
    reference: str
    transaction_id: str
    problem: str | None = None  # why the line cannot be used, for the treasurer

    @property
    def invoice_number(self) -> str | None:
        found = INVOICE_NUMBER.search(self.reference)
        return found.group(1) if found else None


def read_bank_file(text: str) -> list[BankLine]:
    """Every line of the file, each either usable or carrying the ``problem`` that keeps it out.

    Raises :class:`BankFileError` when the file as a whole cannot be read."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {name.strip().lower() for name in reader.fieldnames or []}
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise BankFileError(
            f"The bank file needs the columns {', '.join(REQUIRED_COLUMNS)}; missing: {', '.join(missing)}."
        )
    lines = []
    for row in reader:
        if len(lines) >= MAX_LINES:
            raise BankFileError(f"The bank file has more than {MAX_LINES} lines; import it in parts.")
        values = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}
        lines.append(_line(reader.line_num, values))
    return lines


def _line(line_number: int, values: dict[str, str]) -> BankLine:
    reference, transaction_id = values["reference"], values["transaction_id"]
    problem, received_on, amount = None, None, None
    try:
        received_on = date.fromisoformat(values["date"])
    except ValueError:
        problem = f"the date '{values['date']}' is not a date like 2026-09-12"
    try:
        amount = Decimal(values["amount"])
        if not amount.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        problem = problem or f"the amount '{values['amount']}' is not a number like 112.50"
        amount = None
    if not transaction_id:
        problem = problem or "the line has no transaction_id"
    return BankLine(line_number, received_on, amount, reference, transaction_id, problem)
