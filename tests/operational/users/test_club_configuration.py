"""A club admin's switches: each change audited (who, when, before, after), and the second factor per role taking
effect at the next sign-in."""

from __future__ import annotations

from tests.factories import PASSWORD, make_club

CONFIGURATION = "/api/v1/admin/configuration"
LOGIN = "/api/v1/auth/login"


def test_a_club_admin_sets_switches_and_reads_who_changed_what(gateway, club):
    admin = club["admin"].headers
    assert gateway.get(CONFIGURATION, headers=admin).json() == {
        "wellness_questionnaire": "hooper",
        "required_totp_roles": [],
        "default_acwr_variant": "uncoupled_rolling",
    }

    changed = gateway.patch(
        CONFIGURATION,
        json={"wellness_questionnaire": "mclean", "required_totp_roles": ["coach", "medical_staff", "coach"]},
        headers=admin,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json() == {
        "wellness_questionnaire": "mclean",
        "required_totp_roles": ["coach", "medical_staff"],
        "default_acwr_variant": "uncoupled_rolling",
    }
    # the same values again change nothing, and leave no audit line
    assert gateway.patch(CONFIGURATION, json={"wellness_questionnaire": "mclean"}, headers=admin).status_code == 200

    audit = gateway.get(f"{CONFIGURATION}/changes", headers=admin).json()
    assert audit["total"] == 2
    lines = {line["setting"]: line for line in audit["items"]}
    assert lines["wellness_questionnaire"]["before"] == "hooper"
    assert lines["wellness_questionnaire"]["after"] == "mclean"
    assert lines["required_totp_roles"]["before"] == []
    assert lines["required_totp_roles"]["after"] == ["coach", "medical_staff"]
    assert {line["changed_by"] for line in audit["items"]} == {"Admin"}
    assert all(line["changed_at"] for line in audit["items"])
    only = gateway.get(f"{CONFIGURATION}/changes", params={"setting": "required_totp_roles"}, headers=admin).json()
    assert [line["setting"] for line in only["items"]] == ["required_totp_roles"]


def test_requiring_a_second_factor_for_a_role_takes_effect_at_the_next_sign_in(gateway, club):
    coach, player = club["coach"], club["player"]
    before = gateway.post(LOGIN, json={"email": coach.email, "password": PASSWORD}).json()
    assert before["scope"] == "access"

    assert (
        gateway.patch(CONFIGURATION, json={"required_totp_roles": ["coach"]}, headers=club["admin"].headers).status_code
        == 200
    )

    # the coach must now set up an authenticator app; a player is not concerned
    now = gateway.post(LOGIN, json={"email": coach.email, "password": PASSWORD}).json()
    assert now["scope"] == "totp_enroll" and now["refresh_token"] is None
    assert gateway.post(LOGIN, json={"email": player.email, "password": PASSWORD}).json()["scope"] == "access"
    # and the password-only session from before ends at its next refresh
    refreshed = gateway.post("/api/v1/auth/refresh", json={"refresh_token": before["refresh_token"]}).json()
    assert refreshed["scope"] == "totp_enroll"

    # switched off again: the password alone is enough once more
    gateway.patch(CONFIGURATION, json={"required_totp_roles": []}, headers=club["admin"].headers)
    assert gateway.post(LOGIN, json={"email": coach.email, "password": PASSWORD}).json()["scope"] == "access"


def test_the_club_settings_endpoint_is_audited_like_the_configuration(gateway, club):
    admin = club["admin"].headers
    patched = gateway.patch("/api/v1/orgs/current", json={"mfa_required_roles": ["medical_staff"]}, headers=admin)
    assert patched.status_code == 200
    assert gateway.get(CONFIGURATION, headers=admin).json()["required_totp_roles"] == ["medical_staff"]
    audit = gateway.get(f"{CONFIGURATION}/changes", headers=admin).json()["items"]
    assert [(line["setting"], line["before"], line["after"]) for line in audit] == [
        ("required_totp_roles", [], ["medical_staff"])
    ]


def test_only_club_admins_see_or_change_the_configuration_and_only_their_own(gateway, settings, club):
    for person in ("coach", "player", "medic"):
        headers = club[person].headers
        assert gateway.get(CONFIGURATION, headers=headers).status_code == 403
        assert gateway.patch(CONFIGURATION, json={"default_acwr_variant": "ewma"}, headers=headers).status_code == 403
        assert gateway.get(f"{CONFIGURATION}/changes", headers=headers).status_code == 403

    gateway.patch(CONFIGURATION, json={"default_acwr_variant": "ewma"}, headers=club["admin"].headers)
    other = make_club(settings)
    assert gateway.get(CONFIGURATION, headers=other["admin"].headers).json()["default_acwr_variant"] == (
        "uncoupled_rolling"
    )
    assert gateway.get(f"{CONFIGURATION}/changes", headers=other["admin"].headers).json()["total"] == 0


def test_bad_switch_values_are_refused_and_change_nothing(gateway, club):
    admin = club["admin"].headers
    for bad in (
        {"required_totp_roles": ["wizard"]},
        {"default_acwr_variant": "weekly"},
        {"wellness_questionnaire": None},
        {"org_id": str(club.org_id)},
    ):
        answer = gateway.patch(CONFIGURATION, json={"wellness_questionnaire": "mclean", **bad}, headers=admin)
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["message"] and "/api/" not in answer.json()["error"]["message"]
    assert gateway.get(CONFIGURATION, headers=admin).json()["wellness_questionnaire"] == "hooper"
    assert gateway.get(f"{CONFIGURATION}/changes", headers=admin).json()["total"] == 0
