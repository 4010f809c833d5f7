"""Who may read what, as a grid: every role of club A (and an admin of another club) × every kind of object of club A.

Roles: the club admin; the coach of U16 (the object's team) and of U18 (another team); medical staff (staff without
a team); the player the object is about, a teammate and a player of the other team; the player's guardian; and the
admin of club B. 200 readable, 403 forbidden (same club), 404 another club (ids reveal nothing). Statistics have the
same grid in tests/operational/stats/test_access.py.
"""

from __future__ import annotations

import pytest

from tests.security.world import FUTURE_OCCURRENCE, World, build_world

ROLES = ("admin", "coach", "other_coach", "medic", "player", "teammate", "other_player", "parent", "B.admin")
Y, F, N = 200, 403, 404  # yes, forbidden, not found
# object: (path, the expected answer for each role in ROLES' order)
GRID = {
    "a player's profile": ("/api/v1/users/{A.player}", (Y, Y, F, F, Y, Y, F, Y, N)),
    "a player's guardians": ("/api/v1/users/{A.player}/guardians", (Y, F, F, F, Y, F, F, Y, N)),
    "a team": ("/api/v1/teams/{A.team}", (Y, Y, F, F, Y, Y, F, Y, N)),
    "a team's roster": ("/api/v1/teams/{A.team}/members", (Y, Y, F, F, Y, Y, F, Y, N)),
    "an RPE log": ("/api/v1/training/rpe-logs/{A.rpe_log}", (Y, Y, F, F, Y, F, F, Y, N)),
    "a wellness answer": ("/api/v1/training/wellness/{A.wellness}", (Y, Y, F, F, Y, F, F, Y, N)),
    "a test result": ("/api/v1/training/tests/{A.test}/results/{A.result}", (Y, Y, F, F, Y, F, F, Y, N)),
    "a team's training session": ("/api/v1/training/sessions/{A.session}", (Y, Y, F, F, Y, Y, F, Y, N)),
    "a team's practice": ("/api/v1/calendar/events/{A.event}", (Y, Y, F, F, Y, Y, F, Y, N)),
    "its answers": (
        "/api/v1/calendar/events/{A.event}/occurrences/" + FUTURE_OCCURRENCE + "/rsvps",
        (Y, Y, F, F, Y, Y, F, Y, N),
    ),
    "a team's rink booking": ("/api/v1/calendar/bookings/{A.booking}", (Y, Y, F, F, F, F, F, F, N)),
    "a health problem": ("/api/v1/medical/problems/{A.problem}", (F, F, F, Y, Y, F, F, Y, N)),
    "a medical document": ("/api/v1/medical/documents/{A.document}", (F, F, F, Y, Y, F, F, Y, N)),
    "its treatments": ("/api/v1/medical/problems/{A.problem}/treatments", (F, F, F, Y, Y, F, F, Y, N)),
    "a player's availability": ("/api/v1/medical/players/{A.player}/availability", (Y, Y, F, Y, Y, F, F, Y, N)),
    "who looked at a medical record": (
        "/api/v1/medical/players/{A.player}/access-log",
        (F, F, F, Y, Y, F, F, Y, N),
    ),
    # a group of the coach, the player and their parent: its members read it, and nobody else (a club admin neither)
    "a conversation's messages": (
        "/api/v1/comms/conversations/{A.conversation}/messages",
        (F, Y, F, F, Y, F, F, Y, N),
    ),
    "a file sent in a conversation": ("/api/v1/comms/attachments/{A.attachment}", (F, Y, F, F, Y, F, F, Y, N)),
}
CASES = [
    (thing, role, expected)
    for thing, (_, answers) in GRID.items()
    for role, expected in zip(ROLES, answers, strict=True)
]


@pytest.fixture(scope="module")
def world(settings) -> World:
    with build_world(settings) as world:
        yield world


@pytest.mark.parametrize(("thing", "role", "expected"), CASES, ids=[f"{r} reads {t}" for t, r, _ in CASES])
def test_who_reads_what(world, thing, role, expected):
    path = GRID[thing][0].replace("{A.", "{")
    for name, value in world.ids.items():
        if name.startswith("A."):
            path = path.replace("{" + name[2:] + "}", value)
    person = world.people[role if role.startswith("B.") else f"A.{role}"]

    response = world.client.get(path, headers=person.headers)

    assert response.status_code == expected, response.text
