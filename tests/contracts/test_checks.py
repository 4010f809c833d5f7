"""The compiled checks (contracts/checks.py) accept every golden example, make the same row of it as its model, and
never accept a document that ``parse_event`` refuses: each example is broken in many ways and every document the check
lets through must parse."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.checks import checked_document
from contracts.export import EXAMPLES_DIR
from contracts.registry import parse_event
from warehouse.raw import raw_event, raw_event_of_document

EXAMPLES = sorted(EXAMPLES_DIR.glob("*/*.json"))
# values that break one contract or another: wrong types, naive and malformed times, malformed ids, out of range
ODD_VALUES: list[Any] = [
    None, "", "x", "5", 5, 5.0, 5.5, -1, 0, 10**6, 10**30, True, [], {}, {"a": 1},
    "2026-01-31T10:00:00", "2026-01-31 10:00:00Z", "2026-02-30", "2026-01-31T25:00:00Z", "2026-01-31",
    "01a1933c-5c68-733a-819d-421bb61bc4b3", "01A1933C-5C68-733A-819D-421BB61BC4B3", "01a1933c5c68733a819d421bb61bc4b3",
    "not-a-uuid", "hooper", "mclean", "x" * 5000,
]  # fmt: skip


def _paths(value: Any, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _mutants(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for path in list(_paths(document))[1:]:
        *parent_path, last = path
        for replacement in [*ODD_VALUES, "<drop>"]:
            mutant = copy.deepcopy(document)
            parent = mutant
            for step in parent_path:
                parent = parent[step]
            if replacement == "<drop>":
                del parent[last]
            else:
                parent[last] = replacement
            yield mutant
        if isinstance(document_at(document, path), dict):  # an unknown field
            mutant = copy.deepcopy(document)
            document_at(mutant, path)["unexpected"] = 1
            yield mutant


def document_at(document: Any, path: tuple) -> Any:
    for step in path:
        document = document[step]
    return document


def _parses(body: bytes) -> bool:
    try:
        parse_event(body)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_checked_document_is_one_the_contract_accepts(path):
    document = json.loads(path.read_text())
    if path.parent.name != "planning.week.planned":  # its intensity mix has a validator no compiled rule covers
        assert checked_document(path.read_bytes()) == document
    looser = []
    for mutant in _mutants(document):
        body = json.dumps(mutant).encode()
        if checked_document(body) is not None and not _parses(body):
            looser.append(mutant)
    assert not looser, f"the check accepted {len(looser)} documents pydantic refuses, e.g. {looser[0]}"


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe not even text", b"[]", b"null", b'{"type": ["x"], "version": 1}', b'{"type": "x.y.z", "version": 1}'],
)
def test_what_is_not_an_event_is_left_to_pydantic(body):
    assert checked_document(body) is None


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_row_of_a_checked_document_is_the_row_of_its_model(path):
    body = parse_event(path.read_bytes()).model_dump_json().encode()  # as a producer writes it
    document = checked_document(body)
    if document is None:
        pytest.skip("a type the check leaves to pydantic")
    row = raw_event_of_document(document)
    assert row._replace(data=row.data.decode()) == raw_event(parse_event(body))
