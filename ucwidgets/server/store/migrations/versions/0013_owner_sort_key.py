"""the owner as a sort key: each membership keeps the first of its use case's OWNERs' usernames

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 03:15:00

Indexed per user like 0003's and 0010's keys, so that ``orderBy=owner`` reads one page of an
index.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

FIRST_OWNER = (
    "(SELECT min(users.username) FROM memberships AS owners JOIN users ON users.id = "
    "owners.user_id WHERE owners.use_case_id = memberships.use_case_id AND owners.role = 'OWNER')"
)


def upgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uc_owner", sa.Text(), server_default="", nullable=False))
    op.execute(f"UPDATE memberships SET uc_owner = COALESCE({FIRST_OWNER}, '')")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index("ix_memberships_user_owner", ["user_id", "uc_owner", "use_case_id"])


def downgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index("ix_memberships_user_owner")
        batch_op.drop_column("uc_owner")
