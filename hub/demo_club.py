"""Who the demo club is: its name, its people and their password (hub/seed.py creates them).

Kept apart from the seeding so that ``hub up`` can print the logins without importing the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CLUB_NAME = "Northside Hockey Club"
CLUB_SLUG = "northside-hockey-club"
CLUB_TIME_ZONE = "Europe/Stockholm"
SEASON = "2026-27"
TEAMS = ("U16", "U18")
DEMO_PASSWORD = "northside-demo"
SEED_WEEKS = 6
RANDOM_SEED = 2026


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    role: str
    teams: tuple[str, ...] = ()
    org_roles: tuple[str, ...] = ()
    # Players only: how reliably they train. A low value in the first weeks and full attendance later gives the
    # demo a player whose acute load spikes against a low chronic base (an ACWR flag for the coach to see).
    attendance_early: float = 0.92
    born: date | None = None
    guardian_of: str | None = None  # e-mail of the minor this person is a guardian of


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin@northside.example.org", "Anna Berg", "club_admin", org_roles=("club_admin",)),
    DemoLogin("coach@northside.example.org", "Johan Ek", "coach", teams=TEAMS),
    DemoLogin("trainer@northside.example.org", "Sara Lund", "physical_trainer", teams=TEAMS),
    DemoLogin("medical@northside.example.org", "Karin Holm", "medical_staff", org_roles=("medical_staff",)),
    DemoLogin(
        "parent@northside.example.org",
        "Maria Nilsson",
        "parent",
        teams=("U16",),
        guardian_of="elias.nilsson@northside.example.org",
    ),
    DemoLogin("elias.nilsson@northside.example.org", "Elias Nilsson", "player", teams=("U16",), born=date(2011, 4, 12)),
    DemoLogin(
        "liam.johansson@northside.example.org", "Liam Johansson", "player", teams=("U16",), born=date(2011, 8, 3)
    ),
    DemoLogin(
        "noah.karlsson@northside.example.org", "Noah Karlsson", "player", teams=("U16",), born=date(2010, 12, 19)
    ),
    DemoLogin("alva.persson@northside.example.org", "Alva Persson", "player", teams=("U16",), born=date(2011, 2, 27)),
    DemoLogin(
        "oscar.andersson@northside.example.org", "Oscar Andersson", "player", teams=("U18",), born=date(2009, 6, 30)
    ),
    DemoLogin(
        "hugo.larsson@northside.example.org",
        "Hugo Larsson",
        "player",
        teams=("U18",),
        attendance_early=0.3,
        born=date(2009, 10, 8),
    ),
    DemoLogin(
        "william.olsson@northside.example.org", "William Olsson", "player", teams=("U18",), born=date(2010, 1, 15)
    ),
    DemoLogin("ella.svensson@northside.example.org", "Ella Svensson", "player", teams=("U18",), born=date(2009, 3, 22)),
)
