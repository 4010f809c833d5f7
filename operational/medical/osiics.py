"""The OSIICS code table (Orchard Sports Injury and Illness Classification System), shipped as data in
``data/osiics.csv``.

A code is read from the left: the first character is the body area (``H`` head … ``F`` foot, ``X`` crossing regions,
``Z`` unspecified) or ``M`` for an illness; the second the tissue and pathology type of an injury (``M`` muscle
injury, ``L`` ligament, ``F`` fracture …) or the organ system of an illness (``P`` respiratory, ``G``
gastrointestinal …); the rest the specific diagnosis. The first two characters are the code's *group*, the finest
classification that leaves the medical service (contracts/medical.py).

Structure and codes after Orchard JW et al., "Sport Medicine Diagnostic Coding System (SMDCS) and the Orchard Sports
Injury and Illness Classification System (OSIICS): revised 2020 consensus versions", BJSM 2020;54:397–401 (OSIICS
v13), as carried into v15. The table holds the codes a sports-medicine team in ice hockey needs most and at least one
for every body area; it is a subset, not the full release.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "osiics.csv"
# Body areas where a problem happens on one side (or both): a side is required there.
PAIRED_BODY_AREAS = frozenset("SUERWPGTKQAF")


@dataclass(frozen=True)
class OsiicsCode:
    code: str
    kind: str  # injury | illness
    body_area_code: str
    body_area: str
    body_region: str
    tissue_code: str
    tissue_pathology: str
    description: str

    @property
    def group(self) -> str:
        return self.code[:2]

    @property
    def needs_side(self) -> bool:
        return self.kind == "injury" and self.body_area_code in PAIRED_BODY_AREAS


@cache
def codes() -> dict[str, OsiicsCode]:
    with TABLE.open(newline="", encoding="utf-8") as handle:
        return {row["code"]: OsiicsCode(**row) for row in csv.DictReader(handle)}


def lookup(code: str) -> OsiicsCode | None:
    return codes().get(code.strip().upper())
