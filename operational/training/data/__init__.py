"""The exercise library shipped with the training service, read as package data (no database involved), so another
service can know the predefined exercises without reading the training service's tables."""

from __future__ import annotations

import json
import uuid
from functools import cache
from importlib import resources
from types import MappingProxyType

# The namespace of the predefined exercises' stable ids: migration 0003_predefined_exercises stores each exercise
# under uuid5(NAMESPACE, its name), so the same exercise has the same id on every installation.
PREDEFINED_EXERCISE_NAMESPACE = uuid.UUID("5f0b2b3e-8a7c-4d6e-9f1a-2b3c4d5e6f70")


@cache
def predefined_exercises() -> MappingProxyType:
    """Every predefined exercise by its stable id: ``{id: {"id", "name", "category", "equipment", "muscle_groups",
    "instructions", "reference_test_name", "unsuitable_for"}}`` (read once from data/exercises.json)."""
    text = resources.files("operational.training").joinpath("data/exercises.json").read_text()
    library = {}
    for exercise in json.loads(text):
        exercise_id = uuid.uuid5(PREDEFINED_EXERCISE_NAMESPACE, exercise["name"])
        library[exercise_id] = MappingProxyType({**exercise, "id": exercise_id})
    return MappingProxyType(library)
