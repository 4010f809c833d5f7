"""One player's copy of a session: loads resolved from their latest tests, exercises their restrictions rule out
flagged. Pure functions over rows already loaded."""

from __future__ import annotations

import uuid

from operational.training.models import Exercise, PlayerAvailability, SessionAssignment
from operational.training.programs.schemas import AssignmentRead

PLATE_KG = 2.5


def _round_to_plates(kg: float) -> float:
    return round(kg / PLATE_KG) * PLATE_KG


def personalise(blocks: list[dict], exercises: dict[uuid.UUID, Exercise], latest: dict[str, float]) -> list[dict]:
    """The template's blocks with every load resolved for one player (``latest``: test name → latest result)."""
    resolved = []
    for block in blocks:
        items = []
        for item in block["exercises"]:
            exercise = exercises[uuid.UUID(item["exercise_id"])]
            load_kg, note = item.get("load_kg"), None
            if (percent := item.get("load_percent_of_max")) is not None:
                reference = exercise.reference_test_name
                if reference is None:
                    note = f"{exercise.name} has no reference test; set the load by feel"
                elif reference not in latest:
                    note = f"no '{reference}' result yet; test it or set the load by feel"
                else:
                    load_kg = _round_to_plates(latest[reference] * percent / 100)
            items.append({**item, "exercise_name": exercise.name, "load_kg": load_kg, "load_note": note})
        resolved.append({"name": block["name"], "exercises": items})
    return resolved


def assignment_read(
    assignment: SessionAssignment,
    exercises: dict[uuid.UUID, Exercise],
    availability: PlayerAvailability | None,
    *,
    show_note: bool,
) -> AssignmentRead:
    """Flags are computed at read time from the current availability, so the trainer always sees today's reasons.

    Status, coded restrictions and the expected return are for whoever may see the assignment; the medical note for
    staff only when ``show_note`` (the reader coaches or trains the player's team).
    """
    reasons: list[str] = []
    restrictions = set(availability.restrictions) if availability else set()
    if availability and availability.status == "unavailable":
        until = f" (expected back {availability.expected_until})" if availability.expected_until else ""
        reasons.append(f"unavailable for training{until}")
    blocks = []
    for block in assignment.prescription:
        items = []
        for item in block["exercises"]:
            exercise = exercises.get(uuid.UUID(item["exercise_id"]))
            clash = sorted(restrictions & set(exercise.unsuitable_for if exercise else ()))
            flagged = f"{item['exercise_name']}: unsuitable under {', '.join(clash)}" if clash else None
            if flagged:
                reasons.append(flagged)
            items.append({**item, "flagged": flagged})
        blocks.append({"name": block["name"], "exercises": items})
    if show_note and availability and availability.note_for_staff and reasons:
        reasons.append(f"medical note: {availability.note_for_staff}")
    return AssignmentRead(
        player_id=assignment.player_id,
        status=assignment.status,
        restricted=bool(reasons),
        restriction_reasons=reasons,
        blocks=blocks,
        started_at=assignment.started_at,
        completed_at=assignment.completed_at,
    )
