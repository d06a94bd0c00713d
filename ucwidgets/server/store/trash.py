"""The trash: deleting moves a use case or an asset here; restoring brings it back; purging,
on demand or by the sweep after the service's trash days, removes it for good.

A trashed object keeps its row. What made it reachable moves aside (``schema.trash``): a use
case's memberships and an asset's own roles to ``trashed_grants``, an asset's links to
``trashed_links``. Every listing, count, search, reverse lookup and read goes through
memberships, roles or links, so a trashed object drops out of all of them without a filter, and
is the same 404 as a missing one, for its OWNERs too. Only an OWNER may delete, restore or purge;
each step writes its event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, insert, select

from ... import roles
from ...errors import NotFound
from ...roles import Standing
from ..blobs import BlobStore
from . import text_search
from .assets import TABLES, AssetRepository, Assets, grant_row, linked_use_cases, standing
from .db import Database, now
from .records import User
from .schema import (
    asset_roles,
    links,
    memberships,
    models,
    projects,
    trash,
    trashed_grants,
    trashed_links,
    use_cases,
    users,
)
from .use_cases import (
    add_member,
    copy_sort_keys,
    count_memberships,
    granted,
    record,
    require_member,
)

#: What the trash holds: ``useCase`` and the asset types, each with its table.
KINDS = {"useCase": use_cases, **TABLES}
#: Days a trashed object stays restorable before the sweep purges it.
TRASH_DAYS = 30
_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"
_GRANT_KEYS = ("user_id", "role", "can_share", "created_at", "granted_at")
_LINK_KEYS = ("id", "use_case_id", "entity_type", "entity_id", "created_by", "created_at")


def kind(value: Any) -> str:
    """A trash kind from a path segment; an unknown one is a 404, like any unknown route."""
    if value not in KINDS:
        raise NotFound("Not found.")
    return value


def shift(at: str, days: float) -> str:
    """The wire time ``days`` after ``at`` (before it for a negative number)."""
    when = dt.datetime.strptime(at, _TIME) + dt.timedelta(days=days)
    return when.strftime(_TIME)


def _trashed(conn: Any, etype: str, entity_id: str) -> Any:
    return conn.execute(
        select(trash).where(trash.c.entity_type == etype, trash.c.entity_id == entity_id)
    ).first()


def _own_grant(conn: Any, etype: str, entity_id: str, user_id: str) -> Standing:
    return Standing.of(
        conn.execute(
            select(trashed_grants.c.role, trashed_grants.c.can_share).where(
                trashed_grants.c.entity_type == etype,
                trashed_grants.c.entity_id == entity_id,
                trashed_grants.c.user_id == user_id,
            )
        ).first()
    )


def _require_in_trash(conn: Any, actor: User, etype: str, entity_id: str, op: str) -> Any:
    """The trash row, if the caller held a role on the object: OWNER to act (else 403);
    no role at all, or nothing in the trash, is the 404 of a missing object."""
    row = _trashed(conn, etype, entity_id)
    label = "use case" if etype == "useCase" else etype
    mine = _own_grant(conn, etype, entity_id, actor["id"]) if row is not None else roles.NOBODY
    roles.require(mine, op, label)
    return row


def hand_over(conn: Any, from_id: str, to_id: str) -> None:
    """Make ``to_id`` an OWNER of everything in the trash that ``from_id`` owned, in place of
    them (a deactivated user's trash stays restorable by whoever takes over their ownerships)."""
    g = trashed_grants.c
    owned = conn.execute(
        select(g.entity_type, g.entity_id).where(g.user_id == from_id, g.role == "OWNER")
    ).all()
    for etype, entity_id in owned:
        key = (g.entity_type == etype, g.entity_id == entity_id)
        conn.execute(trashed_grants.delete().where(*key, g.user_id.in_([from_id, to_id])))
        # Given by the new owner, as a transfer of a live ownership records it.
        conn.execute(trashed_grants.insert().values(grant_row(etype, entity_id, to_id)))


class Trash(AssetRepository):
    """Deleting to the trash, restoring, purging, the listing, and the sweep.

    Examples
    --------
    >>> uc = store.use_cases.create(ann, {"name": "Risk"})
    >>> store.trash.delete_use_case(ann, uc["id"])
    >>> [(t["entity_type"], t["name"]) for t in store.trash.list(ann, 0, 10)[0]]
    [('useCase', 'Risk')]
    >>> store.trash.restore(ann, "useCase", uc["id"])
    >>> store.use_cases.get(ann, uc["id"])["name"]
    'Risk'
    """

    def __init__(
        self, db: Database, blobs: BlobStore, assets: Assets, days: float = TRASH_DAYS
    ) -> None:
        super().__init__(db, blobs, assets)
        #: Days a deleted object stays in the trash before the sweep purges it.
        self.days = days

    def delete_use_case(self, actor: User, use_case_id: str) -> None:
        """Move a use case to the trash (its OWNERs only): its members lose it until it is
        restored; its links and events stay with it.

        Each former member gets a notice (an event with no use case, addressed to them) that
        says who deleted which use case, so an open feed or browser can tell them.
        """
        with self.db.write() as conn:
            require_member(conn, use_case_id, actor["id"], "delete", lock=True)
            name = conn.execute(
                select(use_cases.c.name).where(use_cases.c.id == use_case_id)
            ).scalar_one()
            self._into_trash(conn, actor, "useCase", use_case_id, name)
            held = select(memberships).where(memberships.c.use_case_id == use_case_id)
            members = conn.execute(held).all()
            self._stash_grants(conn, "useCase", use_case_id, members)
            for m in members:
                notice = {"recipient_id": m.user_id}
                record(conn, None, actor["id"], "deleted", "useCase", use_case_id, name, **notice)
            count_memberships(conn, -1, [m.user_id for m in members])
            conn.execute(memberships.delete().where(memberships.c.use_case_id == use_case_id))
            text_search.unindex(conn, use_case_id)

    def delete_asset(self, actor: User, etype: str, entity_id: str) -> None:
        """Move an asset to the trash (its own OWNERs only): it leaves every use case it was
        in until it is restored."""
        with self.db.write() as conn:
            row = self.assets.get_asset(conn, actor, etype, entity_id)
            roles.require(standing(conn, etype, entity_id, actor["id"]), "delete", etype)
            self.assets.announce(conn, actor["id"], etype, row, "deleted")
            homes = linked_use_cases(conn, etype, entity_id)
            self._into_trash(conn, actor, etype, entity_id, row.name)
            own = asset_roles.c.entity_type == etype, asset_roles.c.entity_id == entity_id
            granted = conn.execute(select(asset_roles).where(*own)).all()
            self._stash_grants(conn, etype, entity_id, granted)
            conn.execute(asset_roles.delete().where(*own))
            held = links.c.entity_type == etype, links.c.entity_id == entity_id
            conn.execute(
                insert(trashed_links).from_select(
                    _LINK_KEYS, select(*(links.c[k] for k in _LINK_KEYS)).where(*held)
                )
            )
            conn.execute(links.delete().where(*held))
            for uc in homes:  # their counts, now without it
                copy_sort_keys(conn, uc.id)

    def _into_trash(self, conn: Any, actor: User, etype: str, entity_id: str, name: str) -> None:
        conn.execute(
            trash.insert().values(
                entity_type=etype,
                entity_id=entity_id,
                name=name,
                deleted_by=actor["id"],
                deleted_at=now(),
            )
        )

    def _stash_grants(self, conn: Any, etype: str, entity_id: str, grants: Any) -> None:
        rows = [
            {
                "entity_type": etype,
                "entity_id": entity_id,
                **{k: g._mapping[k] for k in _GRANT_KEYS},
                "granted_by": g._mapping.get("granted_by"),
            }
            for g in grants
        ]
        if rows:
            conn.execute(trashed_grants.insert(), rows)

    # -- restoring -------------------------------------------------------------------------
    def restore(self, actor: User, etype: str, entity_id: str) -> None:
        """Bring an object back from the trash (its OWNERs only), with its memberships, or its
        roles and links; nothing happens to one that is not in the trash (as DataRobot's
        ``Dataset.un_delete``), once the caller is shown to own it."""
        with self.db.write() as conn:
            if _trashed(conn, etype, entity_id) is None:
                self._require_live_owner(conn, actor, etype, entity_id)
                return
            _require_in_trash(conn, actor, etype, entity_id, "restore")
            grants = conn.execute(
                select(trashed_grants).where(
                    trashed_grants.c.entity_type == etype, trashed_grants.c.entity_id == entity_id
                )
            ).all()
            if etype == "useCase":
                self._restore_use_case(conn, actor, entity_id, grants)
            else:
                self._restore_asset(conn, actor, etype, entity_id, grants)
            conn.execute(
                trash.delete().where(trash.c.entity_type == etype, trash.c.entity_id == entity_id)
            )

    def _require_live_owner(self, conn: Any, actor: User, etype: str, entity_id: str) -> None:
        if etype == "useCase":
            require_member(conn, entity_id, actor["id"], "restore")
        else:
            self.assets.get_asset(conn, actor, etype, entity_id)
            roles.require(standing(conn, etype, entity_id, actor["id"]), "restore", etype)

    def _restore_use_case(self, conn: Any, actor: User, use_case_id: str, grants: list) -> None:
        for g in grants:
            # As given, by whom and when (a grant that left no trace: by the member, at its start).
            given = granted(
                g.role, g.can_share, g.granted_by or g.user_id, g.granted_at or g.created_at
            )
            add_member(conn, use_case_id, g.user_id, given)
        row = conn.execute(
            select(use_cases.c.id, use_cases.c.name, use_cases.c.search_text).where(
                use_cases.c.id == use_case_id
            )
        ).one()
        text_search.index(conn, [row._mapping])
        record(conn, use_case_id, actor["id"], "restored", "useCase", use_case_id, row.name)

    def _restore_asset(
        self, conn: Any, actor: User, etype: str, entity_id: str, grants: list
    ) -> None:
        conn.execute(
            asset_roles.insert(),
            [
                {
                    "entity_type": etype,
                    "entity_id": entity_id,
                    **{k: g._mapping[k] for k in _GRANT_KEYS},
                    # A role is granted by someone; the first OWNER granted their own.
                    "granted_by": g.granted_by or g.user_id,
                }
                for g in grants
            ],
        )
        held = trashed_links.c.entity_type == etype, trashed_links.c.entity_id == entity_id
        conn.execute(
            insert(links).from_select(
                _LINK_KEYS, select(*(trashed_links.c[k] for k in _LINK_KEYS)).where(*held)
            )
        )
        table = TABLES[etype]
        row = conn.execute(select(table).where(table.c.id == entity_id)).one()
        # Announcing also brings the use cases' counts back.
        self.assets.announce(conn, actor["id"], etype, row, "restored")

    # -- purging ---------------------------------------------------------------------------
    def purge(self, actor: User, etype: str, entity_id: str) -> None:
        """Remove an object in the trash for good (its OWNERs only), and the dataset files
        nothing refers to any more."""
        with self.db.write() as conn:
            row = _require_in_trash(conn, actor, etype, entity_id, "purge")
            files = self._purge(conn, actor["id"], row)
        self.collect_blobs(files)

    def _purge(self, conn: Any, actor_id: str, row: Any) -> list[str]:
        """Purge one trashed object in the caller's transaction; return the blob addresses it
        held (to collect once nothing refers to them)."""
        etype, entity_id, name = row.entity_type, row.entity_id, row.name
        if etype == "useCase":
            former = select(trashed_grants.c.user_id).where(
                trashed_grants.c.entity_type == etype, trashed_grants.c.entity_id == entity_id
            )
            for user_id in conn.execute(former).scalars().all():
                notice = {"recipient_id": user_id}
                record(conn, None, actor_id, "purged", etype, entity_id, name, **notice)
        else:
            homes = select(trashed_links.c.use_case_id).where(
                trashed_links.c.entity_type == etype, trashed_links.c.entity_id == entity_id
            )
            for use_case_id in conn.execute(homes).scalars().all():
                record(conn, use_case_id, actor_id, "purged", etype, entity_id, name)
        table = KINDS[etype]
        files: list[str] = []
        if "blob" in table.c:
            files.append(conn.execute(select(table.c.blob).where(table.c.id == entity_id)).scalar())
        if etype == "project":
            project_models = select(models.c.blob).where(models.c.project_id == entity_id)
            files += conn.execute(project_models).scalars().all()
        conn.execute(table.delete().where(table.c.id == entity_id))
        conn.execute(
            trash.delete().where(trash.c.entity_type == etype, trash.c.entity_id == entity_id)
        )
        return [f for f in files if f]

    def sweep(self, days: float | None = None) -> int:
        """Purge everything trashed more than ``days`` (default: the service's trash days) ago,
        one object per transaction, then collect the files nothing refers to. Each purge is
        recorded as done by whoever deleted the object. Returns how many objects went."""
        cutoff = shift(now(), -(self.days if days is None else days))
        with self.db.read() as conn:
            due = conn.execute(
                select(trash.c.entity_type, trash.c.entity_id).where(trash.c.deleted_at < cutoff)
            ).all()
        files: list[str] = []
        purged = 0
        for etype, entity_id in due:
            with self.db.write() as conn:
                row = _trashed(conn, etype, entity_id)
                if row is None or row.deleted_at >= cutoff:  # restored or purged meanwhile
                    continue
                files += self._purge(conn, row.deleted_by, row)
                purged += 1
        self.collect_blobs(files)
        return purged

    def collect_blobs(self, candidates: list[str] | None = None) -> int:
        """Remove dataset and model files that no row refers to (of ``candidates``, or all),
        leaving recent files alone: an upload writes its file before its row commits."""
        return self.blobs.collect(self.referenced_blobs, candidates)

    def referenced_blobs(self, digests: list[str]) -> set[str]:
        """Those of ``digests`` that a dataset, a project or a model refers to."""
        found: set[str] = set()
        with self.db.read() as conn:
            for table in (TABLES["dataset"], projects, models):
                found.update(
                    conn.execute(
                        select(table.c.blob).where(table.c.blob.in_(digests)).distinct()
                    ).scalars()
                )
        return found

    # -- listing ---------------------------------------------------------------------------
    def list(self, actor: User, offset: int, limit: int) -> tuple[list[dict], int]:
        """What the caller may restore or purge (what they owned), newest deletion first; each
        with who deleted it and when the sweep will purge it."""
        owned = trash.join(
            trashed_grants,
            and_(
                trashed_grants.c.entity_type == trash.c.entity_type,
                trashed_grants.c.entity_id == trash.c.entity_id,
                trashed_grants.c.user_id == actor["id"],
                trashed_grants.c.role == "OWNER",
            ),
        )
        with self.db.read() as conn:
            total = conn.execute(select(func.count()).select_from(owned)).scalar_one()
            rows = conn.execute(
                select(trash, users.c.username, users.c.full_name)
                .select_from(owned)
                .join(users, users.c.id == trash.c.deleted_by)
                .order_by(trash.c.deleted_at.desc(), trash.c.entity_type, trash.c.entity_id)
                .offset(offset)
                .limit(limit)
            ).all()
        return [
            {
                "entity_type": r.entity_type,
                "entity_id": r.entity_id,
                "name": r.name,
                "deleted_at": r.deleted_at,
                "deleted_by": {
                    "id": r.deleted_by,
                    "username": r.username,
                    "full_name": r.full_name,
                },
                "purge_at": shift(r.deleted_at, self.days),
            }
            for r in rows
        ], total
