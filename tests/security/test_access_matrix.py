"""Who may do what, across roles × resources × same team / other team / same club / other club.

One table for the whole system; every service adds its rows. The rules it enforces:
- an id of another club is 404 (it reveals nothing);
- a forbidden action on something of your own club is 403;
- what a role is allowed to do succeeds.

Placeholders: ``{A.person}`` / ``{B.person}`` are people of club A and of another club B, ``{A.team}`` and
``{A.other_team}`` teams, ``{A.rpe_log}`` the player's RPE log, ``{uniq}`` a fresh value per row.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_club
from tests.messaging import drain_and_consume

YESTERDAY = (date.today() - timedelta(days=1)).isoformat()
HOOPER = {"sleep_quality": 3, "fatigue": 4, "stress": 2, "muscle_soreness": 5}

# (actor, method, path, body, expected status)
MATRIX: list[tuple[str, str, str, dict | None, int]] = [
    # --- people: read ---------------------------------------------------------------------------------------------
    ("A.player", "GET", "/api/v1/users/{A.player}", None, 200),  # self
    ("A.teammate", "GET", "/api/v1/users/{A.player}", None, 200),  # same team: the roster
    ("A.coach", "GET", "/api/v1/users/{A.player}", None, 200),
    ("A.parent", "GET", "/api/v1/users/{A.player}", None, 200),  # guardian
    ("A.admin", "GET", "/api/v1/users/{A.player}", None, 200),
    ("A.other_coach", "GET", "/api/v1/users/{A.player}", None, 403),  # other team
    ("A.other_player", "GET", "/api/v1/users/{A.player}", None, 403),
    ("A.medic", "GET", "/api/v1/users/{A.player}", None, 403),  # no team in common
    ("B.admin", "GET", "/api/v1/users/{A.player}", None, 404),  # other club
    ("B.player", "GET", "/api/v1/users/{A.player}", None, 404),
    ("A.admin", "GET", "/api/v1/users/{B.player}", None, 404),
    ("A.coach", "GET", "/api/v1/users?team_id={A.other_team}", None, 403),
    ("A.coach", "GET", "/api/v1/users?team_id={B.team}", None, 404),
    # --- people: change -------------------------------------------------------------------------------------------
    ("A.player", "PATCH", "/api/v1/users/{A.player}", {"position": "wing"}, 200),
    ("A.parent", "PATCH", "/api/v1/users/{A.player}", {"jersey_number": 17}, 200),
    ("A.admin", "PATCH", "/api/v1/users/{A.player}", {"position": "centre"}, 200),
    ("A.coach", "PATCH", "/api/v1/users/{A.player}", {"position": "wing"}, 403),
    ("A.teammate", "PATCH", "/api/v1/users/{A.player}", {"position": "wing"}, 403),
    ("B.admin", "PATCH", "/api/v1/users/{A.player}", {"position": "wing"}, 404),
    ("A.admin", "PATCH", "/api/v1/users/{A.spare1}", {"date_of_birth": "2010-05-01"}, 200),
    ("A.player", "PATCH", "/api/v1/users/{A.player}", {"date_of_birth": "2000-01-01"}, 403),
    ("A.parent", "PATCH", "/api/v1/users/{A.player}", {"org_roles": ["club_admin"]}, 403),
    ("A.coach", "POST", "/api/v1/users/{A.spare2}/deactivate", {}, 403),
    ("A.player", "POST", "/api/v1/users/{A.spare2}/deactivate", {}, 403),
    ("B.admin", "POST", "/api/v1/users/{A.spare2}/deactivate", {}, 404),
    ("A.admin", "POST", "/api/v1/users/{A.spare2}/deactivate", {"reason": "left"}, 200),
    ("A.coach", "POST", "/api/v1/users/{A.spare3}/erase", None, 403),
    ("B.admin", "POST", "/api/v1/users/{A.spare3}/erase", None, 404),
    ("A.admin", "POST", "/api/v1/users/{A.spare3}/erase", None, 204),
    # --- invitations, import, export ------------------------------------------------------------------------------
    (
        "A.coach",
        "POST",
        "/api/v1/users/invitations",
        {"email": "c{uniq}@example.org", "full_name": "New Player", "team_id": "{A.team}", "role": "player"},
        201,
    ),
    (
        "A.coach",
        "POST",
        "/api/v1/users/invitations",
        {"email": "c{uniq}@example.org", "full_name": "New Coach", "team_id": "{A.team}", "role": "coach"},
        403,
    ),
    (
        "A.other_coach",
        "POST",
        "/api/v1/users/invitations",
        {"email": "o{uniq}@example.org", "full_name": "X", "team_id": "{A.team}", "role": "player"},
        403,
    ),
    ("A.coach", "POST", "/api/v1/users/invitations", {"email": "n{uniq}@example.org", "full_name": "No Team"}, 403),
    (
        "A.player",
        "POST",
        "/api/v1/users/invitations",
        {"email": "p{uniq}@example.org", "full_name": "X", "team_id": "{A.team}", "role": "player"},
        403,
    ),
    (
        "B.admin",
        "POST",
        "/api/v1/users/invitations",
        {"email": "b{uniq}@example.org", "full_name": "X", "team_id": "{A.team}", "role": "player"},
        404,
    ),
    (
        "A.admin",
        "POST",
        "/api/v1/users/invitations",
        {"email": "a{uniq}@example.org", "full_name": "New Admin", "org_roles": ["club_admin"]},
        201,
    ),
    ("A.admin", "GET", "/api/v1/users/export.csv", None, 200),
    ("A.coach", "GET", "/api/v1/users/export.csv", None, 403),
    ("A.player", "GET", "/api/v1/users/export.csv", None, 403),
    ("A.coach", "POST", "/api/v1/users/import?dry_run=true", "email,full_name\nx{uniq}@example.org,X\n", 403),
    ("A.admin", "POST", "/api/v1/users/import?dry_run=true", "email,full_name\nx{uniq}@example.org,X\n", 200),
    # --- guardians ------------------------------------------------------------------------------------------------
    ("A.player", "GET", "/api/v1/users/{A.player}/guardians", None, 200),
    ("A.parent", "GET", "/api/v1/users/{A.player}/guardians", None, 200),
    ("A.coach", "GET", "/api/v1/users/{A.player}/guardians", None, 403),
    ("B.admin", "GET", "/api/v1/users/{A.player}/guardians", None, 404),
    ("A.parent", "POST", "/api/v1/users/{A.player}/guardians", {"guardian_id": "{A.spare4}"}, 403),
    ("A.coach", "POST", "/api/v1/users/{A.player}/guardians", {"guardian_id": "{A.spare4}"}, 403),
    ("A.admin", "POST", "/api/v1/users/{A.player}/guardians", {"guardian_id": "{B.admin}"}, 404),
    ("A.admin", "POST", "/api/v1/users/{A.player}/guardians", {"guardian_id": "{A.spare4}"}, 201),
    # --- teams ----------------------------------------------------------------------------------------------------
    ("A.player", "GET", "/api/v1/teams/{A.team}", None, 200),
    ("A.coach", "GET", "/api/v1/teams/{A.team}", None, 200),
    ("A.parent", "GET", "/api/v1/teams/{A.team}", None, 200),
    ("A.admin", "GET", "/api/v1/teams/{A.team}", None, 200),
    ("A.other_coach", "GET", "/api/v1/teams/{A.team}", None, 403),
    ("A.other_player", "GET", "/api/v1/teams/{A.team}", None, 403),
    ("B.admin", "GET", "/api/v1/teams/{A.team}", None, 404),
    ("A.coach", "GET", "/api/v1/teams/{A.team}/members", None, 200),
    ("A.player", "GET", "/api/v1/teams/{A.team}/members", None, 200),
    ("A.other_coach", "GET", "/api/v1/teams/{A.team}/members", None, 403),
    ("B.coach", "GET", "/api/v1/teams/{A.team}/members", None, 404),
    ("A.admin", "PATCH", "/api/v1/teams/{A.team}", {"level": "AA"}, 200),
    ("A.coach", "PATCH", "/api/v1/teams/{A.team}", {"level": "A"}, 403),
    ("A.player", "PATCH", "/api/v1/teams/{A.team}", {"level": "A"}, 403),
    ("B.admin", "PATCH", "/api/v1/teams/{A.team}", {"level": "A"}, 404),
    ("A.admin", "POST", "/api/v1/teams", {"name": "U12 {uniq}", "season": "2026-27"}, 201),
    ("A.coach", "POST", "/api/v1/teams", {"name": "U10 {uniq}"}, 403),
    # putting an existing member into a team is a club admin's act (a coach invites new people instead)
    ("A.coach", "POST", "/api/v1/teams/{A.team}/members", {"user_id": "{A.spare5}", "role": "player"}, 403),
    ("A.coach", "POST", "/api/v1/teams/{A.team}/members", {"user_id": "{A.spare5}", "role": "coach"}, 403),
    ("A.other_coach", "POST", "/api/v1/teams/{A.team}/members", {"user_id": "{A.spare6}", "role": "player"}, 403),
    ("A.player", "POST", "/api/v1/teams/{A.team}/members", {"user_id": "{A.spare6}", "role": "player"}, 403),
    ("B.admin", "POST", "/api/v1/teams/{A.team}/members", {"user_id": "{A.spare6}", "role": "player"}, 404),
    ("A.admin", "POST", "/api/v1/teams/{A.team}/members", {"user_id": "{B.player}", "role": "player"}, 404),
    ("A.admin", "POST", "/api/v1/teams/{B.team}/members", {"user_id": "{A.spare6}", "role": "player"}, 404),
    ("A.admin", "POST", "/api/v1/teams/{A.team}/members", {"user_id": "{A.spare6}", "role": "coach"}, 201),
    # --- the club -------------------------------------------------------------------------------------------------
    ("A.player", "GET", "/api/v1/orgs/current", None, 200),
    ("A.admin", "PATCH", "/api/v1/orgs/current", {"language": "sv"}, 200),
    ("A.coach", "PATCH", "/api/v1/orgs/current", {"language": "sv"}, 403),
    ("A.player", "PATCH", "/api/v1/orgs/current", {"language": "sv"}, 403),
    # --- training: session RPE ------------------------------------------------------------------------------------
    ("A.player", "POST", "/api/v1/training/wellness", {"items": HOOPER}, 201),
    ("A.parent", "POST", "/api/v1/training/wellness", {"items": HOOPER, "player_id": "{A.player}"}, 201),
    ("A.coach", "POST", "/api/v1/training/wellness", {"items": HOOPER, "player_id": "{A.player}"}, 403),
    ("A.teammate", "POST", "/api/v1/training/wellness", {"items": HOOPER, "player_id": "{A.player}"}, 403),
    ("A.coach", "PUT", "/api/v1/training/teams/{A.team}/settings", {"wellness_instrument": "hooper"}, 200),
    ("A.other_coach", "PUT", "/api/v1/training/teams/{A.team}/settings", {"wellness_instrument": "mclean"}, 403),
    ("A.player", "PUT", "/api/v1/training/teams/{A.team}/settings", {"wellness_instrument": "mclean"}, 403),
    ("A.admin", "PUT", "/api/v1/training/teams/{B.team}/settings", {"wellness_instrument": "mclean"}, 404),
    (
        "A.coach",
        "POST",
        "/api/v1/training/tests",
        {"name": "Sprint {uniq}", "unit": "s", "direction": "lower_is_better"},
        201,
    ),
    (
        "A.player",
        "POST",
        "/api/v1/training/tests",
        {"name": "Sprint {uniq}", "unit": "s", "direction": "lower_is_better"},
        403,
    ),
    (
        "A.coach",
        "POST",
        "/api/v1/training/tests/{A.test}/results",
        {"player_id": "{A.player}", "value": 4.3, "tested_on": YESTERDAY},
        201,
    ),
    (
        "A.other_coach",
        "POST",
        "/api/v1/training/tests/{A.test}/results",
        {"player_id": "{A.player}", "value": 4.3, "tested_on": YESTERDAY},
        403,
    ),
    (
        "B.admin",
        "POST",
        "/api/v1/training/tests/{A.test}/results",
        {"player_id": "{A.player}", "value": 4.3, "tested_on": YESTERDAY},
        404,
    ),
    ("B.admin", "GET", "/api/v1/training/tests/{A.test}/results", None, 404),
    ("A.player", "POST", "/api/v1/training/exercises", {"name": "Own drill {uniq}", "category": "on_ice"}, 403),
    ("A.player", "GET", "/api/v1/training/rpe-logs/{A.rpe_log}", None, 200),
    ("A.parent", "GET", "/api/v1/training/rpe-logs/{A.rpe_log}", None, 200),
    ("A.coach", "GET", "/api/v1/training/rpe-logs/{A.rpe_log}", None, 200),
    ("A.admin", "GET", "/api/v1/training/rpe-logs/{A.rpe_log}", None, 200),
    ("A.teammate", "GET", "/api/v1/training/rpe-logs/{A.rpe_log}", None, 403),
    ("A.other_coach", "GET", "/api/v1/training/rpe-logs/{A.rpe_log}", None, 403),
    ("B.admin", "GET", "/api/v1/training/rpe-logs/{A.rpe_log}", None, 404),
    (
        "A.parent",
        "POST",
        "/api/v1/training/rpe-logs",
        {"session_date": YESTERDAY, "rpe": 4, "duration_minutes": 30, "player_id": "{A.player}"},
        201,
    ),
    (
        "A.coach",
        "POST",
        "/api/v1/training/rpe-logs",
        {"session_date": YESTERDAY, "rpe": 4, "duration_minutes": 30, "player_id": "{A.player}"},
        403,
    ),
    (
        "A.teammate",
        "POST",
        "/api/v1/training/rpe-logs",
        {"session_date": YESTERDAY, "rpe": 4, "duration_minutes": 30, "player_id": "{A.player}"},
        403,
    ),
    (
        "A.player",
        "POST",
        "/api/v1/training/rpe-logs",
        {"session_date": YESTERDAY, "rpe": 4, "duration_minutes": 30, "team_id": "{A.other_team}"},
        422,  # a team of the club that is not the player's: the value is refused, nothing is forbidden
    ),
    (
        "A.player",
        "POST",
        "/api/v1/training/rpe-logs",
        {"session_date": YESTERDAY, "rpe": 4, "duration_minutes": 31, "team_id": "{B.team}"},
        404,
    ),
    # --- calendar -------------------------------------------------------------------------------------------------
    ("A.player", "GET", "/api/v1/calendar/events/{A.event}", None, 200),
    ("A.parent", "GET", "/api/v1/calendar/events/{A.event}", None, 200),
    ("A.coach", "GET", "/api/v1/calendar/events/{A.event}", None, 200),
    ("A.admin", "GET", "/api/v1/calendar/events/{A.event}", None, 200),
    ("A.other_player", "GET", "/api/v1/calendar/events/{A.event}", None, 403),
    ("B.admin", "GET", "/api/v1/calendar/events/{A.event}", None, 404),
    ("B.player", "GET", "/api/v1/calendar/events/{A.event}", None, 404),
    ("A.other_player", "GET", "/api/v1/calendar/events/{A.event}/event.ics", None, 403),
    ("B.coach", "GET", "/api/v1/calendar/events/{A.event}/event.ics", None, 404),
    ("A.coach", "PATCH", "/api/v1/calendar/events/{A.event}", {"notes": "Bring both jerseys"}, 200),
    ("A.other_coach", "PATCH", "/api/v1/calendar/events/{A.event}", {"title": "Ours now"}, 403),
    ("A.player", "PATCH", "/api/v1/calendar/events/{A.event}", {"title": "Day off"}, 403),
    ("B.admin", "PATCH", "/api/v1/calendar/events/{A.event}", {"title": "x"}, 404),
    ("B.admin", "DELETE", "/api/v1/calendar/events/{A.event}", None, 404),
    ("A.other_coach", "DELETE", "/api/v1/calendar/events/{A.event}/occurrences/{A.occurrence}", None, 403),
    (
        "A.other_coach",
        "POST",
        "/api/v1/calendar/events",
        {
            "kind": "practice",
            "title": "x",
            "team_id": "{A.team}",
            "starts_at": "2027-03-16T17:00:00+01:00",
            "duration_minutes": 60,
        },
        403,
    ),
    ("A.coach", "GET", "/api/v1/calendar/occurrences?team_id={A.other_team}", None, 403),
    ("A.player", "GET", "/api/v1/calendar/occurrences?player_id={A.teammate}", None, 403),
    ("A.parent", "GET", "/api/v1/calendar/occurrences?player_id={A.player}", None, 200),
    (
        "A.parent",
        "PUT",
        "/api/v1/calendar/events/{A.event}/occurrences/{A.occurrence}/rsvp",
        {"response": "going", "player_id": "{A.player}"},
        200,
    ),
    (
        "A.teammate",
        "PUT",
        "/api/v1/calendar/events/{A.event}/occurrences/{A.occurrence}/rsvp",
        {"response": "going", "player_id": "{A.player}"},
        403,
    ),
    (
        "B.player",
        "PUT",
        "/api/v1/calendar/events/{A.event}/occurrences/{A.occurrence}/rsvp",
        {"response": "going"},
        404,
    ),
    (
        "A.coach",
        "PUT",
        "/api/v1/calendar/events/{A.past_event}/occurrences/{A.past_occurrence}/attendance",
        {"records": [{"player_id": "{A.player}", "status": "present"}]},
        200,
    ),
    (
        "A.other_coach",
        "PUT",
        "/api/v1/calendar/events/{A.event}/occurrences/{A.occurrence}/attendance",
        {"records": [{"player_id": "{A.player}", "status": "absent"}]},
        403,
    ),
    (
        "A.coach",
        "PUT",
        "/api/v1/calendar/events/{A.event}/occurrences/{A.occurrence}/attendance",
        {"records": [{"player_id": "{B.player}", "status": "present"}]},
        404,
    ),
    ("A.coach", "POST", "/api/v1/calendar/resources", {"name": "Bus", "kind": "bus"}, 403),
    (
        "A.player",
        "POST",
        "/api/v1/calendar/bookings",
        {"resource_id": "{A.resource}", "starts_at": "2027-05-01T10:00:00Z", "ends_at": "2027-05-01T11:00:00Z"},
        403,
    ),
    (
        "B.admin",
        "POST",
        "/api/v1/calendar/bookings",
        {"resource_id": "{A.resource}", "starts_at": "2027-05-01T10:00:00Z", "ends_at": "2027-05-01T11:00:00Z"},
        404,
    ),
    ("A.other_coach", "POST", "/api/v1/calendar/feeds", {"team_id": "{A.team}"}, 403),
]


@pytest.fixture(scope="module")
def world(settings):
    """Two clubs, A and B, and the ids the table's placeholders name."""
    from operational.gateway import create_app

    club_a, club_b = make_club(settings, spares=6), make_club(settings)
    with TestClient(create_app(settings)) as client:
        log = client.post(
            "/api/v1/training/rpe-logs",
            json={"session_date": YESTERDAY, "rpe": 6, "duration_minutes": 60},
            headers=club_a["player"].headers,
        )
        assert log.status_code == 201, log.text
        ids = {f"A.{name}": str(p.id) for name, p in club_a.people.items()}
        ids |= {f"B.{name}": str(p.id) for name, p in club_b.people.items()}
        ids |= {"A.team": str(club_a.team_id), "A.other_team": str(club_a.other_team_id), "B.team": str(club_b.team_id)}
        ids["A.rpe_log"] = log.json()["id"]
        # the training service learns both clubs' rosters from users events
        drain_and_consume(settings, services=["training"])
        sprint = client.post(
            "/api/v1/training/tests",
            json={"name": "30 m sprint", "unit": "s", "direction": "lower_is_better"},
            headers=club_a["coach"].headers,
        )
        ids["A.test"] = sprint.json()["id"]
        ids |= _calendar_ids(client, settings, club_a)
        people = {f"A.{n}": p for n, p in club_a.people.items()} | {f"B.{n}": p for n, p in club_b.people.items()}
        yield client, ids, people


