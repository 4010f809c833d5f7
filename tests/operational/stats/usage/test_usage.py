"""Club usage reports: a club admin reads their own club, a platform admin every club, nobody else."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tests.operational.stats.snapshots import club_today, make_stats_club
from tests.operational.stats.usage.usage_marts import add_active_users, add_club, add_invitation, add_sign_in

CLUBS = "/api/v1/stats/usage/clubs"


def _usage_of(warehouse, club, name: str) -> None:
    today = club_today()
    add_club(warehouse, club.org_id, name)
    add_active_users(warehouse, club.org_id, today - timedelta(days=1), "club", "all", 2, 3, 4)
    add_active_users(warehouse, club.org_id, today, "club", "all", 3, 4, 6)
    add_active_users(warehouse, club.org_id, today, "role", "physical_trainer", 1, 1, 2)
    add_active_users(warehouse, club.org_id, today, "team", str(club.team_id), 2, 3, 4)


def test_a_club_admin_reads_their_clubs_usage_by_name(stats, stats_settings, warehouse, stats_club):
    club = stats_club
    today = club_today()
    _usage_of(warehouse, club, "Northside HC")
    for status in ("accepted", "accepted", "expired", "pending"):
        add_invitation(warehouse, club.org_id, status, today)
    signed = datetime.now(UTC) - timedelta(hours=2)
    add_sign_in(warehouse, club.org_id, club["coach"].id, "Johan Ek", "coach", signed, 5)
    add_sign_in(warehouse, club.org_id, club["player"].id, "Elias Nilsson", "player", None, 0)
    warehouse.publish()

    summary = stats.get(CLUBS, headers=club["admin"].headers)
    assert summary.status_code == 200, summary.text
    assert [(c["club_name"], c["daily_active_users"], c["monthly_active_users"], c["stickiness"]) for c in
            summary.json()["clubs"]] == [("Northside HC", 3, 6, 0.5)]  # fmt: skip

    report = stats.get(f"{CLUBS}/{club.org_id}", params={"days": 7}, headers=club["admin"].headers)
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["club_name"] == "Northside HC" and body["date_to"] == str(today)
    assert [(d["usage_date"], d["daily_active_users"], d["weekly_active_users"]) for d in body["club"]] == [
        (str(today - timedelta(days=1)), 2, 3),
        (str(today), 3, 4),
    ]
    assert [(r["name"], r["monthly_active_users"]) for r in body["latest_by_role"]] == [("physical trainer", 2)]
    assert [(t["name"], t["daily_active_users"]) for t in body["latest_by_team"]] == [("U16", 2)]
    assert body["invitations"] == {"sent": 4, "accepted": 2, "expired": 1, "pending": 1}
    # who never signed in comes first: that is who an admin follows up
    assert [(m["member_name"], m["role"], m["sign_ins_last_28_days"]) for m in body["members"]] == [
        ("Elias Nilsson", "player", 0),
        ("Johan Ek", "coach", 5),
    ]


def test_a_club_admin_cannot_read_another_club_but_a_platform_admin_reads_every_club(
    stats, stats_settings, warehouse, stats_club
):
    club, other = stats_club, make_stats_club(stats_settings, warehouse)
    _usage_of(warehouse, club, "Northside HC")
    _usage_of(warehouse, other, "Lakeside IHC")
    warehouse.publish()

    admin = club["admin"].headers
    assert [c["club_name"] for c in stats.get(CLUBS, headers=admin).json()["clubs"]] == ["Northside HC"]
    assert stats.get(f"{CLUBS}/{other.org_id}", headers=admin).status_code == 404
    assert stats.get(f"{CLUBS}/{uuid.uuid4()}", headers=admin).status_code == 404

    platform = club["platform_admin"].headers
    names = [c["club_name"] for c in stats.get(CLUBS, headers=platform).json()["clubs"]]
    assert names.index("Lakeside IHC") < names.index("Northside HC")  # by name
    assert stats.get(f"{CLUBS}/{other.org_id}", headers=platform).json()["club_name"] == "Lakeside IHC"
    assert stats.get(f"{CLUBS}/{uuid.uuid4()}", headers=platform).status_code == 404

    for person in ("coach", "trainer", "player", "parent", "medic"):
        assert stats.get(CLUBS, headers=club[person].headers).status_code == 403
        assert stats.get(f"{CLUBS}/{club.org_id}", headers=club[person].headers).status_code == 403


def test_a_club_without_activity_yet_shows_zeros_not_an_error(stats, warehouse, stats_club):
    club = stats_club
    warehouse.publish()

    clubs = stats.get(CLUBS, headers=club["admin"].headers).json()["clubs"]
    assert [(c["club_id"], c["usage_date"], c["monthly_active_users"]) for c in clubs] == [(str(club.org_id), None, 0)]
    report = stats.get(f"{CLUBS}/{club.org_id}", headers=club["admin"].headers).json()
    assert report["club"] == [] and report["members"] == [] and report["invitations"]["sent"] == 0
    for bad in ({"days": 3}, {"days": 400}, {"until": "soon"}, {"colour": "red"}):
        refused = stats.get(f"{CLUBS}/{club.org_id}", params=bad, headers=club["admin"].headers)
        assert refused.status_code == 422 and "/api/" not in refused.json()["error"]["message"]
