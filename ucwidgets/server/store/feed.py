"""The change feed: per use case events, notifications across use cases, and search."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, func, or_, select

from ...errors import ValidationError
from . import validate
from .assets import TABLES, visible
from .db import Repository, escape_like
from .records import User
from .schema import event_reads, events, memberships, use_cases, users
from .use_cases import require_member
from .users import public_user
from .validate import BIGINT_MAX

SEARCH_TYPES = ("useCase", *TABLES)


def _events(conn: Any, query: Any) -> list[dict]:
    rows = conn.execute(
        query.add_columns(
            users.c.username, users.c.full_name, use_cases.c.name.label("use_case_name")
        )
        .join(users, users.c.id == events.c.actor_id)
        .outerjoin(use_cases, use_cases.c.id == events.c.use_case_id)
    ).all()
    return [
        {
            "id": r.id,
            # A deletion notice has no use case row any more: it names the one it was about.
            "use_case_id": r.use_case_id or r.entity_id,
            "use_case_name": r.use_case_name if r.use_case_id else r.entity_name,
            "actor": public_user(_Actor(r)),
            "verb": r.verb,
            "entity_type": r.entity_type,
            "entity_id": r.entity_id,
            "entity_name": r.entity_name,
            "recipient_id": r.recipient_id,
            "detail": r.detail or {},
            "at": r.at,
        }
        for r in rows
    ]


class _Actor:
    def __init__(self, r: Any) -> None:
        self.id, self.username, self.full_name = r.actor_id, r.username, r.full_name


def visible_to(user_id: str) -> Any:
    """Events a user sees: those of their use cases, and those addressed to them."""
    mine = select(memberships.c.use_case_id).where(memberships.c.user_id == user_id)
    return events.c.use_case_id.in_(mine) | (events.c.recipient_id == user_id)


def seen_by(user_id: str) -> Any:
    """:func:`visible_to` as a check on each event: for the live stream's few events after its
    cursor this probes one membership per event, where ``visible_to`` would list every use case
    of the caller first (100,000 index searches for a member of 100,000)."""
    member = exists().where(
        memberships.c.use_case_id == events.c.use_case_id, memberships.c.user_id == user_id
    )
    return member | (events.c.recipient_id == user_id)


def _unread(user_id: str, read_upto: int) -> Any:
    """Events by others, after the user's read mark, not marked read one by one."""
    one_by_one = select(event_reads.c.event_id).where(event_reads.c.user_id == user_id)
    return (
        (events.c.actor_id != user_id) & (events.c.id > read_upto) & events.c.id.not_in(one_by_one)
    )


