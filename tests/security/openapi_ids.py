"""Where an OpenAPI document lets a client name an object by id: path and query parameters and body fields (nested
in objects and arrays) whose schema is a UUID. A slot is written ``path:series_id``, ``query:team_id``,
``body:player_ids[]`` or ``body:records[].player_id``."""

from __future__ import annotations

import copy
from typing import Any

METHODS = ("get", "put", "post", "patch", "delete")


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_uuid(document: dict, schema: dict) -> bool:
    schema = _resolve(document, schema)
    alternatives = schema.get("anyOf", []) + schema.get("oneOf", [])
    return schema.get("format") == "uuid" or any(_is_uuid(document, alt) for alt in alternatives)


def _body_slots(document: dict, schema: dict, prefix: str = "") -> list[str]:
    schema = _resolve(document, schema)
    slots: list[str] = []
    for alternative in schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", []):
        slots += _body_slots(document, alternative, prefix)
    if schema.get("format") == "uuid" and prefix:
        slots.append(prefix)
    if schema.get("type") == "array":
        slots += _body_slots(document, schema.get("items", {}), f"{prefix}[]")
    for name, prop in schema.get("properties", {}).items():
        slots += _body_slots(document, prop, f"{prefix}.{name}" if prefix else name)
    return list(dict.fromkeys(slots))


def id_slots(document: dict) -> dict[tuple[str, str], list[str]]:
    """(METHOD, path) → the id slots of every operation that has any."""
    found: dict[tuple[str, str], list[str]] = {}
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            slots = [
                f"{parameter['in']}:{parameter['name']}"
                for parameter in operation.get("parameters", [])
                if parameter["in"] in ("path", "query") and _is_uuid(document, parameter.get("schema", {}))
            ]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                slots += [f"body:{slot}" for slot in _body_slots(document, body)]
            if slots:
                found[(method.upper(), path)] = slots
    return found


def leaf(slot: str) -> str:
    """The name the slot's id goes by: ``body:records[].player_id`` → ``player_id``; ``body:player_ids[]`` →
    ``player_ids``."""
    return slot.split(":", 1)[1].rsplit(".", 1)[-1].removesuffix("[]")


def substitute(request: dict[str, Any], slot: str, value: str) -> dict[str, Any]:
    """A copy of ``request`` (``path``, ``query``, ``body``) with ``value`` in ``slot`` (the first element of any
    array on the way, which the request must already have)."""
    request = copy.deepcopy(request)
    where, name = slot.split(":", 1)
    if where in ("path", "query"):
        request.setdefault(where, {})[name] = value
        return request
    node = request.setdefault("body", {})
    parts = name.split(".")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        key, is_array = part.removesuffix("[]"), part.endswith("[]")
        if last and is_array:
            node[key] = [value, *node.get(key, [])[1:]]
        elif last:
            node[key] = value
        elif is_array:
            node = node[key][0]
        else:
            node = node.setdefault(key, {})
    return request
