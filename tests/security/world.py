"""Two clubs, A and B, with one of every kind of object the club API names by id, made through the API itself.

Club A also has, for each kind, one object a coach of A's first team may not touch (``other_*``: the other team's or
another player's) and spare objects that recipes change or delete (``spare_*``), so no request spoils another.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.factories import Club, Person, make_club
from tests.messaging import drain_and_consume
from tests.operational.calendar.helpers import feed_read_models, roster_events

CAL, TRAIN, USERS, MED = "/api/v1/calendar", "/api/v1/training", "/api/v1/users", "/api/v1/medical"
PLAN = "/api/v1/planning"
PAY = "/api/v1/payments"
FUTURE_START = "2027-03-16T17:00:00+01:00"
FUTURE_OCCURRENCE = "2027-03-16T16:00:00Z"
PAST_START = "2026-03-17T17:00:00+01:00"
PAST_OCCURRENCE = "2026-03-17T16:00:00Z"
HOOPER = {"sleep_quality": 3, "fatigue": 4, "stress": 2, "muscle_soreness": 5}


@dataclass
class World:
    client: TestClient
    ids: dict[str, str]
    people: dict[str, Person]


def _ok(response, *statuses: int) -> Any:
    assert response.status_code in (statuses or (200, 201)), response.text
    return response.json() if response.content else None


class _Maker:
    def __init__(self, client: TestClient, club: Club, label: str):
        self.client, self.club, self.label = client, club, label
        self.ids: dict[str, str] = {}

    def post(self, who: str, path: str, body: dict | None = None) -> Any:
        return _ok(self.client.post(path, json=body, headers=self.club[who].headers))

    def get(self, who: str, path: str, **params) -> Any:
        return _ok(self.client.get(path, params=params or None, headers=self.club[who].headers))

    def keep(self, name: str, value: Any) -> None:
        self.ids[f"{self.label}.{name}"] = str(value)

    def event(self, who: str, team_id: uuid.UUID, starts_at: str, **extra) -> str:
        body = {"kind": "practice", "title": "Ice", "starts_at": starts_at, "duration_minutes": 90, **extra}
        return self.post(who, f"{CAL}/events", {**body, "team_id": str(team_id)})["event"]["id"]

    def booking(self, who: str, team_id: uuid.UUID, resource: str, day: int) -> str:
        slot = {"starts_at": f"2027-05-{day:02d}T10:00:00Z", "ends_at": f"2027-05-{day:02d}T11:00:00Z"}
        body = {"resource_id": resource, "team_id": str(team_id), **slot}
        return self.post(who, f"{CAL}/bookings", body)["booking"]["id"]

    def rpe_log(self, who: str, minutes: int) -> str:
        yesterday = (date.today() - timedelta(days=1)).isoformat()
        return self.post(who, f"{TRAIN}/rpe-logs", {"session_date": yesterday, "rpe": 5, "duration_minutes": minutes})[
            "id"
        ]

    def wellness(self, who: str, days_ago: int) -> str:
        day = (date.today() - timedelta(days=days_ago)).isoformat()
        return self.post(who, f"{TRAIN}/wellness", {"items": HOOPER, "wellness_date": day})["id"]

    def session(self, who: str, starts_at: str, **body) -> str:
        return self.post(who, f"{TRAIN}/sessions", {"title": "Gym", "starts_at": starts_at, **body})["id"]

    def membership(self, team_id: uuid.UUID, user_id: uuid.UUID) -> str:
        person = self.get("admin", f"{USERS}/{user_id}")
        return next(m["id"] for m in person["memberships"] if m["team_id"] == str(team_id))

    def guardian_link(self, minor_id: uuid.UUID, guardian_id: uuid.UUID) -> str:
        links = self.get("admin", f"{USERS}/{minor_id}/guardians")
        items = links["items"] if isinstance(links, dict) else links
        return next(link["id"] for link in items if link["guardian_id"] == str(guardian_id))

    def problem(self, player: str, code: str, **extra) -> str:
        body = {"player_id": str(self.club[player].id), "kind": "injury", "osiics_code": code, "onset": "sudden",
                "activity": "game", "time_loss": True, "onset_date": date.today().isoformat(), **extra}  # fmt: skip
        return self.post("medic", f"{MED}/problems", body)["id"]

    def document(self, problem_id: str) -> str:
        pdf = {"file": ("scan.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf")}
        response = self.client.post(
            f"{MED}/problems/{problem_id}/documents", files=pdf, headers=self.club["medic"].headers
        )
        return _ok(response)["id"]

    def medical(self) -> None:
        self.keep("problem", self.problem("player", "GT1", side="left", mechanism="contact"))
        self.keep("other_problem", self.problem("other_player", "TH1", side="right", mechanism="contact"))
        self.keep("document", self.document(self.ids[f"{self.label}.problem"]))
        self.keep("other_document", self.document(self.ids[f"{self.label}.other_problem"]))
        self.keep("concussion", self.problem("player", "HN1", mechanism="contact"))
        rtp_problem = self.problem("player", "HNV", mechanism="contact")
        self.post("medic", f"{MED}/problems/{rtp_problem}/return-to-play", {"protocol": "concussion_graduated_return"})
        self.keep("rtp_problem", rtp_problem)
        answers = {
            "participation": "reduced_due_to_health_problem",
            "training_volume": "moderate",
            "performance": "minor",
            "symptoms": "mild",
            "problem_kind": "illness",
            "new_problem": True,
        }
        self.post("player", f"{MED}/ostrc", answers)
        tasks = self.get("medic", f"{MED}/tasks")["items"]
        self.keep("task", next(t["id"] for t in tasks if t["player_id"] == str(self.club["player"].id)))

    def plan(self, who: str, team_id: uuid.UUID, starts_on: str, ends_on: str) -> dict:
        meso = {
            "name": "Base",
            "starts_on": starts_on,
            "ends_on": (date.fromisoformat(starts_on) + timedelta(27)).isoformat(),
        }
        body = {
            "team_id": str(team_id),
            "name": "Season",
            "starts_on": starts_on,
            "ends_on": ends_on,
            "mesocycles": [meso],
        }
        return self.post(who, f"{PLAN}/plans", body)

    def development_plan(self, who: str, team_id: uuid.UUID, player: str) -> str:
        body = {"player_id": str(self.club[player].id), "team_id": str(team_id), "title": "Growth"}
        return self.post(
            who, f"{PLAN}/development-plans", body | {"focus_areas": ["Speed"], "starts_on": "2026-09-01"}
        )["id"]

    def goal(self, who: str, team_id: uuid.UUID, player: str) -> str:
        body = {"team_id": str(team_id), "player_id": str(self.club[player].id), "title": "Attend", "target_value": 90}
        dates = {"metric": "attendance_rate", "starts_on": "2026-09-01", "due_on": "2027-03-31"}
        return self.post(who, f"{PLAN}/goals", body | dates)["id"]

    def planning(self, *, spares: bool) -> None:
        club = self.club
        self.keep("game", self.event("coach", club.team_id, FUTURE_START, kind="game", title="Final"))
        plan = self.plan("coach", club.team_id, "2026-08-03", "2027-04-25")
        self.keep("plan", plan["id"])
        self.keep("mesocycle", plan["mesocycles"][0]["id"])
        week = {
            "planned_sessions": 4,
            "planned_load_au": 1800,
            "intensity_mix": {"low_pct": 50, "moderate_pct": 30, "high_pct": 20},
        }
        _ok(self.client.put(f"{PLAN}/plans/{plan['id']}/weeks/2026-08-10", json=week, headers=club["coach"].headers))
        self.keep("other_plan", self.plan("other_coach", club.other_team_id, "2026-08-03", "2027-04-25")["id"])
        self.keep("dev_plan", self.development_plan("coach", club.team_id, "player"))
        self.keep("other_dev_plan", self.development_plan("other_coach", club.other_team_id, "other_player"))
        self.keep("goal", self.goal("coach", club.team_id, "player"))
        self.keep("other_goal", self.goal("other_coach", club.other_team_id, "other_player"))
        if spares:
            self.keep("spare_goal", self.goal("coach", club.team_id, "player"))
            self.keep("spare_plan", self.plan("coach", club.team_id, "2028-08-07", "2029-04-29")["id"])

    def invoices(self, amount_minor: int) -> dict[str, str]:
        """The first team's season invoices of a new fee plan, as drafts: player's name → invoice id."""
        plan = {"team_id": str(self.club.team_id), "name": "Season fee", "amount_minor": amount_minor}
        plan |= {
            "season_start": date.today().isoformat(),
            "season_end": (date.today() + timedelta(days=200)).isoformat(),
        }
        plan_id = self.post("admin", f"{PAY}/fee-plans", plan)["id"]
        self.keep("fee_plan", plan_id)
        drafts = self.post("admin", f"{PAY}/fee-plans/{plan_id}/invoice-runs", {})["invoices"]
        names = {str(self.club[name].id): name for name in ("player", "teammate")}
        return {names[invoice["player_id"]]: invoice["id"] for invoice in drafts}

    def payments(self, *, spares: bool) -> None:
        season = self.invoices(10000)
        for name, kept in (("player", "invoice"), ("teammate", "teammate_invoice")):
            self.keep(kept, self.post("admin", f"{PAY}/invoices/{season[name]}/issue")["id"])
        payment = self.post("admin", f"{PAY}/invoices/{season['player']}/payments", {"amount_minor": 1000})
        self.keep("payment", payment["id"])
        if spares:
            to_cancel = self.invoices(5000)
            for name, kept in (("player", "void_invoice"), ("teammate", "writeoff_invoice")):
                self.keep(kept, self.post("admin", f"{PAY}/invoices/{to_cancel[name]}/issue")["id"])
            drafts = self.invoices(2000)
            self.keep("draft_invoice", drafts["player"])
            self.keep("spare_draft", drafts["teammate"])

    def transfer(self) -> None:
        """The medic, a player of a team of their own, moved to another new team (no fee involved)."""
        first = self.post("admin", "/api/v1/teams", {"name": "U12"})["id"]
        second = self.post("admin", "/api/v1/teams", {"name": "U14"})["id"]
        medic = str(self.club["medic"].id)
        self.post("admin", f"/api/v1/teams/{first}/members", {"user_id": medic, "role": "player"})
        body = {"player_id": medic, "from_team_id": first, "to_team_id": second}
        transfer = _ok(self.client.post(f"{PAY}/transfers", json=body, headers=self.club["admin"].headers), 202)
        self.keep("transfer", transfer["id"])
        self.keep("transfer_player", medic)
        self.keep("transfer_team", second)
        self.keep("transfer_back_team", first)

    def everything(self, *, spares: bool) -> dict[str, str]:
        club = self.club
        self.keep("team", club.team_id)
        self.keep("club", club.org_id)
        self.keep("other_team", club.other_team_id)
        self.ids |= {f"{self.label}.{name}": str(person.id) for name, person in club.people.items()}
        self.keep("event", self.event("coach", club.team_id, FUTURE_START, rrule="FREQ=WEEKLY;COUNT=4"))
        self.keep("other_event", self.event("other_coach", club.other_team_id, FUTURE_START))
        self.keep("past_event", self.event("coach", club.team_id, PAST_START))
        resource = self.post("admin", f"{CAL}/resources", {"name": "Rink A", "kind": "rink"})["id"]
        self.keep("resource", resource)
        self.keep("booking", self.booking("coach", club.team_id, resource, 3))
        self.keep("other_booking", self.booking("other_coach", club.other_team_id, resource, 4))
        self.keep("feed", self.post("coach", f"{CAL}/feeds", {"team_id": str(club.team_id)})["id"])
        self.keep("other_feed", self.post("other_coach", f"{CAL}/feeds", {})["id"])
        self.keep("rpe_log", self.rpe_log("player", 45))
        self.keep("other_rpe_log", self.rpe_log("other_player", 45))
        self.keep("wellness", self.wellness("player", 0))
        self.keep("other_wellness", self.wellness("other_player", 0))
        sprint = {"name": "30 m sprint", "unit": "s", "direction": "lower_is_better"}
        test = self.post("coach", f"{TRAIN}/tests", sprint)["id"]
        self.keep("test", test)
        yesterday = (date.today() - timedelta(days=1)).isoformat()
        result = {"player_id": str(club["player"].id), "value": 4.4, "tested_on": yesterday}
        self.keep("result", self.post("coach", f"{TRAIN}/tests/{test}/results", result)["id"])
        other_result = {"player_id": str(club["other_player"].id), "value": 4.6, "tested_on": yesterday}
        self.keep("other_result", self.post("other_coach", f"{TRAIN}/tests/{test}/results", other_result)["id"])
        exercise = self.post("coach", f"{TRAIN}/exercises", {"name": "Crossover drill", "category": "on_ice"})["id"]
        self.keep("exercise", exercise)
        blocks = [{"name": "Drills", "exercises": [{"exercise_id": exercise, "reps": 5}]}]
        template = self.post("coach", f"{TRAIN}/templates", {"name": "Edges", "blocks": blocks})["id"]
        self.keep("template", template)
        tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
        self.keep("session", self.session("coach", tomorrow, team_id=str(club.team_id), template_id=template))
        self.keep("other_session", self.session("other_coach", tomorrow, team_id=str(club.other_team_id)))
        self.keep("membership", self.membership(club.team_id, club["player"].id))
        self.keep("other_membership", self.membership(club.other_team_id, club["other_player"].id))
        self.keep("guardian_link", self.guardian_link(club["player"].id, club["parent"].id))
        self.medical()
        self.planning(spares=spares)
        self.payments(spares=spares)
        self.transfer()
        if spares:
            self._spares(tomorrow, resource)
        return self.ids

    def _spares(self, tomorrow: str, resource: str) -> None:
        club = self.club
        self.keep("spare_event", self.event("coach", club.team_id, FUTURE_START))
        self.keep("spare_event_2", self.event("coach", club.team_id, FUTURE_START, rrule="FREQ=WEEKLY;COUNT=2"))
        self.keep("spare_booking", self.booking("coach", club.team_id, resource, 5))
        self.keep("spare_feed", self.post("coach", f"{CAL}/feeds", {})["id"])
        self.keep("spare_rpe_log", self.rpe_log("player", 50))
        self.keep("spare_wellness", self.wellness("player", 2))
        self.keep("spare_session", self.session("coach", tomorrow, team_id=str(club.team_id)))
        an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
        started = {"team_id": str(club.team_id), "template_id": self.ids[f"{self.label}.template"]}
        self.keep("started_session", self.session("coach", an_hour_ago, **started))
        self.post(
            "admin", f"/api/v1/teams/{club.team_id}/members", {"user_id": str(club["spare5"].id), "role": "player"}
        )
        self.keep("spare_membership", self.membership(club.team_id, club["spare5"].id))
        self.post("admin", f"{USERS}/{club['player'].id}/guardians", {"guardian_id": str(club["spare6"].id)})
        self.keep("spare_link", self.guardian_link(club["player"].id, club["spare6"].id))
        invited = {"email": f"invited-{uuid.uuid4().hex[:8]}@example.org", "full_name": "Invited Person"}
        self.keep("invited", self.post("admin", f"{USERS}/invitations", invited)["user_id"])


def _conversations(client: TestClient, club: Club, label: str, *, spares: bool) -> dict[str, str]:
    """A group of A.coach's (with the player and their parent), one of the other coach's, a message and a sent
    attachment in each; files uploaded but not sent yet (the coach's and the player's) in the first."""
    maker = _Maker(client, club, label)

    def group(who: str, *members: str) -> str:
        body = {"kind": "group", "title": "Staff and family", "member_ids": [str(club[m].id) for m in members]}
        return maker.post(who, "/api/v1/comms/conversations", body)["id"]

    def message(who: str, conversation: str) -> str:
        return maker.post(who, f"/api/v1/comms/conversations/{conversation}/messages", {"body": "Hello"})["id"]

    def upload(who: str, conversation: str) -> str:
        picture = {"file": ("lineup.png", b"\x89PNG\r\n\x1a\n lineup", "image/png")}
        path = f"/api/v1/comms/conversations/{conversation}/attachments"
        return _ok(client.post(path, files=picture, headers=club[who].headers))["id"]

    def sent(who: str, conversation: str) -> str:
        attachment = upload(who, conversation)
        body = {"body": "Lineup", "attachment_ids": [attachment]}
        maker.post(who, f"/api/v1/comms/conversations/{conversation}/messages", body)
        return attachment

    ids = {"conversation": group("coach", "player", "parent"), "other_conversation": group("other_coach", "admin")}
    ids |= {"message": message("coach", ids["conversation"]),
            "other_message": message("other_coach", ids["other_conversation"])}  # fmt: skip
    ids |= {"attachment": sent("coach", ids["conversation"]), "other_attachment": sent("other_coach",
            ids["other_conversation"])}  # fmt: skip
    if spares:
        ids["spare_conversation"] = group("coach", "player", "parent")
        ids["spare_message"] = message("coach", ids["conversation"])
        ids["unsent_attachment"] = upload("coach", ids["conversation"])
        ids["players_unsent_attachment"] = upload("player", ids["conversation"])
    return {f"{label}.{name}": value for name, value in ids.items()}


def _announcements(client: TestClient, club: Club, label: str) -> dict[str, str]:
    """An announcement to each team of the club, to be acknowledged."""
    maker = _Maker(client, club, label)

    def announce(who: str, team_id: uuid.UUID) -> str:
        body = {"team_id": str(team_id), "title": "Forms", "body": "Hand them in.", "requires_acknowledgement": True}
        return maker.post(who, "/api/v1/comms/announcements", body)["id"]

    return {
        f"{label}.announcement": announce("coach", club.team_id),
        f"{label}.other_announcement": announce("other_coach", club.other_team_id),
    }


def _notifications(client: TestClient, settings, club: Club, label: str) -> dict[str, str]:
    """A notification of the player's and one of their teammate's (comms raises them from the events above)."""
    drain_and_consume(settings, services=["comms"])
    ids = {}
    for who, name in (("player", "notification"), ("teammate", "other_notification")):
        response = client.get("/api/v1/comms/notifications", headers=club[who].headers)
        ids[f"{label}.{name}"] = _ok(response)["items"][0]["id"]
    return ids


def _push_subscriptions(settings, club: Club, label: str) -> dict[str, str]:
    """A browser subscription of the player's and one of their teammate's, stored as the subscribe endpoint stores
    one (a real push service is outside the tests, and the guard takes no fake by default)."""
    from tests.operational.comms.test_notifications import _sql

    ids = {}
    for who, name in (("player", "push_subscription"), ("teammate", "other_push_subscription")):
        ids[f"{label}.{name}"] = subscription_id = str(uuid.uuid4())
        _sql(settings, "INSERT INTO comms.push_subscriptions (id, org_id, user_id, endpoint, p256dh, auth, created_at) "
             "VALUES (:id, :org, :user, :endpoint, 'k', 'a', now())", id=subscription_id, org=club.org_id,
             user=club[who].id, endpoint=f"https://push.example.com/{subscription_id}")  # fmt: skip
    return ids


@contextlib.contextmanager
def build_world(settings) -> Iterator[World]:
    from operational.gateway import create_app

    club_a, club_b = make_club(settings, spares=6), make_club(settings)
    with TestClient(create_app(settings)) as client:
        drain_and_consume(settings, services=["training", "medical", "planning"])
        drain_and_consume(settings, services=["payments"])
        feed_read_models(settings, roster_events(club_a) + roster_events(club_b))
        ids = _Maker(client, club_a, "A").everything(spares=True)
        ids |= _Maker(client, club_b, "B").everything(spares=False)
        drain_and_consume(settings, services=["planning"])  # the games scheduled above reach planning's read model
        ids |= _notifications(client, settings, club_a, "A") | _notifications(client, settings, club_b, "B")
        ids |= _conversations(client, club_a, "A", spares=True) | _conversations(client, club_b, "B", spares=False)
        ids |= _announcements(client, club_a, "A") | _announcements(client, club_b, "B")
        ids |= _push_subscriptions(settings, club_a, "A") | _push_subscriptions(settings, club_b, "B")
        ids["yesterday"] = (date.today() - timedelta(days=1)).isoformat()
        ids["today"] = date.today().isoformat()
        ids["last_week"] = (date.today() - timedelta(days=7)).isoformat()
        people = {f"A.{n}": p for n, p in club_a.people.items()} | {f"B.{n}": p for n, p in club_b.people.items()}
        yield World(client, ids, people)
