"""What the pipeline leaves for readers, made by hand: a real DuckDB warehouse whose marts are the tables dbt itself
builds (the project run once per test process on no events, each test starting from a copy), so the marts, the stats
API's queries and these tests cannot drift apart; published as serving snapshots; and a club whose people carry real
signed tokens and are known to the warehouse by name."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from operational.kit.auth import Principal
from operational.kit.config import HubSettings
from pipelines.dbt_build import invoke_dbt
from tests.factories import Person, token_for
from warehouse.raw import ensure_raw_schema
from warehouse.serving import publish_snapshot

DAILY_LOAD = "marts.fct_player_daily_load"
PLAYERS = "marts.dim_players"
TEAMS = "marts.dim_teams"
MEMBERSHIPS = "marts.dim_team_memberships"

_template_lock = threading.Lock()
_template: list[Path] = []


def dbt_built_warehouse() -> Path:
    """A warehouse file in which ``dbt run`` built every model on an empty raw.events: the marts' tables exactly as
    the pipeline creates them (columns, types, constraints, documentation). Built once per test process."""
    with _template_lock:
        if not _template:
            directory = Path(tempfile.mkdtemp(prefix="hub-dbt-marts-"))
            atexit.register(shutil.rmtree, directory, True)
            # dbt-duckdb names the database after the file: the same name as production's
            path = directory / "hub.duckdb"
            with contextlib.closing(duckdb.connect(str(path))) as conn:
                ensure_raw_schema(conn)
            with _environment(HUB_WAREHOUSE_PATH=str(path), HUB_DBT_TARGET="duckdb"):
                outcome = invoke_dbt(["run"])
            if not outcome.success:
                raise RuntimeError(f"dbt could not build the marts: {outcome.exception or outcome.failed_nodes}")
            _template.append(path)
        return _template[0]


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    """dbt's profile reads the warehouse from the environment: set for the build only, then put back."""
    values = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **values}
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def mart_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        f"marts.{name}"
        for (name,) in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
            "AND table_schema = 'marts' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]


class Warehouse:
    """The pipeline's side: a read-write connection on a copy of the dbt-built warehouse, kept open while the API
    serves."""

    def __init__(self, path: Path, serving_dir: Path):
        self.serving_dir = serving_dir
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(dbt_built_warehouse(), path)
        self.conn = duckdb.connect(str(path))
        self.tables = mart_tables(self.conn)

    def insert(self, table: str, **values) -> None:
        """One row of a mart; columns not given are null."""
        names = list(values)
        self.conn.execute(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
            [str(v) if isinstance(v, uuid.UUID) else v for v in values.values()],
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
        check_entry_reason: str | None = None,
    ) -> int:
        """Add one player-day with sessions; returns its session-RPE load (AU)."""
        load = rpe * minutes
        self.insert(
            DAILY_LOAD,
            player_day_id=f"{player_id}:{team_id}:{session_date}",
            org_id=org_id,
            player_id=player_id,
            team_id=team_id,
            session_date=session_date,
            session_count=sessions,
            total_duration_minutes=minutes,
            session_rpe_load_au=load,
            wellness_submitted=False,
            day_has_data=True,
            check_entry_reason=check_entry_reason,
            highest_load_previous_28_days_au=None if check_entry_reason is None else load // 4,
        )
        return load

    def add_person(self, org_id: uuid.UUID, person_id: uuid.UUID, name: str, *, is_player: bool = False) -> None:
        self.insert(
            PLAYERS, player_id=person_id, org_id=org_id, player_name=name, is_player=is_player, is_active=True,
            is_anonymized=False,
        )  # fmt: skip

    def add_team(self, org_id: uuid.UUID, team_id: uuid.UUID, name: str) -> None:
        self.insert(TEAMS, team_id=team_id, org_id=org_id, team_name=name)

    def add_membership(
        self, org_id: uuid.UUID, team_id: uuid.UUID, person_id: uuid.UUID, role: str, *, current: bool = True
    ) -> None:
        membership_id = uuid.uuid4()
        self.insert(
            MEMBERSHIPS, membership_span_id=f"{membership_id}|1", membership_id=membership_id, org_id=org_id,
            team_id=team_id, player_id=person_id, role=role, valid_from=datetime(2026, 1, 1, tzinfo=UTC),
            valid_from_date=date(2026, 1, 1), is_current=current,
        )  # fmt: skip

    def publish(self) -> Path:
        return publish_snapshot(self.conn, self.serving_dir, self.tables)

    def close(self) -> None:
        self.conn.close()


@dataclass
class StatsClub:
    org_id: uuid.UUID
    team_id: uuid.UUID
    other_team_id: uuid.UUID
    people: dict[str, Person] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

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
    "parent": ({"parent"}, {"team"}),
}
# Names sort differently from the ids (and from the roster's order): lists must come back by name.
NAMES = {
    "admin": "Anna Berg",
    "platform_admin": "Per Lind",
    "coach": "Johan Ek",
    "trainer": "Sara Lund",
    "other_coach": "Olle Dahl",
    "player": "Elias Nilsson",
    "teammate": "Alva Persson",
    "other_player": "Hugo Larsson",
    "medic": "Karin Holm",
    "parent": "Maria Nilsson",
}
TEAM_NAMES = {"team": "U16", "other_team": "U18"}


def make_stats_club(settings: HubSettings, warehouse: Warehouse | None = None) -> StatsClub:
    """A club (its own tenant) with two teams; ids are fresh, tokens signed with the test key. The parent is the
    guardian of "player". With a warehouse, its people, teams and rosters are in the dimensions (unpublished)."""
    club = StatsClub(org_id=uuid.uuid4(), team_id=uuid.uuid4(), other_team_id=uuid.uuid4(), names=dict(NAMES))
    teams = {"team": club.team_id, "other_team": club.other_team_id}
    player_id = uuid.uuid4()
    for name, (roles, team_names) in ROSTER.items():
        person = person_with(
            settings,
            club.org_id,
            roles,
            {teams[t] for t in team_names},
            user_id=player_id if name == "player" else None,
            guardian_of={player_id} if name == "parent" else set(),
            email=f"{name}@example.org",
        )
        club.people[name] = person
        if warehouse is not None:
            warehouse.add_person(club.org_id, person.id, NAMES[name], is_player="player" in roles)
            for team in team_names:
                warehouse.add_membership(club.org_id, teams[team], person.id, next(iter(roles)))
    if warehouse is not None:
        for key, team_id in teams.items():
            warehouse.add_team(club.org_id, team_id, TEAM_NAMES[key])
    return club


def person_with(
    settings: HubSettings,
    org_id: uuid.UUID,
    roles: set[str],
    team_ids: set[uuid.UUID],
    *,
    user_id: uuid.UUID | None = None,
    guardian_of: set[uuid.UUID] = frozenset(),
    email: str = "someone@example.org",
    minutes: int = 15,
    time_zone: str = "UTC",
) -> Person:
    principal = Principal(
        user_id=user_id or uuid.uuid4(),
        org_id=org_id,
        roles=frozenset(roles),
        team_ids=frozenset(team_ids),
        guardian_of=frozenset(guardian_of),
        time_zone=time_zone,
    )
    return Person(id=principal.user_id, email=email, principal=principal, token=token_for(settings, principal, minutes))


def club_today(time_zone: str = "UTC") -> date:
    """The club's today, as the API computes it from a token's ``tz`` claim (the test tokens' zone is UTC)."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(time_zone)).date()
