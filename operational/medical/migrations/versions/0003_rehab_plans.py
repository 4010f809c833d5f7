"""rehab plans, and the read model of the clubs' own training exercises

Revision ID: 0003_rehab_plans
Revises: 0002_documents
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_rehab_plans"
down_revision = "0002_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "library_exercises",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_exercises")),
        schema="medical",
    )
    op.create_index(
        op.f("ix_medical_library_exercises_org_id"), "library_exercises", ["org_id"], unique=False, schema="medical"
    )
    op.create_table(
        "rehab_plans",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("problem_id", sa.UUID(), nullable=False),
        sa.Column("player_id", sa.UUID(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("exercises", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.UUID(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name=op.f("ck_rehab_plans_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["medical.health_problems.id"],
            name=op.f("fk_rehab_plans_problem_id_health_problems"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_plans")),
        sa.UniqueConstraint("problem_id", name=op.f("uq_rehab_plans_problem_id")),
        schema="medical",
    )
    op.create_index(
        op.f("ix_medical_rehab_plans_player_id"), "rehab_plans", ["player_id"], unique=False, schema="medical"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_medical_rehab_plans_player_id"), table_name="rehab_plans", schema="medical")
    op.drop_table("rehab_plans", schema="medical")
    op.drop_index(op.f("ix_medical_library_exercises_org_id"), table_name="library_exercises", schema="medical")
    op.drop_table("library_exercises", schema="medical")
