"""Requests are read strictly, the same way on every endpoint (the NUL checks run in the request layer,
operational/kit/request_layer.py).

- A query parameter the endpoint does not declare is refused (422), as an unknown body field already is: a typo such
  as ``?dry_run=true`` or ``?team=…`` must not silently do the unfiltered, real thing.
- NUL characters in a query string or a JSON body are refused (422): Postgres cannot store them in text, and no name,
  note or search term needs one.
"""

from __future__ import annotations

import json

from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from starlette.requests import HTTPConnection
from starlette.types import Send

from operational.kit.errors import error_body


def _query_names(dependant: Dependant) -> frozenset[str]:
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return frozenset(names)


def _declared_query_names(route) -> frozenset[str]:
    names = getattr(route, "_hub_query_names", None)
    if names is None:  # worked out once per route
        names = _query_names(route.dependant)
        route._hub_query_names = names
    return names


async def reject_unknown_query_parameters(connection: HTTPConnection) -> None:
    """App-wide dependency: every query parameter must be one the endpoint declares."""
    route = connection.scope.get("route")
    if getattr(route, "dependant", None) is None:
        return
    declared = _declared_query_names(route)
    unknown = sorted({name for name in connection.query_params if name not in declared})
    if unknown:
        allowed = ", ".join(sorted(declared)) or "none"
        raise RequestValidationError(
            [
                {
                    "type": "extra_forbidden",
                    "loc": ("query", name),
                    "msg": f"Unknown query parameter '{name}'; this endpoint takes: {allowed}.",
                    "input": connection.query_params.get(name),
                }
                for name in unknown
            ]
        )


def nul_in_query(query: bytes) -> bool:
    """True if a raw query string carries a NUL character, encoded or not."""
    return b"%00" in query or b"\x00" in query


def nul_in_json(body: bytes) -> bool:
    """True if a JSON body carries a NUL character, escaped (``\\u0000``) or raw."""
    return b"\\u0000" in body or b"\x00" in body


async def refuse_nul(send: Send, where: str) -> None:
    body = json.dumps(
        error_body("invalid_value", f"The {where} contains a NUL character (\\u0000); remove it.", None)
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
