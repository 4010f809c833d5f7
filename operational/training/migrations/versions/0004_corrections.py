"""corrections, who answered, roster history

Revision ID: 0004_corrections
Revises: 0003_predefined_exercises
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_corrections"
down_revision = "0003_predefined_exercises"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "session_rpe_logs", sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True), schema="training"
    )
    op.create_index(
        "ix_session_rpe_logs_session_id", "session_rpe_logs", ["session_id"], unique=False, schema="training"
    )
    op.add_column("wellness_entries", sa.Column("answered_by", sa.UUID(), nullable=True), schema="training")
    op.add_column(
        "wellness_entries", sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True), schema="training"
    )
    op.create_table(
        "roster_periods",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("team_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_periods")),
        schema="training",
    )
    op.create_index(
        "ix_roster_periods_user", "roster_periods", ["org_id", "user_id", "role"], unique=False, schema="training"
    )
    # today's roster becomes open periods whose start the read model never saw
    op.execute(
        "INSERT INTO training.roster_periods (id, org_id, team_id, user_id, role, started_on, ended_on) "
        "SELECT gen_random_uuid(), org_id, team_id, user_id, role, NULL, NULL FROM training.roster"
    )


def downgrade() -> None:
    op.drop_index("ix_roster_periods_user", table_name="roster_periods", schema="training")
    op.drop_table("roster_periods", schema="training")
    op.drop_column("wellness_entries", "corrected_at", schema="training")
    op.drop_column("wellness_entries", "answered_by", schema="training")
    op.drop_index("ix_session_rpe_logs_session_id", table_name="session_rpe_logs", schema="training")
    op.drop_column("session_rpe_logs", "corrected_at", schema="training")
