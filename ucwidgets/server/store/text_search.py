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
from weakref import WeakKeyDictionary

from sqlalchemy import column, func, select, table, text

from .schema import use_cases

FTS_TABLE = "use_cases_search"
#: Trigrams need three characters; shorter terms fall back to a scan of the caller's use cases.
MIN_INDEXED = 3
_fts = table(FTS_TABLE, column("rowid"), column("use_case_id"), column("body"))


#: Trigrams of a term the index is asked for: the rarest, as few as narrow the rows enough.
RAREST = 3
#: Per database engine, how many use cases held each trigram when it was last counted. Only the
#: choice of trigrams reads it, so a stale count can slow a search but never change its answer;
#: counting a trigram costs a read of its postings, once per process.
_doc_counts: WeakKeyDictionary[Any, dict[str, int]] = WeakKeyDictionary()
_COUNTS_KEPT = 200_000
_VOCAB = "use_cases_search_vocab"


def _rarest(conn: Any, folded: str) -> list[str]:
    """The ``RAREST`` trigrams of ``folded`` held by the fewest use cases."""
    grams = {folded[i : i + 3] for i in range(len(folded) - 2)}
    if len(grams) <= RAREST:
        return sorted(grams)
    known = _doc_counts.setdefault(conn.engine, {})
    if len(known) > _COUNTS_KEPT:
        known.clear()
    unknown = grams - known.keys()
    if unknown:
        # The vocabulary of the index, per connection (a temporary table, no migration).
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{_VOCAB} "
            f"USING fts5vocab(main, {FTS_TABLE}, row)"
        )
        for gram in unknown:
            known[gram] = (
                conn.exec_driver_sql(
                    f"SELECT doc FROM temp.{_VOCAB} WHERE term = ?", (gram,)
                ).scalar()
                or 0
            )
    return sorted(grams, key=lambda g: (known.get(g, 0), g))[:RAREST]


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
    """A ``SELECT`` of the ids of the use cases whose text contains ``term`` (any store).

    On SQLite the index narrows the rows to those holding the term's rarest trigrams, and the
    text itself says whether it contains the term. Matching the whole term as a phrase would
    read the postings of all its trigrams, and common ones (``mod``, ``el ``) are in every name:
    a search for a full name grew with the store (285 ms at 1,000,000 use cases).
    """
    folded = fold(term)
    if conn.dialect.name == "sqlite" and len(folded) >= MIN_INDEXED:
        grams = " AND ".join('"' + g.replace('"', '""') + '"' for g in _rarest(conn, folded))
        return select(_fts.c.use_case_id).where(
            text(f"{FTS_TABLE} MATCH :grams").bindparams(grams=grams),
            func.instr(_fts.c.body, folded) > 0,
        )
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return select(use_cases.c.id).where(use_cases.c.search_text.like(f"%{escaped}%", escape="\\"))
