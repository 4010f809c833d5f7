"""Every id a client sends to the planning service, in a path, a query or a body, is resolved here: looked up in the
caller's club (another club's id, or no such thing: 404) and checked against the caller's right to it (403)."""

from __future__ import annotations

from operational.kit.loaders import Loader, in_club
from operational.kit.roster import roster_fetches
from operational.planning import policies, repository
from operational.planning.goals import repository as goals_repository

_fetch_player, _fetch_team = roster_fetches(repository)

# --- people and teams -----------------------------------------------------------------------------------------------
player_loader = Loader("player", _fetch_player)
visible_player = player_loader.narrowed(
    policies.can_see_player, "You can see your own plans (and your minor's), and staff their teams' players'."
)
coached_player = player_loader.narrowed(policies.can_coach_player, "That player is not on a team you coach.")

team_loader = Loader("team", _fetch_team)
visible_team = team_loader.narrowed(policies.can_see_team, "You are not a member of that team.")
managed_team = team_loader.narrowed(
    policies.can_manage_team, "Only the team's coaches and physical trainers (or a club admin) can plan for it."
)

# --- season plans ---------------------------------------------------------------------------------------------------
plan_loader = Loader(
    "season plan",
    in_club(repository.get_plan),
    allowed=policies.can_read_plan,
    denied="You can see the season plans of your own teams.",
)
plan_editor = plan_loader.narrowed(
    policies.can_change_plan, "Only the team's coaches and physical trainers (or a club admin) can change its plan."
)

game_loader = Loader("game", in_club(repository.get_game))

ReadablePlan = plan_loader.from_path("plan_id")
EditablePlan = plan_editor.from_path("plan_id")
GameInPath = game_loader.from_path("series_id")
TeamFilter = visible_team.from_query("team_id", "Only this team's")

# --- goals and development plans -------------------------------------------------------------------------------------
goal_loader = Loader(
    "goal",
    in_club(goals_repository.get_goal),
    allowed=policies.can_read_about,
    denied="You can see your own goals (and your minor's), your teams' goals, and staff their players' goals.",
)
goal_editor = goal_loader.narrowed(
    policies.can_change_about, "Only coaches and physical trainers of the team (or a club admin) can change goals."
)
development_plan_loader = Loader(
    "development plan",
    in_club(goals_repository.get_development_plan),
    allowed=policies.can_read_about,
    denied="You can see your own development plan (and your minor's), and staff their players' plans.",
)
development_plan_editor = development_plan_loader.narrowed(
    policies.can_change_about,
    "Only coaches and physical trainers of the player's team (or a club admin) can change a development plan.",
)

ReadableGoal = goal_loader.from_path("goal_id")
EditableGoal = goal_editor.from_path("goal_id")
ReadableDevelopmentPlan = development_plan_loader.from_path("development_plan_id")
EditableDevelopmentPlan = development_plan_editor.from_path("development_plan_id")
PlayerFilter = visible_player.from_query("player_id", "Only this player's")
