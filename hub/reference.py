"""The API reference in docs/api.md: every endpoint of the club API and the stats API, from their OpenAPI documents.

`hub reference` writes it; a test fails when the committed file is out of date, so the list can never drift from
the code. Each line is the method, the path and the endpoint's summary (its docstring's first line).
"""

from __future__ import annotations

from pathlib import Path

REFERENCE_PATH = Path(__file__).resolve().parents[1] / "docs" / "api.md"
METHODS = ("get", "post", "put", "patch", "delete")
HEADER = """# API reference

Generated from the OpenAPI documents by `hub reference`; do not edit by hand. The interactive documentation of a
running system is at `/docs` on the club API (`:8700`) and on the stats API (`:8701`). Every endpoint answers errors
in one shape, `{"error": {"code", "message", "field"}}`; every POST takes an optional `Idempotency-Key` header.
"""


def _documents() -> list[tuple[str, dict]]:
    from operational.gateway import create_app as create_gateway
    from operational.stats.app import create_app as create_stats

    return [("Club API", create_gateway().openapi()), ("Stats API (read-only)", create_stats().openapi())]


def _summary(operation: dict) -> str:
    text = operation.get("description") or operation.get("summary") or ""
    first = text.strip().split("\n\n")[0].replace("\n", " ").strip()
    return first.replace("|", "\\|")


def render() -> str:
    lines = [HEADER]
    for title, document in _documents():
        lines += [f"## {title}", "", "| Method | Path | What it does |", "| --- | --- | --- |"]
        for path, item in document["paths"].items():
            for method in METHODS:
                if method in item:
                    lines.append(f"| {method.upper()} | `{path}` | {_summary(item[method])} |")
        lines.append("")
    return "\n".join(lines)


def is_current(path: Path = REFERENCE_PATH) -> bool:
    return path.exists() and path.read_text() == render()


def write(path: Path = REFERENCE_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render())
    return path
