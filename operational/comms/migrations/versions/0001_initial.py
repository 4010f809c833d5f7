"""initial: notifications (unique per event, recipient and channel) and the read models kept from users and calendar
events (people, teams, roster, guardians, calendar entries)

Revision ID: 0001_initial
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "comms"


def upgrade() -> None:
    op.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    op.create_table(
        "notifications",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("recipient_id", sa.UUID(), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("data", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.Text(), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint("channel IN ('in_app', 'email')", name=op.f("ck_notifications_channel_known")),
        sa.CheckConstraint(
            "category IN ('schedule', 'account', 'availability')", name=op.f("ck_notifications_category_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("event_id", "recipient_id", "channel", name="uq_notifications_event_recipient_channel"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_notifications_recipient",
        "notifications",
        ["org_id", "recipient_id", "channel", "created_at"],
        schema=SCHEMA,
    )
    op.create_table(
        "people",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_people")),
        schema=SCHEMA,
    )
    op.create_table(
        "teams",
        sa.Column("team_id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_teams")),
        schema=SCHEMA,
    )
    op.create_table(
        "roster",
        sa.Column("team_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id", "role", name=op.f("pk_roster")),
        schema=SCHEMA,
    )
    op.create_index(op.f("ix_roster_user_id"), "roster", ["user_id"], schema=SCHEMA)
    op.create_table(
        "guardians",
        sa.Column("guardian_id", sa.UUID(), nullable=False),
        sa.Column("minor_id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("guardian_id", "minor_id", name=op.f("pk_guardians")),
        schema=SCHEMA,
    )
    op.create_index(op.f("ix_guardians_minor_id"), "guardians", ["minor_id"], schema=SCHEMA)
    op.create_table(
        "calendar_entries",
        sa.Column("series_id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("team_id", sa.UUID(), nullable=True),
        sa.Column("player_ids", postgresql.ARRAY(sa.UUID()), server_default="{}", nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_zone", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("series_id", name=op.f("pk_calendar_entries")),
        schema=SCHEMA,
    )


def downgrade() -> None:
    for table in ("calendar_entries", "guardians", "roster", "teams", "people", "notifications"):
        op.drop_table(table, schema=SCHEMA)
