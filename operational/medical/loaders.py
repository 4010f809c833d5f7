"""Every id a client sends to the medical service is resolved here: looked up in the caller's club (another club's
id, or no such thing: 404) and checked against the caller's right to it (403)."""

from __future__ import annotations

from operational.kit.loaders import Loader, in_club
from operational.kit.roster import roster_fetches
from operational.medical import policies, repository
from operational.medical.documents import repository as documents_repository
from operational.medical.ostrc import repository as ostrc_repository

CLINICAL_DENIED = "Clinical records are for medical staff, the player and a minor's guardian."
STAFF_ONLY = "Only medical staff can do that."


_fetch_player, _fetch_team = roster_fetches(repository)


player_loader = Loader("player", _fetch_player)
availability_player = player_loader.narrowed(
    policies.can_see_availability,
    "You can see your own availability (and your minor's); coaches their teams' players'; medical staff everyone's.",
)
clinical_player = player_loader.narrowed(policies.can_see_clinical_of, CLINICAL_DENIED)
treated_player = player_loader.narrowed(policies.can_change_clinical, STAFF_ONLY)

team_loader = Loader("team", _fetch_team)
visible_team = team_loader.narrowed(policies.can_see_team, "You are not a member of that team.")

problem_loader = Loader(
    "health problem", in_club(repository.get_problem), allowed=policies.can_read_record, denied=CLINICAL_DENIED
)
problem_editor = problem_loader.narrowed(policies.can_change_clinical, STAFF_ONLY)

document_loader = Loader(
    "document", in_club(documents_repository.get_document), allowed=policies.can_read_record, denied=CLINICAL_DENIED
)

task_loader = Loader(
    "task", in_club(ostrc_repository.get_task), allowed=policies.can_change_clinical, denied=STAFF_ONLY
)

# dependencies for path parameters
ReadableProblem = problem_loader.from_path("problem_id")
EditableProblem = problem_editor.from_path("problem_id")
AvailabilityPlayer = availability_player.from_path("player_id")
TreatedPlayer = treated_player.from_path("player_id")
ClinicalPlayer = clinical_player.from_path("player_id")
TaskInPath = task_loader.from_path("task_id")
ReadableDocument = document_loader.from_path("document_id")

# filters
ClinicalPlayerFilter = clinical_player.from_query("player_id", "Only this player's")
TeamFilter = visible_team.from_query("team_id", "Only the players of this team")
