"""Linking, unlinking and moving many assets at once, all or nothing.

A batch is checked and applied in one write transaction with the rules of the single link and
unlink (``Assets.link_in``, ``Assets.unlink``): the first entry refused rolls the whole
batch back, and the error names it (``{"errors": {"add[3]": "..."}}``) with the status the single
operation would have answered. The feed gets one event per asset, as the single operations
write them; each use case is touched once per batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ... import roles
from ...errors import NotFound, UseCaseError, ValidationError
from ...roles import Standing
from .assets import TABLES, Assets, standing
from .db import Database, Repository
from .records import User
from .schema import users
from .use_cases import membership, require_member, touch
from .users import public_user

#: The most entries one batch may hold (``add`` and ``remove`` together).
BATCH_MAX = 500
ENTITY_TYPES = tuple(TABLES)


@contextmanager
def entry(label: str) -> Iterator[None]:
    """Re-raise an entry's refusal with its index (``add[3]``) in the message and ``errors``."""
    try:
        yield
    except UseCaseError as e:
        raise type(e)(f"{label}: {e.message}", errors={label: e.message}) from e


def entries(body: dict, field: str, seen: dict[tuple[str, str], str]) -> list[tuple[str, str]]:
    """The ``(entityType, entityId)`` pairs of ``body[field]``; ``seen`` maps each pair already
    read (in this or another field of the batch) to its label, to refuse repeats. Each entry
    already has the shape of ``openapi.json``'s ``AssetEntry`` (the handlers check it)."""
    pairs = []
    for i, item in enumerate(body.get(field, [])):
        label = f"{field}[{i}]"
        etype, eid = item["entityType"], item["entityId"]
        if (etype, eid) in seen:
            raise ValidationError(
                f"{label} repeats {seen[etype, eid]}.",
                errors={label: f"repeats {seen[etype, eid]}"},
            )
        seen[etype, eid] = label
        pairs.append((etype, eid))
    return pairs


def check_size(count: int) -> None:
    if count == 0:
        raise ValidationError("The batch is empty.", errors={"entities": "empty"})
    if count > BATCH_MAX:
        raise ValidationError(
            f"A batch holds at most {BATCH_MAX} entries, not {count}.",
            errors={"entities": f"over {BATCH_MAX}"},
        )


class Bulk(Repository):
    """Batches of links: ``update_links`` (add and remove) and ``move_links``.

    Examples
    --------
    >>> risk, churn = (store.use_cases.create(ann, {"name": n})["id"] for n in ("Risk", "Churn"))
    >>> apps = [store.catalog.create_application(ann, {"name": f"App {i}"})["id"] for i in range(3)]
    >>> batch = {"add": [{"entityType": "application", "entityId": a} for a in apps]}
    >>> len(store.bulk.update_links(ann, risk, batch)["added"])
    3
    >>> moved = store.bulk.move_links(ann, risk, {"to": churn, "entities": batch["add"][:2]})
    >>> len(moved["added"]), store.use_cases.get(ann, risk)["counts"]["application"]
    (2, 1)
    """

    def __init__(self, db: Database, assets: Assets) -> None:
        super().__init__(db)
        self.assets = assets

    def update_links(self, actor: User, use_case_id: str, body: dict) -> dict:
        """Apply ``{"add": [...], "remove": [...]}`` to one use case, whole or not at all."""
        seen: dict[tuple[str, str], str] = {}
        adds, removes = entries(body, "add", seen), entries(body, "remove", seen)
        check_size(len(adds) + len(removes))
        with self.db.write() as conn:
            require_member(conn, use_case_id, actor["id"], "edit", lock=True)
            for i, (etype, eid) in enumerate(removes):
                with entry(f"remove[{i}]"):
                    self.assets.get_asset(conn, actor, etype, eid)
                    self.assets.unlink(conn, actor, use_case_id, etype, eid)
            todo = [(f"add[{i}]", etype, eid, None) for i, (etype, eid) in enumerate(adds)]
            added = self._link_all(conn, actor, use_case_id, todo)
            touch(conn, use_case_id, actor["id"])
            return {"added": added, "removed": removes}

    def move_links(self, actor: User, use_case_id: str, body: dict) -> dict:
        """Move ``{"entities": [...]}`` from one use case to ``{"to": id}``, whole or not at
        all: each needs EDITOR in both use cases and, as linking does, the right to share it
        (which the use case it leaves may have lent)."""
        target = body["to"]
        moving = entries(body, "entities", {})
        check_size(len(moving))
        if target == use_case_id:
            raise ValidationError(
                "to must be another use case than the one the assets leave.",
                errors={"to": "the same use case"},
            )
        with self.db.write() as conn:
            # Locked in id order, so two opposite moves cannot deadlock (PostgreSQL); judged in
            # a fixed order, the use case the assets leave first, so the answer does not
            # depend on how the two ids sort.
            held = {
                uc: Standing.of(membership(conn, uc, actor["id"], lock=True))
                for uc in sorted((use_case_id, target))
            }
            roles.require(held[use_case_id], "edit", "use case")
            with entry("to"):
                roles.require(held[target], "edit", "use case")
            todo = []
            for i, (etype, eid) in enumerate(moving):
                with entry(f"entities[{i}]"):
                    self.assets.get_asset(conn, actor, etype, eid)
                    if self.assets.find_link(conn, use_case_id, etype, eid) is None:
                        raise NotFound(f"{etype.capitalize()} is not in this use case.")
                    # Judged before it leaves: the use case it leaves may lend the right.
                    mine = standing(conn, etype, eid, actor["id"])
                    roles.require_share(mine, etype)
                    todo.append((f"entities[{i}]", etype, eid, mine))
            for etype, eid in moving:
                self.assets.unlink(conn, actor, use_case_id, etype, eid)
            added = self._link_all(conn, actor, target, todo)
            touch(conn, use_case_id, actor["id"])
            touch(conn, target, actor["id"])
            return {"added": added, "removed": moving}

    def _link_all(
        self, conn: Any, actor: User, use_case_id: str, todo: list[tuple[str, str, str, Any]]
    ) -> list[dict]:
        """Link each ``(label, type, id, standing or None)``, datasets first: a project with a
        target needs its dataset linked, wherever the dataset sits in the batch."""
        links = []
        for label, etype, eid, share in sorted(todo, key=lambda item: item[1] != "dataset"):
            with entry(label):
                link, _ = self.assets.link_in(
                    conn, actor, use_case_id, etype, eid, share=share, batch=True
                )
                links.append(link)
        return self._with_creators(conn, links)

    def _with_creators(self, conn: Any, links: list[dict]) -> list[dict]:
        ids = {lk["created_by"] for lk in links}
        people = {
            u.id: public_user(u) for u in conn.execute(users.select().where(users.c.id.in_(ids)))
        }
        return [{**lk, "creator": people[lk["created_by"]]} for lk in links]
