"""Building blocks every service's schemas share, so the same input is refused the same way everywhere.

- :class:`WriteModel` for create bodies: unknown fields are refused (a client cannot set ``org_id`` or ``role``).
- :class:`PatchModel` for partial updates: a field left out is kept; an explicit ``null`` is refused unless the
  field may be cleared (``nullable_fields``), instead of reaching a NOT NULL column as a 500.
- :data:`Moment` and :data:`Day`: times and dates a club can mean (years 1900–2199), so an offset applied to
  0001-01-01 or 9999-12-31 is a 422, not an overflow.
- :data:`SingleLine`: text shown on one line (titles, names); CR and LF are refused, so no feed or CSV row breaks.
- :data:`LocalTime`: a time of day on the club's clock, written ``HH:MM``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

EARLIEST_YEAR, LATEST_YEAR = 1900, 2199


def _plausible_day(value: date) -> date:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"a date between {EARLIEST_YEAR} and {LATEST_YEAR} is expected")
    return value


def _plausible_moment(value: datetime) -> datetime:
    _plausible_day(value.date())
    try:
        value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError(f"a time between {EARLIEST_YEAR} and {LATEST_YEAR} is expected") from exc
    return value


def _single_line(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError("must be a single line (no line breaks)")
    return value


Day = Annotated[date, AfterValidator(_plausible_day)]
Moment = Annotated[AwareDatetime, AfterValidator(_plausible_moment)]
SingleLine = Annotated[str, AfterValidator(_single_line)]
# A wall-clock time of day in the club's zone ("06:00"): OpenAPI's "time" format would demand a UTC offset.
LocalTime = Annotated[
    time,
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$", "examples": ["06:00"]}
    ),
]


class WriteModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PatchModel(WriteModel):
    """Every field optional; ``null`` only for the fields named in ``nullable_fields``."""

    nullable_fields: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _null_only_where_clearable(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, value in data.items():
                if value is None and name in cls.model_fields and name not in cls.nullable_fields:
                    raise ValueError(f"'{name}' cannot be null; leave it out to keep the current value")
        return data

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, with their new values."""
        return self.model_dump(exclude_unset=True)
