"""Golden examples: every registered event has one, and every example is valid — for pydantic and for the JSON Schema
that consumers in other languages would use."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import ValidationError

from contracts.export import EXAMPLES_DIR, SCHEMAS_DIR, stale_files
from contracts.registry import REGISTRY, parse_event

EXAMPLES = sorted(EXAMPLES_DIR.glob("*/*.json"))


def test_every_registered_event_has_a_golden_example():
    with_examples = {path.parent.name for path in EXAMPLES}
    assert set(REGISTRY) <= with_examples, f"no example for {sorted(set(REGISTRY) - with_examples)}"


def test_every_example_folder_names_a_registered_event():
    assert {path.parent.name for path in EXAMPLES} <= set(REGISTRY)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_is_valid_for_its_contract(path):
    raw = path.read_text()
    event = parse_event(raw)
    assert event.type == path.parent.name
    event_type = REGISTRY[event.type]
    schema = json.loads((SCHEMAS_DIR / f"{event_type.name}.v{event_type.version}.json").read_text())
    jsonschema.validate(json.loads(raw), schema)
    # round trip: what a producer serializes is what a consumer parses
    assert parse_event(event.model_dump_json()) == event


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda e: e.update(type="training.unknown.thing"), "training.unknown.thing"),
        (lambda e: e["data"].update(rpe=11), "rpe"),
        (lambda e: e["data"].update(surprise=True), "surprise"),
        (lambda e: e.pop("event_id"), "event_id"),
        (lambda e: e.update(occurred_at="2026-11-20T18:42:07"), "occurred_at"),  # naive time: ambiguous
    ],
)
def test_contract_rejects_broken_events(mutate, expected):
    event = json.loads((EXAMPLES_DIR / "training.session_rpe.logged" / "v1-hard-practice.json").read_text())
    mutate(event)
    with pytest.raises(ValidationError) as excinfo:
        parse_event(json.dumps(event))
    assert expected in str(excinfo.value)


def test_committed_json_schemas_are_current():
    stale = stale_files()
    assert not stale, f"run `hub contracts export`; out of date: {stale}"
