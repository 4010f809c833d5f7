"""Names for the ids the statistics carry: pages show people and teams by name, ordered by name, never by id.

Where a name comes from, first found wins:
1. the statistics response itself (``player_name`` / ``team_name`` next to each id);
2. the statistics API's ``/stats/me`` (the viewer, their children, the teams they may read);
3. the club API (a team's roster, the club's teams, one person) — what the viewer may see there.
Whatever stays unknown is called "Unknown player" / "Unnamed team", never shown as an id. Answers are kept in the
viewer's own session for a few minutes.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboards import session
from dashboards.client import ApiError, ClubClient, StatsClient

UNKNOWN_PLAYER = "Unknown player"
UNNAMED_TEAM = "Unnamed team"
ADMIN_ROLES = ("club_admin", "platform_admin")


@dataclass(frozen=True)
class Named:
    id: str
    name: str


def by_name(items: list[Named]) -> list[Named]:
    return sorted(items, key=lambda item: (item.name.casefold(), item.id))


class Directory:
    def __init__(self, viewer: session.Viewer, stats: StatsClient, club: ClubClient):
        self.viewer = viewer
        self.stats = stats
        self.club = club
        self._players: dict[str, str] = {}
        self._teams: dict[str, str] = {}

    # --- what the statistics API says about the viewer --------------------------------------------------------
    def me(self) -> dict | None:
        """``/stats/me``, or None while the statistics API does not offer it (or cannot answer)."""

        def fetch() -> dict | None:
            try:
                return self.stats.me()
            except ApiError as error:
                if error.status_code == 401:
                    raise
                return None

        me = session.remembered("stats_me", fetch)
        if me:
            self.learn(me.get("players", []))
            self.learn(me.get("teams", []))
            self.learn(me.get("health_teams", []))
        return me

    def learn(self, items: list[dict]) -> None:
        """Remember the names a response carries next to its ids."""
        for item in items:
            if item.get("player_id") and item.get("player_name"):
                self._players[str(item["player_id"])] = item["player_name"]
            if item.get("team_id") and item.get("team_name"):
                self._teams[str(item["team_id"])] = item["team_name"]

    # --- teams -------------------------------------------------------------------------------------------------
    def _club_teams(self) -> dict[str, str]:
        def fetch() -> dict[str, str]:
            try:
                return {str(t["id"]): t["name"] for t in self.club.teams()}
            except ApiError as error:
                if error.status_code == 401:
                    raise
                return {}

        return session.remembered("club_teams", fetch)

    def team_name(self, team_id: str) -> str:
        team_id = str(team_id)
        if team_id not in self._teams:
            self.me()
        return self._teams.get(team_id) or self._club_teams().get(team_id) or UNNAMED_TEAM

    def teams(self, *, health: bool = False) -> list[Named]:
        """The teams whose pages the viewer may open, by name: every team of the club for admins, otherwise the
        teams in the viewer's token. ``health``: the teams whose availability and injury pages the viewer may open
        (every team of the club for medical staff, too)."""
        me = self.me()
        if health and self.viewer.has_any_role("medical_staff"):
            ids = {str(t["team_id"]) for t in (me or {}).get("health_teams", [])} | set(self.viewer.team_ids)
            return by_name([Named(t, self.team_name(t)) for t in ids])
        if self.viewer.has_any_role(*ADMIN_ROLES):
            ids = set(self._club_teams()) | {str(t["team_id"]) for t in (me or {}).get("teams", [])}
            ids |= set(self.viewer.team_ids)
        else:
            ids = set(self.viewer.team_ids)
        return by_name([Named(t, self.team_name(t)) for t in ids])

    # --- players -----------------------------------------------------------------------------------------------
    def roster(self, team_id: str) -> list[Named]:
        """The team's players by name (empty when the club API does not show them to the viewer)."""

        def fetch() -> list[tuple[str, str]]:
            try:
                return [(str(u["id"]), u["full_name"]) for u in self.club.team_members(team_id, role="player")]
            except ApiError as error:
                if error.status_code == 401:
                    raise
                return []

        players = session.remembered(f"roster:{team_id}", fetch)
        for player_id, name in players:
            self._players.setdefault(player_id, name)
        return by_name([Named(p, n) for p, n in players])

    def player_name(self, player_id: str, team_id: str | None = None) -> str:
        player_id = str(player_id)
        if player_id not in self._players:
            self.me()
        if player_id not in self._players and team_id is not None:
            self.roster(team_id)
        if player_id not in self._players:
            self._players[player_id] = self._person_name(player_id) or UNKNOWN_PLAYER
        return self._players[player_id]

    def player_labels(self, player_ids, team_id: str | None = None) -> dict[str, str]:
        """A label per player id: their name, with a number added where two players share one (so charts and
        tables never merge two people)."""
        labels: dict[str, str] = {}
        seen: dict[str, int] = {}
        for player_id in sorted({str(p) for p in player_ids}):
            name = self.player_name(player_id, team_id)
            seen[name] = seen.get(name, 0) + 1
            labels[player_id] = name if seen[name] == 1 else f"{name} ({seen[name]})"
        return labels

    def _person_name(self, user_id: str) -> str | None:
        def fetch() -> str | None:
            try:
                return self.club.user(user_id)["full_name"]
            except ApiError as error:
                if error.status_code == 401:
                    raise
                return None

        return session.remembered(f"person:{user_id}", fetch)

    def own_players(self) -> list[Named]:
        """Whose own statistics the viewer reads: themself if a player, and the children they are guardian of."""
        me = self.me()
        if me and me.get("players"):
            ids = [str(p["player_id"]) for p in me["players"]]
        else:
            ids = ([self.viewer.user_id] if self.viewer.has_any_role("player") else []) + list(self.viewer.guardian_of)
        own = [Named(str(i), self.player_name(i)) for i in ids if str(i) == str(self.viewer.user_id)]
        children = by_name([Named(str(i), self.player_name(i)) for i in ids if str(i) != str(self.viewer.user_id)])
        return own + children  # themself first, then the children by name
