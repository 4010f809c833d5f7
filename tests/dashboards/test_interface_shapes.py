"""The pages read the statistics API's newer answers (names beside ids, ACWR variants with their own acute and
chronic load, entry checks, completeness, attendance and compliance) as well as the older ones.

The payloads here follow the interface agreed with the statistics API; the AppTests in the other files run the
same code against the real API of this checkout.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from dashboards import acwr
from dashboards.attendance_rows import stats_rows, weeks_by_player
from dashboards.board import board_frame
from dashboards.client import ClubClient, StatsClient
from dashboards.compliance_rows import from_stats, rows
from dashboards.directory import UNKNOWN_PLAYER, Directory
from dashboards.display import is_empty
from dashboards.session import Viewer
from hub.embedded import free_port
from operational.stats.attendance.schemas import TeamAttendanceRead

ALVA = "6d0f1ac5-0000-4000-8000-000000000001"
HUGO = "6d0f1ac5-0000-4000-8000-000000000002"
ELIAS = "6d0f1ac5-0000-4000-8000-000000000003"
LABELS = {ALVA: "Alva Persson", HUGO: "Hugo Larsson", ELIAS: "Elias Nilsson"}


def variants(acute: float, chronic: float, band: str | None = "sweet spot") -> dict:
    return {"acute": acute, "chronic": chronic, "ratio": round(acute / chronic, 3), "band": band}


def board_player(player_id: str, **fields) -> dict:
    player = {
        "player_id": player_id,
        "player_name": LABELS[player_id],
        "metric_date": "2026-11-29",
        "acwr": 1.1,
        "acwr_variant": "uncoupled_rolling",
        "acwr_variants": {
            "uncoupled_rolling": variants(2200, 2000),
            "coupled_rolling": variants(2200, 2100),
            "ewma": variants(310.0, 290.0),
        },
        "check_entry": None,
        "no_entries_days": None,
        "completeness": 0.93,
        "training_monotony": 1.2,
        "training_strain_au": 2640.0,
        "latest_wellness": None,
        "availability": None,
    }
    return player | fields


BOARD = {
    "acwr_default_variant": "ewma",
    "acwr_default_citation": "Williams et al. 2017, Br J Sports Med 51:209–210",
    "players": [
        board_player(HUGO, check_entry="over_1500_au"),
        board_player(ALVA, no_entries_days=9, acwr_variants={"ewma": variants(1.0, 250.0, "low")}),
        board_player(ELIAS, completeness=0.4),
    ],
}


@pytest.mark.parametrize("variant", ["uncoupled_rolling", "coupled_rolling", "ewma"])
def test_acute_divided_by_chronic_is_the_ratio_shown_for_each_variant(variant):
    frame, _ = board_frame([board_player(HUGO)], variant, LABELS)
    row = frame.to_dict("records")[0]
    unit = acwr.unit(variant)

    assert row[f"Acute ({unit})"] / row[f"Chronic ({unit})"] == pytest.approx(row["ACWR"], abs=0.001)


def test_flags_entry_checks_missing_entries_and_thin_data_in_words():
    frame, notes = board_frame(BOARD["players"], "ewma", LABELS)
    table = {row["Player"]: row for row in frame.to_dict("records")}

    assert list(table) == ["Alva Persson", "Elias Nilsson", "Hugo Larsson"]
    assert table["Hugo Larsson"]["Flags"] == "check this entry"
    assert notes["Hugo Larsson"] == ["Check this entry: over 1500 au."]
    alva = table["Alva Persson"]
    assert (is_empty(alva["ACWR"]), alva["Band"], alva["Flags"]) == (True, None, "no entries for 9 days")
    assert "low" not in " ".join(notes["Alva Persson"])
    assert table["Elias Nilsson"]["Flags"] == "thin data"
    assert table["Elias Nilsson"]["Entries (28 d)"] == 0.4


def test_the_apis_default_variant_and_its_source_are_used():
    assert acwr.default_variant(BOARD, ["coupled_rolling", "ewma", "uncoupled_rolling"]) == "ewma"
    assert acwr.source(BOARD, "ewma") == "Williams et al. 2017, Br J Sports Med 51:209–210"
    as_object = {"acwr_default_variant": {"variant": "coupled_rolling", "citation": "Someone 2030"}}
    assert acwr.default_variant(as_object, ["coupled_rolling", "ewma"]) == "coupled_rolling"
    assert acwr.source(as_object, "coupled_rolling") == "Someone 2030"
    # without a default from the API: the dashboards' own, with its published source
    assert acwr.default_variant({}, ["coupled_rolling", "ewma", "uncoupled_rolling"]) == "uncoupled_rolling"
    assert "Lolli et al. 2019" in acwr.source({}, "uncoupled_rolling")


def _directory() -> Directory:
    nowhere = f"http://127.0.0.1:{free_port()}"
    viewer = Viewer("coach", "org", ("coach",), (), "token")
    return Directory(viewer, StatsClient(nowhere, "token"), ClubClient(nowhere, "token"))


def test_names_in_a_response_are_used_and_an_unknown_name_is_never_an_id():
    directory = _directory()
    directory.learn(BOARD["players"])

    labels = directory.player_labels([HUGO, ALVA, "0badf00d-0000-4000-8000-000000000009"])

    assert labels[HUGO] == "Hugo Larsson" and labels[ALVA] == "Alva Persson"
    assert labels["0badf00d-0000-4000-8000-000000000009"] == UNKNOWN_PLAYER


def test_two_players_with_one_name_stay_apart():
    directory = _directory()
    directory.learn([{"player_id": ALVA, "player_name": "Alex Berg"}, {"player_id": HUGO, "player_name": "Alex Berg"}])

    assert sorted(directory.player_labels([ALVA, HUGO]).values()) == ["Alex Berg", "Alex Berg (2)"]


def _week(start: str, recorded: int, attended: int, excused: int = 0) -> dict:
    counted = recorded - excused
    return {"week_start": start, "events_recorded": recorded, "events_attended": attended,
            "events_excused": excused, "attendance_rate": attended / counted if counted else None}  # fmt: skip


def _player(player_id: str, name: str, weeks: list[dict]) -> dict:
    totals = {k: sum(w[k] for w in weeks) for k in ("events_recorded", "events_attended", "events_excused")}
    counted = totals["events_recorded"] - totals["events_excused"]
    rate = totals["events_attended"] / counted if counted else None
    return {"player_id": player_id, "player_name": name, **totals, "attendance_rate": rate, "weeks": weeks}


# validated by the stats API's own response model, so the page and the API cannot drift apart
TEAM_ATTENDANCE = TeamAttendanceRead.model_validate(
    {
        "team_id": uuid.UUID(int=1),
        "team_name": "U16",
        "from": "2026-11-16",
        "to": "2026-11-29",
        "as_of": "2026-11-29T12:00:00Z",
        "weeks": [],
        "players": [
            _player(ALVA, "Alva Persson", [_week("2026-11-16", 3, 2), _week("2026-11-23", 2, 0, excused=2)]),
            _player(HUGO, "Hugo Larsson", [_week("2026-11-16", 3, 3)]),
        ],
    }  # fmt: skip
).model_dump(mode="json", by_alias=True)


def test_attendance_from_the_statistics_api():
    table = weeks_by_player(stats_rows(TEAM_ATTENDANCE), LABELS).to_dict("records")

    assert [row["Player"] for row in table] == ["Alva Persson", "Hugo Larsson"]
    assert table[0]["Week of 16 Nov"] == pytest.approx(2 / 3)
    assert table[0]["Whole period"] == pytest.approx(2 / 3), "excused absences do not count"
    assert table[1]["Whole period"] == 1.0


def test_compliance_from_the_statistics_api():
    today = date(2026, 11, 29)
    payload = {
        "players": [
            {"player_id": ALVA, "player_name": "Alva Persson", "last_rpe_date": "2026-11-29",
             "last_wellness_date": "2026-11-26", "days_since_rpe": 0, "rpe_logged_today": True},
            {"player_id": HUGO, "player_name": "Hugo Larsson", "last_rpe_date": None, "last_wellness_date": None},
        ],
        "share_rpe_logged_today": 0.5,
    }  # fmt: skip

    table = rows(from_stats(payload), LABELS, today)

    assert table[0] == {
        "Player": "Alva Persson", "RPE today": "yes", "Wellness today": "no", "Last RPE": "2026-11-29",
        "Days since RPE": 0, "Last wellness": "2026-11-26", "Days since wellness": 3,
    }  # fmt: skip
    assert (table[1]["RPE today"], table[1]["Last RPE"], table[1]["Days since RPE"]) == ("no", None, None)
