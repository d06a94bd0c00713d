"""username keys: usernames unique after NFKC casefolding

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 23:30:00

Existing users get their key; where two existing usernames already share one (``Bob`` and
``bob``), the later user's key is made distinct with its id, so both keep working and no third
can join them.
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _key(username: str) -> str:
    # validate.username_key as of this revision (a migration must not change with the code).
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("username_key", sa.Text(), nullable=True))
    conn = op.get_bind()
    users = sa.table(
        "users",
        sa.column("id"),
        sa.column("username"),
        sa.column("created_at"),
        sa.column("username_key"),
    )
    seen: set[str] = set()
    rows = conn.execute(sa.select(users.c.id, users.c.username).order_by(users.c.created_at))
    for uid, username in rows.all():
        key = _key(username)
        if key in seen:
            key = f"{key}#{uid}"
        seen.add(key)
        conn.execute(users.update().where(users.c.id == uid).values(username_key=key))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("username_key", existing_type=sa.Text(), nullable=False)
        batch_op.create_unique_constraint("uq_users_username_key", ["username_key"])


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint("uq_users_username_key", type_="unique")
        batch_op.drop_column("username_key")
