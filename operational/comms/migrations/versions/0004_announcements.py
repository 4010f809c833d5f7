"""announcements to a team, players' acknowledgements of them, and the announcement notification category

Revision ID: 0004_announcements
Revises: 0003_conversations
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_announcements"
down_revision = "0003_conversations"
branch_labels = None
depends_on = None

SCHEMA = "comms"


def upgrade() -> None:
    op.drop_constraint(op.f("ck_notifications_category_known"), "notifications", schema=SCHEMA)
    op.create_check_constraint(
        op.f("ck_notifications_category_known"),
        "notifications",
        "category IN ('schedule', 'account', 'availability', 'announcement')",
        schema=SCHEMA,
    )
    op.create_table(
        "announcements",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("team_id", sa.UUID(), nullable=False),
        sa.Column("author_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("requires_acknowledgement", sa.Boolean(), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
        schema=SCHEMA,
    )
    op.create_index("ix_announcements_team", "announcements", ["org_id", "team_id", "created_at"], schema=SCHEMA)
    op.create_table(
        "acknowledgements",
        sa.Column("announcement_id", sa.UUID(), nullable=False),
        sa.Column("player_id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("acknowledged_by", sa.UUID(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["announcement_id"],
            [f"{SCHEMA}.announcements.id"],
            name=op.f("fk_acknowledgements_announcement_id_announcements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("announcement_id", "player_id", name=op.f("pk_acknowledgements")),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("acknowledgements", schema=SCHEMA)
    op.drop_table("announcements", schema=SCHEMA)
    op.drop_constraint(op.f("ck_notifications_category_known"), "notifications", schema=SCHEMA)
    op.create_check_constraint(
        op.f("ck_notifications_category_known"),
        "notifications",
        "category IN ('schedule', 'account', 'availability')",
        schema=SCHEMA,
    )
