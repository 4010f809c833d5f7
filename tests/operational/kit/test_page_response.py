"""The fast list path writes the same JSON body FastAPI writes for the page model."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated

import pytest
from fastapi import FastAPI, Response
from fastapi.testclient import TestClient
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_serializer

from operational.kit.pagination import Page, PageParams


class Item(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    id: uuid.UUID
    day: date
    at: datetime
    score: float | None
    answers: dict[str, int]
    note: str | None = Field(None, alias="remark")


ItemPage = Page[Item]

ROWS = [
    {
        "id": uuid.UUID(int=n),
        "day": date(2026, 11, n),
        "at": datetime(2026, 11, n, 18, 30, 5, 120, tzinfo=UTC),
        "score": None if n == 2 else n / 3,
        "answers": {"sleep": n, "stress": 7 - n},
        "note": "Zoë's night" if n == 1 else None,
    }
    for n in (1, 2, 3)
]


def test_page_response_is_the_body_fastapi_writes_for_the_page_model():
    app = FastAPI()
    page = PageParams(limit=3, offset=6)

    @app.get("/validated", response_model=ItemPage)
    async def validated() -> ItemPage:
        return ItemPage.of([Item(**row) for row in ROWS], 9, page)

    @app.get("/ready", response_model=ItemPage)
    async def ready() -> Response:
        return ItemPage.response(ROWS, 9, page)

    client = TestClient(app)
    expected, fast = client.get("/validated"), client.get("/ready")

    assert fast.status_code == expected.status_code == 200
    assert fast.content == expected.content
    assert fast.headers["content-type"] == expected.headers["content-type"]
    paths = app.openapi()["paths"]
    assert paths["/ready"]["get"]["responses"] == paths["/validated"]["get"]["responses"]


class Scored(BaseModel):
    """An item whose JSON is not only its fields': the rows must go through the model."""

    id: uuid.UUID
    score: float

    @field_serializer("score")
    def _rounded(self, score: float) -> float:
        return round(score, 1)


class Named(BaseModel):
    """An item whose validation changes a value: the rows must go through the model."""

    name: Annotated[str, AfterValidator(str.strip)]


@pytest.mark.parametrize(
    ("page_model", "rows"),
    [
        (ItemPage, ROWS),
        (ItemPage, [{**row, "score": Decimal("2.50")} for row in ROWS]),  # validation makes it a float
        (ItemPage, [{"note": row["note"], **row} for row in ROWS]),  # the fields in another order
        (ItemPage, [{**row, "remark": row.pop("note")} for row in map(dict, ROWS)]),  # by alias
        (Page[Scored], [{"id": uuid.UUID(int=n), "score": n / 3} for n in (1, 2)]),
        (Page[Named], [{"name": " Zoë "}]),
    ],
)
def test_rows_are_written_as_the_page_model_writes_them(page_model, rows):
    page = PageParams(limit=3, offset=0)
    expected = page_model.model_validate({"items": rows, "total": 9, "limit": 3, "offset": 0})
    assert page_model.response(rows, 9, page).body == expected.model_dump_json(by_alias=True).encode()
