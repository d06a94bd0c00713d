"""Searching use cases by any part of their name or description, in any script.

A use case keeps ``search_text``: its name and description case-folded, decomposed and stripped
of combining marks, so that ``île``, ``ILE`` and ``Île`` are all ``ile`` (``lower()`` in SQLite
folds ASCII only). The search term is folded the same way and matched as a substring:

- SQLite: an FTS5 table with the trigram tokenizer (``use_cases_search``) answers terms of three
  characters or more from its index; shorter terms scan the caller's use cases with ``LIKE``.
- PostgreSQL: ``LIKE`` on ``search_text``, answered by a ``pg_trgm`` GIN index.

The FTS row of a use case has a rowid derived from the use case's id, so that it can be found
again without a lookup, and carries the id itself, which is what a search returns.

Examples
--------
>>> fold("Île de Ré")
'ile de re'
>>> fold("STRASSE") == fold("straße")
True
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlalchemy import column, select, table, text

from .schema import use_cases

FTS_TABLE = "use_cases_search"
#: Trigrams need three characters; shorter terms fall back to a scan of the caller's use cases.
MIN_INDEXED = 3
_fts = table(FTS_TABLE, column("rowid"), column("use_case_id"), column("body"))


def fold(value: str) -> str:
    """``value`` case-folded, with accents and other combining marks removed."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_text(name: str, description: str) -> str:
    """What a use case's search matches: its folded name and description."""
    return f"{fold(name)}\n{fold(description)}"


def _rowid(use_case_id: str) -> int:
    # 60 bits of the random 96-bit id: a positive 64-bit rowid, unique in practice (a clash
    # fails the insert, and the write with it, rather than mixing up two use cases).
    return int(use_case_id[:15], 16)


def index(conn: Any, rows: Iterable[dict]) -> None:
    """Add use cases (dicts with ``id`` and ``search_text``) to the SQLite index."""
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL indexes the column itself
    values = [
        {"rowid": _rowid(r["id"]), "use_case_id": r["id"], "body": r["search_text"]} for r in rows
    ]
    if values:
        conn.execute(_fts.insert(), values)


def unindex(conn: Any, use_case_id: str) -> None:
    """Remove a use case from the SQLite index (before it is deleted or reindexed)."""
    if conn.dialect.name == "sqlite":
        conn.execute(_fts.delete().where(_fts.c.rowid == _rowid(use_case_id)))


def reindex(conn: Any, use_case_id: str, body: str) -> None:
    """Replace a use case's indexed text after its name or description changed."""
    unindex(conn, use_case_id)
    index(conn, [{"id": use_case_id, "search_text": body}])


def uses_index(conn: Any, term: str) -> bool:
    """Whether a search for ``term`` is answered by the trigram index (else a scan)."""
    return conn.dialect.name != "sqlite" or len(fold(term)) >= MIN_INDEXED


def matching(conn: Any, term: str) -> Any:
    """A ``SELECT`` of the ids of the use cases whose text contains ``term`` (any store)."""
    folded = fold(term)
    if conn.dialect.name == "sqlite" and len(folded) >= MIN_INDEXED:
        phrase = '"' + folded.replace('"', '""') + '"'
        return select(_fts.c.use_case_id).where(
            text(f"{FTS_TABLE} MATCH :phrase").bindparams(phrase=phrase)
        )
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return select(use_cases.c.id).where(use_cases.c.search_text.like(f"%{escaped}%", escape="\\"))
