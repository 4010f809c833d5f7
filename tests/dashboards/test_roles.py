"""Each role gets the pages the APIs let it see, and what goes wrong is said in words: as coach, admin, player,
parent and medical staff, against the real gateway and stats API."""

from __future__ import annotations

import httpx
import pytest

from dashboards.client import ApiError, StatsClient
from dashboards.navigation import sections_for
from dashboards.session import Viewer
from tests.dashboards.helpers import ids_shown, open_dashboard, shown_text, texts
from tests.factories import PASSWORD
from tests.operational.stats.statistics_marts import StatisticsWarehouse

TEAM_PAGES = [
    "Team load", "Team load board", "Attendance", "Availability", "Injury surveillance", "Next event", "Logged today",
    "Announcements", "Player detail", "Season plan", "Goals",
]  # fmt: skip
MEDICAL_RECORD_PAGES = ["Open problems", "Return to play", "Access log"]
ADMIN_PAGES = ["Club usage", "System status", "Finance"]


@pytest.mark.parametrize(
    ("roles", "guardian_of", "expected"),
    [
        (("coach",), (), {"My teams": TEAM_PAGES}),
        (("physical_trainer",), (), {"My teams": TEAM_PAGES}),
        (("club_admin",), (), {"All teams": TEAM_PAGES, "Admin": ADMIN_PAGES}),
        (("platform_admin",), (), {"All teams": TEAM_PAGES, "Admin": ADMIN_PAGES}),
        (("player",), (), {"Me": ["My training", "My goals", "My invoices"]}),
        (
            ("parent",),
            ("c0ffee00-0000-4000-8000-000000000001",),
            {"My children": ["My child's training", "My child's goals", "Family invoices"]},
        ),
        (("medical_staff",), (), {"Medical": [*MEDICAL_RECORD_PAGES, "Availability", "Injury surveillance"]}),
        ((), (), {"Hockey Hub": ["Overview"]}),
        # pages already offered in a team section are not offered twice
        (("medical_staff", "coach"), (), {"My teams": TEAM_PAGES, "Medical": MEDICAL_RECORD_PAGES}),
    ],
)
def test_the_page_list_follows_the_role(roles, guardian_of, expected):
    viewer = Viewer("u", "o", roles, (), "token", guardian_of=guardian_of)

    sections = sections_for(viewer)

    assert {title: [page.title for page in pages] for title, pages in sections.items()} == expected


def _all_ids(club) -> list:
    return [p.id for p in club.people.values()] + [club.team_id, club.other_team_id, club.org_id]


def test_an_admin_chooses_any_team_of_the_club_by_name(monkeypatch, stats_url, gateway_url, warehouse, club):
    StatisticsWarehouse(warehouse).publish()

    app = open_dashboard(monkeypatch, stats_url, club["admin"].token, gateway_url=gateway_url)

    assert not app.exception
    assert texts(app.title) == ["Team load"]
    assert app.selectbox(key="team").options == ["U16", "U18"]
    assert "You are not on a team" not in shown_text(app)
    assert not app.error


TEAM_ADDRESSES = [
    "load-board", "attendance", "availability", "injury-surveillance", "next-event", "logged-today", "announcements",
    "player-detail", "season-plan", "goals",
]  # fmt: skip


def registered_pages(app) -> list[str]:
    """The pages the app offered in its navigation on the last run (by their address)."""
    return [info.get("url_pathname") or "" for info in app._registered_pages.values()]


@pytest.mark.parametrize(
    ("person", "pages", "title"),
    [
        ("coach", ["", *TEAM_ADDRESSES], "Team load"),
        ("admin", ["", *TEAM_ADDRESSES, "club-usage", "system-status", "finance"], "Team load"),
        ("player", ["", "my-goals", "my-invoices"], "My training"),
        ("parent", ["", "child-goals", "family-invoices"], "My child's training"),
        ("medic", ["", "return-to-play", "access-log", "availability", "injury-surveillance"], "Open problems"),
    ],
)
def test_each_role_is_offered_only_its_pages_and_sees_no_error(
    monkeypatch, stats_url, gateway_url, warehouse, club, person, pages, title
):
    StatisticsWarehouse(warehouse).publish()

    app = open_dashboard(monkeypatch, stats_url, club[person].token, gateway_url=gateway_url)

    assert not app.exception
    assert not app.error, texts(app.error)
    assert registered_pages(app) == pages
    assert texts(app.title) == [title]
    assert ids_shown(app, _all_ids(club)) == []


