"""docs/api.md lists every endpoint of both APIs, and is never out of date."""

from __future__ import annotations

from hub import reference


def test_the_committed_api_reference_is_current():
    assert reference.is_current(), "run `hub reference` and commit docs/api.md"


def test_every_endpoint_is_listed_with_what_it_does():
    text = reference.render()
    assert "| POST | `/api/v1/training/rpe-logs` |" in text
    assert "| GET | `/api/v1/stats/teams/{team_id}/load-board` |" in text


def test_every_endpoint_says_what_it_does():
    undocumented = [
        f"{method.upper()} {path}"
        for _, document in reference._documents()
        for path, item in document["paths"].items()
        for method in reference.METHODS
        if method in item and not item[method].get("description") and path not in ("/healthz", "/readyz")
    ]
    assert not undocumented, f"give these endpoints a docstring: {undocumented}"
