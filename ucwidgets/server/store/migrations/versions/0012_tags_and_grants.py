"""use case tags, who granted each role and when, and the members' own role as an order

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 02:15:00

``use_case_tags`` holds each use case's labels, indexed by their folded form. Memberships get
``granted_by``/``granted_at`` (filled from the last ``shared`` event that names the member, or
for a creator from the use case itself) and an index on (user, role); asset roles get
``granted_at`` (their ``created_at`` so far), and so do the grants kept in the trash.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

LAST_SHARE = (
    "(SELECT events.{column} FROM events WHERE events.use_case_id = memberships.use_case_id "
    "AND events.verb = 'shared' AND events.entity_id = memberships.user_id "
    "ORDER BY events.id DESC LIMIT 1)"
)
CREATOR = (
    "(SELECT use_cases.created_by FROM use_cases WHERE use_cases.id = memberships.use_case_id "
    "AND use_cases.created_by = memberships.user_id)"
)


def upgrade() -> None:
    op.create_table(
        "use_case_tags",
        sa.Column("use_case_id", sa.String(length=24), nullable=False),
        sa.Column("tag_key", sa.Text(), nullable=False),
        sa.Column("tag", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["use_case_id"],
            ["use_cases.id"],
            name=op.f("fk_use_case_tags_use_case_id_use_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("use_case_id", "tag_key", name=op.f("pk_use_case_tags")),
    )
    op.create_index("ix_use_case_tags_key", "use_case_tags", ["tag_key", "use_case_id"])
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("granted_by", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("granted_at", sa.String(length=27), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_memberships_granted_by_users"), "users", ["granted_by"], ["id"]
        )
        batch_op.create_index("ix_memberships_user_role", ["user_id", "role", "use_case_id"])
    op.execute(
        "UPDATE memberships SET "
        f"granted_by = COALESCE({LAST_SHARE.format(column='actor_id')}, {CREATOR}), "
        f"granted_at = COALESCE({LAST_SHARE.format(column='at')}, memberships.created_at)"
    )
    with op.batch_alter_table("asset_roles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("granted_at", sa.String(length=27), nullable=True))
    op.execute("UPDATE asset_roles SET granted_at = created_at")
    with op.batch_alter_table("trashed_grants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("granted_at", sa.String(length=27), nullable=True))
    op.execute("UPDATE trashed_grants SET granted_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("trashed_grants", schema=None) as batch_op:
        batch_op.drop_column("granted_at")
    with op.batch_alter_table("asset_roles", schema=None) as batch_op:
        batch_op.drop_column("granted_at")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index("ix_memberships_user_role")
        batch_op.drop_constraint(op.f("fk_memberships_granted_by_users"), type_="foreignkey")
        batch_op.drop_column("granted_at")
        batch_op.drop_column("granted_by")
    op.drop_index("ix_use_case_tags_key", table_name="use_case_tags")
    op.drop_table("use_case_tags")
