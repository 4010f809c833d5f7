"""A coach builds a season plan: phases, mesocycles and weeks; copies a week, applies a mesocycle template and shifts
the plan when the schedule moves. Team members read it; nobody else changes it."""

from __future__ import annotations

from tests.factories import make_club
from tests.messaging import apply_events
from tests.operational.planning.helpers import BASE, monday, outbox_types, plan_body, roster, week_body


def _ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def _plan(client, club):
    return _ok(client.post(f"{BASE}/plans", json=plan_body(club.team_id), headers=club["coach"].headers), 201)


def test_a_coach_builds_a_plan_and_the_team_reads_it(client, settings):
    club = make_club(settings)
    plan = _plan(client, club)
    assert [p["kind"] for p in plan["phases"]] == ["pre_season", "in_season", "playoffs"]
    specific = plan["mesocycles"][1]
    assert specific["phase_id"] == plan["phases"][0]["id"]  # starts in pre-season
    week = _ok(
        client.put(f"{BASE}/plans/{plan['id']}/weeks/{monday(4)}", json=week_body(2400), headers=club["coach"].headers)
    )
    assert week["planned_load_au"] == 2400 and week["mesocycle"] == "Specific prep" and week["phase"] == "Pre-season"
    assert week["week_end"] == "2026-09-06"
    for reader in ("player", "parent", "coach", "admin"):
        weeks = _ok(client.get(f"{BASE}/plans/{plan['id']}/weeks", headers=club[reader].headers))["items"]
        assert [w["week_start"] for w in weeks] == [monday(4)]
    listed = _ok(client.get(f"{BASE}/plans", headers=club["player"].headers))
    assert [p["id"] for p in listed["items"]] == [plan["id"]]
    assert outbox_types(settings, plan["id"]) == ["planning.season_plan.saved"]


def test_only_the_teams_staff_change_the_plan_and_other_clubs_see_nothing(client, settings):
    club, other = make_club(settings), make_club(settings)
    plan = _plan(client, club)
    url = f"{BASE}/plans/{plan['id']}"
    for outsider in ("player", "parent", "other_coach"):
        response = client.put(f"{url}/weeks/{monday(0)}", json=week_body(), headers=club[outsider].headers)
        assert response.status_code == 403, outsider
    assert client.get(url, headers=club["other_coach"].headers).status_code == 403
    assert client.get(url, headers=club["other_player"].headers).status_code == 403
    for stranger in ("coach", "admin"):
        assert client.get(url, headers=other[stranger].headers).status_code == 404
    apply_events(settings, "planning", roster(club))  # the roster read model now knows the club's teams
    refused = client.post(f"{BASE}/plans", json=plan_body(club.team_id), headers=club["other_coach"].headers)
    assert refused.status_code == 403
    assert client.post(f"{BASE}/plans", json=plan_body(club.team_id), headers=other["admin"].headers).status_code == 404


def test_bad_plans_and_weeks_are_refused_with_a_reason(client, settings):
    club = make_club(settings)
    coach = club["coach"].headers
    bad_phase = plan_body(club.team_id)
    bad_phase["phases"][1]["starts_on"] = "2026-09-01"  # overlaps pre-season
    response = client.post(f"{BASE}/plans", json=bad_phase, headers=coach)
    assert response.status_code == 422 and "overlaps" in response.json()["error"]["message"]
    plan = _plan(client, club)
    clash = client.post(
        f"{BASE}/plans",
        json=plan_body(club.team_id, starts_on="2027-01-01", ends_on="2027-06-30", phases=[], mesocycles=[]),
        headers=coach,
    )
    assert clash.status_code == 409 and "already has a plan" in clash.json()["error"]["message"]
    url = f"{BASE}/plans/{plan['id']}/weeks"
    tuesday = client.put(f"{url}/2026-08-04", json=week_body(), headers=coach)
    assert tuesday.status_code == 422 and "Monday" in tuesday.json()["error"]["message"]
    assert client.put(f"{url}/2027-06-07", json=week_body(), headers=coach).status_code == 422
    mix = client.put(f"{url}/{monday(0)}", json=week_body(mix=(50, 40, 20)), headers=coach)
    assert mix.status_code == 422 and "100" in mix.json()["error"]["message"]
    assert client.put(f"{url}/{monday(0)}", json=week_body(load=-5), headers=coach).status_code == 422
    assert _ok(client.get(url, headers=coach))["items"] == []


