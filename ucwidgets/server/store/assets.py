"""Assets (datasets, projects, applications, notebooks), their own roles and their links.

Every asset has its own role list (its creator is its first OWNER); the use cases that hold it
lend their members a role on it too, capped at EDITOR. ``ucwidgets.roles`` turns those into the
caller's standing and decides; this module only reads the rows. An asset the caller has no
standing on is the same 404 as one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, func, or_, select

from ... import roles
from ...errors import Conflict, NotFound, ValidationError
from ...roles import Standing
from ..blobs import BlobStore
from .db import Database, Repository, new_id, now
from .records import Link, User
from .schema import (
    applications,
    asset_roles,
    datasets,
    links,
    memberships,
    notebooks,
    projects,
    trash,
    use_cases,
    users,
)
from .use_cases import granted, membership, record, require_member, touch
from .users import public_user

TABLES = {
    "dataset": datasets,
    "project": projects,
    "application": applications,
    "notebook": notebooks,
}
#: Types that live in at most one use case.
SINGLE_HOME = ("project", "application")
NOT_FOUND = {t: f"{t.capitalize()} not found." for t in TABLES}


@dataclass(frozen=True)
class Listing:
    """Which of the visible assets of one type a listing shows, and which page of them.

    ``use_case_ids`` keeps those in one of these use cases (``None`` among them: in none);
    ``shared_with_me`` those shared with the caller individually; ``limit=None`` has no limit.

    Examples
    --------
    >>> Listing(use_case_ids=[None], limit=10)
    Listing(use_case_ids=[None], shared_with_me=False, offset=0, limit=10)
    """

    use_case_ids: list[str | None] | None = None
    shared_with_me: bool = False
    offset: int = 0
    limit: int | None = 100


def own_roles(etype: str, user_id: str) -> Any:
    """The ids of the ``etype`` assets that ``user_id`` has a role of their own on."""
    return select(asset_roles.c.entity_id).where(
        asset_roles.c.user_id == user_id, asset_roles.c.entity_type == etype
    )


def visible(etype: str, user_id: str) -> Any:
    """The condition "``user_id`` can see this asset", for a query on its table."""
    table = TABLES[etype]
    # Correlated: the asset's own links, by (entity_type, entity_id), each probed for the
    # caller's membership. An IN over the caller's links of this type would first read every
    # link of that type in the store.
    lent = exists().where(
        links.c.entity_type == etype,
        links.c.entity_id == table.c.id,
        memberships.c.use_case_id == links.c.use_case_id,
        memberships.c.user_id == user_id,
    )
    return or_(table.c.id.in_(own_roles(etype, user_id)), lent)


def shared_with(etype: str, user_id: str) -> Any:
    """The condition "shared with ``user_id`` individually": a role of their own that someone
    else gave them."""
    return TABLES[etype].c.id.in_(
        own_roles(etype, user_id).where(asset_roles.c.granted_by != user_id)
    )


def standings(conn: Any, etype: str, ids: list[str], user_id: str) -> dict[str, Standing]:
    """The caller's effective standing on each asset of ``ids`` (two queries in all)."""
    own = {
        r.entity_id: Standing.of(r)
        for r in conn.execute(
            select(asset_roles.c.entity_id, asset_roles.c.role, asset_roles.c.can_share).where(
                asset_roles.c.entity_type == etype,
                asset_roles.c.entity_id.in_(ids),
                asset_roles.c.user_id == user_id,
            )
        )
    }
    lent: dict[str, list[Standing]] = {i: [] for i in ids}
    for r in conn.execute(
        select(links.c.entity_id, memberships.c.role, memberships.c.can_share)
        .join(memberships, memberships.c.use_case_id == links.c.use_case_id)
        .where(
            links.c.entity_type == etype,
            links.c.entity_id.in_(ids),
            memberships.c.user_id == user_id,
        )
    ):
        lent[r.entity_id].append(Standing.of(r))
    return {i: roles.asset_standing(own.get(i), lent[i]) for i in ids}


def standing(conn: Any, etype: str, entity_id: str, user_id: str) -> Standing:
    return standings(conn, etype, [entity_id], user_id)[entity_id]


def grant_row(etype: str, entity_id: str, user_id: str, grant: dict | None = None) -> dict:
    """A row of ``asset_roles`` (or ``trashed_grants``) made now: ``user_id``'s role on an asset,
    as ``granted`` gives it; by default an OWNER's that the user gave themselves, as a
    creator's is."""
    grant = grant or granted("OWNER", True, user_id)
    return {
        "entity_type": etype,
        "entity_id": entity_id,
        "user_id": user_id,
        "created_at": now(),
        **grant,
    }


