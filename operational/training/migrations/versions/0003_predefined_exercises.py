"""predefined exercise library

Revision ID: 0003_predefined_exercises
Revises: 0002_programs
"""

import json
import uuid
from importlib import resources

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

revision = "0003_predefined_exercises"
down_revision = "0002_programs"
branch_labels = None
depends_on = None

# Stable ids: the same predefined exercise has the same id on every installation.
NAMESPACE = uuid.UUID("5f0b2b3e-8a7c-4d6e-9f1a-2b3c4d5e6f70")

exercises = sa.table(
    "exercises",
    sa.column("id", UUID(as_uuid=True)),
    sa.column("org_id", UUID(as_uuid=True)),
    sa.column("name", sa.Text),
    sa.column("category", sa.Text),
    sa.column("equipment", ARRAY(sa.Text)),
    sa.column("muscle_groups", ARRAY(sa.Text)),
    sa.column("instructions", sa.Text),
    sa.column("reference_test_name", sa.Text),
    sa.column("unsuitable_for", ARRAY(sa.Text)),
    schema="training",
)


def _library() -> list[dict]:
    return json.loads(resources.files("operational.training").joinpath("data/exercises.json").read_text())


def upgrade() -> None:
    op.bulk_insert(
        exercises,
        [{**exercise, "id": uuid.uuid5(NAMESPACE, exercise["name"]), "org_id": None} for exercise in _library()],
    )


def downgrade() -> None:
    op.execute(exercises.delete().where(exercises.c.org_id.is_(None)))