def _calendar_ids(client: TestClient, settings, club_a) -> dict[str, str]:
    """Club A's weekly practice (its roster known to the calendar, as its consumer keeps it) and its rink."""
    from tests.operational.calendar.helpers import feed_read_models, roster_events

    feed_read_models(settings, roster_events(club_a))
    practice = {
        "kind": "practice",
        "title": "Ice practice",
        "team_id": str(club_a.team_id),
        "starts_at": "2027-03-16T17:00:00+01:00",
        "duration_minutes": 90,
        "time_zone": "Europe/Stockholm",
        "rrule": "FREQ=WEEKLY;COUNT=4",
    }
    event = client.post("/api/v1/calendar/events", json=practice, headers=club_a["coach"].headers)
    assert event.status_code == 201, event.text
    # attendance is taken once an occurrence has started: a practice that already happened
    past = client.post(
        "/api/v1/calendar/events",
        json={**practice, "starts_at": "2026-03-17T17:00:00+01:00"},
        headers=club_a["coach"].headers,
    )
    assert past.status_code == 201, past.text
    rink = client.post(
        "/api/v1/calendar/resources", json={"name": "Rink A", "kind": "rink"}, headers=club_a["admin"].headers
    )
    assert rink.status_code == 201, rink.text
    return {
        "A.event": event.json()["event"]["id"],
        "A.occurrence": "2027-03-16T16:00:00Z",
        "A.past_event": past.json()["event"]["id"],
        "A.past_occurrence": "2026-03-17T16:00:00Z",
        "A.resource": rink.json()["id"],
    }


def _fill(template: str, ids: dict[str, str]) -> str:
    uniq = uuid.uuid4().hex[:10]
    return re.sub(r"\{([A-Za-z_.0-9]+)\}", lambda m: uniq if m.group(1) == "uniq" else ids[m.group(1)], template)


@pytest.mark.parametrize(
    ("actor", "method", "path", "body", "expected"),
    MATRIX,
    ids=[f"{actor} {method} {path} -> {expected}" for actor, method, path, _, expected in MATRIX],
)
def test_access(world, actor, method, path, body, expected):
    client, ids, people = world
    headers = dict(people[actor].headers)
    kwargs = {}
    if isinstance(body, str):
        kwargs["content"] = _fill(body, ids).encode()
        headers["Content-Type"] = "text/csv"
    elif body is not None:
        kwargs["json"] = json.loads(_fill(json.dumps(body), ids))
    response = client.request(method, _fill(path, ids), headers=headers, **kwargs)
    assert response.status_code == expected, response.text
    if expected in (403, 404):
        assert response.json()["error"]["code"] in {"forbidden", "not_found"}
