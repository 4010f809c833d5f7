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
from collections.abc import Callable
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
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if type(document) is not dict:
        return None
    event_type, version = document.get("type"), document.get("version")
    # exactly an int: 1.0 and true would find the version-1 check, but pydantic's Literal[1] refuses them
    if type(event_type) is not str or type(version) is not int:
        return None
    check = _check(event_type, version)
    if check is None:
        return None
    validator, rule = check
    if not validator.is_valid(document):
        return None
    return document if rule is None or rule(document["data"]) else None


@functools.cache
def _check(event_type: str, version: int) -> tuple[Any, DataRule | None] | None:
    registered = REGISTRY.get(event_type)
    if registered is None or registered.version != version:
        return None
    rule = _data_rule(registered.model)
    if rule is False:
        return None
    schema = registered.model.model_json_schema(mode="validation")
    return jsonschema_rs.validator_for(schema, validate_formats=True), rule or None


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
