"""use case search: folded text indexed by trigrams (FTS5 on SQLite, pg_trgm on PostgreSQL)

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01 23:30:00
"""

import sqlalchemy as sa
from alembic import op

from ucwidgets.server.store import text_search

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None

PG_INDEX = "use_cases_search_trgm"
BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table("use_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        op.execute(
            f"CREATE VIRTUAL TABLE {text_search.FTS_TABLE} USING fts5("
            "use_case_id UNINDEXED, body, tokenize = 'trigram case_sensitive 1')"
        )
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(f"CREATE INDEX {PG_INDEX} ON use_cases USING gin (search_text gin_trgm_ops)")
    use_cases = sa.table(
        "use_cases",
        sa.column("id"),
        sa.column("name"),
        sa.column("description"),
        sa.column("search_text"),
    )
    rows = conn.execute(sa.select(use_cases.c.id, use_cases.c.name, use_cases.c.description)).all()
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        values = [
            {"uc_id": r.id, "search_text": text_search.search_text(r.name, r.description)}
            for r in batch
        ]
        conn.execute(
            use_cases.update()
            .where(use_cases.c.id == sa.bindparam("uc_id"))
            .values(search_text=sa.bindparam("search_text")),
            values,
        )
        text_search.index(conn, [{"id": v["uc_id"], **v} for v in values])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TABLE {text_search.FTS_TABLE}")
    else:
        op.execute(f"DROP INDEX {PG_INDEX}")
    with op.batch_alter_table("use_cases", schema=None) as batch_op:
        batch_op.drop_column("search_text")
