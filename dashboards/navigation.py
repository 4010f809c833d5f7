"""Which pages each role is offered: the page list follows what the APIs let that person see.

- coaches and physical trainers: their teams' pages; club and platform admins: the same pages for every team;
- players: their own training; parents: their children's;
- medical staff: the club's open problems, the return-to-play board, access logs, and every team's availability and
  injury surveillance;
- club and platform admins also: the Admin section (club usage, system status, finance);
- anyone else: an honest page saying what there is for them.
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
    PageSpec("availability.py", "Availability", ":material/medical_services:", "availability"),
    PageSpec("injury_surveillance.py", "Injury surveillance", ":material/monitor_heart:", "injury-surveillance"),
    PageSpec("next_event.py", "Next event", ":material/event:", "next-event"),
    PageSpec("compliance.py", "Logged today", ":material/checklist:", "logged-today"),
    PageSpec("announcements.py", "Announcements", ":material/campaign:", "announcements"),
    PageSpec("player_detail.py", "Player detail", ":material/person:", "player-detail"),
    PageSpec("season_plan.py", "Season plan", ":material/calendar_month:", "season-plan"),
    PageSpec("goals.py", "Goals", ":material/flag:", "goals"),
]
OWN_PAGE = PageSpec("player_detail.py", "My training", ":material/person:", "my-training")
CHILD_PAGE = PageSpec("player_detail.py", "My child's training", ":material/family_restroom:", "child-training")
MEDICAL_PAGES = [
    PageSpec("medical_problems.py", "Open problems", ":material/healing:", "open-problems"),
    PageSpec("rtp_board.py", "Return to play", ":material/view_kanban:", "return-to-play"),
    PageSpec("access_log.py", "Access log", ":material/history:", "access-log"),
    *(page for page in TEAM_PAGES if page.script in ("availability.py", "injury_surveillance.py")),
]
OWN_GOALS_PAGE = PageSpec("goals.py", "My goals", ":material/flag:", "my-goals")
CHILD_GOALS_PAGE = PageSpec("goals.py", "My child's goals", ":material/flag:", "child-goals")
OWN_INVOICES_PAGE = PageSpec("invoices.py", "My invoices", ":material/receipt_long:", "my-invoices")
FAMILY_INVOICES_PAGE = PageSpec("invoices.py", "Family invoices", ":material/receipt_long:", "family-invoices")
NOTHING_PAGE = PageSpec("no_dashboards.py", "Overview", ":material/info:", "overview")
ADMIN_ROLES = ("club_admin", "platform_admin")
ADMIN_PAGES = [
    PageSpec("club_usage.py", "Club usage", ":material/groups:", "club-usage"),
    PageSpec("system_status.py", "System status", ":material/monitor_heart:", "system-status"),
    PageSpec("finance.py", "Finance", ":material/payments:", "finance"),
]


def sections_for(viewer: Viewer) -> dict[str, list[PageSpec]]:
    """Section title → pages, in order; the first page is the default."""
    sections: dict[str, list[PageSpec]] = {}
    if viewer.has_any_role(*STAFF_ROLES):
        title = "All teams" if viewer.has_any_role("club_admin", "platform_admin") else "My teams"
        sections[title] = TEAM_PAGES
    elif viewer.has_any_role("player"):
        sections["Me"] = [OWN_PAGE, OWN_GOALS_PAGE]
    elif viewer.has_any_role("parent") or viewer.guardian_of:
        sections["My children"] = [CHILD_PAGE, CHILD_GOALS_PAGE]
    # what a family pays: the player's own invoices, a guardian's for their children (the payments API's scope)
    for title, page in (("Me", OWN_INVOICES_PAGE), ("My children", FAMILY_INVOICES_PAGE)):
        if title in sections:
            sections[title] = [*sections[title], page]
    if viewer.has_any_role("medical_staff"):
        # a page already in a team section is not offered twice (each page has one address)
        offered = {page.url_path for pages in sections.values() for page in pages}
        sections["Medical"] = [page for page in MEDICAL_PAGES if page.url_path not in offered]
    if viewer.has_any_role(*ADMIN_ROLES):
        sections["Admin"] = ADMIN_PAGES
    if not sections:
        sections["Hockey Hub"] = [NOTHING_PAGE]
    return sections
