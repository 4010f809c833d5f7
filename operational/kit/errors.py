"""One error shape for every service: ``{"error": {"code", "message", "field"}}``.

A client reading a 4xx learns what was wrong and how to fix it, whichever service answered.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class HubError(Exception):
    """A request the rules refuse. The default is 422: the request was understood, its content is not acceptable;
    subclasses say otherwise (409 for a state conflict, 404, 403 …)."""

    status_code = 422
    code = "invalid_value"
    # The request fails, but what it wrote is kept (a failed sign-in counted, a stolen token family revoked).
    keep_changes = False

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        keep_changes: bool | None = None,
        details: list | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details
        self.headers = headers
        if keep_changes is not None:
            self.keep_changes = keep_changes


class InvalidValue(HubError):
    """A well-formed value the rules refuse (a date in the club's future …), reported like a validation error."""

    status_code = 422
    code = "invalid_value"


class NotFound(HubError):
    status_code = 404
    code = "not_found"


class Forbidden(HubError):
    status_code = 403
    code = "forbidden"


class Unauthorized(HubError):
    status_code = 401
    code = "unauthorized"

    def __init__(self, message: str = "A valid bearer token is required.", **kw):
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(message, **kw)


class Conflict(HubError):
    status_code = 409
    code = "conflict"


class Unavailable(HubError):
    status_code = 503
    code = "unavailable"


def error_body(code: str, message: str, field: str | None = None, details: list | None = None) -> dict:
    error: dict = {"code": code, "message": message, "field": field}
    if details:
        error["details"] = details
    return {"error": error}


def _field_of(loc: tuple) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or None


def _validation_details(exc: RequestValidationError) -> list[dict]:
    details = []
    for err in exc.errors():
        kind = err.get("type", "")
        field = _field_of(tuple(err.get("loc", ())))
        if kind == "json_invalid":
            problem = (err.get("ctx") or {}).get("error", "it could not be parsed")
            message = f"The request body is not valid JSON ({problem}); send a JSON object."
            code, field = "invalid_json", None
        elif kind == "extra_forbidden" and tuple(err.get("loc", ()))[:1] == ("query",):
            message, code = str(err.get("msg")), "unknown_parameter"
        elif kind == "extra_forbidden":
            message = f"Unknown field '{field}'; remove it (only documented fields are accepted)."
            code = "unknown_field"
        elif kind == "missing":
            message = f"Field '{field}' is required."
            code = "missing_field"
        else:
            # a validator's own sentence, without pydantic's "Value error, " in front of it
            text = str((err.get("ctx") or {}).get("error", "")) if kind == "value_error" else ""
            text = text or str(err.get("msg"))
            message = f"{field}: {text}" if field else text
            code = "invalid_value"
        details.append({"code": code, "message": message, "field": field})
    return details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HubError)
    async def _hub_error(_: Request, exc: HubError) -> JSONResponse:
        return JSONResponse(
            error_body(exc.code, exc.message, exc.field, exc.details), exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        first = details[0] if details else {"code": "invalid_value", "message": "Invalid request.", "field": None}
        return JSONResponse(error_body(first["code"], first["message"], first["field"], details), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}
        code = codes.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(error_body("internal_error", "Something went wrong on our side; it has been logged."), 500)
