"""asset roles: every asset gets its own role list, its creator its first OWNER

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 23:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ASSET_TABLES = {
    "dataset": "datasets",
    "project": "projects",
    "application": "applications",
    "notebook": "notebooks",
}


def upgrade() -> None:
    op.create_table(
        "asset_roles",
        sa.Column("entity_type", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.String(length=24), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("can_share", sa.Boolean(), nullable=False),
        sa.Column("granted_by", sa.String(length=24), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_asset_roles_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["granted_by"], ["users.id"], name=op.f("fk_asset_roles_granted_by_users")
        ),
        sa.PrimaryKeyConstraint("entity_type", "entity_id", "user_id", name=op.f("pk_asset_roles")),
    )
    op.create_index(
        "ix_asset_roles_user", "asset_roles", ["user_id", "entity_type", "entity_id"], unique=False
    )
    # Existing assets: their creator becomes their first OWNER, as for a new one.
    for etype, table in ASSET_TABLES.items():
        op.execute(
            "INSERT INTO asset_roles "
            "(entity_type, entity_id, user_id, role, can_share, granted_by, created_at) "
            f"SELECT '{etype}', id, created_by, 'OWNER', TRUE, created_by, created_at FROM {table}"
        )


def downgrade() -> None:
    op.drop_index("ix_asset_roles_user", table_name="asset_roles")
    op.drop_table("asset_roles")
