"""JSON Schemas of every registered event, written to contracts/schemas/ and checked for drift by the tests."""

from __future__ import annotations

import json
from pathlib import Path

from contracts.registry import EVENT_TYPES

SCHEMAS_DIR = Path(__file__).parent / "schemas"
EXAMPLES_DIR = Path(__file__).parent / "examples"


def rendered_schemas() -> dict[str, str]:
    """File name → JSON text, for every event type plus an index of the registry."""
    files: dict[str, str] = {}
    index = []
    for event_type in EVENT_TYPES:
        name = f"{event_type.name}.v{event_type.version}.json"
        schema = event_type.model.model_json_schema(mode="validation")
        schema["$id"] = f"https://hockey-hub.invalid/contracts/{name}"
        schema["title"] = event_type.name
        schema["description"] = event_type.description
        files[name] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
        index.append(
            {
                "type": event_type.name,
                "version": event_type.version,
                "subject": event_type.subject,
                "schema": name,
                "producers": list(event_type.producers),
                "consumers": list(event_type.consumers),
                "description": event_type.description,
            }
        )
    files["registry.json"] = json.dumps(index, indent=2) + "\n"
    return files


def stale_files(directory: Path = SCHEMAS_DIR) -> list[str]:
    """Names of schema files that are missing, different or no longer registered."""
    expected = rendered_schemas()
    stale = [name for name, text in expected.items() if _read(directory / name) != text]
    existing = {p.name for p in directory.glob("*.json")} if directory.exists() else set()
    return sorted(stale + sorted(existing - set(expected)))


def write_schemas(directory: Path = SCHEMAS_DIR) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    expected = rendered_schemas()
    for old in directory.glob("*.json"):
        if old.name not in expected:
            old.unlink()
    for name, text in expected.items():
        (directory / name).write_text(text)
    return sorted(expected)


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except FileNotFoundError:
        return None
