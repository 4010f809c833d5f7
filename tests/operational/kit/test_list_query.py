"""A list's whole query as one dependency reads, documents and refuses its parameters as the dependencies it
replaces: the page's, the dates' and one per filter."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from operational.kit.auth import Principal
from operational.kit.errors import install_error_handlers
from operational.kit.loaders import Loader
from operational.kit.pagination import DateRangeDep, PageDep, list_query


async def _fetch(_session, _principal: Principal, object_id: uuid.UUID) -> None:
    return None


players = Loader("player", _fetch)
teams = Loader("team", _fetch)
PlayerInQuery = players.named_in_query("player_id", "Only this player's")
TeamInQuery = teams.named_in_query("team_id", "Only this team's")
WholeQuery = list_query(
    dated=True,
    player=players.in_query("player_id", "Only this player's"),
    team=teams.in_query("team_id", "Only this team's"),
)


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/apart")
    async def apart(page: PageDep, dates: DateRangeDep, player: PlayerInQuery, team: TeamInQuery) -> dict:
        return {"page": page.model_dump(), "dates": dates.model_dump(mode="json"), "ids": _ids(player, team)}

    @app.get("/together")
    async def together(query: WholeQuery) -> dict:
        page, dates = query.page.model_dump(), query.dates.model_dump(mode="json")
        return {"page": page, "dates": dates, "ids": _ids(query.player, query.team)}

    return app


def _ids(*named) -> list:
    return [(filter_.field, str(filter_.object_id) if filter_.object_id else None) for filter_ in named]


@pytest.mark.parametrize(
    "query",
    [
        "",
        f"limit=5&offset=10&from=2026-01-01&to=2026-01-31&player_id={uuid.UUID(int=1)}&team_id={uuid.UUID(int=2)}",
        "limit=0",
        "limit=501&offset=-1",
        "from=2026-02-01&to=2026-01-01",
        "from=yesterday",
        "player_id=not-an-id&team_id=42",
    ],
)
def test_one_dependency_for_the_whole_query_answers_as_the_dependencies_it_replaces(query):
    client = TestClient(_app())
    apart, together = client.get(f"/apart?{query}"), client.get(f"/together?{query}")
    assert (together.status_code, together.json()) == (apart.status_code, apart.json())


def test_one_dependency_for_the_whole_query_is_documented_as_the_dependencies_it_replaces():
    paths = _app().openapi()["paths"]
    assert paths["/together"]["get"]["parameters"] == paths["/apart"]["get"]["parameters"]
    assert paths["/together"]["get"]["responses"]["422"] == paths["/apart"]["get"]["responses"]["422"]


def test_a_parameter_refused_is_reported_before_dates_in_the_wrong_order():
    """The one place where the answer differs: dependencies apart checked the dates' order even when the page's
    parameters were refused, so that was the error reported; the whole query is checked once its parameters are
    valid, and reports the refused parameter. Either is a 422 naming one of the mistakes."""
    response = TestClient(_app()).get("/together?limit=0&from=2026-02-01&to=2026-01-01")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "limit"