def test_copy_a_week_and_apply_a_template(client, settings):
    club = make_club(settings)
    coach = club["coach"].headers
    plan = _plan(client, club)
    url = f"{BASE}/plans/{plan['id']}"
    _ok(client.put(f"{url}/weeks/{monday(0)}", json=week_body(1800, focus="Base"), headers=coach))
    copied = _ok(client.post(f"{url}/weeks/{monday(0)}/copy", json={"to_week_start": monday(6)}, headers=coach))
    assert (copied["week_start"], copied["planned_load_au"], copied["focus"]) == (monday(6), 1800, "Base")
    missing = client.post(f"{url}/weeks/{monday(1)}/copy", json={"to_week_start": monday(7)}, headers=coach)
    assert missing.status_code == 404
    general = plan["mesocycles"][0]  # 3 Aug – 30 Aug: four Mondays
    body = {"template": "step_3_1", "base_load_au": 2000, "sessions_per_week": 5}
    weeks = _ok(client.post(f"{url}/mesocycles/{general['id']}/template", json=body, headers=coach))["items"]
    loads = {w["week_start"]: w["planned_load_au"] for w in weeks}
    assert [loads[monday(i)] for i in range(4)] == [2000, 2200, 2400, 1400]  # build three weeks, unload the fourth
    assert all(w["focus"] == "Aerobic base" for w in weeks if w["week_start"] < monday(4))
    assert loads[monday(6)] == 1800  # outside the mesocycle: untouched


def test_shifting_the_plan_moves_later_weeks_and_refuses_collisions(client, settings):
    club = make_club(settings)
    coach = club["coach"].headers
    plan = _plan(client, club)
    url = f"{BASE}/plans/{plan['id']}"
    for week, load in ((0, 1000), (2, 2000), (3, 3000)):
        _ok(client.put(f"{url}/weeks/{monday(week)}", json=week_body(load), headers=coach))
    weeks = _ok(client.post(f"{url}/shift", json={"from_week_start": monday(2), "weeks": 2}, headers=coach))["items"]
    assert {w["week_start"]: w["planned_load_au"] for w in weeks} == {monday(0): 1000, monday(4): 2000, monday(5): 3000}
    moved = _ok(client.get(url, headers=coach))
    assert moved["mesocycles"][1]["starts_on"] == "2026-09-14"  # Specific prep started after week 2: moved too
    back = client.post(f"{url}/shift", json={"from_week_start": monday(4), "weeks": -4}, headers=coach)
    assert back.status_code == 409 and "two plans" in back.json()["error"]["message"]
    assert (
        client.post(f"{url}/shift", json={"from_week_start": monday(4), "weeks": 0}, headers=coach).status_code == 422
    )
    after = _ok(client.get(f"{url}/weeks", headers=coach))["items"]
    assert [w["week_start"] for w in after] == [monday(0), monday(4), monday(5)]


def test_deleting_a_plan_removes_its_weeks(client, settings):
    club = make_club(settings)
    coach = club["coach"].headers
    plan = _plan(client, club)
    url = f"{BASE}/plans/{plan['id']}"
    _ok(client.put(f"{url}/weeks/{monday(0)}", json=week_body(), headers=coach))
    _ok(client.delete(f"{url}/weeks/{monday(0)}", headers=coach), 204)
    assert client.delete(f"{url}/weeks/{monday(0)}", headers=coach).status_code == 404
    _ok(client.delete(url, headers=coach), 204)
    assert client.get(url, headers=coach).status_code == 404
    assert outbox_types(settings, plan["id"]) == ["planning.season_plan.saved", "planning.season_plan.deleted"]


def test_shifting_keeps_the_plan_whole(client, settings):
    club = make_club(settings)
    coach = club["coach"].headers
    bare = plan_body(club.team_id, phases=[], mesocycles=[], ends_on="2026-10-04")
    plan = _ok(client.post(f"{BASE}/plans", json=bare, headers=coach), 201)
    url = f"{BASE}/plans/{plan['id']}"
    # nothing to move yet: the plan stays as it is
    assert _ok(client.post(f"{url}/shift", json={"from_week_start": monday(1), "weeks": 1}, headers=coach)) == {
        "items": []
    }
    _ok(client.put(f"{url}/weeks/{monday(8)}", json=week_body(), headers=coach))
    later = plan_body(club.team_id, phases=[], mesocycles=[], starts_on="2026-10-05", ends_on="2027-04-25")
    _ok(client.post(f"{BASE}/plans", json=later, headers=coach), 201)
    into_next = client.post(f"{url}/shift", json={"from_week_start": monday(8), "weeks": 1}, headers=coach)
    assert into_next.status_code == 409 and "already has a plan" in into_next.json()["error"]["message"]

    full = _plan_with_blocks(client, club)
    url = f"{BASE}/plans/{full['id']}"
    theirs = club["other_coach"].headers
    earlier = client.post(f"{url}/shift", json={"from_week_start": monday(4), "weeks": -2}, headers=theirs)
    assert earlier.status_code == 409 and "overlaps" in earlier.json()["error"]["message"]
    assert _ok(client.get(url, headers=theirs))["mesocycles"][1]["starts_on"] == "2026-08-31"  # nothing moved


def _plan_with_blocks(client, club):
    body = plan_body(club.other_team_id)
    return _ok(client.post(f"{BASE}/plans", json=body, headers=club["other_coach"].headers), 201)
