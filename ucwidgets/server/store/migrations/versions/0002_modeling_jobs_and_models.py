"""modeling jobs and models (and a project's modeling status)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 13:18:08.728831
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "modeling_jobs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.String(length=24), nullable=False),
        sa.Column("blueprint", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("worker", sa.Text(), nullable=True),
        sa.Column("heartbeat_at", sa.String(length=27), nullable=True),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("started_at", sa.String(length=27), nullable=True),
        sa.Column("finished_at", sa.String(length=27), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_modeling_jobs_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_modeling_jobs_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_modeling_jobs")),
    )
    with op.batch_alter_table("modeling_jobs", schema=None) as batch_op:
        batch_op.create_index("ix_modeling_jobs_project", ["project_id", "id"], unique=False)
        batch_op.create_index("ix_modeling_jobs_status", ["status", "id"], unique=False)

    op.create_table(
        "models",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("model_number", sa.Integer(), nullable=False),
        sa.Column("blueprint", sa.String(length=32), nullable=False),
        sa.Column("model_type", sa.Text(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("sample_pct", sa.Float(), nullable=False),
        sa.Column("training_row_count", sa.BigInteger(), nullable=False),
        sa.Column("training_seconds", sa.Float(), nullable=False),
        sa.Column("blob", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_models_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_models")),
    )
    with op.batch_alter_table("models", schema=None) as batch_op:
        batch_op.create_index("ix_models_project", ["project_id", "model_number"], unique=False)

    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("modeling_status", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("modeling_status")

    with op.batch_alter_table("models", schema=None) as batch_op:
        batch_op.drop_index("ix_models_project")

    op.drop_table("models")
    with op.batch_alter_table("modeling_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_modeling_jobs_status")
        batch_op.drop_index("ix_modeling_jobs_project")

    op.drop_table("modeling_jobs")
