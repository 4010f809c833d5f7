"""Every id a client can send, in every endpoint of the club API, read from its OpenAPI document.

For each operation that takes an id (path, query or body, nested included) a recipe gives a valid request of club A.
The test then puts into each id slot, one at a time:
- the id of the same kind of object in another club B: refused with 404 (ids reveal nothing across clubs);
- the id of an object of club A that the caller may not touch: refused with 403 or 404.
Finally the recipe itself must succeed, which proves the refusals came from the id and not from a bad request.

A new endpoint with an id, or a new id field, fails ``test_every_operation_with_an_id_has_a_recipe`` until it gets a
recipe, so nobody has to remember to cover it.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest

from tests.security.openapi_ids import id_slots, leaf, substitute
from tests.security.world import FUTURE_OCCURRENCE, PAST_OCCURRENCE, World, build_world

YESTERDAY_KEY = "{yesterday}"  # the world fills it in
LAST_WEEK_KEY = "{last_week}"
HOOPER = {"sleep_quality": 3, "fatigue": 4, "stress": 2, "muscle_soreness": 5}
EVENT = {"kind": "practice", "title": "Skills", "starts_at": "2027-04-06T17:00:00+02:00", "duration_minutes": 60}

# The object of club B that stands for each id name.
FOREIGN = {
    "team_id": "B.team",
    "player_id": "B.player",
    "player_ids": "B.player",
    "user_id": "B.player",
    "minor_id": "B.player",
    "guardian_id": "B.parent",
    "created_by": "B.coach",
    "series_id": "B.event",
    "calendar_event_id": "B.event",
    "booking_id": "B.booking",
    "resource_id": "B.resource",
    "feed_id": "B.feed",
    "log_id": "B.rpe_log",
    "wellness_id": "B.wellness",
    "test_id": "B.test",
    "result_id": "B.result",
    "exercise_id": "B.exercise",
    "template_id": "B.template",
    "session_id": "B.session",
    "membership_id": "B.membership",
    "link_id": "B.guardian_link",
    "problem_id": "B.problem",
    "task_id": "B.task",
    "document_id": "B.document",
    "plan_id": "B.plan",
    "mesocycle_id": "B.mesocycle",
    "goal_id": "B.goal",
    "development_plan_id": "B.dev_plan",
    "club_id": "B.club",
    "notification_id": "B.notification",
    "subscription_id": "B.push_subscription",
    "conversation_id": "B.conversation",
    "member_ids": "B.player",
    "message_id": "B.message",
    "reply_to_id": "B.message",
    "after": "B.message",
    "announcement_id": "B.announcement",
    "attachment_id": "B.attachment",
    "attachment_ids": "B.attachment",
    "fee_plan_id": "B.fee_plan",
    "invoice_id": "B.invoice",
    "payment_id": "B.payment",
    "transfer_id": "B.transfer",
    "from_team_id": "B.team",
    "to_team_id": "B.team",
    "to_player_id": "B.player",
    "from_org_id": "B.club",
    "to_org_id": "B.club",
}
# For a coach of A.team: the object of the same club that is not theirs (another team's, another player's …).
# Kinds missing here are club-wide (tests, templates, exercises, rinks) and usable by every coach.
NOT_THE_COACHS = {
    "team_id": "A.other_team",
    "player_id": "A.other_player",
    "player_ids": "A.other_player",
    "user_id": "A.other_player",
    "minor_id": "A.other_player",
    "series_id": "A.other_event",
    "booking_id": "A.other_booking",
    "feed_id": "A.other_feed",
    "log_id": "A.other_rpe_log",
    "wellness_id": "A.other_wellness",
    "result_id": "A.other_result",
    "session_id": "A.other_session",
    "membership_id": "A.other_membership",
    "plan_id": "A.other_plan",
    "goal_id": "A.other_goal",
    "development_plan_id": "A.other_dev_plan",
}


@dataclass(frozen=True)
class Recipe:
    """A valid request of club A: who sends it, and its path parameters, query and body (placeholders ``{A.x}``).

    ``inside`` overrides, per slot, the own-club object the actor may not use (None: there is none for this slot);
    by default a coach gets :data:`NOT_THE_COACHS`, any other actor none.
    """

    actor: str
    path: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: Any = None
    ok: frozenset[int] = frozenset({200, 201, 204})
    inside: dict[str, str | None] = field(default_factory=dict)
    # slots where an own-club id that does not fit is a 422 (a record is filed under the player's own team, an
    # attendance sheet lists the event's players): the caller learns nothing they may not know
    unfitting: frozenset[str] = frozenset()
    # a multipart upload: form field → (file name, content, content type)
    files: dict[str, tuple[str, bytes, str]] | None = None


OCC = {"series_id": "{A.event}", "occurrence_start": FUTURE_OCCURRENCE}
PAST = {"series_id": "{A.past_event}", "occurrence_start": PAST_OCCURRENCE}
PLAN = {"plan_id": "{A.plan}"}
DEV = {"development_plan_id": "{A.dev_plan}"}
GOAL = {
    "team_id": "{A.team}",
    "player_id": "{A.player}",
    "development_plan_id": "{A.dev_plan}",
    "title": "Sprint under 4.3 s",
    "metric": "test_result",
    "test_name": "30 m sprint",
    "comparator": "at_most",
    "target_value": 4.3,
    "starts_on": "2026-09-01",
    "due_on": "2027-02-28",
}
DEV_PLAN = {
    "player_id": "{A.player}",
    "team_id": "{A.team}",
    "title": "Next season",
    "focus_areas": ["Edges"],
    "starts_on": "2027-05-01",
}
PLAN_WEEK = {
    "planned_sessions": 5,
    "planned_load_au": 2000,
    "intensity_mix": {"low_pct": 40, "moderate_pct": 40, "high_pct": 20},
}
RECIPES: dict[tuple[str, str], Recipe] = {
    # --- comms ----------------------------------------------------------------------------------------------------
    ("POST", "/api/v1/comms/notifications/{notification_id}/read"): Recipe(
        "A.player",
        path={"notification_id": "{A.notification}"},
        inside={"path:notification_id": "A.other_notification"},
    ),
    ("DELETE", "/api/v1/comms/push/subscriptions/{subscription_id}"): Recipe(
        "A.player",
        path={"subscription_id": "{A.push_subscription}"},
        inside={"path:subscription_id": "A.other_push_subscription"},
    ),
    ("POST", "/api/v1/comms/conversations"): Recipe(
        "A.coach",
        body={"kind": "group", "title": "Parents", "member_ids": ["{A.player}", "{A.parent}"]},
        inside={"body:member_ids[]": None},  # anyone in the club may be asked into a conversation
    ),
    ("POST", "/api/v1/comms/conversations/{conversation_id}/members"): Recipe(
        "A.coach",
        path={"conversation_id": "{A.conversation}"},
        body={"user_id": "{A.teammate}"},
        inside={"path:conversation_id": "A.other_conversation", "body:user_id": None},
    ),
    ("DELETE", "/api/v1/comms/conversations/{conversation_id}/members/me"): Recipe(
        "A.coach",
        path={"conversation_id": "{A.spare_conversation}"},
        inside={"path:conversation_id": "A.other_conversation"},
    ),
    ("GET", "/api/v1/comms/conversations/{conversation_id}/messages"): Recipe(
        "A.player",
        path={"conversation_id": "{A.conversation}"},
        query={"after": "{A.message}"},
        inside={"path:conversation_id": "A.other_conversation", "query:after": "A.other_message"},
    ),
    ("POST", "/api/v1/comms/conversations/{conversation_id}/messages"): Recipe(
        "A.coach",
        path={"conversation_id": "{A.conversation}"},
        body={"body": "Reply", "reply_to_id": "{A.message}", "attachment_ids": ["{A.unsent_attachment}"]},
        inside={
            "path:conversation_id": "A.other_conversation",
            "body:reply_to_id": "A.other_message",
            "body:attachment_ids[]": "A.players_unsent_attachment",
        },
    ),
    ("POST", "/api/v1/comms/conversations/{conversation_id}/attachments"): Recipe(
        "A.coach",
        path={"conversation_id": "{A.conversation}"},
        inside={"path:conversation_id": "A.other_conversation"},
        files={"file": ("lineup.png", b"\x89PNG\r\n\x1a\n lineup", "image/png")},
    ),
    ("GET", "/api/v1/comms/attachments/{attachment_id}"): Recipe(
        "A.player",
        path={"attachment_id": "{A.attachment}"},
        inside={"path:attachment_id": "A.other_attachment"},
    ),
    ("GET", "/api/v1/comms/messages/{message_id}/receipts"): Recipe(
        "A.coach", path={"message_id": "{A.message}"}, inside={"path:message_id": "A.other_message"}
    ),
    ("GET", "/api/v1/comms/messages/{message_id}/history"): Recipe(
        "A.admin", path={"message_id": "{A.message}"}, inside={"path:message_id": None}
    ),
    ("POST", "/api/v1/comms/conversations/{conversation_id}/read"): Recipe(
        "A.player",
        path={"conversation_id": "{A.conversation}"},
        inside={"path:conversation_id": "A.other_conversation"},
    ),
    ("PATCH", "/api/v1/comms/messages/{message_id}"): Recipe(
        "A.coach",
        path={"message_id": "{A.message}"},
        body={"body": "Edited"},
        inside={"path:message_id": "A.other_message"},
    ),
    ("DELETE", "/api/v1/comms/messages/{message_id}"): Recipe(
        "A.coach", path={"message_id": "{A.spare_message}"}, inside={"path:message_id": "A.other_message"}
    ),
    ("POST", "/api/v1/comms/announcements"): Recipe(
        "A.coach", body={"team_id": "{A.team}", "title": "Forms", "body": "Hand them in."}
    ),
    ("GET", "/api/v1/comms/announcements/{announcement_id}"): Recipe(
        "A.player",
        path={"announcement_id": "{A.announcement}"},
        inside={"path:announcement_id": "A.other_announcement"},
    ),
    ("POST", "/api/v1/comms/announcements/{announcement_id}/acknowledge"): Recipe(
        "A.parent",
        path={"announcement_id": "{A.announcement}"},
        body={"player_id": "{A.player}"},
        inside={"path:announcement_id": "A.other_announcement", "body:player_id": "A.teammate"},
    ),
    ("GET", "/api/v1/comms/announcements/{announcement_id}/report"): Recipe(
        "A.coach",
        path={"announcement_id": "{A.announcement}"},
        inside={"path:announcement_id": "A.other_announcement"},
    ),
    # --- users ----------------------------------------------------------------------------------------------------
    ("GET", "/api/v1/users"): Recipe("A.coach", query={"team_id": "{A.team}"}),
    ("POST", "/api/v1/users/invitations"): Recipe(
        "A.coach", body={"email": "{uniq}@example.org", "full_name": "New", "team_id": "{A.team}", "role": "player"}
    ),
    ("GET", "/api/v1/users/invitations"): Recipe("A.admin", query={"team_id": "{A.team}"}),
    ("GET", "/api/v1/users/{user_id}"): Recipe("A.coach", path={"user_id": "{A.player}"}),
    ("PATCH", "/api/v1/users/{user_id}"): Recipe(
        "A.parent", path={"user_id": "{A.player}"}, body={"position": "wing"}, inside={"path:user_id": "A.teammate"}
    ),
    ("POST", "/api/v1/users/{user_id}/deactivate"): Recipe(
        "A.admin", path={"user_id": "{A.spare1}"}, body={"reason": "left"}
    ),
    ("POST", "/api/v1/users/{user_id}/invitation"): Recipe("A.admin", path={"user_id": "{A.invited}"}),
    ("POST", "/api/v1/users/{user_id}/erase"): Recipe("A.admin", path={"user_id": "{A.spare2}"}),
    ("GET", "/api/v1/users/{minor_id}/guardians"): Recipe(
        "A.parent", path={"minor_id": "{A.player}"}, inside={"path:minor_id": "A.teammate"}
    ),
    ("POST", "/api/v1/users/{minor_id}/guardians"): Recipe(
        "A.admin", path={"minor_id": "{A.player}"}, body={"guardian_id": "{A.spare3}"}
    ),
    ("DELETE", "/api/v1/users/guardian-links/{link_id}"): Recipe("A.admin", path={"link_id": "{A.spare_link}"}),
    ("POST", "/api/v1/users/guardian-links/{link_id}/consent"): Recipe(
        "A.player", path={"link_id": "{A.guardian_link}"}, ok=frozenset({200, 409, 422})
    ),
    ("GET", "/api/v1/teams/{team_id}"): Recipe("A.coach", path={"team_id": "{A.team}"}),
    ("PATCH", "/api/v1/teams/{team_id}"): Recipe("A.admin", path={"team_id": "{A.team}"}, body={"level": "A"}),
    ("GET", "/api/v1/teams/{team_id}/members"): Recipe("A.coach", path={"team_id": "{A.team}"}),
    ("POST", "/api/v1/teams/{team_id}/members"): Recipe(
        "A.admin", path={"team_id": "{A.team}"}, body={"user_id": "{A.spare4}", "role": "player"}
    ),
    ("PATCH", "/api/v1/teams/{team_id}/members/{membership_id}"): Recipe(
        "A.admin", path={"team_id": "{A.team}", "membership_id": "{A.spare_membership}"}, body={"role": "parent"}
    ),
    ("DELETE", "/api/v1/teams/{team_id}/members/{membership_id}"): Recipe(
        "A.coach",
        path={"team_id": "{A.team}", "membership_id": "{A.spare_membership}"},
        inside={"path:team_id": "A.other_team", "path:membership_id": "A.other_membership"},
    ),
    # --- training -------------------------------------------------------------------------------------------------
    ("POST", "/api/v1/training/rpe-logs"): Recipe(
        "A.parent",
        body={"player_id": "{A.player}", "session_date": YESTERDAY_KEY, "rpe": 5, "duration_minutes": 47},
        inside={"body:player_id": "A.teammate", "body:team_id": "A.other_team", "body:session_id": "A.other_session"},
        unfitting=frozenset({"body:team_id"}),
    ),
    ("GET", "/api/v1/training/rpe-logs"): Recipe("A.coach", query={"team_id": "{A.team}"}),
    ("GET", "/api/v1/training/rpe-logs/{log_id}"): Recipe("A.coach", path={"log_id": "{A.rpe_log}"}),
    ("PATCH", "/api/v1/training/rpe-logs/{log_id}"): Recipe(
        "A.coach",
        path={"log_id": "{A.rpe_log}"},
        body={"rpe": 6},
        inside={"body:session_id": None},
        unfitting=frozenset({"body:team_id"}),
    ),
    ("DELETE", "/api/v1/training/rpe-logs/{log_id}"): Recipe("A.coach", path={"log_id": "{A.spare_rpe_log}"}),
    ("POST", "/api/v1/training/wellness"): Recipe(
        "A.parent",
        body={"player_id": "{A.player}", "items": HOOPER, "wellness_date": YESTERDAY_KEY},
        inside={"body:player_id": "A.teammate", "body:team_id": "A.other_team"},
        unfitting=frozenset({"body:team_id"}),
    ),
    ("GET", "/api/v1/training/wellness"): Recipe("A.coach", query={"team_id": "{A.team}"}),
    ("GET", "/api/v1/training/wellness/{wellness_id}"): Recipe("A.coach", path={"wellness_id": "{A.wellness}"}),
    ("PATCH", "/api/v1/training/wellness/{wellness_id}"): Recipe(
        "A.coach",
        path={"wellness_id": "{A.wellness}"},
        body={"sleep_hours": 7.5},
        unfitting=frozenset({"body:team_id"}),
    ),
    ("DELETE", "/api/v1/training/wellness/{wellness_id}"): Recipe(
        "A.coach", path={"wellness_id": "{A.spare_wellness}"}
    ),
    ("PUT", "/api/v1/training/teams/{team_id}/settings"): Recipe(
        "A.coach", path={"team_id": "{A.team}"}, body={"wellness_instrument": "hooper"}
    ),
    ("POST", "/api/v1/training/tests/{test_id}/results"): Recipe(
        "A.coach",
        path={"test_id": "{A.test}"},
        body={"player_id": "{A.player}", "value": 4.3, "tested_on": YESTERDAY_KEY},
        unfitting=frozenset({"body:team_id"}),
    ),
    ("GET", "/api/v1/training/tests/{test_id}/results"): Recipe(
        "A.coach", path={"test_id": "{A.test}"}, query={"team_id": "{A.team}"}
    ),
    ("GET", "/api/v1/training/tests/{test_id}/results/{result_id}"): Recipe(
        "A.coach", path={"test_id": "{A.test}", "result_id": "{A.result}"}
    ),
    ("GET", "/api/v1/training/exercises/{exercise_id}"): Recipe("A.coach", path={"exercise_id": "{A.exercise}"}),
    ("PATCH", "/api/v1/training/exercises/{exercise_id}"): Recipe(
        "A.coach", path={"exercise_id": "{A.exercise}"}, body={"instructions": "Quick feet."}
    ),
    ("GET", "/api/v1/training/templates"): Recipe("A.coach", query={"team_id": "{A.team}"}),
    ("POST", "/api/v1/training/templates"): Recipe(
        "A.coach",
        body={
            "name": "Power",
            "blocks": [{"name": "Jumps", "exercises": [{"exercise_id": "{A.exercise}", "reps": 5}]}],
        },
    ),
    ("GET", "/api/v1/training/templates/{template_id}"): Recipe("A.coach", path={"template_id": "{A.template}"}),
    ("PATCH", "/api/v1/training/templates/{template_id}"): Recipe(
        "A.coach",
        path={"template_id": "{A.template}"},
        body={"blocks": [{"name": "Jumps", "exercises": [{"exercise_id": "{A.exercise}", "reps": 6}]}]},
    ),
    ("GET", "/api/v1/training/sessions"): Recipe("A.coach", query={"team_id": "{A.team}"}),
    ("POST", "/api/v1/training/sessions"): Recipe(
        "A.coach",
        body={
            "title": "Gym",
            "starts_at": "2027-04-07T16:00:00Z",
            "template_id": "{A.template}",
            "player_ids": ["{A.player}"],
        },
        inside={"body:calendar_event_id": "A.other_event"},
    ),
    ("GET", "/api/v1/training/sessions/{session_id}"): Recipe("A.coach", path={"session_id": "{A.session}"}),
    ("POST", "/api/v1/training/sessions/{session_id}/cancel"): Recipe(
        "A.coach", path={"session_id": "{A.spare_session}"}, body={"reason": "ice time lost"}
    ),
    ("POST", "/api/v1/training/sessions/{session_id}/players/{player_id}/start"): Recipe(
        "A.player",
        path={"session_id": "{A.started_session}", "player_id": "{A.player}"},
        inside={"path:session_id": "A.other_session", "path:player_id": "A.teammate"},
    ),
    ("POST", "/api/v1/training/sessions/{session_id}/players/{player_id}/complete"): Recipe(
        "A.player",
        path={"session_id": "{A.started_session}", "player_id": "{A.player}"},
        body={"performed": [{"exercise_id": "{A.exercise}", "sets": 3, "reps": 5}]},
        inside={
            "path:session_id": "A.other_session",
            "path:player_id": "A.teammate",
            "body:performed[].exercise_id": None,
        },
    ),
    # --- calendar -------------------------------------------------------------------------------------------------
    ("POST", "/api/v1/calendar/events"): Recipe("A.coach", body={**EVENT, "team_id": "{A.team}"}),
    ("GET", "/api/v1/calendar/events"): Recipe(
        "A.coach", query={"team_id": "{A.team}"}, inside={"query:created_by": None}
    ),
    ("POST", "/api/v1/calendar/events:check"): Recipe("A.coach", body={**EVENT, "team_id": "{A.team}"}),
    ("GET", "/api/v1/calendar/events/{series_id}"): Recipe("A.coach", path={"series_id": "{A.event}"}),
    ("PATCH", "/api/v1/calendar/events/{series_id}"): Recipe(
        "A.coach", path={"series_id": "{A.event}"}, body={"title": "Skills and drills"}
    ),
    ("DELETE", "/api/v1/calendar/events/{series_id}"): Recipe("A.coach", path={"series_id": "{A.spare_event}"}),
    ("PATCH", "/api/v1/calendar/events/{series_id}/occurrences/{occurrence_start}"): Recipe(
        "A.coach", path=OCC, body={"title": "Skills (moved)"}, unfitting=frozenset({"body:player_ids[]"})
    ),
    ("DELETE", "/api/v1/calendar/events/{series_id}/occurrences/{occurrence_start}"): Recipe(
        "A.coach", path={"series_id": "{A.spare_event_2}", "occurrence_start": FUTURE_OCCURRENCE}
    ),
    ("GET", "/api/v1/calendar/occurrences"): Recipe("A.coach", query={"team_id": "{A.team}"}),
    ("PUT", "/api/v1/calendar/events/{series_id}/occurrences/{occurrence_start}/rsvp"): Recipe(
        "A.parent",
        path=OCC,
        body={"response": "going", "player_id": "{A.player}"},
        inside={"path:series_id": "A.other_event", "body:player_id": "A.teammate"},
    ),
    ("GET", "/api/v1/calendar/events/{series_id}/occurrences/{occurrence_start}/rsvps"): Recipe(
        "A.coach", path=OCC, query={"player_id": "{A.player}"}, inside={"query:player_id": None}
    ),
    ("PUT", "/api/v1/calendar/events/{series_id}/occurrences/{occurrence_start}/attendance"): Recipe(
        "A.coach",
        path=PAST,
        body={"records": [{"player_id": "{A.player}", "status": "present"}]},
        unfitting=frozenset({"body:records[].player_id"}),
    ),
    ("GET", "/api/v1/calendar/events/{series_id}/occurrences/{occurrence_start}/attendance"): Recipe(
        "A.coach", path=PAST, query={"player_id": "{A.player}"}, inside={"query:player_id": None}
    ),
    ("POST", "/api/v1/calendar/bookings"): Recipe(
        "A.coach",
        body={
            "resource_id": "{A.resource}",
            "team_id": "{A.team}",
            "starts_at": "2027-06-01T10:00:00Z",
            "ends_at": "2027-06-01T11:00:00Z",
        },
    ),
    ("GET", "/api/v1/calendar/bookings"): Recipe("A.coach", query={"team_id": "{A.team}"}),
    ("GET", "/api/v1/calendar/bookings/{booking_id}"): Recipe("A.coach", path={"booking_id": "{A.booking}"}),
    ("POST", "/api/v1/calendar/bookings/{booking_id}/{action}"): Recipe(
        "A.coach", path={"booking_id": "{A.spare_booking}", "action": "cancel"}
    ),
    ("GET", "/api/v1/calendar/events/{series_id}/event.ics"): Recipe("A.coach", path={"series_id": "{A.event}"}),
    ("POST", "/api/v1/calendar/feeds"): Recipe("A.coach", body={"team_id": "{A.team}"}),
    ("DELETE", "/api/v1/calendar/feeds/{feed_id}"): Recipe("A.coach", path={"feed_id": "{A.spare_feed}"}),
    # --- admin: clubs (only platform admins suspend; a club admin is refused by role on their own club) ---------
    ("GET", "/api/v1/admin/clubs/{club_id}"): Recipe("A.admin", path={"club_id": "{A.club}"}),
    ("POST", "/api/v1/admin/clubs/{club_id}/suspend"): Recipe(
        "A.admin", path={"club_id": "{A.club}"}, ok=frozenset({403})
    ),
    ("POST", "/api/v1/admin/clubs/{club_id}/reactivate"): Recipe(
        "A.admin", path={"club_id": "{A.club}"}, ok=frozenset({403})
    ),
    # --- medical --------------------------------------------------------------------------------------------------
    ("POST", "/api/v1/medical/problems"): Recipe(
        "A.medic",
        body={
            "player_id": "{A.player}",
            "kind": "injury",
            "osiics_code": "AL1",
            "side": "left",
            "onset": "sudden",
            "activity": "practice",
            "time_loss": False,
            "onset_date": YESTERDAY_KEY,
        },
    ),
    ("GET", "/api/v1/medical/problems"): Recipe("A.medic", query={"player_id": "{A.player}"}),
    ("GET", "/api/v1/medical/problems/{problem_id}"): Recipe(
        "A.player", path={"problem_id": "{A.problem}"}, inside={"path:problem_id": "A.other_problem"}
    ),
    ("PATCH", "/api/v1/medical/problems/{problem_id}"): Recipe(
        "A.medic", path={"problem_id": "{A.problem}"}, body={"notes": "Reviewed."}
    ),
    ("POST", "/api/v1/medical/problems/{problem_id}/treatments"): Recipe(
        "A.medic",
        path={"problem_id": "{A.problem}"},
        body={"treated_on": "{today}", "kind": "physiotherapy", "clinician": "Club physio"},
    ),
    ("GET", "/api/v1/medical/problems/{problem_id}/treatments"): Recipe(
        "A.parent", path={"problem_id": "{A.problem}"}, inside={"path:problem_id": "A.other_problem"}
    ),
    ("POST", "/api/v1/medical/problems/{problem_id}/return-to-play"): Recipe(
        "A.medic", path={"problem_id": "{A.concussion}"}, body={"protocol": "concussion_graduated_return"}
    ),
    ("GET", "/api/v1/medical/problems/{problem_id}/return-to-play"): Recipe(
        "A.player", path={"problem_id": "{A.rtp_problem}"}, inside={"path:problem_id": "A.other_problem"}
    ),
    ("POST", "/api/v1/medical/problems/{problem_id}/return-to-play/decisions"): Recipe(
        "A.medic", path={"problem_id": "{A.rtp_problem}"}, body={"action": "symptoms_returned"}
    ),
    ("GET", "/api/v1/medical/availability"): Recipe("A.coach", query={"team_id": "{A.team}"}),
    ("GET", "/api/v1/medical/players/{player_id}/availability"): Recipe("A.coach", path={"player_id": "{A.player}"}),
    ("PUT", "/api/v1/medical/players/{player_id}/availability"): Recipe(
        "A.medic", path={"player_id": "{A.teammate}"}, body={"status": "limited", "restrictions": ["no_contact"]}
    ),
    ("GET", "/api/v1/medical/players/{player_id}/access-log"): Recipe(
        "A.parent", path={"player_id": "{A.player}"}, inside={"path:player_id": "A.teammate"}
    ),
    ("GET", "/api/v1/medical/players/{player_id}/export"): Recipe(
        "A.parent", path={"player_id": "{A.player}"}, inside={"path:player_id": "A.teammate"}
    ),
    ("POST", "/api/v1/medical/ostrc"): Recipe(
        "A.parent",
        body={"player_id": "{A.player}", "week_start": LAST_WEEK_KEY, "participation": "full_without_health_problem"},
        inside={"body:player_id": "A.teammate"},
    ),
    ("GET", "/api/v1/medical/ostrc"): Recipe("A.medic", query={"player_id": "{A.player}"}),
    ("POST", "/api/v1/medical/tasks/{task_id}/done"): Recipe("A.medic", path={"task_id": "{A.task}"}),
    ("POST", "/api/v1/medical/problems/{problem_id}/documents"): Recipe(
        "A.medic",
        path={"problem_id": "{A.problem}"},
        files={"file": ("report.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf")},
    ),
    ("GET", "/api/v1/medical/problems/{problem_id}/documents"): Recipe(
        "A.parent", path={"problem_id": "{A.problem}"}, inside={"path:problem_id": "A.other_problem"}
    ),
    ("GET", "/api/v1/medical/documents/{document_id}"): Recipe(
        "A.player", path={"document_id": "{A.document}"}, inside={"path:document_id": "A.other_document"}
    ),
    # --- planning -------------------------------------------------------------------------------------------------
    ("POST", "/api/v1/planning/plans"): Recipe(
        "A.coach", body={"team_id": "{A.team}", "name": "Next", "starts_on": "2031-08-04", "ends_on": "2032-04-25"}
    ),
    ("GET", "/api/v1/planning/plans"): Recipe("A.coach", query={"team_id": "{A.team}"}),
    ("GET", "/api/v1/planning/plans/{plan_id}"): Recipe("A.player", path=PLAN, inside={"path:plan_id": "A.other_plan"}),
    ("PATCH", "/api/v1/planning/plans/{plan_id}"): Recipe("A.coach", path=PLAN, body={"name": "2026-27 (v2)"}),
    ("DELETE", "/api/v1/planning/plans/{plan_id}"): Recipe("A.coach", path={"plan_id": "{A.spare_plan}"}),
    ("POST", "/api/v1/planning/plans/{plan_id}/shift"): Recipe(
        "A.coach", path=PLAN, body={"from_week_start": "2027-04-05", "weeks": 1}
    ),
    ("GET", "/api/v1/planning/plans/{plan_id}/weeks"): Recipe("A.coach", path=PLAN),
    ("PUT", "/api/v1/planning/plans/{plan_id}/weeks/{week_start}"): Recipe(
        "A.coach", path={**PLAN, "week_start": "2026-08-24"}, body=PLAN_WEEK
    ),
    ("DELETE", "/api/v1/planning/plans/{plan_id}/weeks/{week_start}"): Recipe(
        "A.coach", path={**PLAN, "week_start": "2026-08-10"}
    ),
    ("POST", "/api/v1/planning/plans/{plan_id}/weeks/{week_start}/copy"): Recipe(
        "A.coach", path={**PLAN, "week_start": "2026-08-10"}, body={"to_week_start": "2026-08-17"}
    ),
    ("POST", "/api/v1/planning/plans/{plan_id}/mesocycles/{mesocycle_id}/template"): Recipe(
        "A.coach",
        path={**PLAN, "mesocycle_id": "{A.mesocycle}"},
        body={"template": "step_3_1", "base_load_au": 2000, "sessions_per_week": 5},
    ),
    ("GET", "/api/v1/planning/plans/{plan_id}/key-games"): Recipe("A.coach", path=PLAN),
    ("PUT", "/api/v1/planning/plans/{plan_id}/key-games/{series_id}"): Recipe(
        "A.coach", path={**PLAN, "series_id": "{A.game}"}, body={"priority": "A"}
    ),
    ("POST", "/api/v1/planning/goals"): Recipe("A.coach", body=GOAL),
    ("GET", "/api/v1/planning/goals"): Recipe("A.coach", query={"team_id": "{A.team}", "player_id": "{A.player}"}),
    ("GET", "/api/v1/planning/goals/{goal_id}"): Recipe(
        "A.parent", path={"goal_id": "{A.goal}"}, inside={"path:goal_id": "A.other_goal"}
    ),
    ("PATCH", "/api/v1/planning/goals/{goal_id}"): Recipe(
        "A.coach", path={"goal_id": "{A.goal}"}, body={"title": "Be there"}
    ),
    ("DELETE", "/api/v1/planning/goals/{goal_id}"): Recipe("A.coach", path={"goal_id": "{A.spare_goal}"}),
    ("POST", "/api/v1/planning/development-plans"): Recipe("A.coach", body=DEV_PLAN),
    ("GET", "/api/v1/planning/development-plans"): Recipe("A.coach", query={"player_id": "{A.player}"}),
    ("GET", "/api/v1/planning/development-plans/{development_plan_id}"): Recipe(
        "A.parent", path=DEV, inside={"path:development_plan_id": "A.other_dev_plan"}
    ),
    ("PATCH", "/api/v1/planning/development-plans/{development_plan_id}"): Recipe(
        "A.coach", path=DEV, body={"focus_areas": ["Speed", "Shooting"]}
    ),
    ("POST", "/api/v1/planning/development-plans/{development_plan_id}/reviews"): Recipe(
        "A.coach", path=DEV, body={"reviewed_on": "{yesterday}", "summary": "Faster on the first three strides."}
    ),
    # rehab plan: written before it is read, changed and (DELETE recipes run last) withdrawn; the exercise is the
    # predefined "Copenhagen adductor plank" (a stable id, the same in every club)
    ("POST", "/api/v1/medical/problems/{problem_id}/rehab-plan"): Recipe(
        "A.medic",
        path={"problem_id": "{A.problem}"},
        body={
            "starts_on": "{today}",
            "exercises": [{"exercise_id": "0f5f7906-9241-535a-b07e-5094d3e136ed", "sets": 3, "times_per_week": 3}],
        },
    ),
    ("GET", "/api/v1/medical/problems/{problem_id}/rehab-plan"): Recipe(
        "A.parent", path={"problem_id": "{A.problem}"}, inside={"path:problem_id": "A.other_problem"}
    ),
    ("PATCH", "/api/v1/medical/problems/{problem_id}/rehab-plan"): Recipe(
        "A.medic",
        path={"problem_id": "{A.problem}"},
        body={"exercises": [{"exercise_id": "0f5f7906-9241-535a-b07e-5094d3e136ed", "sets": 4, "times_per_week": 2}]},
    ),
    ("DELETE", "/api/v1/medical/problems/{problem_id}/rehab-plan"): Recipe(
        "A.medic", path={"problem_id": "{A.problem}"}
    ),
    # --- payments -------------------------------------------------------------------------------------------------
    ("POST", "/api/v1/payments/fee-plans"): Recipe(
        "A.admin",
        body={
            "team_id": "{A.team}",
            "name": "Fee",
            "amount_minor": 100,
            "season_start": "{today}",
            "season_end": "{today}",
        },
    ),  # fmt: skip
    ("POST", "/api/v1/payments/fee-plans/{fee_plan_id}/invoice-runs"): Recipe(
        "A.admin", path={"fee_plan_id": "{A.fee_plan}"}, body={}
    ),
    ("GET", "/api/v1/payments/invoices"): Recipe("A.admin", query={"player_id": "{A.player}", "team_id": "{A.team}"}),
    ("GET", "/api/v1/payments/invoices/{invoice_id}"): Recipe(
        "A.parent", path={"invoice_id": "{A.invoice}"}, inside={"path:invoice_id": "A.teammate_invoice"}
    ),
    ("GET", "/api/v1/payments/invoices/{invoice_id}.pdf"): Recipe(
        "A.parent", path={"invoice_id": "{A.invoice}"}, inside={"path:invoice_id": "A.teammate_invoice"}
    ),
    ("DELETE", "/api/v1/payments/invoices/{invoice_id}"): Recipe("A.admin", path={"invoice_id": "{A.spare_draft}"}),
    ("POST", "/api/v1/payments/invoices/{invoice_id}/issue"): Recipe(
        "A.admin", path={"invoice_id": "{A.draft_invoice}"}
    ),
    ("POST", "/api/v1/payments/invoices/{invoice_id}/void"): Recipe("A.admin", path={"invoice_id": "{A.void_invoice}"}),
    ("POST", "/api/v1/payments/invoices/{invoice_id}/mark-uncollectible"): Recipe(
        "A.admin", path={"invoice_id": "{A.writeoff_invoice}"}
    ),
    ("POST", "/api/v1/payments/invoices/{invoice_id}/credit-notes"): Recipe(
        "A.admin", path={"invoice_id": "{A.invoice}"}, body={"amount_minor": 100, "reason": "Goodwill"}
    ),
    ("POST", "/api/v1/payments/invoices/{invoice_id}/checkout"): Recipe(
        "A.parent",
        path={"invoice_id": "{A.invoice}"},
        body={"method": "bank_transfer"},
        inside={"path:invoice_id": "A.teammate_invoice"},
    ),
    ("POST", "/api/v1/payments/invoices/{invoice_id}/instalments"): Recipe(
        "A.parent",
        path={"invoice_id": "{A.invoice}"},
        body={"count": 2, "first_due_on": "2099-01-01"},
        inside={"path:invoice_id": "A.teammate_invoice"},
    ),
    ("POST", "/api/v1/payments/payments/{payment_id}/refunds"): Recipe(
        "A.admin",
        path={"payment_id": "{A.payment}"},
        body={"amount_minor": 100, "destination": "credit_balance", "reason": "Goodwill"},
    ),
    ("PUT", "/api/v1/payments/hardship/{user_id}"): Recipe("A.admin", path={"user_id": "{A.player}"}),
    ("DELETE", "/api/v1/payments/hardship/{user_id}"): Recipe("A.admin", path={"user_id": "{A.player}"}),
    ("POST", "/api/v1/payments/invoices/{invoice_id}/payments"): Recipe(
        "A.admin", path={"invoice_id": "{A.invoice}"}, body={"amount_minor": 100}
    ),
    ("POST", "/api/v1/payments/transfers"): Recipe(
        "A.admin",
        body={
            "player_id": "{A.transfer_player}",
            "from_team_id": "{A.transfer_team}",
            "to_team_id": "{A.transfer_back_team}",
        },  # fmt: skip
        ok=frozenset({202}),
    ),
    ("GET", "/api/v1/payments/transfers/{transfer_id}"): Recipe("A.admin", path={"transfer_id": "{A.transfer}"}),
    ("PUT", "/api/v1/payments/invoices/{invoice_id}/instalments/payment-method"): Recipe(
        "A.parent",
        path={"invoice_id": "{A.invoice}"},
        body={"payment_method": "card", "card": "pm_new"},
        inside={"path:invoice_id": "A.teammate_invoice"},
    ),  # after the instalments recipe above, which plans them
}


@pytest.fixture(scope="module")
def world(settings) -> World:
    with build_world(settings) as world:
        yield world


def _document() -> dict:
    from operational.gateway import create_app

    return create_app().openapi()


SLOTS = id_slots(_document())


def _cases() -> list[tuple[str, str, str, str]]:
    cases = []
    for (method, path), slots in SLOTS.items():
        recipe = RECIPES.get((method, path))
        if recipe is None:
            continue
        for slot in slots:
            cases.append((method, path, slot, "another club"))
            if _inside_object(recipe, slot) is not None:
                cases.append((method, path, slot, "not theirs"))
    return cases


def _inside_object(recipe: Recipe, slot: str) -> str | None:
    if slot in recipe.inside:
        return recipe.inside[slot]
    return NOT_THE_COACHS.get(leaf(slot)) if recipe.actor == "A.coach" else None


def _send(world: World, method: str, path: str, actor: str, request: dict[str, Any], files=None):
    filled = json.loads(_fill(json.dumps(request), world.ids))
    url = path
    for name, value in filled.get("path", {}).items():
        url = url.replace("{" + name + "}", quote(value, safe=""))
    return world.client.request(
        method,
        url,
        params=filled.get("query") or None,
        json=filled.get("body"),
        files=files,
        headers=world.people[actor].headers,
    )


def _fill(text: str, ids: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        return uuid.uuid4().hex[:10] if match.group(1) == "uniq" else ids[match.group(1)]

    return re.sub(r"\{([A-Za-z_.0-9]+)\}", value, text)


def _request(recipe: Recipe) -> dict[str, Any]:
    request: dict[str, Any] = {"path": dict(recipe.path), "query": dict(recipe.query)}
    if recipe.body is not None:
        request["body"] = recipe.body
    return request


def test_every_operation_with_an_id_has_a_recipe():
    missing = sorted(f"{method} {path}" for method, path in SLOTS if (method, path) not in RECIPES)
    stale = sorted(f"{method} {path}" for method, path in RECIPES if (method, path) not in SLOTS)
    assert not missing, f"add a recipe for: {missing}"
    assert not stale, f"no such operation any more: {stale}"
    unknown = sorted({leaf(slot) for slots in SLOTS.values() for slot in slots} - set(FOREIGN))
    assert not unknown, f"say which object of club B stands for: {unknown}"


@pytest.mark.parametrize(("method", "path", "slot", "whose"), _cases(), ids=lambda v: str(v))
def test_an_id_the_caller_may_not_use_is_refused(world, method, path, slot, whose):
    recipe = RECIPES[(method, path)]
    if whose == "another club":
        value, expected = "{" + FOREIGN[leaf(slot)] + "}", {404}
    else:
        value, expected = "{" + _inside_object(recipe, slot) + "}", {403, 404}
        if slot in recipe.unfitting:
            expected = {403, 404, 422}

    response = _send(world, method, path, recipe.actor, substitute(_request(recipe), slot, value), recipe.files)

    assert response.status_code in expected, f"{slot} = {value}: {response.status_code} {response.text}"
    assert response.json()["error"]["code"] in {"not_found", "forbidden", "invalid_value"}


@pytest.mark.parametrize(("method", "path"), sorted(RECIPES, key=lambda op: op[0] == "DELETE"), ids=str)
def test_the_recipe_itself_is_accepted(world, method, path):
    recipe = RECIPES[(method, path)]

    response = _send(world, method, path, recipe.actor, _request(recipe), recipe.files)

    assert response.status_code in recipe.ok, response.text
