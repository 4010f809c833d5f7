"""transfers: the player-transfer saga's stored state (a transfer and its steps)

Revision ID: 0005_transfers
Revises: 0004_names
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_transfers"
down_revision = "0004_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transfers",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("player_id", sa.UUID(), nullable=False),
        sa.Column("from_team_id", sa.UUID(), nullable=False),
        sa.Column("to_org_id", sa.UUID(), nullable=False),
        sa.Column("to_player_id", sa.UUID(), nullable=False),
        sa.Column("to_team_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("started_by", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "status IN ('running', 'completed', 'compensating', 'compensated')", name=op.f("ck_transfers_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
        schema="payments",
    )
    op.create_index(op.f("ix_transfers_org_id"), "transfers", ["org_id"], unique=False, schema="payments")
    op.create_index("ix_transfers_to_org", "transfers", ["to_org_id"], unique=False, schema="payments")
    op.create_index(
        "ix_transfers_unfinished",
        "transfers",
        ["status"],
        unique=False,
        schema="payments",
        postgresql_where="status IN ('running', 'compensating')",
    )
    op.create_table(
        "transfer_steps",
        sa.Column("transfer_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("sequence", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.Column("result", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status IN ('pending', 'done', 'compensated')", name=op.f("ck_transfer_steps_status")),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["payments.transfers.id"],
            name=op.f("fk_transfer_steps_transfer_id_transfers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("transfer_id", "name", name=op.f("pk_transfer_steps")),
        schema="payments",
    )


def downgrade() -> None:
    op.drop_table("transfer_steps", schema="payments")
    op.drop_index("ix_transfers_unfinished", table_name="transfers", schema="payments")
    op.drop_index("ix_transfers_to_org", table_name="transfers", schema="payments")
    op.drop_index(op.f("ix_transfers_org_id"), table_name="transfers", schema="payments")
    op.drop_table("transfers", schema="payments")
