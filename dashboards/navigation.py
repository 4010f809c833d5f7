"""Which pages each role is offered: the page list follows what the APIs let that person see.

- coaches and physical trainers: their teams' pages; club and platform admins: the same pages for every team;
- players: their own training; parents: their children's;
- medical staff (and anyone else): an honest page saying what there is for them.
Someone with several roles gets every section that applies.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboards.session import Viewer

STAFF_ROLES = ("coach", "physical_trainer", "club_admin", "platform_admin")
OWN_ROLES = ("player", "parent")


@dataclass(frozen=True)
class PageSpec:
    script: str  # under dashboards/views/
    title: str
    icon: str
    url_path: str


TEAM_PAGES = [
    PageSpec("team_load.py", "Team load", ":material/monitoring:", "team-load"),
    PageSpec("load_board.py", "Team load board", ":material/table_chart:", "load-board"),
    PageSpec("attendance.py", "Attendance", ":material/event_available:", "attendance"),
    PageSpec("next_event.py", "Next event", ":material/event:", "next-event"),
    PageSpec("compliance.py", "Logged today", ":material/checklist:", "logged-today"),
    PageSpec("announcements.py", "Announcements", ":material/campaign:", "announcements"),
    PageSpec("player_detail.py", "Player detail", ":material/person:", "player-detail"),
]
OWN_PAGE = PageSpec("player_detail.py", "My training", ":material/person:", "my-training")
CHILD_PAGE = PageSpec("player_detail.py", "My child's training", ":material/family_restroom:", "child-training")
NOTHING_PAGE = PageSpec("no_dashboards.py", "Overview", ":material/info:", "overview")


def sections_for(viewer: Viewer) -> dict[str, list[PageSpec]]:
    """Section title → pages, in order; the first page is the default."""
    sections: dict[str, list[PageSpec]] = {}
    if viewer.has_any_role(*STAFF_ROLES):
        title = "All teams" if viewer.has_any_role("club_admin", "platform_admin") else "My teams"
        sections[title] = TEAM_PAGES
    elif viewer.has_any_role("player"):
        sections["Me"] = [OWN_PAGE]
    elif viewer.has_any_role("parent") or viewer.guardian_of:
        sections["My children"] = [CHILD_PAGE]
    if not sections:
        sections["Hockey Hub"] = [NOTHING_PAGE]
    return sections
