"""use case sort keys for every documented orderBy, and when a dataset last changed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 00:10:00

Each membership row gets the rest of its use case's sort keys (the start of the description,
the creator's and last updater's usernames, the number of projects, datasets, notebooks and
applications linked), each indexed per user like 0003's, so that every ``orderBy`` of
``GET useCases/`` reads one page of an index. Datasets get ``updated_at``/``updated_by``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

DESCRIPTION_KEY = 256
TEXT_KEYS = ("uc_description", "uc_created_by", "uc_updated_by")
COUNTED = {
    "uc_projects_count": "project",
    "uc_datasets_count": "dataset",
    "uc_notebooks_count": "notebook",
    "uc_applications_count": "application",
}
USE_CASE = "(SELECT {expr} FROM use_cases WHERE use_cases.id = memberships.use_case_id)"


def _index_name(key: str) -> str:
    return f"ix_memberships_user_{key.removeprefix('uc_').removesuffix('_count')}"


def upgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        for key in TEXT_KEYS:
            batch_op.add_column(sa.Column(key, sa.Text(), server_default="", nullable=False))
        for key in COUNTED:
            batch_op.add_column(
                sa.Column(key, sa.Integer(), server_default=sa.text("0"), nullable=False)
            )
    expr = f"substr(use_cases.description, 1, {DESCRIPTION_KEY})"
    op.execute(f"UPDATE memberships SET uc_description = {USE_CASE.format(expr=expr)}")
    for key, column in (("uc_created_by", "created_by"), ("uc_updated_by", "updated_by")):
        expr = f"(SELECT username FROM users WHERE users.id = use_cases.{column})"
        op.execute(f"UPDATE memberships SET {key} = {USE_CASE.format(expr=expr)}")
    for key, etype in COUNTED.items():
        op.execute(
            f"UPDATE memberships SET {key} = (SELECT count(*) FROM links WHERE "
            f"links.use_case_id = memberships.use_case_id AND links.entity_type = '{etype}')"
        )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        for key in (*TEXT_KEYS, *COUNTED):
            batch_op.create_index(_index_name(key), ["user_id", key, "use_case_id"])
    with op.batch_alter_table("datasets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.String(length=27), nullable=True))
        batch_op.add_column(sa.Column("updated_by", sa.String(length=24), nullable=True))
    op.execute("UPDATE datasets SET updated_at = created_at, updated_by = created_by")
    with op.batch_alter_table("datasets", schema=None) as batch_op:
        batch_op.alter_column("updated_at", existing_type=sa.String(length=27), nullable=False)
        batch_op.alter_column("updated_by", existing_type=sa.String(length=24), nullable=False)
        batch_op.create_foreign_key(
            op.f("fk_datasets_updated_by_users"), "users", ["updated_by"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("datasets", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_datasets_updated_by_users"), type_="foreignkey")
        batch_op.drop_column("updated_by")
        batch_op.drop_column("updated_at")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        for key in (*TEXT_KEYS, *COUNTED):
            batch_op.drop_index(_index_name(key))
        for key in (*TEXT_KEYS, *COUNTED):
            batch_op.drop_column(key)
