"""The acute:chronic workload ratio as the pages show it: one default variant with its published source, the others
as alternatives, and each variant's own acute and chronic load (so acute ÷ chronic is the ratio on screen).

Statistics rows come in two shapes, and both are read here so the pages work with either version of the API:
- with ``acwr_variants: {name: {acute, chronic, ratio, band}}`` (and ``acwr_default_variant`` on the board);
- with ``acwr: [{variant, ratio, band}]`` and the loads in separate columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

VARIANT_NAMES = {
    "uncoupled_rolling": "Uncoupled rolling average",
    "coupled_rolling": "Coupled rolling average",
    "ewma": "Exponentially weighted (EWMA)",
}
VARIANT_METHODS = {
    "uncoupled_rolling": "last 7 days' total ÷ mean weekly total of the 3 weeks before",
    "coupled_rolling": "last 7 days' total ÷ mean weekly total of the last 4 weeks (which include those 7 days)",
    "ewma": "exponentially weighted mean daily load over 7 days ÷ the same over 28 days",
}
# Where each variant is published; shown when the statistics API names no source of its own.
SOURCES = {
    "uncoupled_rolling": (
        "Windt & Gabbett 2019, Br J Sports Med 53:988–990; Lolli et al. 2019, Br J Sports Med 53:921–922 "
        "(uncoupling removes the spurious correlation of the coupled ratio)"
    ),
    "coupled_rolling": "Gabbett 2016, Br J Sports Med 50:273–280",
    "ewma": "Williams et al. 2017, Br J Sports Med 51:209–210",
}
UNITS = {"uncoupled_rolling": "AU/week", "coupled_rolling": "AU/week", "ewma": "AU/day"}
# Used while the statistics API names no default of its own.
FALLBACK_DEFAULT = "uncoupled_rolling"
BANDS = [(0.0, 0.8, "low"), (0.8, 1.3, "sweet spot"), (1.3, 1.5, "elevated"), (1.5, None, "high")]
BAND_COLOURS = {"low": "#d0e4f5", "sweet spot": "#d4edda", "elevated": "#fff3cd", "high": "#f8d7da"}
# Below this share of days with an entry, a figure rests on thin data (21 of 28 days, as the marts use).
THIN_DATA_SHARE = 0.75
# The old rows carry each variant's loads in separate columns: variant → (acute column, chronic column).
_LOAD_COLUMNS = {
    "coupled_rolling": ("acute_load_au", "chronic_load_coupled_weekly_au"),
    "uncoupled_rolling": ("acute_load_au", "chronic_load_uncoupled_weekly_au"),
    "ewma": ("ewma_acute_load_au", "ewma_chronic_load_au"),
}


@dataclass(frozen=True)
class Variant:
    acute: float | None
    chronic: float | None
    ratio: float | None
    band: str | None


def variant_name(key: str) -> str:
    return VARIANT_NAMES.get(key, key.replace("_", " ").capitalize())


def unit(key: str) -> str:
    return UNITS.get(key, "AU")


def variants(row: dict[str, Any]) -> dict[str, Variant]:
    """Every ACWR variant of a statistics row (a board player or a day), by variant key."""
    given = row.get("acwr_variants")
    if isinstance(given, dict) and given:
        return {
            key: Variant(v.get("acute"), v.get("chronic"), v.get("ratio"), v.get("band"))
            for key, v in given.items()
            if isinstance(v, dict)
        }
    found: dict[str, Variant] = {}
    for entry in row.get("acwr") or []:
        if not isinstance(entry, dict) or "variant" not in entry:
            continue
        acute_column, chronic_column = _LOAD_COLUMNS.get(entry["variant"], ("", ""))
        found[entry["variant"]] = Variant(
            row.get(acute_column), row.get(chronic_column), entry.get("ratio"), entry.get("band")
        )
    return found


def default_variant(payload: dict[str, Any], available: list[str]) -> str:
    """The variant the statistics API names as its default, else the dashboards' own choice."""
    given = payload.get("acwr_default_variant")
    if isinstance(given, dict):
        given = given.get("variant") or given.get("name")
    for candidate in (given, FALLBACK_DEFAULT):
        if candidate in available:
            return candidate
    return available[0] if available else FALLBACK_DEFAULT


def source(payload: dict[str, Any], variant: str) -> str:
    """The published source of ``variant``: the API's citation of it, else the known one."""
    cited = (payload.get("acwr_variant_citations") or {}).get(variant)
    if isinstance(cited, str) and cited:
        return cited
    default = payload.get("acwr_default_variant")
    if isinstance(default, dict):
        cited = default.get("citation") or default.get("source")
        if cited and (default.get("variant") or default.get("name")) == variant:
            return str(cited)
    elif default == variant:
        for key, value in payload.items():
            if key.startswith("acwr") and ("citation" in key or "source" in key) and isinstance(value, str):
                return value
    return SOURCES.get(variant, "")


def band_of(ratio: float | None) -> str | None:
    if ratio is None:
        return None
    for low, high, band in BANDS:
        if ratio >= low and (high is None or ratio < high):
            return band
    return None


def completeness(row: dict[str, Any]) -> float | None:
    """Share (0–1) of the days behind the figures that have an entry."""
    given = row.get("completeness")
    if isinstance(given, dict):
        numbers = [v for k, v in given.items() if isinstance(v, int | float) and not isinstance(v, bool)]
        given = given.get("acwr", min(numbers) if numbers else None)
    if isinstance(given, int | float) and not isinstance(given, bool):
        return given / 100 if given > 1 else float(given)
    days = row.get("days_with_data_last_28")
    return days / 28 if isinstance(days, int | float) else None


def no_entries_note(row: dict[str, Any]) -> str | None:
    """Said instead of a ratio when the player has logged nothing for 7 days or more (None otherwise).

    Without the API's ``no_entries_days``, a 7-day load of 0 says the same about sessions: the ratio of such a
    week (0.0, "low") describes missing entries, not a light week.
    """
    given = row.get("no_entries_days")
    if "no_entries_days" in row:
        if isinstance(given, int) and not isinstance(given, bool) and given >= 7:
            return f"no entries for {given} days"
        return None
    if row.get("acute_load_au") == 0:
        return "no sessions logged for 7 days"
    return None


def humanise(reason: str) -> str:
    """A reason code (``over_1500_au``) as words; a sentence stays as it is."""
    return reason.replace("_", " ") if " " not in reason else reason.rstrip(".")
