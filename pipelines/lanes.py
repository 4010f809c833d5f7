"""The two lanes of a pipeline pass: the fast lane builds only the marts the stats API serves, the full lane every mart.

A pass while events keep arriving builds the fast lane's marts the new events reach (with their tests) and publishes
them; the others are deferred, and a pass when no events are waiting, or once they have waited
``max_deferral_seconds`` (``HUB_PIPELINE_MAX_DEFERRAL_SECONDS``), builds them from every event loaded since their own
last build. The fast lane is the models tagged ``serving_fast`` in dbt/dbt_project.yml: the marts operational/stats
reads.

Each lane keeps its own record in ``pipeline.dbt_build_state`` (pipelines/dbt_selection.py), so the full lane's
plan covers whatever the fast passes loaded meanwhile and nothing is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FAST_LANE_TAG = "serving_fast"
# The run tag the runner sets to ask for a lane; a run without it (a sensor's, a run by hand) builds the full lane.
LANE_RUN_TAG = "hub/lane"
FAST = "fast"
FULL = "full"


def fast_lane_models(manifest: Any) -> set[str]:
    """The names of the models tagged ``serving_fast``."""
    return {
        node.name
        for node in manifest.nodes.values()
        if node.resource_type == "model" and FAST_LANE_TAG in (node.tags or [])
    }


def reached_models(manifest: Any, selectors: Iterable[str]) -> set[str]:
    """The names of the models ``selectors`` select: each named model and, for ``<model>+`` (as
    pipelines/dbt_selection.pass_selectors makes), every model downstream of it."""
    models = {uid: node for uid, node in manifest.nodes.items() if node.resource_type == "model"}
    children: dict[str, set[str]] = {}
    for uid, node in models.items():
        for parent in node.depends_on.nodes:
            children.setdefault(parent, set()).add(uid)
    by_name = {node.name: uid for uid, node in models.items()}
    named = [(by_name[s.rstrip("+")], s.endswith("+")) for s in selectors if s.rstrip("+") in by_name]
    seen = {uid for uid, _ in named}
    pending = [uid for uid, downstream in named if downstream]
    while pending:
        for child in children.get(pending.pop(), ()):
            if child not in seen:
                seen.add(child)
                pending.append(child)
    return {models[uid].name for uid in seen}
