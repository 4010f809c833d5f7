"""What every OpenAPI document of the system says beyond what FastAPI derives from the endpoints.

- Every operation declares the error answers any endpoint can give, in the one error shape: 401 (no valid token),
  403 (not allowed), 404 (no such object, or another club's), 409 (a state conflict), 422 (a value the rules refuse)
  and 429 (too many attempts). Clients and contract tests can rely on them.
- Every POST of an API that writes takes the optional ``Idempotency-Key`` header.
"""

from __future__ import annotations

from fastapi import FastAPI

from operational.kit.idempotency import HEADER as IDEMPOTENCY_HEADER

ERROR_SCHEMA = {
    "title": "ErrorBody",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "Machine-readable reason, e.g. not_found"},
                "message": {"type": "string", "description": "What was wrong and how to fix it, for people"},
                "field": {"type": ["string", "null"], "description": "The field at fault, if one"},
                "details": {"type": "array", "items": {"type": "object"}},
            },
        }
    },
}
ERROR_ANSWERS = {
    "401": "No valid access token (sign in, or refresh the token).",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such object (or it belongs to another club).",
    "409": "The request conflicts with the object's current state.",
    "422": "A value the rules refuse; `error.field` names it.",
    "429": "Too many attempts; see Retry-After.",
}
_IDEMPOTENCY_PARAMETER = {
    "name": IDEMPOTENCY_HEADER,
    "in": "header",
    "required": False,
    "description": "Your unique value for this request: a retry with the same key is answered with the first "
    "response, never applied twice (kept 24 h).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x20-\\x7e]+$"},
}
_METHODS = ("get", "put", "post", "delete", "patch")


def complete_openapi(app: FastAPI, *, idempotency: bool) -> None:
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorBody"] = ERROR_SCHEMA
        reference = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        for path_item in schema.get("paths", {}).values():
            for method in _METHODS:
                if (operation := path_item.get(method)) is None:
                    continue
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_ANSWERS.items():
                    if status == "422" and status in responses:
                        responses[status] = {"description": description, "content": reference}
                    responses.setdefault(status, {"description": description, "content": reference})
                if idempotency and method == "post":
                    operation.setdefault("parameters", []).append(dict(_IDEMPOTENCY_PARAMETER))
        return schema

    app.openapi = openapi
