"""club configuration audit

Revision ID: 0005_club_setting_changes
Revises: 0004_club_plans_suspension
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_club_setting_changes"
down_revision = "0004_club_plans_suspension"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "club_setting_changes",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("actor_id", sa.UUID()),
        sa.Column("actor_name", sa.Text()),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("setting", sa.Text(), nullable=False),
        sa.Column("before", postgresql.JSONB()),
        sa.Column("after", postgresql.JSONB()),
        sa.ForeignKeyConstraint(
            ["org_id"], ["users.organizations.id"], name=op.f("fk_club_setting_changes_org_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_club_setting_changes")),
        schema="users",
    )
    op.create_index("ix_club_setting_changes_org_at", "club_setting_changes", ["org_id", "changed_at"], schema="users")


def downgrade() -> None:
    op.drop_index("ix_club_setting_changes_org_at", table_name="club_setting_changes", schema="users")
    op.drop_table("club_setting_changes", schema="users")
