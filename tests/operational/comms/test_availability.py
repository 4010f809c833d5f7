"""A player's coaches hear that the player's availability changed: the status, and nothing clinical."""

from __future__ import annotations

from tests.messaging import drain_and_consume
from tests.operational.comms.helpers import notifications, speaking
from tests.operational.medical.helpers import record


def test_a_players_coach_hears_the_new_status_and_nothing_clinical(gateway, comms_club, settings):
    drain_and_consume(settings, services=["medical"])
    record(gateway, comms_club, diagnosis="Adductor longus origin strain", restrictions=["no_contact"])
    drain_and_consume(settings, services=["comms"])

    page = notifications(gateway, comms_club["coach"])
    (item,) = page["items"]
    assert (item["category"], item["title"]) == ("availability", "Player is unavailable")
    assert "strain" not in item["body"] and "contact" not in item["body"]
    swedish = notifications(gateway, speaking(settings, comms_club["coach"], "sv"))["items"][0]
    assert swedish["body"] == "Player är nu inte tillgänglig."
    for who in ("other_coach", "teammate", "parent", "medic"):
        assert notifications(gateway, comms_club[who])["total"] == 0, who