class Feed(Repository):
    """The change feed of a use case, notifications across use cases, and search.

    Examples
    --------
    >>> uc = store.use_cases.create(ann, {"name": "Risk"})
    >>> [e["verb"] for e in store.feed.use_case_events(ann, uc["id"], after=0, limit=10)]
    ['created']
    >>> [e["verb"] for e in store.feed.events_after(ann, after=0, limit=10)]
    ['created']
    >>> [hit["name"] for hit in store.feed.search(ann, "ris", [], 0, 10)[0]]
    ['Risk']
    """

    def use_case_events(self, actor: User, use_case_id: str, after: int, limit: int) -> list[dict]:
        """Events of one use case, oldest first, with ids greater than ``after``."""
        with self.db.read() as conn:
            require_member(conn, use_case_id, actor["id"], "view")
            return _events(
                conn,
                select(events)
                .where(events.c.use_case_id == use_case_id, events.c.id > after)
                .order_by(events.c.id)
                .limit(limit),
            )

    def events_after(self, actor: User, after: int | None, limit: int) -> list[dict]:
        """What the caller may see that happened after event ``after``, oldest first.

        The live stream of every client: their own changes too, and notices addressed to them
        (a use case they were in, deleted; their own removal). ``after=None`` means "from now":
        no events, only the cursor (see :meth:`latest_event_id`).
        """
        if after is None:
            return []
        with self.db.read() as conn:
            return _events(
                conn,
                select(events)
                .where(events.c.id > after, seen_by(actor["id"]))
                .order_by(events.c.id)
                .limit(limit),
            )

    def latest_event_id(self, actor: User) -> int:
        """The newest event id the caller may see (0 when none): where a stream starts."""
        with self.db.read() as conn:
            return conn.execute(
                select(func.coalesce(func.max(events.c.id), 0)).where(visible_to(actor["id"]))
            ).scalar_one()

    def notifications(
        self,
        actor: User,
        unread_only: bool,
        offset: int,
        limit: int,
        *,
        include_own: bool = False,
        before: int | None = None,
        use_case_id: str | None = None,
        actor_id: str | None = None,
        entity_type: str | None = None,
    ) -> tuple[list[dict], int, int]:
        """What happened in the caller's use cases, newest first (others' changes only, unless
        ``include_own``), filtered by use case, actor and entity type, before an event id.

        Returns the page, the total matching, and the number unread (of every notification,
        whatever the filters: the one count a page of feeds shares).
        """
        me = actor["id"]
        cond = visible_to(me)
        if not include_own:
            cond = cond & (events.c.actor_id != me)
        if before is not None:
            cond = cond & (events.c.id < before)
        if use_case_id:
            cond = cond & or_(
                events.c.use_case_id == use_case_id,
                (events.c.use_case_id.is_(None)) & (events.c.entity_id == use_case_id),
            )
        if actor_id:
            cond = cond & (events.c.actor_id == actor_id)
        if entity_type:
            cond = cond & (events.c.entity_type == entity_type)
        with self.db.read() as conn:
            read_upto = conn.execute(select(users.c.read_upto).where(users.c.id == me)).scalar_one()
            unread_cond = _unread(me, read_upto)
            unread = conn.execute(
                select(func.count()).select_from(events).where(visible_to(me) & unread_cond)
            ).scalar_one()
            if unread_only:
                cond = cond & unread_cond
            total = conn.execute(select(func.count()).select_from(events).where(cond)).scalar_one()
            page = _events(
                conn,
                select(events).where(cond).order_by(events.c.id.desc()).offset(offset).limit(limit),
            )
            ids = [item["id"] for item in page]
            one_by_one = set(
                conn.execute(
                    select(event_reads.c.event_id).where(
                        event_reads.c.user_id == me, event_reads.c.event_id.in_(ids)
                    )
                ).scalars()
            )
        for item in page:
            item["read"] = (
                item["id"] <= read_upto or item["id"] in one_by_one or item["actor"]["id"] == me
            )
        return page, total, unread

    def mark_read(self, actor: User, upto: Any = None, ids: Any = None) -> int:
        """Mark notifications read: the events ``ids`` one by one, or all up to event ``upto``
        (default: all so far). Returns the caller's read mark."""
        if ids is not None:
            return self._mark_some_read(
                actor, [validate.integer(i, "ids", events.c.id, low=0) for i in ids]
            )
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
            conn.execute(
                event_reads.delete().where(
                    event_reads.c.user_id == actor["id"], event_reads.c.event_id <= upto
                )
            )
            return conn.execute(
                select(users.c.read_upto).where(users.c.id == actor["id"])
            ).scalar_one()

    def _mark_some_read(self, actor: User, ids: list[int]) -> int:
        me = actor["id"]
        with self.db.write() as conn:
            read_upto = conn.execute(select(users.c.read_upto).where(users.c.id == me)).scalar_one()
            # Only events the caller sees, unread so far: another's ids are silently no-ops.
            fresh = conn.execute(
                select(events.c.id).where(
                    events.c.id.in_(set(ids)), visible_to(me), _unread(me, read_upto)
                )
            ).scalars()
            rows = [{"user_id": me, "event_id": i} for i in fresh.all()]
            if rows:
                conn.execute(event_reads.insert(), rows)
            return read_upto

    def search(
        self, actor: User, q: str, types: list[str], offset: int, limit: int
    ) -> tuple[list[dict], int]:
        """Use cases and assets the caller can see whose name or description contains ``q``."""
        unknown = set(types) - set(SEARCH_TYPES)
        if unknown:
            raise ValidationError(
                f"types must be among {', '.join(SEARCH_TYPES)}.", errors={"types": "unknown type"}
            )
        pattern = f"%{escape_like(q.lower())}%"
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

    def _search_target(self, actor: User, etype: str) -> tuple[Any, Any]:
        if etype == "useCase":
            mine = select(memberships.c.use_case_id).where(memberships.c.user_id == actor["id"])
            return use_cases, use_cases.c.id.in_(mine)
        return TABLES[etype], visible(etype, actor["id"])
