"""FastAPI's dependency solving without working out again, on every request, what only depends on the route.

For each dependency of a request (a list read has nine) FastAPI recomputes its cache key (walking the dependency's
sub-dependencies for security scopes), and for each query, header or cookie parameter whether its annotation is a
sequence, which model it is read into and under which aliases. All of it depends only on the dependency or the
parameter, objects built once with the route: :func:`remember_route_facts` remembers the answers by object identity,
so a request pays a dictionary lookup for each. What FastAPI answers is unchanged (tests/operational/kit/
test_dependency_memo.py compares both for every route of the gateway).

A dependency override makes FastAPI build new dependency objects on every request: those are remembered too, up to
``MAX_REMEMBERED`` objects, then everything is forgotten and remembered again (the answers stay right either way).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.dependencies import utils as _utils

MAX_REMEMBERED = 4096
_MEMO_ATTRIBUTE = "__hub_remembers__"

# name in fastapi.dependencies.utils → the object (and the flag) its answer depends on, from the call's arguments
_KEYED: dict[str, Callable[..., tuple[Any, bool]]] = {
    "_get_cache_key": lambda *, dependant, uses_scopes_cache=None: (dependant, False),
    "field_annotation_is_sequence": lambda annotation: (annotation, False),
    "_get_param_model": lambda field: (field, False),
    "_get_param_aliases": lambda field, *, convert_underscores=False: (field, convert_underscores),
}


def _remembering(original: Callable[..., Any], key_of: Callable[..., tuple[Any, bool]]) -> Callable[..., Any]:
    # keyed by id() with the object kept next to its answer: the objects need not be hashable, and an id reused by a
    # new object after the old one was freed cannot hit (the old one is still held here, so its id is not reused)
    answers: dict[Any, tuple[Any, Any]] = {}

    def remembered(*args, **kwargs):
        subject, flag = key_of(*args, **kwargs)
        key = (id(subject), flag)
        found = answers.get(key)
        if found is not None and found[0] is subject:
            answer = found[1]
        else:
            if len(answers) >= MAX_REMEMBERED:
                answers.clear()
            answer = original(*args, **kwargs)
            answers[key] = (subject, answer)
        # a list of aliases is the caller's to change: each gets its own copy
        return list(answer) if type(answer) is list else answer

    remembered.__wrapped__ = original
    setattr(remembered, _MEMO_ATTRIBUTE, True)
    return remembered


def remember_route_facts() -> None:
    """Install the remembering versions in FastAPI's dependency solving (once per process; idempotent). Raises
    AttributeError if this FastAPI has no such function any more: upgrade this module with FastAPI."""
    for name, key_of in _KEYED.items():
        current = getattr(_utils, name)
        if not getattr(current, _MEMO_ATTRIBUTE, False):
            setattr(_utils, name, _remembering(current, key_of))


def forget_route_facts() -> None:
    """FastAPI's own functions back (for tests that compare both)."""
    for name in _KEYED:
        current = getattr(_utils, name)
        if getattr(current, _MEMO_ATTRIBUTE, False):
            setattr(_utils, name, current.__wrapped__)
