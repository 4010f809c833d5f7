"""The access log: every read and change of clinical data is appended with who, what, when and why; the player (or
a guardian) sees who looked; Postgres refuses to change or remove rows, and tampering behind its back breaks the
hash chain where it happened."""

from __future__ import annotations

import psycopg
import pytest

from operational.kit.db import libpq_url
from tests.operational.medical.helpers import BASE, record, sql


def log_of(gateway, club, who="player", player="player"):
    response = gateway.get(f"{BASE}/players/{club[player].id}/access-log", params={"limit": 500},
                           headers=club[who].headers)  # fmt: skip
    assert response.status_code == 200, response.text
    return response.json()["items"]


def verify(settings, org_id):
    return sql(settings, "SELECT medical.verify_access_log(%s)", org_id)[0][0]


def test_every_read_and_change_is_logged_and_the_player_sees_who_looked(gateway, medical_club):
    problem = record(gateway, medical_club)
    url = f"{BASE}/problems/{problem['id']}"
    gateway.get(url, headers=medical_club["medic"].headers)
    gateway.get(url, headers=medical_club["parent"].headers)
    gateway.patch(url, json={"notes": "Better."}, headers=medical_club["medic"].headers)
    gateway.get(f"{BASE}/problems", headers=medical_club["player"].headers)
    gateway.get(url, headers=medical_club["coach"].headers)  # refused: nothing shown, nothing logged

    entries = log_of(gateway, medical_club)

    seen = [(e["actor_id"], e["actor_role"], e["action"], e["purpose"]) for e in reversed(entries)]
    medic, parent, player = (str(medical_club[n].id) for n in ("medic", "parent", "player"))
    assert seen == [
        (medic, "medical_staff", "create", "care"),
        (medic, "medical_staff", "read", "care"),
        (parent, "guardian", "read", "guardian of a minor"),
        (medic, "medical_staff", "update", "care"),
        (player, "player", "read", "own record"),
    ]
    assert {e["record_id"] for e in entries} == {problem["id"]}
    assert all(e["record_type"] == "health_problem" and e["at"] for e in entries)


def test_the_log_is_for_the_player_their_guardian_and_medical_staff(gateway, medical_club, other_club):
    record(gateway, medical_club)
    assert log_of(gateway, medical_club, who="parent")
    assert log_of(gateway, medical_club, who="medic")
    url = f"{BASE}/players/{medical_club['player'].id}/access-log"
    for who in ("coach", "admin", "teammate"):
        assert gateway.get(url, headers=medical_club[who].headers).status_code == 403, who
    assert gateway.get(url, headers=other_club["medic"].headers).status_code == 404


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE medical.access_log SET purpose = 'nothing to see' WHERE org_id = %s",
        "DELETE FROM medical.access_log WHERE org_id = %s",
    ],
)
def test_postgres_refuses_to_change_or_remove_rows(gateway, medical_club, settings, statement):
    record(gateway, medical_club)
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        sql(settings, statement, medical_club.org_id)
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        sql(settings, "TRUNCATE medical.access_log")
    assert verify(settings, medical_club.org_id) is None


def _tamper(settings, statement: str, *params) -> None:
    """What a superuser can do behind the triggers' back."""
    with psycopg.connect(libpq_url(settings.database_url), autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(statement, params)


def _log_ids(settings, org_id) -> list[int]:
    return [row[0] for row in sql(settings, "SELECT id FROM medical.access_log WHERE org_id = %s ORDER BY id", org_id)]


def test_a_row_changed_by_a_superuser_breaks_the_chain_there(gateway, medical_club, settings):
    problem = record(gateway, medical_club)
    for who in ("medic", "player", "parent"):
        gateway.get(f"{BASE}/problems/{problem['id']}", headers=medical_club[who].headers)
    ids = _log_ids(settings, medical_club.org_id)
    assert len(ids) == 4 and verify(settings, medical_club.org_id) is None

    _tamper(settings, "UPDATE medical.access_log SET actor_id = %s WHERE id = %s", medical_club["coach"].id, ids[1])

    assert verify(settings, medical_club.org_id) == ids[1]


def test_a_row_removed_by_a_superuser_breaks_the_chain_at_the_next(gateway, medical_club, settings):
    problem = record(gateway, medical_club)
    for _ in range(3):
        gateway.get(f"{BASE}/problems/{problem['id']}", headers=medical_club["player"].headers)
    ids = _log_ids(settings, medical_club.org_id)

    _tamper(settings, "DELETE FROM medical.access_log WHERE id = %s", ids[2])

    assert verify(settings, medical_club.org_id) == ids[3]


def test_each_club_has_its_own_chain(gateway, medical_club, other_club, settings):
    record(gateway, medical_club)
    record(gateway, other_club)
    rows = sql(settings, "SELECT previous_hash FROM medical.access_log WHERE org_id = %s ORDER BY id",
               other_club.org_id)  # fmt: skip
    assert rows[0][0] is None


def test_a_list_logs_a_row_per_record_in_one_intact_chain(gateway, medical_club, settings):
    for code in ("GT1", "TM1", "KL3"):
        record(gateway, medical_club, osiics_code=code)
    before = len(_log_ids(settings, medical_club.org_id))

    listed = gateway.get(f"{BASE}/problems", headers=medical_club["medic"].headers).json()["items"]

    assert len(_log_ids(settings, medical_club.org_id)) == before + len(listed) == before + 3
    assert verify(settings, medical_club.org_id) is None
