"""RSVP reminders: who has answered which occurrence, and each calendar entry's rule and cancellations

Revision ID: 0009_notify_rsvp_reminders
Revises: 0008_notify_payment_category
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009_notify_rsvp_reminders"
down_revision = "0008_notify_payment_category"
branch_labels = None
depends_on = None

SCHEMA = "comms"


def upgrade() -> None:
    op.add_column("calendar_entries", sa.Column("rrule", sa.Text(), nullable=True), schema=SCHEMA)
    op.add_column(
        "calendar_entries", sa.Column("ends_before", sa.DateTime(timezone=True), nullable=True), schema=SCHEMA
    )
    op.add_column(
        "calendar_entries",
        sa.Column("skipped_starts", postgresql.ARRAY(sa.DateTime(timezone=True)), server_default="{}", nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "rsvp_answers",
        sa.Column("series_id", sa.UUID(), nullable=False),
        sa.Column("occurrence_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("player_id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("series_id", "occurrence_start", "player_id", name=op.f("pk_rsvp_answers")),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("rsvp_answers", schema=SCHEMA)
    for column in ("skipped_starts", "ends_before", "rrule"):
        op.drop_column("calendar_entries", column, schema=SCHEMA)
