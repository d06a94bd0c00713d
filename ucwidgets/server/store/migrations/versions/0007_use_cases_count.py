"""use cases count: each user's number of memberships, for the total of a listing

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 23:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "use_cases_count", sa.BigInteger(), server_default=sa.text("0"), nullable=False
            )
        )
    op.execute(
        "UPDATE users SET use_cases_count = "
        "(SELECT count(*) FROM memberships WHERE memberships.user_id = users.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("use_cases_count")
