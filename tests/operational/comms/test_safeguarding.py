"""Safeguarding: no conversation between an adult staff member and a minor unless the minor's guardian or a second
adult is in it; enforced when it is made, when someone joins and when someone leaves; every decision audited, and
the audit can only grow. A guardian reads their child's conversations."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from operational.comms.conversations.safeguarding import RULE, Member, breach
from operational.kit.db import libpq_url
from tests.operational.comms.helpers import BASE
from tests.operational.comms.test_notifications import _sql


def start(gateway, club, who, *others, kind="private"):
    body = {"kind": kind, "member_ids": [str(club[o].id) for o in others]}
    return gateway.post(f"{BASE}/conversations", json=body, headers=club[who].headers)


def audit(settings, club) -> list[tuple]:
    return _sql(
        settings,
        "SELECT action, decision FROM comms.safeguarding_audit WHERE org_id = :org ORDER BY id",
        org=club.org_id,
    )


def test_a_coach_cannot_start_a_private_conversation_with_a_minor_alone(gateway, comms_club, settings):
    refused = start(gateway, comms_club, "coach", "player")
    assert refused.status_code == 422
    assert refused.json()["error"] == {"code": "invalid_value", "message": RULE, "field": "member_ids"}
    assert audit(settings, comms_club) == [("create", "refused")]
    # nothing half-made: no conversation of the two
    assert all(c["kind"] == "team" for c in gateway.get(f"{BASE}/conversations",
                                                        headers=comms_club["coach"].headers).json())  # fmt: skip


@pytest.mark.parametrize("third", ["parent", "other_coach"], ids=["with the guardian", "with a second adult"])
def test_with_the_guardian_or_a_second_adult_it_is_allowed_and_audited(gateway, comms_club, settings, third):
    created = start(gateway, comms_club, "coach", "player", third)
    assert created.status_code == 201, created.text
    assert sorted(created.json()["members"]) == sorted(["Coach", "Player", third.replace("_", " ").title()])
    assert audit(settings, comms_club) == [("create", "allowed")]


def test_adults_and_minors_without_staff_are_not_the_rules_concern(gateway, comms_club):
    assert start(gateway, comms_club, "teammate", "player").status_code == 201
    assert start(gateway, comms_club, "coach", "other_coach").status_code == 201


def test_when_the_second_adult_leaves_the_conversation_is_on_hold_until_an_adult_joins(gateway, comms_club, settings):
    conversation = start(gateway, comms_club, "coach", "player", "other_coach").json()
    url = f"{BASE}/conversations/{conversation['id']}"
    assert gateway.delete(f"{url}/members/me", headers=comms_club["other_coach"].headers).status_code == 204

    held = gateway.post(f"{url}/messages", json={"body": "See you at six"}, headers=comms_club["coach"].headers)
    assert held.status_code == 409 and RULE in held.json()["error"]["message"]
    coach_view = gateway.get(f"{BASE}/conversations", headers=comms_club["coach"].headers).json()
    assert next(c for c in coach_view if c["id"] == conversation["id"])["on_hold"] is True

    added = gateway.post(f"{url}/members", json={"user_id": str(comms_club["parent"].id)},
                         headers=comms_club["coach"].headers)  # fmt: skip
    assert added.status_code == 200 and added.json()["on_hold"] is False
    posted = gateway.post(f"{url}/messages", json={"body": "See you at six"}, headers=comms_club["coach"].headers)
    assert posted.status_code == 201
    assert audit(settings, comms_club) == [("create", "allowed"), ("leave", "on_hold"), ("join", "released")]


def test_a_minor_cannot_be_added_to_a_staff_members_conversation_alone(gateway, comms_club, settings):
    conversation = start(gateway, comms_club, "coach", "teammate").json()
    # the teammate (the second adult) leaves first; then adding the minor would leave them alone with the coach
    gateway.delete(f"{BASE}/conversations/{conversation['id']}/members/me", headers=comms_club["teammate"].headers)
    url = f"{BASE}/conversations/{conversation['id']}/members"
    refused = gateway.post(url, json={"user_id": str(comms_club["player"].id)}, headers=comms_club["coach"].headers)
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "user_id"
    assert audit(settings, comms_club) == [("join", "refused")]


def test_a_guardian_reads_their_childs_conversations_but_does_not_write_in_them(gateway, comms_club):
    conversation = start(gateway, comms_club, "teammate", "player").json()
    url = f"{BASE}/conversations/{conversation['id']}"
    gateway.post(f"{url}/messages", json={"body": "Skates at mine?"}, headers=comms_club["teammate"].headers)

    seen = gateway.get(f"{BASE}/conversations", headers=comms_club["parent"].headers).json()
    mine = next(c for c in seen if c["id"] == conversation["id"])
    assert mine["as_guardian"] is True
    messages = gateway.get(f"{url}/messages", headers=comms_club["parent"].headers).json()["items"]
    assert [m["body"] for m in messages] == ["Skates at mine?"]
    assert gateway.post(f"{url}/messages", json={"body": "Hi"}, headers=comms_club["parent"].headers).status_code == 403
    assert gateway.get(f"{url}/messages", headers=comms_club["other_player"].headers).status_code == 403


def test_the_audit_can_only_grow(gateway, comms_club, settings):
    start(gateway, comms_club, "coach", "player")
    with psycopg.connect(libpq_url(settings.database_url), autocommit=True) as conn:
        for statement in (
            "UPDATE comms.safeguarding_audit SET decision = 'allowed'",
            "DELETE FROM comms.safeguarding_audit",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement + " WHERE org_id = %s", (comms_club.org_id,))


def _member(minor=False, staff=False, guardian_of=()):
    return Member(uuid.uuid4(), minor=minor, staff=staff, guardian_of=frozenset(guardian_of))


def test_the_rule_itself():
    child, coach, other = _member(minor=True), _member(staff=True), _member()
    assert breach([coach, child]) == RULE
    assert breach([coach, child, other]) is None
    assert breach([_member(staff=True, guardian_of={child.user_id}), child]) is None  # a coach and their own child
    assert breach([coach, child, _member(minor=True)]) == RULE  # a second minor is no second adult
    assert breach([other, child]) is None
    assert breach([coach]) is None
