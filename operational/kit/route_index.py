"""Routes indexed by the first three segments of their path, so a request is matched only against the routes that can
match it.

FastAPI's router tries its routes in order until one matches the whole request. In the gateway a request for
``/api/v1/training/...`` first went through every route of the services registered before training (each included
router walks its own routes), a sixth of a list request's CPU. A route whose path starts with three literal segments
(``/api/v1/training/rpe-logs/{log_id}``) can only match a request whose path starts with the same three, so the
index keeps, for each such prefix, the app's routes in their order without those that cannot match (an included
router stays in every prefix one of its routes has; a route without three literal segments, such as ``/docs`` or
``/healthz``, stays in all).

Only a full match is taken from the index: the first route of the shortened list that matches path and method is the
first the router would find in the whole list, since the routes left out match neither. Anything else (a method the
path does not allow, an unknown path, a trailing-slash redirect, a WebSocket) goes to the router itself, which tries
every route as before: 404 and 405 responses and redirects are the router's own.

The index is built at the first request and again whenever the app's own list of routes changes. A route added later
to a router the app had already included is still found (its router's bucket, or the router itself if its prefix is
new), but it is not put ahead of a route of another prefix that the index already holds: no router of this project
adds routes outside its own prefix, least of all while serving.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute, _apply_router_form_limits, _IncludedRouter, _route_selected, _update_scope
from starlette import routing
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

Key = tuple[str, str, str]


def path_key(path: str) -> Key | None:
    """The first three segments of a route's path if they are literal (no parameter in them), else None."""
    literal, parameter, _ = path.partition("{")
    segments = literal.split("/")
    if not literal.startswith("/"):
        return None
    # with a parameter, the last segment of ``literal`` is cut by it: only the segments before it are whole
    whole = segments[1:-1] if parameter else segments[1:]
    if len(whole) < 3 or not all(whole[:3]):
        return None
    return whole[0], whole[1], whole[2]


def request_key(route_path: str) -> Key | None:
    """The first three segments of a request's path (None with fewer, or with an empty one among them)."""
    segments = route_path.split("/", 4)
    if len(segments) < 4 or segments[0] or not (segments[1] and segments[2] and segments[3]):
        return None
    return segments[1], segments[2], segments[3]


def _route_keys(route, prefix: str = "") -> set[Key | None]:
    """The keys of the paths ``route`` can match under ``prefix``; None among them if one of them has no key.

    An included router's paths are its include prefixes (outer to inner, as FastAPI's ``path_for`` joins them)
    followed by each route's own path. They are read from the routers themselves, not from FastAPI's effective route
    contexts: building those copies every route with its dependencies, about 0.6 s for the gateway, which a first
    request would pay in full instead of only for the routers it goes through."""
    if isinstance(route, _IncludedRouter):
        inner = prefix + route.include_context.prefix
        keys: set[Key | None] = set()
        for child in route.original_router.routes:
            if isinstance(child, _IncludedRouter | APIRoute | routing.WebSocketRoute):
                keys |= _route_keys(child, inner)
            else:
                keys.add(None)  # a mount, a frontend group, a plain route: tried for every request
        return keys
    if isinstance(route, APIRoute) or (not prefix and isinstance(route, routing.Route)):
        return {path_key(prefix + route.path)}
    if isinstance(route, routing.WebSocketRoute):
        return set()  # matches WebSocket requests only, which the index leaves to the router
    return {None}


class RouteIndex:
    """The router of ``app`` behind the index (see the module's docstring)."""

    def __init__(self, app: FastAPI):
        self.router = app.router
        self.fallback: ASGIApp = self.router.middleware_stack
        # a router with middleware of its own (or a body limit) keeps its stack whole
        self.enabled = self.fallback == self.router.app
        self._version: tuple[int, int] | None = None
        self._by_key: dict[Key, list] = {}
        self._unkeyed: list = []

    def _build(self) -> None:
        keyed: list[tuple[object, set[Key | None]]] = [(route, _route_keys(route)) for route in self.router.routes]
        all_keys = {key for _, keys in keyed for key in keys if key is not None}
        self._unkeyed = [route for route, keys in keyed if None in keys]
        self._by_key = {key: [route for route, keys in keyed if key in keys or None in keys] for key in all_keys}

    def candidates(self, scope: Scope) -> list:
        # the app's own routes and inclusions; not those of the routers it included (FastAPI's
        # _get_routes_version walks every one of them, which cost as much as the matching saved)
        version = (self.router._routes_version, len(self.router.routes))
        if version != self._version:  # routes were added (or first request): index them again
            self._build()
            self._version = version
        key = request_key(get_route_path(scope))
        return self._by_key.get(key, self._unkeyed) if key is not None else self._unkeyed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.enabled:
            await self.fallback(scope, receive, send)
            return
        # what FastAPI's router does before and with the first full match (fastapi.routing.APIRouter.app); the
        # router does both again when it gets the request after all, to the same effect
        _apply_router_form_limits(scope, self.router.form_limits)
        if "router" not in scope:
            scope["router"] = self.router
        for route in self.candidates(scope):
            match, child_scope = route.matches(scope)
            if match == Match.FULL:
                _update_scope(scope, child_scope)
                _route_selected(
                    scope=scope, path=getattr(route, "path_format", None), mount=isinstance(route, routing.Mount)
                )
                await route.handle(scope, receive, send)
                return
        await self.fallback(scope, receive, send)


def index_routes(app: FastAPI) -> None:
    """Put :class:`RouteIndex` in front of ``app``'s router (once every router is included; later routes are indexed
    at the next request)."""
    app.router.middleware_stack = RouteIndex(app)
