"""The shared schema building blocks refuse what no endpoint can store or show."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from operational.kit.schemas import Day, Moment, PatchModel, SingleLine, WriteModel


class Thing(WriteModel):
    title: SingleLine
    on: Day | None = None
    at: Moment | None = None


class ThingUpdate(PatchModel):
    nullable_fields = frozenset({"note"})

    title: SingleLine | None = None
    note: str | None = None


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"title": "Skate\r\nBEGIN:VEVENT"}, "single line"),
        ({"title": "x", "on": "0001-01-01"}, "between 1900 and 2199"),
        ({"title": "x", "at": "9999-12-31T23:00:00-05:00"}, "between 1900 and 2199"),
        ({"title": "x", "at": "0001-01-01T00:30:00+01:00"}, "between 1900 and 2199"),
        ({"title": "x", "org_id": "3f0c6a52-8d1e-4b7a-9c2f-1e5d7a9b3c40"}, "Extra inputs"),
    ],
)
def test_write_models_refuse_what_cannot_be_stored_or_shown(body, problem):
    with pytest.raises(ValidationError) as excinfo:
        Thing.model_validate(body)
    assert problem in str(excinfo.value)


def test_a_plausible_body_passes():
    assert Thing.model_validate({"title": "  Skate ", "on": "2027-03-16"}).on == date(2027, 3, 16)


def test_a_patch_keeps_what_is_left_out_and_clears_only_clearable_fields():
    assert ThingUpdate.model_validate({"note": None}).changes() == {"note": None}
    assert ThingUpdate.model_validate({}).changes() == {}
    with pytest.raises(ValidationError) as excinfo:
        ThingUpdate.model_validate({"title": None})
    assert "'title' cannot be null" in str(excinfo.value)