def test_a_parent_sees_their_childs_page_not_their_own_record(monkeypatch, stats_url, gateway_url, warehouse, club):
    StatisticsWarehouse(warehouse).publish()

    app = open_dashboard(monkeypatch, stats_url, club["parent"].token, gateway_url=gateway_url)

    assert not app.exception
    assert not app.error
    assert texts(app.subheader)[0] == "Player"
    assert "Parent" not in shown_text(app)
    assert ids_shown(app, _all_ids(club)) == []


def test_a_parent_of_two_switches_between_children(monkeypatch, stats_url, gateway_url, warehouse, club):
    StatisticsWarehouse(warehouse).publish()
    admin = {"Authorization": f"Bearer {club['admin'].token}"}
    minor = httpx.patch(
        f"{gateway_url}/api/v1/users/{club['teammate'].id}", json={"date_of_birth": "2012-05-01"}, headers=admin
    )
    assert minor.status_code == 200, minor.text
    linked = httpx.post(
        f"{gateway_url}/api/v1/users/{club['teammate'].id}/guardians",
        json={"guardian_id": str(club["parent"].id)},
        headers=admin,
    )
    assert linked.status_code == 201, linked.text
    tokens = httpx.post(
        f"{gateway_url}/api/v1/auth/login", json={"email": club["parent"].email, "password": PASSWORD}
    ).json()

    app = open_dashboard(
        monkeypatch, stats_url, tokens["access_token"], gateway_url=gateway_url, refresh_token=tokens["refresh_token"]
    )

    assert not app.exception
    switcher = app.selectbox(key="own_player")
    assert switcher.options == ["Player", "Teammate"]
    switcher.set_value(str(club["teammate"].id)).run()
    assert texts(app.subheader)[0] == "Teammate"
    assert not app.error


def test_medical_staff_start_on_the_open_problems(monkeypatch, stats_url, gateway_url, warehouse, club):
    StatisticsWarehouse(warehouse).publish()

    app = open_dashboard(monkeypatch, stats_url, club["medic"].token, gateway_url=gateway_url)

    assert not app.exception
    assert not app.error, texts(app.error)
    assert texts(app.title) == ["Open problems"]
    assert texts(app.info)[0].startswith("No open problems")


def _refusal(call) -> ApiError:
    with pytest.raises(ApiError) as refused:
        call()
    return refused.value


def test_api_refusals_are_put_in_words_without_paths_or_status_codes(stats_url, warehouse, club):
    """The stats API's own messages may name an endpoint; what reaches a page never does."""
    StatisticsWarehouse(warehouse).publish()

    def stats(person) -> StatsClient:
        return StatsClient(stats_url, club[person].token)

    refusals = [
        _refusal(lambda: stats("player").team_daily_load(club.team_id, *_period())),
        _refusal(lambda: stats("coach").team_load_board(club.other_team_id)),
        _refusal(lambda: stats("medic").player_load_metrics(club["player"].id, *_period())),
        _refusal(lambda: stats("coach").get("/api/v1/stats/no-such-page")),
        _refusal(lambda: StatsClient(stats_url, "not-a-token").team_load_board(club.team_id)),
    ]

    assert [r.status_code for r in refusals] == [403, 404, 404, 404, 401]
    for refusal in refusals:
        assert "/api/" not in refusal.message and "HTTP" not in refusal.message
        assert not any(str(code) in refusal.message for code in (401, 403, 404)), refusal.message
        assert refusal.message.endswith(".")
    assert refusals[3].endpoint_missing and not refusals[1].endpoint_missing


def _period():
    from datetime import date, timedelta

    return date.today() - timedelta(days=6), date.today()
