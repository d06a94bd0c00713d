"""Use cases: create, read, list, update, delete, and the shape they are returned in."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from sqlalchemy import bindparam, func, literal, select, union_all

from ... import roles
from ...errors import ValidationError
from ...roles import Standing
from . import tags as use_case_tags
from . import text_search, validate
from .db import EVENTS_WRITTEN, Repository, new_id, now
from .records import Member, UseCaseRecord, User
from .schema import events, links, memberships, models, use_cases, users
from .users import public_user

#: ``orderBy`` keys of ``GET useCases/`` (DataRobot's client documents them in snake_case, the
#: wire's fields are camelCase: both work) -> the membership copy of that key of the use case,
#: indexed per user, so that every order reads one page of an index. A leading ``-`` sorts
#: descending; ties fall back to the id.
USE_CASE_ORDER = {
    "id": memberships.c.use_case_id,
    "name": memberships.c.uc_name,
    "description": memberships.c.uc_description,
    "projectsCount": memberships.c.uc_projects_count,
    "datasetsCount": memberships.c.uc_datasets_count,
    # No files live here: every filesCount is 0, so that order is the ties' order.
    "filesCount": memberships.c.use_case_id,
    "notebooksCount": memberships.c.uc_notebooks_count,
    "applicationsCount": memberships.c.uc_applications_count,
    "createdAt": memberships.c.uc_created_at,
    "createdBy": memberships.c.uc_created_by,
    "updatedAt": memberships.c.uc_updated_at,
    "updatedBy": memberships.c.uc_updated_by,
    # The first of the use case's OWNERs' usernames.
    "owner": memberships.c.uc_owner,
    # The caller's own role: CONSUMER < EDITOR < OWNER, as text and as rank alike.
    "role": memberships.c.role,
}
#: The description sorts by its start: any two that differ there sort as text, and the key
#: stays well inside PostgreSQL's limit on an index entry.
DESCRIPTION_KEY = 256
#: Asset types whose links a use case counts (``modelsCount`` counts through its projects).
LINKED_TYPES = ("project", "dataset", "notebook", "application")
COUNTED_TYPES = ("model", *LINKED_TYPES)


def order_column(order_by: str) -> tuple[Any, bool]:
    """The membership column and direction of an ``orderBy`` value (``-projects_count``,
    ``projectsCount``...); ``ValidationError`` for a key not in ``USE_CASE_ORDER``."""
    key = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), order_by.removeprefix("-"))
    if key not in USE_CASE_ORDER:
        raise ValidationError(
            f"orderBy must be one of {', '.join(USE_CASE_ORDER)} (or their snake_case "
            "spellings), optionally prefixed with '-'.",
            errors={"orderBy": "unknown sort key"},
        )
    return USE_CASE_ORDER[key], order_by.startswith("-")


def record(
    conn: Any,
    use_case_id: str | None,
    actor_id: str,
    verb: str,
    entity_type: str,
    entity_id: str,
    entity_name: str,
    *,
    recipient_id: str | None = None,
    detail: dict | None = None,
) -> None:
    """Write one change-feed event, in the caller's transaction.

    ``recipient_id`` lets one user see the event without being a member (the user a share or
    unshare names; the former member of a deleted use case). Once the transaction commits, the
    database wakes whoever waits for events (``Database.on_events``).
    """
    conn.execute(
        events.insert().values(
            use_case_id=use_case_id,
            actor_id=actor_id,
            verb=verb,
            entity_type=entity_type,
            entity_id=entity_id,
            entity_name=entity_name,
            recipient_id=recipient_id,
            detail=detail,
            at=now(),
        )
    )
    conn.info[EVENTS_WRITTEN] = True


def membership(conn: Any, use_case_id: str, user_id: str, lock: bool = False) -> Any:
    """The caller's membership row in a use case, or ``None``.

    With ``lock`` the use case row is locked first (``SELECT ... FOR UPDATE`` on PostgreSQL;
    SQLite's ``BEGIN IMMEDIATE`` already serialises writers), so that role checks and the
    writes they allow see the same memberships.
    """
    if not validate.is_object_id(use_case_id):
        return None
    if lock:
        q = select(use_cases.c.id).where(use_cases.c.id == use_case_id).with_for_update()
        if conn.execute(q).first() is None:
            return None
    row = conn.execute(
        select(memberships).where(
            memberships.c.use_case_id == use_case_id, memberships.c.user_id == user_id
        )
    ).first()
    return None if row is None else dict(row._mapping)


def require_member(
    conn: Any, use_case_id: str, user_id: str, operation: str, lock: bool = False
) -> Standing:
    """The caller's standing on a use case, if it allows ``operation`` (``roles.require``)."""
    mine = Standing.of(membership(conn, use_case_id, user_id, lock=lock))
    roles.require(mine, operation, "use case")
    return mine


def touch(conn: Any, use_case_id: str, actor_id: str, **values: Any) -> None:
    """Mark a use case changed (with new ``values``, e.g. ``name``), keeping the members'
    sort keys in step; call it after changing the use case's links, so its counts are too."""
    conn.execute(
        use_cases.update()
        .where(use_cases.c.id == use_case_id)
        .values(**values, updated_at=now(), updated_by=actor_id)
    )
    copy_sort_keys(conn, use_case_id)


def sort_keys(conn: Any, use_case_id: str) -> dict[str, Any]:
    """The use case's sort keys, as its membership rows copy them (``USE_CASE_ORDER``)."""
    creator, updater = users.alias("creator"), users.alias("updater")
    uc = conn.execute(
        select(
            use_cases.c.name,
            use_cases.c.description,
            use_cases.c.created_at,
            use_cases.c.updated_at,
            creator.c.username.label("created_by"),
            updater.c.username.label("updated_by"),
        )
        .join(creator, creator.c.id == use_cases.c.created_by)
        .join(updater, updater.c.id == use_cases.c.updated_by)
        .where(use_cases.c.id == use_case_id)
    ).one()
    counts = link_counts(conn, [use_case_id])[use_case_id]
    owner = conn.execute(
        select(func.min(users.c.username))
        .join(memberships, memberships.c.user_id == users.c.id)
        .where(memberships.c.use_case_id == use_case_id, memberships.c.role == "OWNER")
    ).scalar()
    return {
        "uc_name": uc.name,
        "uc_description": uc.description[:DESCRIPTION_KEY],
        "uc_created_at": uc.created_at,
        "uc_created_by": uc.created_by,
        "uc_updated_at": uc.updated_at,
        "uc_updated_by": uc.updated_by,
        "uc_owner": owner or "",
        **{f"uc_{etype}s_count": counts.get(etype, 0) for etype in LINKED_TYPES},
    }


def copy_sort_keys(conn: Any, use_case_id: str) -> None:
    """Bring every member's copy of the use case's sort keys up to date."""
    conn.execute(
        memberships.update()
        .where(memberships.c.use_case_id == use_case_id)
        .values(**sort_keys(conn, use_case_id))
    )


def count_memberships(conn: Any, delta: int, user_ids: Any) -> None:
    """Move the ``use_cases_count`` of ``user_ids`` (a list or a ``SELECT``) by ``delta``."""
    conn.execute(
        users.update()
        .where(users.c.id.in_(user_ids))
        .values(use_cases_count=users.c.use_cases_count + delta)
    )


def recount_memberships(conn: Any) -> None:
    """Set every user's ``use_cases_count`` from the memberships (after a bulk load)."""
    conn.execute(
        users.update().values(
            use_cases_count=select(func.count())
            .select_from(memberships)
            .where(memberships.c.user_id == users.c.id)
            .scalar_subquery()
        )
    )


def remove_member(conn: Any, use_case_id: str, user_id: str) -> None:
    """Delete a membership, keeping the member's count in step."""
    conn.execute(
        memberships.delete().where(
            (memberships.c.use_case_id == use_case_id) & (memberships.c.user_id == user_id)
        )
    )
    count_memberships(conn, -1, [user_id])


def granted(role: str, can_share: bool, by: str, at: str | None = None) -> dict:
    """A role given by the user ``by`` at ``at`` (default now), in the columns that a membership
    and an asset's role keep it in."""
    return {"role": role, "can_share": can_share, "granted_by": by, "granted_at": at or now()}


def add_member(conn: Any, use_case_id: str, user_id: str, grant: dict) -> None:
    """Insert a membership with the use case's sort keys copied in; ``grant`` is its role, as
    ``granted`` gives it."""
    conn.execute(
        memberships.insert().values(
            use_case_id=use_case_id,
            user_id=user_id,
            created_at=now(),
            **grant,
            **sort_keys(conn, use_case_id),
        )
    )
    count_memberships(conn, 1, [user_id])
    if grant["role"] == "OWNER":  # the owner key of the other members may change with this one
        copy_sort_keys(conn, use_case_id)


_IDS = bindparam("ids", expanding=True)
_ROW = [c for c in use_cases.c if c.name != "search_text"]  # what describe reads
# Built once: the statements of ``describe``, whose per-call cost is then executing them.
_COUNTS = union_all(
    select(links.c.use_case_id, links.c.entity_type, func.count())
    .where(links.c.use_case_id.in_(_IDS))
    .group_by(links.c.use_case_id, links.c.entity_type),
    # Models count through the projects linked to each use case (DataRobot's modelsCount).
    select(links.c.use_case_id, literal("model"), func.count())
    .join(models, models.c.project_id == links.c.entity_id)
    .where(links.c.entity_type == "project", links.c.use_case_id.in_(_IDS))
    .group_by(links.c.use_case_id),
)
_MEMBERS = (
    select(
        memberships.c.use_case_id,
        memberships.c.role,
        memberships.c.can_share,
        users.c.id,
        users.c.username,
        users.c.full_name,
    )
    .join(users, users.c.id == memberships.c.user_id)
    .where(memberships.c.use_case_id.in_(_IDS))
    .order_by(users.c.username)
)
_PEOPLE = select(users.c.id, users.c.username, users.c.full_name).where(users.c.id.in_(_IDS))


def link_counts(conn: Any, ids: list[str]) -> dict[str, dict[str, int]]:
    """Per use case of ``ids``, how many assets of each type are linked to it, and how many
    models its projects have (``model``)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for uc_id, etype, n in conn.execute(_COUNTS, {"ids": ids}):
        counts[uc_id][etype] = n
    return counts


def describe(conn: Any, rows: list[Any], viewer_id: str) -> list[UseCaseRecord]:
    """Full use case dicts (creator, counts, members, and the rights of ``viewer_id``) for
    ``rows``, in two batched queries (a
    third only for a creator or last editor who is no longer a member)."""
    ids = [r.id for r in rows]
    if not ids:
        return []
    counts = link_counts(conn, ids)
    tags = use_case_tags.tags_of(conn, ids)
    members: dict[str, list[Member]] = defaultdict(list)
    people: dict[str, User] = {}
    for m in conn.execute(_MEMBERS, {"ids": ids}):
        person = people.get(m.id) or people.setdefault(m.id, public_user(m))
        members[m.use_case_id].append({**person, "role": m.role, "can_share": bool(m.can_share)})
    missing = ({r.created_by for r in rows} | {r.updated_by for r in rows}) - people.keys()
    if missing:
        people.update((u.id, public_user(u)) for u in conn.execute(_PEOPLE, {"ids": list(missing)}))
    flags: dict[Standing, dict] = {}  # a page has few distinct standings: each computed once

    def rights(uc_id: str) -> dict:
        standing = Standing.of(next((m for m in members[uc_id] if m["id"] == viewer_id), None))
        if standing not in flags:
            flags[standing] = roles.rights(standing)
        return flags[standing]

    return [
        {
            "id": r.id,
            "name": r.name,
            "description": r.description,
            "created_at": r.created_at,
            "updated_at": r.updated_at,
            "created": people[r.created_by],
            "updated": people[r.updated_by],
            "counts": {t: counts[r.id].get(t, 0) for t in COUNTED_TYPES},
            "members": members[r.id],
            "tags": tags[r.id],
            "rights": rights(r.id),
        }
        for r in rows
    ]


class UseCases(Repository):
    """Use case CRUD and listing; every method takes the acting user first.

    Examples
    --------
    >>> uc = store.use_cases.create(ann, {"name": "Risk", "description": "Credit"})
    >>> store.use_cases.update(ann, uc["id"], {"name": "Credit risk"})["name"]
    'Credit risk'
    >>> [u["name"] for u in store.use_cases.list(ann, search="credit")[0]]
    ['Credit risk']
    """

    def create(self, actor: User, body: dict) -> UseCaseRecord:
        name = validate.name(body.get("name", "Untitled use case"))
        description = validate.text(body.get("description"))
        tags = use_case_tags.clean_tags(body.get("tags", []))
        uc_id, at = new_id(), now()
        row = {
            "id": uc_id,
            "name": name,
            "description": description,
            "created_by": actor["id"],
            "created_at": at,
            "updated_by": actor["id"],
            "updated_at": at,
            "search_text": text_search.search_text(name, description),
        }
        with self.db.write() as conn:
            conn.execute(use_cases.insert().values(**row))
            text_search.index(conn, [row])
            add_member(conn, uc_id, actor["id"], granted("OWNER", True, actor["id"]))
            use_case_tags.set_tags(conn, uc_id, tags)
            record(conn, uc_id, actor["id"], "created", "useCase", uc_id, name)
            return self._describe_one(conn, actor, uc_id)

    def get(self, actor: User, use_case_id: str) -> UseCaseRecord:
        with self.db.read() as conn:
            require_member(conn, use_case_id, actor["id"], "view")
            return self._describe_one(conn, actor, use_case_id)

    def update(self, actor: User, use_case_id: str, body: dict) -> UseCaseRecord:
        values = {}
        if "name" in body:
            values["name"] = validate.name(body["name"])
        if "description" in body:
            values["description"] = validate.text(body["description"])
        tags = use_case_tags.clean_tags(body["tags"]) if "tags" in body else None
        with self.db.write() as conn:
            require_member(conn, use_case_id, actor["id"], "edit", lock=True)
            if values or tags is not None:
                old = conn.execute(
                    select(use_cases.c.name, use_cases.c.description).where(
                        use_cases.c.id == use_case_id
                    )
                ).one()
                merged = {"name": old.name, "description": old.description, **values}
                if values:
                    text = text_search.search_text(merged["name"], merged["description"])
                    values["search_text"] = text
                    text_search.reindex(conn, use_case_id, text)
                if tags is not None:
                    use_case_tags.set_tags(conn, use_case_id, tags)
                touch(conn, use_case_id, actor["id"], **values)
                record(
                    conn,
                    use_case_id,
                    actor["id"],
                    "updated",
                    "useCase",
                    use_case_id,
                    merged["name"],
                    detail=None if tags is None else {"tags": tags},
                )
            return self._describe_one(conn, actor, use_case_id)

    def list(
        self,
        actor: User,
        *,
        search: str = "",
        order_by: str = "-updatedAt",
        offset: int = 0,
        limit: int = 100,
        entity: tuple[str, str] | None = None,
        created: str | None = None,
        filters: dict[str, Any] | None = None,
    ) -> tuple[list[UseCaseRecord], int]:
        """The caller's use cases, filtered and sorted, one page; and the total count.

        ``filters`` holds the raw values of the filters of ``tags.FILTER_KEYS`` (tags all of
        which must match, an owner, the caller's role, asset kinds held, date bounds).

        ``created="me"`` keeps those the caller created, ``created="others"`` those someone
        else created and shared with them (the browser's "Mine" and "Shared with me").

        The page is read from the caller's memberships in index order, so its cost depends on
        the page, not on how many use cases the caller has (a search still scans them).
        """
        column, descending = order_column(order_by)
        keys = [column]
        if column is not memberships.c.use_case_id:  # ties by id (a repeat, SQLite would sort)
            keys.append(memberships.c.use_case_id)
        if search:  # sorting the matches (see _listing_filter); numbers stay numbers
            keys[0] = column + 0 if column.type.python_type is int else column.concat("")
        order = [key.desc() if descending else key.asc() for key in keys]
        with self.db.read() as conn:
            cond = self._listing_filter(conn, actor, search, entity)
            more = use_case_tags.listing_filter(filters)
            if more is not None:
                cond = cond & more
            if created is not None:
                by_me = select(use_cases.c.id).where(use_cases.c.created_by == actor["id"])
                mine = memberships.c.use_case_id.in_(by_me)
                cond = cond & (mine if created == "me" else ~mine)
            counted = (
                select(users.c.use_cases_count).where(users.c.id == actor["id"])
                if not search and entity is None and created is None and more is None
                else select(func.count()).select_from(memberships).where(cond)
            )
            total = conn.execute(counted).scalar_one()
            rows = conn.execute(
                select(*_ROW)
                .join(memberships, memberships.c.use_case_id == use_cases.c.id)
                .where(cond)
                .order_by(*order)
                .offset(offset)
                .limit(limit)
            ).all()
            return describe(conn, rows, actor["id"]), total

    def _listing_filter(
        self, conn: Any, actor: User, search: str, entity: tuple[str, str] | None
    ) -> Any:
        if not search:
            return self._entity_filter(memberships.c.user_id == actor["id"], entity)
        user = memberships.c.user_id
        if text_search.uses_index(conn, search):
            # The user as an expression, not an indexed column: then the plan probes the matches
            # by (use_case_id, user_id), at a cost of the matches, instead of reading every use
            # case of the caller through the index of their sort keys.
            user = user.concat("")
        matches = memberships.c.use_case_id.in_(text_search.matching(conn, search))
        return self._entity_filter((user == actor["id"]) & matches, entity)

    def _entity_filter(self, cond: Any, entity: tuple[str, str] | None) -> Any:
        if entity is not None:
            cond = cond & memberships.c.use_case_id.in_(
                select(links.c.use_case_id).where(
                    links.c.entity_type == entity[0], links.c.entity_id == entity[1]
                )
            )
        return cond

    def _describe_one(self, conn: Any, actor: User, use_case_id: str) -> UseCaseRecord:
        row = conn.execute(select(*_ROW).where(use_cases.c.id == use_case_id)).one()
        return describe(conn, [row], actor["id"])[0]