def grant_owner(conn: Any, etype: str, entity_id: str, user_id: str) -> None:
    """Make ``user_id`` the first OWNER of a new asset, in the creating transaction."""
    conn.execute(asset_roles.insert().values(grant_row(etype, entity_id, user_id)))


def linked_use_cases(conn: Any, etype: str, entity_id: str) -> list[Any]:
    return conn.execute(
        select(use_cases.c.id, use_cases.c.name)
        .join(links, links.c.use_case_id == use_cases.c.id)
        .where(links.c.entity_type == etype, links.c.entity_id == entity_id)
        .order_by(use_cases.c.name)
    ).all()


def in_use_cases(etype: str, use_case_ids: list[str | None], user_id: str) -> Any:
    """Assets linked to any of ``use_case_ids`` that ``user_id`` belongs to; a ``None`` among
    them adds the assets ``user_id`` sees in none of their use cases (listed with no
    ``useCaseIds``), whatever use cases of others hold them."""
    linked = (
        select(links.c.entity_id)
        .join(
            memberships,
            and_(
                memberships.c.use_case_id == links.c.use_case_id, memberships.c.user_id == user_id
            ),
        )
        .where(links.c.entity_type == etype)
    )
    table = TABLES[etype]
    ids = [i for i in use_case_ids if i is not None]
    cond = table.c.id.in_(linked.where(links.c.use_case_id.in_(ids)))
    if None in use_case_ids:
        cond = or_(cond, and_(visible(etype, user_id), table.c.id.not_in(linked)))
    return cond


