"""The route index (operational/kit/route_index.py) picks, for every path and method of the gateway, the route the
router picks, and leaves everything else to the router."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, _IncludedRouter
from fastapi.testclient import TestClient
from starlette.routing import Match

from operational.gateway import create_app
from operational.kit.route_index import RouteIndex, _route_keys, path_key, request_key


def test_a_key_is_three_whole_literal_segments():
    assert path_key("/api/v1/training/rpe-logs/{log_id}") == ("api", "v1", "training")
    assert path_key("/api/v1/training") == ("api", "v1", "training")
    assert path_key("/api/v1/training/{x}") == ("api", "v1", "training")
    assert path_key("/api/v1/train{x}") is None  # the third segment is cut by a parameter
    assert path_key("/api/{version}/training") is None
    assert path_key("/healthz") is None
    assert path_key("/docs/oauth2-redirect") is None
    assert request_key("/api/v1/training/rpe-logs") == ("api", "v1", "training")
    assert request_key("/api/v1/training") == ("api", "v1", "training")
    assert request_key("/api/v1/") is None
    assert request_key("/api//training/x") is None
    assert request_key("/healthz") is None


def _scope(path: str, method: str) -> dict:
    return {"type": "http", "path": path, "root_path": "", "method": method, "headers": [], "query_string": b""}


def _first_full(routes, scope):
    for route in routes:
        match, _ = route.matches(dict(scope))
        if match == Match.FULL:
            return route
    return None


def _concrete(path_format: str) -> str:
    return re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path_format)


def _api_routes(routes):
    """Every API route (as included: its full path and methods), in the router's order."""
    for route in routes:
        if isinstance(route, _IncludedRouter):
            yield from (c for c in route.effective_route_contexts() if isinstance(c.original_route, APIRoute))
        elif isinstance(route, APIRoute):
            yield route


@pytest.fixture(scope="module")
def gateway() -> FastAPI:
    return create_app()


def test_every_route_of_the_gateway_is_found_through_the_index_as_the_router_finds_it(gateway):
    index = gateway.router.middleware_stack
    assert isinstance(index, RouteIndex) and index.enabled
    routes = gateway.router.routes
    checked = 0
    for route in _api_routes(routes):
        for method in sorted(route.methods):
            scope = _scope(_concrete(route.path_format), method)
            chosen = _first_full(index.candidates(scope), scope)
            assert chosen is not None and chosen is _first_full(routes, scope), (method, route.path_format)
            checked += 1
        wrong = _scope(_concrete(route.path_format), "TRACE")  # no route takes it: left to the router (405)
        assert _first_full(index.candidates(wrong), wrong) is None
    assert checked > 100
    # a training request is matched against training's routes and those without a service prefix only
    candidates = index.candidates(_scope("/api/v1/training/rpe-logs", "GET"))
    assert all(_route_keys(route) <= {None, ("api", "v1", "training")} for route in candidates)
    assert len(candidates) < len(routes) / 3


def test_unknown_paths_wrong_methods_and_redirects_answer_as_the_router_does(gateway):
    plain = create_app()
    plain.router.middleware_stack = plain.router.app  # the router alone, without the index
    indexed, unindexed = TestClient(gateway), TestClient(plain)  # no lifespan: nothing here needs the database
    if True:
        for method, path in [
            ("GET", "/api/v1/training/nothing-here"),
            ("GET", "/api/v1/nothing/at-all"),
            ("DELETE", "/api/v1/training/rpe-logs"),
            ("PUT", "/healthz"),
            ("GET", "/api/v1/training/rpe-logs/"),
            ("GET", "/nowhere"),
        ]:
            a = indexed.request(method, path, follow_redirects=False)
            b = unindexed.request(method, path, follow_redirects=False)
            assert (a.status_code, a.content) == (b.status_code, b.content), (method, path)
            assert a.headers.get("allow") == b.headers.get("allow")
            assert a.headers.get("location") == b.headers.get("location")


def test_routes_added_after_the_first_request_are_found(gateway):
    app = create_app()
    client = TestClient(app)
    if True:
        assert client.get("/api/v1/training/added-later").status_code == 404

        @app.get("/api/v1/training/added-later")
        async def added() -> dict:
            return {"ok": True}

        assert client.get("/api/v1/training/added-later").json() == {"ok": True}
