"""training sessions on the calendar, people's club roles and guardians (for feeds), lookups by creator and owner

Revision ID: 0002_bounds_and_read_models
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_bounds_and_read_models"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("event_series", sa.Column("training_session_id", sa.UUID(), nullable=True), schema="calendar")
    op.add_column(
        "event_series", sa.Column("source_changed_at", sa.DateTime(timezone=True), nullable=True), schema="calendar"
    )
    op.create_unique_constraint(
        op.f("uq_event_series_training_session_id"), "event_series", ["training_session_id"], schema="calendar"
    )
    op.create_index(
        "ix_event_series_org_creator", "event_series", ["org_id", "created_by"], unique=False, schema="calendar"
    )
    op.add_column(
        "people",
        sa.Column("org_roles", sa.ARRAY(sa.Text()), server_default="{}", nullable=False),
        schema="calendar",
    )
    op.create_table(
        "guardians",
        sa.Column("guardian_id", sa.UUID(), nullable=False),
        sa.Column("minor_id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("guardian_id", "minor_id", name=op.f("pk_guardians")),
        schema="calendar",
    )
    op.create_index("ix_feed_tokens_org_owner", "feed_tokens", ["org_id", "owner_id"], unique=False, schema="calendar")


def downgrade() -> None:
    op.drop_index("ix_feed_tokens_org_owner", table_name="feed_tokens", schema="calendar")
    op.drop_table("guardians", schema="calendar")
    op.drop_column("people", "org_roles", schema="calendar")
    op.drop_index("ix_event_series_org_creator", table_name="event_series", schema="calendar")
    op.drop_constraint(op.f("uq_event_series_training_session_id"), "event_series", schema="calendar")
    op.drop_column("event_series", "source_changed_at", schema="calendar")
    op.drop_column("event_series", "training_session_id", schema="calendar")
