"""the trash: deleted use cases and assets, and the grants and links they had

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ID = sa.String(length=24)
TIME = sa.String(length=27)
TABLES = {
    "useCase": "use_cases",
    "dataset": "datasets",
    "project": "projects",
    "application": "applications",
    "notebook": "notebooks",
}
TRASH_KEY = (["entity_type", "entity_id"], ["trash.entity_type", "trash.entity_id"])


def upgrade() -> None:
    op.create_table(
        "trash",
        sa.Column("entity_type", sa.String(length=16), nullable=False),
        sa.Column("entity_id", ID, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("deleted_by", ID, nullable=False),
        sa.Column("deleted_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(["deleted_by"], ["users.id"], name="fk_trash_deleted_by_users"),
        sa.PrimaryKeyConstraint("entity_type", "entity_id", name="pk_trash"),
    )
    op.create_index("ix_trash_deleted_at", "trash", ["deleted_at"])
    op.create_table(
        "trashed_grants",
        sa.Column("entity_type", sa.String(length=16), nullable=False),
        sa.Column("entity_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("can_share", sa.Boolean(), nullable=False),
        sa.Column("granted_by", ID, nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(
            *TRASH_KEY, name="fk_trashed_grants_entity_type_trash", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_trashed_grants_user_id_users"),
        sa.ForeignKeyConstraint(
            ["granted_by"], ["users.id"], name="fk_trashed_grants_granted_by_users"
        ),
        sa.PrimaryKeyConstraint("entity_type", "entity_id", "user_id", name="pk_trashed_grants"),
    )
    op.create_index("ix_trashed_grants_user", "trashed_grants", ["user_id", "role"])
    op.create_table(
        "trashed_links",
        sa.Column("id", ID, nullable=False),
        sa.Column("use_case_id", ID, nullable=False),
        sa.Column("entity_type", sa.String(length=16), nullable=False),
        sa.Column("entity_id", ID, nullable=False),
        sa.Column("created_by", ID, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(
            *TRASH_KEY, name="fk_trashed_links_entity_type_trash", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["use_case_id"],
            ["use_cases.id"],
            name="fk_trashed_links_use_case_id_use_cases",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name="fk_trashed_links_created_by_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_trashed_links"),
    )
    op.create_index("ix_trashed_links_entity", "trashed_links", ["entity_type", "entity_id"])


def downgrade() -> None:
    # The version before this one deleted for good: what sits in the trash goes now (a trashed
    # row has no grants left outside the trash, so it would otherwise linger unreachable).
    for etype, table in TABLES.items():
        op.execute(
            f"DELETE FROM {table} WHERE id IN "
            f"(SELECT entity_id FROM trash WHERE entity_type = '{etype}')"
        )
    op.drop_table("trashed_links")
    op.drop_table("trashed_grants")
    op.drop_table("trash")
