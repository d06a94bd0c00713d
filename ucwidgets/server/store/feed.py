"""The change feed: per use case events, notifications across use cases, and search."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from ...errors import ValidationError
from .. import access
from . import validate
from .assets import TABLES, visible
from .schema import events, memberships, use_cases, users
from .use_cases import membership
from .users import _escape_like, public_user
from .validate import BIGINT_MAX

SEARCH_TYPES = ("useCase", *TABLES)


def _events(conn: Any, query: Any) -> list[dict]:
    rows = conn.execute(
        query.add_columns(
            users.c.username, users.c.full_name, use_cases.c.name.label("use_case_name")
        )
        .join(users, users.c.id == events.c.actor_id)
        .join(use_cases, use_cases.c.id == events.c.use_case_id)
    ).all()
    return [
        {
            "id": r.id,
            "use_case_id": r.use_case_id,
            "use_case_name": r.use_case_name,
            "actor": public_user(_Actor(r)),
            "verb": r.verb,
            "entity_type": r.entity_type,
            "entity_id": r.entity_id,
            "entity_name": r.entity_name,
            "at": r.at,
        }
        for r in rows
    ]


class _Actor:
    def __init__(self, r: Any) -> None:
        self.id, self.username, self.full_name = r.actor_id, r.username, r.full_name


class FeedStore:
    """The change feed of a use case, notifications across use cases, and search.

    Examples
    --------
    >>> import tempfile
    >>> from ucwidgets.server.store import Store
    >>> store = Store.open(tempfile.mkdtemp())
    >>> ann, _ = store.create_user("ann@example.com")
    >>> uc = store.create_use_case(ann, {"name": "Risk"})
    >>> [e["verb"] for e in store.use_case_events(ann, uc["id"], after=0, limit=10)]
    ['created']
    >>> [hit["name"] for hit in store.search(ann, "ris", [], 0, 10)[0]]
    ['Risk']
    """

    db: Any

    def use_case_events(self, actor: dict, use_case_id: str, after: int, limit: int) -> list[dict]:
        """Events of one use case, oldest first, with ids greater than ``after``."""
        with self.db.read() as conn:
            access.require(membership(conn, use_case_id, actor["id"]), "view")
            return _events(
                conn,
                select(events)
                .where(events.c.use_case_id == use_case_id, events.c.id > after)
                .order_by(events.c.id)
                .limit(limit),
            )

    def notifications(
        self, actor: dict, unread_only: bool, offset: int, limit: int
    ) -> tuple[list[dict], int, int]:
        """Changes others made in the caller's use cases, newest first.

        Returns the page, the total matching, and the number unread.
        """
        mine = select(memberships.c.use_case_id).where(memberships.c.user_id == actor["id"])
        cond = events.c.use_case_id.in_(mine) & (events.c.actor_id != actor["id"])
        with self.db.read() as conn:
            read_upto = conn.execute(
                select(users.c.read_upto).where(users.c.id == actor["id"])
            ).scalar_one()
            unread = conn.execute(
                select(func.count()).select_from(events).where(cond & (events.c.id > read_upto))
            ).scalar_one()
            if unread_only:
                cond = cond & (events.c.id > read_upto)
            total = conn.execute(select(func.count()).select_from(events).where(cond)).scalar_one()
            page = _events(
                conn,
                select(events).where(cond).order_by(events.c.id.desc()).offset(offset).limit(limit),
            )
        for item in page:
            item["read"] = item["id"] <= read_upto
        return page, total, unread

    def mark_read(self, actor: dict, upto: Any = None) -> int:
        """Mark notifications read up to event ``upto`` (default: all so far)."""
        if upto is not None:
            upto = validate.integer(upto, "upTo", users.c.read_upto, low=0)
        with self.db.write() as conn:
            if upto is None:
                upto = conn.execute(select(func.coalesce(func.max(events.c.id), 0))).scalar_one()
            conn.execute(
                users.update()
                .where(users.c.id == actor["id"], users.c.read_upto < upto)
                .values(read_upto=upto)
            )
            return upto

    def search(
        self, actor: dict, q: str, types: list[str], offset: int, limit: int
    ) -> tuple[list[dict], int]:
        """Use cases and assets the caller can see whose name or description contains ``q``."""
        unknown = set(types) - set(SEARCH_TYPES)
        if unknown:
            raise ValidationError(
                f"types must be among {', '.join(SEARCH_TYPES)}.", errors={"types": "unknown type"}
            )
        pattern = f"%{_escape_like(q.lower())}%"
        found: list[dict] = []
        total = 0
        with self.db.read() as conn:
            for etype in types or SEARCH_TYPES:
                table, cond = self._search_target(actor, etype)
                cond = cond & or_(
                    func.lower(table.c.name).like(pattern, escape="\\"),
                    func.lower(table.c.description).like(pattern, escape="\\")
                    if "description" in table.c
                    else False,
                )
                total += conn.execute(
                    select(func.count()).select_from(table).where(cond)
                ).scalar_one()
                rows = conn.execute(
                    select(table.c.id, table.c.name)
                    .where(cond)
                    .order_by(table.c.name, table.c.id)
                    .limit(min(offset + limit, BIGINT_MAX))
                ).all()
                found += [{"type": etype, "id": r.id, "name": r.name} for r in rows]
        found.sort(key=lambda item: (item["name"].lower(), item["type"], item["id"]))
        return found[offset : offset + limit], total

    def _search_target(self, actor: dict, etype: str) -> tuple[Any, Any]:
        if etype == "useCase":
            mine = select(memberships.c.use_case_id).where(memberships.c.user_id == actor["id"])
            return use_cases, use_cases.c.id.in_(mine)
        return TABLES[etype], visible(etype, actor["id"])
