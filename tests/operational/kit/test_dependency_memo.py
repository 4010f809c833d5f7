"""FastAPI's per-request route facts, remembered (operational/kit/dependency_memo.py), answer as FastAPI does for
every dependency and parameter of every route of the gateway, and a request still reads its parameters."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, Query
from fastapi.dependencies import utils
from fastapi.routing import APIRoute, _IncludedRouter
from fastapi.testclient import TestClient

from operational.gateway import create_app
from operational.kit import dependency_memo
from operational.kit.dependency_memo import forget_route_facts, remember_route_facts


def _dependants(dependant):
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def _gateway_dependants():
    app = create_app()
    for route in app.router.routes:
        contexts = route.effective_route_contexts() if isinstance(route, _IncludedRouter) else [route]
        for context in contexts:
            original = getattr(context, "original_route", context)
            if isinstance(original, APIRoute):
                yield from _dependants(original.dependant)


def _facts(dependants) -> list:
    facts = []
    for dependant in dependants:
        facts.append(utils._get_cache_key(dependant=dependant, uses_scopes_cache={}))
        for field in (*dependant.query_params, *dependant.header_params, *dependant.cookie_params):
            facts.append(utils.field_annotation_is_sequence(field.field_info.annotation))
            facts.append(utils._get_param_model(field))
            facts.append(utils._get_param_aliases(field))
            facts.append(utils._get_param_aliases(field, convert_underscores=True))
    return facts


def test_every_route_of_the_gateway_gets_fastapis_answers():
    remember_route_facts()
    dependants = list(_gateway_dependants())
    assert len(dependants) > 500
    remembered_first, remembered_again = _facts(dependants), _facts(dependants)
    forget_route_facts()
    try:
        assert _facts(dependants) == remembered_first == remembered_again
    finally:
        remember_route_facts()


def test_installing_twice_wraps_once_and_forgetting_restores_fastapi():
    remember_route_facts()
    remember_route_facts()
    wrapped = utils._get_cache_key
    assert not hasattr(wrapped.__wrapped__, "__wrapped__")
    forget_route_facts()
    try:
        assert utils._get_cache_key is wrapped.__wrapped__
    finally:
        remember_route_facts()


def test_a_caller_changing_its_aliases_does_not_change_the_next_answer():
    remember_route_facts()
    field = next(f for d in _gateway_dependants() for f in d.query_params)
    first = utils._get_param_aliases(field)
    first.append(("changed", "changed"))
    assert ("changed", "changed") not in utils._get_param_aliases(field)


def test_past_the_bound_answers_are_forgotten_and_still_right(monkeypatch):
    monkeypatch.setattr(dependency_memo, "MAX_REMEMBERED", 2)
    calls = []

    def original(annotation):
        calls.append(annotation)
        return annotation is list

    remembered = dependency_memo._remembering(original, lambda annotation: (annotation, False))
    assert [remembered(list), remembered(list), remembered(int), remembered(str), remembered(list)] == [
        True,
        True,
        False,
        False,
        True,
    ]
    assert calls == [list, int, str, list]  # the second list answered from memory; the third after the bound cleared


async def _numbers(limit: Annotated[int, Query(ge=1)] = 5, tags: Annotated[list[str] | None, Query()] = None) -> dict:
    return {"limit": limit, "tags": tags}


@pytest.mark.parametrize("override", [False, True])
def test_requests_read_their_parameters_with_and_without_an_override(override):
    """An override makes FastAPI build new dependency objects per request: answers stay right for those too."""
    remember_route_facts()
    app = FastAPI()

    @app.get("/n")
    async def numbers(values: Annotated[dict, Depends(_numbers)]) -> dict:
        return values

    if override:

        async def other(limit: Annotated[int, Query(ge=2)] = 7) -> dict:
            return {"limit": limit, "tags": ["override"]}

        app.dependency_overrides[_numbers] = other
    with TestClient(app) as client:
        for _ in range(3):
            got = client.get("/n", params=[("limit", "3"), ("tags", "a"), ("tags", "b")]).json()
            assert got == ({"limit": 3, "tags": ["override"]} if override else {"limit": 3, "tags": ["a", "b"]})
            assert client.get("/n", params={"limit": "1"}).status_code == (422 if override else 200)
            assert client.get("/n", params={"limit": "0"}).status_code == 422
