"""The team load board's table: one row per player for the chosen ACWR variant, short flags in the table and every
flag said in full in the notes below it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboards import acwr

WITHHELD = {
    "under_28_days_of_history": "No ratio yet: fewer than 28 days since the first logged session.",
    "under_21_of_28_days_with_data": "No ratio: fewer than 21 of the last 28 days have a session or a wellness entry.",
}
AVAILABILITY = {"available": "Available", "limited": "Limited", "unavailable": "Unavailable"}
NUMBER_FORMATS = {
    "ACWR": "{:.2f}",
    "Monotony": "{:.2f}",
    "Strain (AU)": "{:,.0f}",
    "Wellness z": "{:+.1f}",
    "Entries (28 d)": "{:.0%}",
}


@dataclass
class PlayerFlags:
    """What the board says about one player: short flags for the table, sentences for the notes."""

    short: list[str]
    sentences: list[str]

    def add(self, flag: str, sentence: str) -> None:
        self.short.append(flag)
        self.sentences.append(sentence)


def player_flags(player: dict[str, Any], variant: acwr.Variant | None, latest_day: str | None) -> PlayerFlags:
    flags = PlayerFlags([], [])
    check = player.get("check_entry")
    if check:
        flags.add("check this entry", f"Check this entry: {acwr.humanise(str(check))}.")
    no_entries = acwr.no_entries_note(player)
    ratio = None if variant is None else variant.ratio
    if no_entries:
        flags.add(no_entries, f"{no_entries[0].upper()}{no_entries[1:]}: there is no ratio to show.")
    elif player.get("acwr_withheld_reason"):
        reason = player["acwr_withheld_reason"]
        flags.add("no ratio yet", WITHHELD.get(reason, f"No ratio: {acwr.humanise(reason)}."))
    elif ratio is None:
        flags.add("no ratio", "No ratio: no chronic load to compare with.")
    elif variant.band in ("elevated", "high"):
        flags.add(f"load {variant.band}", f"Load this week is {ratio:.2f}× the usual weekly load ({variant.band}).")
    elif variant.band == "low":
        flags.add("load low", f"Load this week is well below the usual ({ratio:.2f}×).")
    share = acwr.completeness(player)
    if not no_entries and share is not None and share < acwr.THIN_DATA_SHARE:
        flags.add("thin data", f"Entries on only {share:.0%} of the last 28 days: these figures rest on thin data.")
    if latest_day and player.get("metric_date") and str(player["metric_date"]) < latest_day:
        flags.add(f"figures from {player['metric_date']}", f"The latest figures are from {player['metric_date']}.")
    wellness = player.get("latest_wellness")
    if wellness and wellness.get("below_baseline_flag"):
        flags.add(
            "wellness below usual",
            f"Wellness on {wellness['wellness_date']} is more than 1 SD worse than the player's usual.",
        )
    availability = player.get("availability")
    if availability and availability.get("status") != "available":
        status = AVAILABILITY.get(availability["status"], str(availability["status"]).capitalize())
        restrictions = ", ".join(r.replace("_", " ") for r in availability.get("restrictions") or [])
        flags.add(status.lower(), status + (f" ({restrictions})." if restrictions else "."))
    monotony = player.get("training_monotony")
    if monotony is not None and monotony > 2:
        flags.add("monotonous week", "Monotonous week: daily loads barely vary (monotony above 2).")
    return flags


def latest_day(players: list[dict[str, Any]]) -> str | None:
    days = [str(p["metric_date"]) for p in players if p.get("metric_date")]
    return max(days) if days else None


def board_frame(
    players: list[dict[str, Any]], variant_key: str, labels: dict[str, str]
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The table (one row per player, by name) and the notes per player label (only players with something to
    say). ``labels`` maps player id → the name to show."""
    rows, notes = [], {}
    newest = latest_day(players)
    unit = acwr.unit(variant_key)
    for player in players:
        variant = acwr.variants(player).get(variant_key)
        flags = player_flags(player, variant, newest)
        silenced = acwr.no_entries_note(player) is not None
        wellness = player.get("latest_wellness") or {}
        availability = player.get("availability")
        label = labels[str(player["player_id"])]
        rows.append(
            {
                "Player": label,
                "ACWR": None if silenced or variant is None else variant.ratio,
                "Band": None if silenced or variant is None else variant.band,
                "Flags": ", ".join(flags.short) or None,
                f"Acute ({unit})": None if variant is None else variant.acute,
                f"Chronic ({unit})": None if variant is None else variant.chronic,
                "Entries (28 d)": acwr.completeness(player),
                "Monotony": player.get("training_monotony"),
                "Strain (AU)": player.get("training_strain_au"),
                "Wellness z": wellness.get("wellness_z_score"),
                "Availability": AVAILABILITY.get(availability["status"]) if availability else None,
            }
        )
        if flags.sentences:
            notes[label] = flags.sentences
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame = frame.sort_values("Player", key=lambda names: names.str.casefold(), ignore_index=True)
    return frame, dict(sorted(notes.items(), key=lambda item: item[0].casefold()))


def load_format(variant_key: str) -> str:
    """Rolling loads are whole AU per week; EWMA loads are AU per day, with a decimal."""
    return "{:,.1f}" if acwr.unit(variant_key) == "AU/day" else "{:,.0f}"


def colour_band(band: Any) -> str:
    return f"background-color: {acwr.BAND_COLOURS[band]}" if band in acwr.BAND_COLOURS else ""
