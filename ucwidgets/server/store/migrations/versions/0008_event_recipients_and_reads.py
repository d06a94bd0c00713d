"""events for the live feed: a recipient, a detail (the role of a share), per-event reads, and
notices of deleted use cases

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("use_case_id", existing_type=sa.String(length=24), nullable=True)
        batch_op.add_column(sa.Column("recipient_id", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("detail", sa.JSON(), nullable=True))
        batch_op.create_foreign_key(
            "fk_events_recipient_id_users", "users", ["recipient_id"], ["id"]
        )
        batch_op.create_index("ix_events_recipient", ["recipient_id", "id"])
    # Shares and unshares recorded before now name their recipient in entity_id.
    op.execute(
        "UPDATE events SET recipient_id = entity_id "
        "WHERE entity_type = 'user' AND verb IN ('shared', 'unshared') "
        "AND entity_id IN (SELECT id FROM users)"
    )
    op.create_table(
        "event_reads",
        sa.Column("user_id", sa.String(length=24), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_event_reads_user_id_users"),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name="fk_event_reads_event_id_events",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "event_id", name="pk_event_reads"),
    )


def downgrade() -> None:
    op.drop_table("event_reads")
    op.execute("DELETE FROM events WHERE use_case_id IS NULL")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_recipient")
        batch_op.drop_constraint("fk_events_recipient_id_users", type_="foreignkey")
        batch_op.drop_column("detail")
        batch_op.drop_column("recipient_id")
        batch_op.alter_column("use_case_id", existing_type=sa.String(length=24), nullable=False)
