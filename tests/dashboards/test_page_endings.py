"""Pages end early through ``display.end_page()``, never ``st.stop()``.

A ``st.stop()`` inside ``with st.spinner(...)`` makes Streamlit drop the spinner's clearing message, so on a slow load
(the spinner appears after 0.5 s) the page keeps spinning forever over its empty state. The check is over every module
of the dashboards, so the next page cannot bring the fault back.
"""

from __future__ import annotations

import ast
from pathlib import Path

import dashboards

DASHBOARDS = Path(dashboards.__file__).parent


def stop_calls(source: str) -> list[int]:
    """Line numbers of ``st.stop(...)`` / ``streamlit.stop(...)`` calls in ``source``."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "stop"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in {"st", "streamlit"}
    ]


def test_the_check_finds_a_stop_inside_a_spinner():
    assert stop_calls("import streamlit as st\nwith st.spinner('x'):\n    st.stop()\n") == [3]


def test_no_page_or_helper_calls_st_stop():
    offenders = {
        str(path.relative_to(DASHBOARDS)): lines
        for path in sorted(DASHBOARDS.rglob("*.py"))
        if (lines := stop_calls(path.read_text()))
    }
    assert offenders == {}, "use dashboards.display.end_page() instead of st.stop()"
