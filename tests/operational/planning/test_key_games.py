"""Games come from the calendar's events (planning keeps its own copy); staff rank them A/B/C and the weeks before an
A game show as taper weeks."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories import make_club
from tests.messaging import apply_events
from tests.operational.planning.helpers import (
    BASE,
    game_cancelled,
    game_scheduled,
    monday,
    outbox_types,
    plan_body,
    week_body,
)


def _ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def test_an_a_game_makes_its_week_and_the_week_before_taper_weeks(client, settings):
    club, other = make_club(settings), make_club(settings)
    coach = club["coach"].headers
    plan = _ok(client.post(f"{BASE}/plans", json=plan_body(club.team_id), headers=coach), 201)
    url = f"{BASE}/plans/{plan['id']}"
    for week in range(5):
        _ok(client.put(f"{url}/weeks/{monday(week)}", json=week_body(), headers=coach))
    final = game_scheduled(
        club.org_id, club.team_id, datetime(2026, 8, 22, 16, tzinfo=UTC), title="Cup final"
    )  # week 2
    friendly = game_scheduled(club.org_id, club.team_id, datetime(2026, 8, 5, 16, tzinfo=UTC), title="Friendly")
    practice = game_scheduled(club.org_id, club.team_id, datetime(2026, 8, 6, 16, tzinfo=UTC), kind="practice")
    theirs = game_scheduled(club.org_id, club.other_team_id, datetime(2026, 8, 12, 16, tzinfo=UTC), title="U18 game")
    elsewhere = game_scheduled(other.org_id, None, datetime(2026, 8, 12, 16, tzinfo=UTC), title="Other club")
    apply_events(settings, "planning", [final, friendly, practice, theirs, elsewhere])

    games = _ok(client.get(f"{url}/key-games", headers=club["player"].headers))["items"]
    assert [(g["title"], g["priority"]) for g in games] == [("Friendly", None), ("Cup final", None)]
    series = str(final.data.series_id)
    ranked = _ok(client.put(f"{url}/key-games/{series}", json={"priority": "A"}, headers=coach))
    assert ranked["priority"] == "A" and outbox_types(settings, series) == ["planning.key_game.prioritised"]
    weeks = _ok(client.get(f"{url}/weeks", headers=coach))["items"]
    assert [w["taper"] for w in weeks] == [False, True, True, False, False]
    assert [g["title"] for g in weeks[2]["key_games"]] == ["Cup final"]

    refused = client.put(f"{url}/key-games/{theirs.data.series_id}", json={"priority": "B"}, headers=coach)
    assert refused.status_code == 422 and "another team" in refused.json()["error"]["message"]
    other_club = client.put(f"{url}/key-games/{elsewhere.data.series_id}", json={"priority": "B"}, headers=coach)
    assert other_club.status_code == 404
    by_player = client.put(f"{url}/key-games/{series}", json={"priority": "C"}, headers=club["player"].headers)
    assert by_player.status_code == 403

    apply_events(settings, "planning", [game_cancelled(club.org_id, club.team_id, final.data.series_id)])
    assert [g["title"] for g in _ok(client.get(f"{url}/key-games", headers=coach))["items"]] == ["Friendly"]
    assert not any(w["taper"] for w in _ok(client.get(f"{url}/weeks", headers=coach))["items"])
