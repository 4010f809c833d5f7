"""What the pipeline leaves for readers, made by hand: a real DuckDB warehouse holding the daily-load mart,
published as serving snapshots; and a club whose people carry real signed tokens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from operational.kit.auth import Principal
from operational.kit.config import HubSettings
from tests.factories import Person, token_for
from warehouse.serving import publish_snapshot

DAILY_LOAD = "marts.fct_player_daily_load"


class Warehouse:
    """The pipeline's side: a read-write connection on the warehouse file, kept open while the API serves."""

    def __init__(self, path: Path, serving_dir: Path):
        self.serving_dir = serving_dir
        self.conn = duckdb.connect(str(path))
        self.conn.execute("CREATE SCHEMA IF NOT EXISTS marts")
        self.conn.execute(
            f"""
            CREATE TABLE IF NOT EXISTS {DAILY_LOAD} (
                player_day_id VARCHAR NOT NULL,
                org_id VARCHAR NOT NULL,
                player_id VARCHAR NOT NULL,
                team_id VARCHAR,
                session_date DATE NOT NULL,
                session_count INTEGER NOT NULL,
                total_duration_minutes INTEGER NOT NULL,
                session_rpe_load_au BIGINT NOT NULL
            )
            """
        )

    def add_day(
        self,
        org_id: uuid.UUID,
        player_id: uuid.UUID,
        team_id: uuid.UUID | None,
        session_date: date,
        *,
        sessions: int = 1,
        minutes: int = 60,
        rpe: int = 7,
    ) -> int:
        """Add one player-day; returns its session-RPE load (AU)."""
        load = rpe * minutes
        self.conn.execute(
            f"INSERT INTO {DAILY_LOAD} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                f"{player_id}:{team_id}:{session_date}",
                str(org_id),
                str(player_id),
                None if team_id is None else str(team_id),
                session_date,
                sessions,
                minutes,
                load,
            ],
        )
        return load

    def publish(self) -> Path:
        return publish_snapshot(self.conn, self.serving_dir, [DAILY_LOAD])

    def close(self) -> None:
        self.conn.close()


@dataclass
class StatsClub:
    org_id: uuid.UUID
    team_id: uuid.UUID
    other_team_id: uuid.UUID
    people: dict[str, Person] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Person:
        return self.people[name]


# name: (roles, which of the club's teams the person is on)
ROSTER: dict[str, tuple[set[str], set[str]]] = {
    "admin": ({"club_admin"}, set()),
    "platform_admin": ({"platform_admin"}, set()),
    "coach": ({"coach"}, {"team"}),
    "trainer": ({"physical_trainer"}, {"team"}),
    "other_coach": ({"coach"}, {"other_team"}),
    "player": ({"player"}, {"team"}),
    "teammate": ({"player"}, {"team"}),
    "other_player": ({"player"}, {"other_team"}),
    "medic": ({"medical_staff"}, set()),
}


def make_stats_club(settings: HubSettings) -> StatsClub:
    """A club (its own tenant) with two teams; ids are fresh, tokens signed with the test key."""
    club = StatsClub(org_id=uuid.uuid4(), team_id=uuid.uuid4(), other_team_id=uuid.uuid4())
    teams = {"team": club.team_id, "other_team": club.other_team_id}
    for name, (roles, team_names) in ROSTER.items():
        person = person_with(settings, club.org_id, roles, {teams[t] for t in team_names}, email=f"{name}@example.org")
        club.people[name] = person
    return club


def person_with(
    settings: HubSettings,
    org_id: uuid.UUID,
    roles: set[str],
    team_ids: set[uuid.UUID],
    *,
    user_id: uuid.UUID | None = None,
    email: str = "someone@example.org",
    minutes: int = 15,
) -> Person:
    principal = Principal(
        user_id=user_id or uuid.uuid4(), org_id=org_id, roles=frozenset(roles), team_ids=frozenset(team_ids)
    )
    return Person(id=principal.user_id, email=email, principal=principal, token=token_for(settings, principal, minutes))