class Assets(Repository):
    """Finding, modifying, deleting and linking assets of every type.

    Examples
    --------
    >>> uc = store.use_cases.create(ann, {"name": "Risk"})
    >>> app = store.catalog.create_application(ann, {"name": "Scorer"})
    >>> link, created = store.assets.add_link(ann, uc["id"], "application", app["id"])
    >>> created, link["entity_type"]
    (True, 'application')
    >>> store.assets.add_link(ann, uc["id"], "application", app["id"])[1]  # adding twice: same link
    False
    """

    # -- reading ---------------------------------------------------------------------------
    def get_asset(self, conn: Any, actor: User, etype: str, entity_id: str) -> Any:
        """The asset row if the caller can see it, else ``NotFound``."""
        table = TABLES[etype]
        row = conn.execute(
            select(table).where(table.c.id == entity_id, visible(etype, actor["id"]))
        ).first()
        if row is None:
            raise NotFound(NOT_FOUND[etype])
        return row

    def require_modify(self, conn: Any, actor: User, etype: str, row: Any) -> None:
        """Raise ``Forbidden`` unless the caller's standing on the asset allows editing it."""
        roles.require(standing(conn, etype, row.id, actor["id"]), "edit", etype)

    def announce(self, conn: Any, actor_id: str, etype: str, row: Any, verb: str) -> None:
        """Write ``verb`` into the feed of every use case the asset is linked to."""
        for uc in linked_use_cases(conn, etype, row.id):
            record(conn, uc.id, actor_id, verb, etype, row.id, row.name)
            touch(conn, uc.id, actor_id)

    def list(
        self, actor: User, etype: str, listing: Listing, where: Any = None, order: Any = None
    ) -> tuple[list[Any], int]:
        """One page of the visible assets of one type that ``listing`` keeps, and how many
        it keeps in all; ``where`` narrows it further, ``order`` sorts (newest first)."""
        table = TABLES[etype]
        cond = visible(etype, actor["id"])
        if listing.use_case_ids is not None:
            cond = in_use_cases(etype, listing.use_case_ids, actor["id"])
        if listing.shared_with_me:
            cond = and_(cond, shared_with(etype, actor["id"]))
        if where is not None:
            cond = and_(cond, where)
        order = order if order is not None else [table.c.created_at.desc(), table.c.id]
        with self.db.read() as conn:
            total = conn.execute(select(func.count()).select_from(table).where(cond)).scalar_one()
            q = select(table).where(cond).order_by(*order).offset(listing.offset)
            limit = listing.limit
            rows = conn.execute(q.limit(limit) if limit is not None else q).all()
            return self.describe_assets(conn, actor, etype, rows), total

    def describe_assets(self, conn: Any, actor: User, etype: str, rows: list[Any]) -> list[dict]:
        """Asset rows as dicts, each with the use cases it is linked to that ``actor`` belongs
        to (one query in all: other use cases are neither named nor counted)."""
        homes: dict[str, list[dict]] = {r.id: [] for r in rows}
        for link in conn.execute(
            select(links.c.entity_id, use_cases.c.id, use_cases.c.name)
            .join(use_cases, use_cases.c.id == links.c.use_case_id)
            .join(
                memberships,
                (memberships.c.use_case_id == links.c.use_case_id)
                & (memberships.c.user_id == actor["id"]),
            )
            .where(links.c.entity_type == etype, links.c.entity_id.in_(list(homes)))
            .order_by(use_cases.c.name)
        ):
            homes[link.entity_id].append({"id": link.id, "name": link.name})
        # Creators, and for datasets who last changed them.
        people_ids = {r.created_by for r in rows} | {r._mapping.get("updated_by") for r in rows}
        people = {
            u.id: public_user(u)
            for u in conn.execute(select(users).where(users.c.id.in_(people_ids - {None})))
        }
        mine = standings(conn, etype, list(homes), actor["id"])
        return [
            {
                **r._mapping,
                "entity_type": etype,
                "use_cases": homes[r.id],
                "creator": people[r.created_by],
                "updater": people.get(r._mapping.get("updated_by")),
                "rights": roles.rights(mine[r.id]),
            }
            for r in rows
        ]

    def describe_asset(self, conn: Any, actor: User, etype: str, row: Any) -> dict:
        return self.describe_assets(conn, actor, etype, [row])[0]

    def get(self, actor: User, etype: str, entity_id: str) -> dict:
        with self.db.read() as conn:
            return self.describe_asset(
                conn, actor, etype, self.get_asset(conn, actor, etype, entity_id)
            )

    # -- changing --------------------------------------------------------------------------
    def update(self, actor: User, etype: str, entity_id: str, values: dict) -> dict:
        """Apply already-validated ``values`` to an asset and announce the change."""
        table = TABLES[etype]
        with self.db.write() as conn:
            row = self.get_asset(conn, actor, etype, entity_id)
            self.require_modify(conn, actor, etype, row)
            if values:
                conn.execute(table.update().where(table.c.id == entity_id).values(**values))
                row = conn.execute(select(table).where(table.c.id == entity_id)).one()
                self.announce(conn, actor["id"], etype, row, "modified")
            return self.describe_asset(conn, actor, etype, row)

    # -- links -----------------------------------------------------------------------------
    def add_link(
        self, actor: User, use_case_id: str, etype: str, entity_id: str
    ) -> tuple[Link, bool]:
        """Link an asset to a use case; return ``(link, created)``.

        Adding an asset that is already linked here returns the existing link.
        """
        with self.db.write() as conn:
            link, created = self.link_in(conn, actor, use_case_id, etype, entity_id)
            creator = conn.execute(select(users).where(users.c.id == link["created_by"])).one()
            return {**link, "creator": public_user(creator)}, created

    def link_in(
        self,
        conn: Any,
        actor: User,
        use_case_id: str,
        etype: str,
        entity_id: str,
        *,
        share: Standing | None = None,
        batch: bool = False,
    ) -> tuple[Link, bool]:
        """``add_link`` inside the caller's write transaction.

        Linking gives the use case's members the use of the asset, so it takes the right to
        share the asset as well as EDITOR in the use case. A move passes the caller's
        ``share`` standing as it was before the asset left its use case (which may have lent
        it); ``batch`` leaves the use case's ``touch`` to the caller, once for all its links.
        """
        if not batch:
            require_member(conn, use_case_id, actor["id"], "edit", lock=True)
        if share is None:
            row = self.get_asset(conn, actor, etype, entity_id)
        else:  # seen before it left: its old use case may have been all that showed it
            table = TABLES[etype]
            row = conn.execute(select(table).where(table.c.id == entity_id)).one()
        existing = self.find_link(conn, use_case_id, etype, entity_id)
        if existing is not None:
            return existing, False
        roles.require_share(share or standing(conn, etype, entity_id, actor["id"]), etype)
        if etype in SINGLE_HOME:
            self._check_single_home(conn, actor, etype, entity_id)
        if etype == "project":
            self._check_project(conn, actor, use_case_id, row, batch)
        return self._insert_link(conn, actor, use_case_id, etype, row, batch), True

    def remove_link(self, actor: User, use_case_id: str, etype: str, entity_id: str) -> None:
        with self.db.write() as conn:
            require_member(conn, use_case_id, actor["id"], "edit", lock=True)
            self.unlink(conn, actor, use_case_id, etype, entity_id)
            touch(conn, use_case_id, actor["id"])

    def unlink(self, conn: Any, actor: User, use_case_id: str, etype: str, entity_id: str) -> None:
        """Remove one link (the caller checked EDITOR in the use case) and announce it; the
        use case's ``touch`` is the caller's, once for all the links it removes."""
        link = self.find_link(conn, use_case_id, etype, entity_id)
        if link is None:
            raise NotFound(f"{etype.capitalize()} is not in this use case.")
        name = conn.execute(
            select(TABLES[etype].c.name).where(TABLES[etype].c.id == entity_id)
        ).scalar_one()
        conn.execute(links.delete().where(links.c.id == link["id"]))
        record(conn, use_case_id, actor["id"], "removed", etype, entity_id, name)

    def find_link(self, conn: Any, use_case_id: str, etype: str, entity_id: str) -> Link | None:
        row = conn.execute(
            select(links).where(
                links.c.use_case_id == use_case_id,
                links.c.entity_type == etype,
                links.c.entity_id == entity_id,
            )
        ).first()
        return None if row is None else Link(**row._mapping)

    def _insert_link(
        self, conn: Any, actor: User, use_case_id: str, etype: str, row: Any, batch: bool = False
    ) -> Link:
        link: Link = {
            "id": new_id(),
            "use_case_id": use_case_id,
            "entity_type": etype,
            "entity_id": row.id,
            "created_by": actor["id"],
            "created_at": now(),
        }
        conn.execute(links.insert().values(**link))
        record(conn, use_case_id, actor["id"], "added", etype, row.id, row.name)
        if not batch:
            touch(conn, use_case_id, actor["id"])
        return link

    def _check_single_home(self, conn: Any, actor: User, etype: str, entity_id: str) -> None:
        # PostgreSQL's writers overlap (SQLite's take turns): hold the asset's row, so a link
        # racing this one waits for it and then sees it, and is told where the asset went.
        table = TABLES[etype]
        conn.execute(select(table.c.id).where(table.c.id == entity_id).with_for_update())
        other = conn.execute(
            select(links.c.use_case_id).where(
                links.c.entity_type == etype, links.c.entity_id == entity_id
            )
        ).scalar()
        if other is None:
            return
        where = "another use case"
        in_trash = conn.execute(
            select(trash.c.deleted_by).where(
                trash.c.entity_type == "useCase", trash.c.entity_id == other
            )
        ).scalar()
        if in_trash is not None:
            # It stays there so that a restore brings the use case back whole.
            where = "a use case in the trash (restore it and remove it there, or purge it)"
        elif membership(conn, other, actor["id"]) is not None:
            name = conn.execute(select(use_cases.c.name).where(use_cases.c.id == other)).scalar()
            where = f"the use case {name!r} ({other})"
        raise Conflict(f"This {etype} already belongs to {where}; an {etype} can be in only one.")

    def _check_project(
        self, conn: Any, actor: User, use_case_id: str, project: Any, batch: bool = False
    ) -> None:
        """The project rules of ACCESS.md; a project in set-up brings its dataset along."""
        dataset_linked = (
            project.dataset_id is not None
            and self.find_link(conn, use_case_id, "dataset", project.dataset_id) is not None
        )
        if project.target is None:
            if project.dataset_id is not None and not dataset_linked:
                # The dataset comes along only if the caller can still see it: a link must never
                # give back what a removal took away.
                try:
                    dataset = self.get_asset(conn, actor, "dataset", project.dataset_id)
                except NotFound as e:
                    raise ValidationError(
                        "The dataset this project was made from is no longer visible to you, so "
                        "the project cannot bring it into this use case."
                    ) from e
                roles.require_share(standing(conn, "dataset", dataset.id, actor["id"]), "dataset")
                self._insert_link(conn, actor, use_case_id, "dataset", dataset, batch)
            return
        if project.target_type not in ("Binary", "Regression"):
            raise ValidationError(
                f"Only binary classification and regression projects can be added to a use "
                f"case; this project's target type is {project.target_type}."
            )
        if not dataset_linked:
            raise ValidationError(
                "The dataset this project was made from must be linked to the same use case first."
            )
        if project.stage != "modeling":
            raise ValidationError(
                "Modeling must have started on this project before it can be added to a use case."
            )

    def project_home(self, conn: Any, project_id: str) -> str | None:
        return conn.execute(
            select(links.c.use_case_id).where(
                links.c.entity_type == "project", links.c.entity_id == project_id
            )
        ).scalar()

    def has_link(self, conn: Any, etype: str, entity_id: str) -> bool:
        return bool(
            conn.execute(
                select(exists().where(links.c.entity_type == etype, links.c.entity_id == entity_id))
            ).scalar()
        )


class AssetRepository(Repository):
    """A repository that builds on the asset rules (``assets``) and the files behind the
    assets (``blobs``): the catalog, features, modeling and the trash."""

    def __init__(self, db: Database, blobs: BlobStore, assets: Assets) -> None:
        super().__init__(db)
        self.blobs = blobs
        self.assets = assets
