"""the club's wellness questionnaire, from the users service's club configuration

Revision ID: 0007_club_settings
Revises: 0006_shared_inbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_club_settings"
down_revision = "0006_shared_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "club_settings",
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("wellness_instrument", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_club_settings")),
        schema="training",
    )


def downgrade() -> None:
    op.drop_table("club_settings", schema="training")
