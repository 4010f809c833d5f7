"""Contract checks compiled once per event type, for a consumer that keeps an event as it travelled (the warehouse's
raw layer) and so needs no model of it.

:func:`contracts.registry.parse_event` builds a pydantic model of every message. :func:`checked_document` instead
decodes the body once (orjson) and checks the document against its type's JSON Schema (the one contracts/schemas/
publishes), compiled by jsonschema-rs the first time the type is seen, plus the rules a JSON Schema cannot state
(model validators), each written once as a function of the contract module that the model's validator calls too.

A check is never looser than the contract: a document it accepts is one ``parse_event`` accepts
(tests/contracts/test_checks.py breaks every example in many ways). It may be stricter (pydantic's lax coercions, such
as ``"5"`` for an integer), and it declines types with validators it does not cover: a document it declines goes
through ``parse_event``, which accepts it or says why not, so the reason a message is dead-lettered is the same.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any

import jsonschema_rs
import orjson
from pydantic import BaseModel

from contracts import training
from contracts.registry import REGISTRY

DataRule = Callable[[dict[str, Any]], bool]


def _wellness_answers_fit(data: dict[str, Any]) -> bool:
    return training.instrument_problem(data["instrument"], data["items"], data["total_score"]) is None


# payload model → the same rule as its model validator, over the (schema-checked) ``data`` object
_DATA_RULES: dict[type[BaseModel], DataRule] = {training.WellnessSubmitted: _wellness_answers_fit}


def checked_document(body: bytes | str) -> dict[str, Any] | None:
    """The event as a JSON object when it honours its registered contract; None when it must go through
    ``parse_event`` instead (not JSON, not an object, an unknown type or version, a broken contract, or a type whose
    validators no rule here covers)."""
    document = _event_document(body)
    if document is None:
        return None
    check = _check(document["type"], document["version"])
    if check is None:
        return None
    validator, _, rule = check
    if not validator.is_valid(document):
        return None
    return document if rule is None or rule(document["data"]) else None


def checked_documents(bodies: Sequence[bytes | str]) -> list[dict[str, Any] | None]:
    """:func:`checked_document` of each body, in order. The documents of one type are checked in one call: the list
    of them against an array of the type's schema, which costs less than a call each (jsonschema-rs); only when that
    call finds one not valid are they checked one at a time."""
    documents: list[dict[str, Any] | None] = [None] * len(bodies)
    of_type: dict[tuple[str, int], list[int]] = {}
    for position, body in enumerate(bodies):
        document = documents[position] = _event_document(body)
        if document is not None:
            of_type.setdefault((document["type"], document["version"]), []).append(position)
    for (event_type, version), positions in of_type.items():
        check = _check(event_type, version)
        if check is None:
            for position in positions:
                documents[position] = None
            continue
        validator, all_valid, rule = check
        if not all_valid.is_valid([documents[position] for position in positions]):
            for position in positions:
                if not validator.is_valid(documents[position]):
                    documents[position] = None
        if rule is not None:
            for position in positions:
                document = documents[position]
                if document is not None and not rule(document["data"]):
                    documents[position] = None
    return documents


def _event_document(body: bytes | str) -> dict[str, Any] | None:
    """The body decoded when it is a JSON object with a text ``type`` and an integer ``version``."""
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if type(document) is not dict:
        return None
    # exactly an int: 1.0 and true would find the version-1 check, but pydantic's Literal[1] refuses them
    if type(document.get("type")) is not str or type(document.get("version")) is not int:
        return None
    return document


@functools.cache
def _check(event_type: str, version: int) -> tuple[Any, Any, DataRule | None] | None:
    """The type's validator, a validator of an array of such documents, and its data rule."""
    registered = REGISTRY.get(event_type)
    if registered is None or registered.version != version:
        return None
    rule = _data_rule(registered.model)
    if rule is False:
        return None
    schema = registered.model.model_json_schema(mode="validation")
    # the definitions stay at the root, where the schema's "#/$defs/…" references point
    item = {key: value for key, value in schema.items() if key != "$defs"}
    array = {"type": "array", "items": item, **({"$defs": schema["$defs"]} if "$defs" in schema else {})}
    return (
        jsonschema_rs.validator_for(schema, validate_formats=True),
        jsonschema_rs.validator_for(array, validate_formats=True),
        rule or None,
    )


def _data_rule(envelope: type[BaseModel]) -> DataRule | None | bool:
    """The rule covering the validators of the event's models; None when they have none, False when one is not
    covered (the type is then always parsed by pydantic)."""
    data_model = envelope.model_fields["data"].annotation
    rule: DataRule | None = None
    for model in _models_within(envelope):
        if not _has_validators(model):
            continue
        covering = [known for known in _DATA_RULES if model is data_model and issubclass(model, known)]
        if not covering:
            return False
        rule = _DATA_RULES[covering[0]]
    return rule


def _models_within(model: type[BaseModel]) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in found:
                found.append(annotation)
                for field in annotation.model_fields.values():
                    visit(field.annotation)
            return
        if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
            for argument in typing.get_args(annotation):
                visit(argument)

    visit(model)
    return found


def _has_validators(model: type[BaseModel]) -> bool:
    decorators = model.__pydantic_decorators__
    if decorators.validators or decorators.field_validators or decorators.root_validators:
        return True
    if decorators.model_validators:
        return True
    # Annotated[..., AfterValidator(...)] and the like live in the fields' metadata
    return any(
        type(item).__name__.endswith("Validator") for field in model.model_fields.values() for item in field.metadata
    )
