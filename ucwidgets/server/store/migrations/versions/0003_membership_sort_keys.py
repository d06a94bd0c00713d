"""membership sort keys: a member's use case listing reads one page, not every row

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 13:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

KEYS = {"uc_name": "name", "uc_created_at": "created_at", "uc_updated_at": "updated_at"}


def upgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uc_name", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("uc_created_at", sa.String(length=27), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("uc_updated_at", sa.String(length=27), server_default="", nullable=False)
        )
    for key, column in KEYS.items():
        op.execute(
            f"UPDATE memberships SET {key} = (SELECT use_cases.{column} FROM use_cases "
            "WHERE use_cases.id = memberships.use_case_id)"
        )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        for key in KEYS:
            suffix = key.removeprefix("uc_").removesuffix("_at")
            batch_op.create_index(f"ix_memberships_user_{suffix}", ["user_id", key, "use_case_id"])


def downgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        for key in KEYS:
            batch_op.drop_index(
                f"ix_memberships_user_{key.removeprefix('uc_').removesuffix('_at')}"
            )
        for key in KEYS:
            batch_op.drop_column(key)
