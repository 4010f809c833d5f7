"""Mesocycle templates: the shape of a block's weekly loads, applied to a base week a coach chooses.

Each template is a repeating pattern of (share of the base load, intensity mix in percent low/moderate/high).
The step-loading patterns (3:1 and 2:1: build, then unload by about a third) follow the classic block periodisation
practice described by Issurin (2010, Sports Med 40:189); the taper reduces volume by 40–60 % while keeping
intensity, as the meta-analysis of Bosquet et al. (2007, Med Sci Sports Exerc 39:1358) found best before a peak.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateWeek:
    load_share: float
    low_pct: int
    moderate_pct: int
    high_pct: int


TEMPLATES: dict[str, tuple[TemplateWeek, ...]] = {
    "step_3_1": (
        TemplateWeek(1.00, 40, 40, 20),
        TemplateWeek(1.10, 35, 40, 25),
        TemplateWeek(1.20, 30, 40, 30),
        TemplateWeek(0.70, 60, 30, 10),
    ),
    "step_2_1": (
        TemplateWeek(1.00, 40, 40, 20),
        TemplateWeek(1.15, 30, 40, 30),
        TemplateWeek(0.70, 60, 30, 10),
    ),
    "in_season_maintenance": (
        TemplateWeek(1.00, 50, 30, 20),
        TemplateWeek(0.90, 50, 30, 20),
    ),
    "taper": (
        TemplateWeek(0.60, 50, 25, 25),
        TemplateWeek(0.45, 50, 25, 25),
    ),
}
TEMPLATE_NAMES = tuple(TEMPLATES)


def template_weeks(name: str, week_count: int) -> list[TemplateWeek]:
    """The template's pattern repeated over ``week_count`` weeks; a taper is aligned to end on the last week."""
    pattern = TEMPLATES[name]
    if week_count <= 0:
        return []
    if name == "taper":
        # the taper's lightest week is the last one, whatever the block's length; earlier weeks hold the first share
        return [pattern[0]] * max(0, week_count - len(pattern)) + list(pattern[-week_count:])
    return [pattern[i % len(pattern)] for i in range(week_count)]
