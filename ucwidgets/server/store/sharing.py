"""Sharing: the batched role update and the role listing, for a use case or a single asset.

A use case's roles are its memberships; an asset's are its own role list (``asset_roles``).
Both go through one path: the request is validated whole, applied in one transaction under the
object's lock, checked against ``ucwidgets.roles`` entry by entry, and then for the last active
OWNER; any failure rolls the whole batch back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from ... import roles
from ...errors import Conflict, Forbidden, NotFound, ValidationError
from ...roles import Standing
from . import trash
from .assets import TABLES, grant_row, standing
from .db import Repository
from .records import User
from .schema import asset_roles, memberships, use_cases, users
from .use_cases import (
    add_member,
    copy_sort_keys,
    granted,
    membership,
    record,
    remove_member,
    touch,
)
from .users import public_user

#: DataRobot's other role names (projects' USER, the catalog's READ_ONLY ...), as ours. The
#: shapes of share requests (at most 100 entries; asset routes also take DataRobot's catalog
#: spelling ``name`` for the username, ``canUseData``, and its flags for linked objects and
#: notifications, which change nothing here) are ``openapi.json``'s.
ROLE_ALIASES = {"USER": "EDITOR", "READ_WRITE": "EDITOR", "READ_ONLY": "CONSUMER"}


def _entry_error(index: int, message: str) -> ValidationError:
    return ValidationError(f"roles[{index}]: {message}", errors={f"roles[{index}]": message})


@dataclass
class _RoleList:
    """One object's role list: where it lives and how to read and write it."""

    kind: str  # "use case", "dataset", ...
    object_id: str

    def lock(self, conn: Any) -> None:
        """Lock the object's row (PostgreSQL; SQLite's BEGIN IMMEDIATE serialises writers)."""
        raise NotImplementedError

    def standing(self, conn: Any, user_id: str) -> Standing:
        """What ``user_id`` may do with the object."""
        raise NotImplementedError

    def current(self, conn: Any, user_id: str) -> Standing:
        """``user_id``'s entry in this role list (``NOBODY`` for none)."""
        raise NotImplementedError

    def put(self, conn: Any, actor: User, user: Any, role: str, can_share: bool) -> None:
        raise NotImplementedError

    def remove(self, conn: Any, actor: User, user: Any) -> None:
        raise NotImplementedError

    def rows(self) -> Any:
        """The role rows (user_id, role, can_share), as a query to filter and page."""
        raise NotImplementedError

    def active_owners(self, conn: Any) -> int:
        q = self.rows().subquery()
        return conn.execute(
            select(func.count())
            .select_from(q.join(users, users.c.id == q.c.user_id))
            .where(q.c.role == "OWNER", users.c.active)
        ).scalar_one()

    def changed(self, conn: Any, actor: User) -> None:
        """Called once after a batch that changed something."""


class _UseCaseRoles(_RoleList):
    def lock(self, conn: Any) -> None:
        membership(conn, self.object_id, "", lock=True)

    def current(self, conn: Any, user_id: str) -> Standing:
        return Standing.of(membership(conn, self.object_id, user_id))

    standing = current  # a member's standing is their membership

    def _key(self, user_id: str) -> Any:
        return (memberships.c.use_case_id == self.object_id) & (memberships.c.user_id == user_id)

    def put(self, conn: Any, actor: User, user: Any, role: str, can_share: bool) -> None:
        grant = granted(role, can_share, actor["id"])
        if membership(conn, self.object_id, user.id) is None:
            add_member(conn, self.object_id, user.id, grant)
        else:
            conn.execute(memberships.update().where(self._key(user.id)).values(**grant))
        record(
            conn,
            self.object_id,
            actor["id"],
            "shared",
            "user",
            user.id,
            user.username,
            recipient_id=user.id,
            detail={"role": role, "canShare": bool(can_share)},
        )

    def remove(self, conn: Any, actor: User, user: Any) -> None:
        remove_member(conn, self.object_id, user.id)
        record(
            conn,
            self.object_id,
            actor["id"],
            "unshared",
            "user",
            user.id,
            user.username,
            recipient_id=user.id,
        )

    def rows(self) -> Any:
        m = memberships.c
        return select(m.user_id, m.role, m.can_share, m.granted_by, m.granted_at).where(
            m.use_case_id == self.object_id
        )

    def changed(self, conn: Any, actor: User) -> None:
        touch(conn, self.object_id, actor["id"])


class _AssetRoles(_RoleList):
    def lock(self, conn: Any) -> None:
        table = TABLES[self.kind]
        conn.execute(select(table.c.id).where(table.c.id == self.object_id).with_for_update())

    def standing(self, conn: Any, user_id: str) -> Standing:
        return standing(conn, self.kind, self.object_id, user_id)

    def _key(self, user_id: str) -> Any:
        return (
            (asset_roles.c.entity_type == self.kind)
            & (asset_roles.c.entity_id == self.object_id)
            & (asset_roles.c.user_id == user_id)
        )

    def current(self, conn: Any, user_id: str) -> Standing:
        row = conn.execute(select(asset_roles).where(self._key(user_id))).first()
        return Standing.of(row)

    def put(self, conn: Any, actor: User, user: Any, role: str, can_share: bool) -> None:
        grant = granted(role, can_share, actor["id"])
        if conn.execute(select(asset_roles.c.role).where(self._key(user.id))).first() is None:
            conn.execute(
                asset_roles.insert().values(grant_row(self.kind, self.object_id, user.id, grant))
            )
        else:
            conn.execute(asset_roles.update().where(self._key(user.id)).values(**grant))

    def remove(self, conn: Any, actor: User, user: Any) -> None:
        conn.execute(asset_roles.delete().where(self._key(user.id)))

    def rows(self) -> Any:
        a = asset_roles.c
        return select(a.user_id, a.role, a.can_share, a.granted_by, a.granted_at).where(
            a.entity_type == self.kind, a.entity_id == self.object_id
        )


def _parse_role(raw: dict, i: int, access_list: bool) -> str:
    role = raw.get("role")
    if access_list:  # DataRobot's SharingAccess: None revokes, and other names are ours
        if role is None and "role" in raw:
            return "NO_ROLE"
        role = ROLE_ALIASES.get(role, role) if isinstance(role, str) else role
    if role not in roles.REQUEST_ROLES:
        raise _entry_error(i, f"role must be one of {', '.join(roles.REQUEST_ROLES)}.")
    return role


def parse_entries(items: list[dict], typed: bool = True) -> list[dict]:
    """The share entries of a request whose shape ``openapi.json`` gives (the handlers check
    it): ``typed`` ones in the use case's shape (with ``shareRecipientType``), the others in
    DataRobot's access-list shape. What a schema cannot say is checked here."""
    entries = []
    for i, raw in enumerate(items):
        role = _parse_role(raw, i, access_list=not typed)
        uid = raw.get("id")
        username = raw.get("username", raw.get("name"))
        if "username" in raw and "name" in raw and raw["username"] != raw["name"]:
            raise _entry_error(i, "username and name differ.")
        if uid is None and username is None:
            raise _entry_error(i, "give the recipient's id or username.")
        if username is not None and "\x00" in username:
            # A NUL names no one, and PostgreSQL refuses it in a query.
            raise _entry_error(i, "username must not contain NUL.")
        entries.append(
            {"role": role, "id": uid, "username": username, "can_share": raw.get("canShare")}
        )
    return entries


class Sharing(Repository):
    """Roles on a use case or an asset: the batched share request and the role listing.

    Examples
    --------
    >>> ben, _ = store.users.create("ben@example.com")
    >>> uc = store.use_cases.create(ann, {"name": "Risk"})
    >>> store.sharing.share(ann, uc["id"], {"operation": "updateRoles", "roles": [
    ...     {"role": "EDITOR", "shareRecipientType": "user", "username": "ben@example.com"}]})
    >>> [(m["username"], m["role"]) for m in store.sharing.shared_roles(ann, uc["id"], 0, 10)[0]]
    [('ann@example.com', 'OWNER'), ('ben@example.com', 'EDITOR')]
    >>> app = store.catalog.create_application(ann, {"name": "Scorer"})
    >>> store.sharing.share_asset(ann, "application", app["id"], {"data": [
    ...     {"username": "ben@example.com", "role": "CONSUMER"}]})
    >>> [m["role"] for m in store.sharing.asset_roles(ann, "application", app["id"], 0, 10)[0]]
    ['OWNER', 'CONSUMER']
    """

    def share(self, actor: User, use_case_id: str, body: dict) -> None:
        """Apply a ``{"operation": "updateRoles", "roles": [...]}`` request whole or not at all."""
        self._share(_UseCaseRoles("use case", use_case_id), actor, parse_entries(body["roles"]))

    def share_asset(self, actor: User, etype: str, asset_id: str, body: dict) -> None:
        """Apply a share request to an asset's own roles, whole or not at all.

        ``body`` is the use case's shape (``{"operation": "updateRoles", "roles": [...]}``,
        what ``sharedRoles/`` takes) or DataRobot's access-control shape (``{"data":
        [{"username", "role", "canShare", "canUseData"}]}``, what ``accessControl/`` takes;
        a ``None`` role revokes).
        """
        if "data" in body:
            entries = parse_entries(body["data"], typed=False)
        else:
            entries = parse_entries(body["roles"])
        self._share(_AssetRoles(etype, asset_id), actor, entries)

    def _share(self, target: _RoleList, actor: User, entries: list[dict]) -> None:
        with self.db.write() as conn:
            target.lock(conn)
            grantor = target.standing(conn, actor["id"])
            roles.require(grantor, "view", target.kind)
            resolved = self._resolve_recipients(conn, entries)
            owners_before = target.active_owners(conn)
            changed, checks = False, []
            for index, (entry, user) in enumerate(zip(entries, resolved, strict=True)):
                current = target.current(conn, user.id)
                can_share = entry["can_share"]
                if can_share is None:
                    can_share = current.can_share if current.role else False
                if entry["role"] == "OWNER":
                    can_share = True  # an owner can always share
                check = (index, user.id == actor["id"], current, entry["role"], can_share)
                self._check(grantor, target.kind, *check)
                checks.append(check)
                if entry["role"] == "NO_ROLE":
                    if current.role is not None:
                        target.remove(conn, actor, user)
                        changed = True
                elif (current.role, current.can_share) != (entry["role"], can_share):
                    target.put(conn, actor, user, entry["role"], can_share)
                    changed = True
            owners = target.active_owners(conn)
            if owners == 0 and owners < owners_before:
                raise Conflict(roles.LAST_OWNER.format(kind=target.kind))
            # A batch that lowers the caller's own standing is checked again against the one the
            # caller ends with: no grant may exceed the grantor's role at commit (invariant 5).
            final = target.standing(conn, actor["id"])
            if final != grantor:
                for check in checks:
                    if not check[1]:
                        try:
                            self._check(final, target.kind, *check)
                        except Forbidden as e:
                            e.message += " (Change your own role in a separate request.)"
                            e.args = (e.message,)
                            raise
            if changed:
                target.changed(conn, actor)

    @staticmethod
    def _check(grantor: Standing, kind: str, index: int, *check: Any) -> None:
        """``roles.check_share`` for entry ``index``, with the entry named in the error."""
        try:
            if grantor.role is None:  # the caller left in this very batch
                raise Forbidden(f"You cannot share a {kind} in the request that removes you.")
            roles.check_share(grantor, *check, kind=kind)
        except Forbidden as e:
            e.errors = {str(index): e.message}
            raise

    def _resolve_recipients(self, conn: Any, entries: list[dict]) -> list[Any]:
        resolved, seen = [], set()
        for i, entry in enumerate(entries):
            q = select(users)
            q = (
                q.where(users.c.id == entry["id"])
                if entry["id"]
                else q.where(users.c.username == entry["username"])
            )
            user = conn.execute(q).first()
            # A deactivated member can always be removed, never be given a role.
            if user is None or (not user.active and entry["role"] != "NO_ROLE"):
                raise _entry_error(i, "unknown or inactive user.")
            if entry["id"] and entry["username"] and user.username != entry["username"]:
                raise _entry_error(i, "id and username name different users.")
            if user.id in seen:
                raise _entry_error(i, "the same user appears twice in one request.")
            seen.add(user.id)
            resolved.append(user)
        return resolved

    def deactivate_user(self, username: str, transfer_to: str | None = None) -> dict:
        """Deactivate a user: their tokens stop working at once.

        Refused (409, naming them) while the user is the last active OWNER of a use case or
        an asset, unless ``transfer_to`` names an active user who takes over every ownership
        of theirs (those in the trash too), in the same transaction.
        """
        with self.db.write() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).first()
            if row is None:
                raise NotFound(f"No user named {username!r}.")
            owned = self._ownerships(conn, row.id)
            if transfer_to is not None:
                heir = conn.execute(select(users).where(users.c.username == transfer_to)).first()
                if heir is None or not heir.active or heir.id == row.id:
                    raise ValidationError(
                        f"--transfer-to must name another active user, not {transfer_to!r}.",
                        errors={"transferTo": "unknown, inactive or the same user"},
                    )
                for target, _ in owned:
                    if target.current(conn, heir.id).role != "OWNER":
                        target.put(conn, dict(heir._mapping), heir, "OWNER", True)
                    target.remove(conn, dict(heir._mapping), row)
                    if isinstance(target, _UseCaseRoles):  # its members' owner sort key
                        copy_sort_keys(conn, target.object_id)
                trash.hand_over(conn, row.id, heir.id)
            else:
                sole = [name for target, name in owned if target.active_owners(conn) < 2]
                if sole:
                    raise Conflict(
                        f"{username} is the last active OWNER of {', '.join(sole)}; hand "
                        "these over first (ucwidgets user deactivate --transfer-to USER)."
                    )
            conn.execute(users.update().where(users.c.id == row.id).values(active=False))
        return public_user(row)

    def _ownerships(self, conn: Any, user_id: str) -> list[tuple[_RoleList, str]]:
        """Every use case and asset ``user_id`` is an OWNER of, with a readable name."""
        found: list[tuple[_RoleList, str]] = []
        for uc_id, name in conn.execute(
            select(use_cases.c.id, use_cases.c.name)
            .join(memberships, memberships.c.use_case_id == use_cases.c.id)
            .where(memberships.c.user_id == user_id, memberships.c.role == "OWNER")
            .order_by(use_cases.c.name)
        ):
            found.append((_UseCaseRoles("use case", uc_id), f"use case {name!r} ({uc_id})"))
        for etype, table in TABLES.items():
            for asset_id, name in conn.execute(
                select(table.c.id, table.c.name)
                .join(asset_roles, asset_roles.c.entity_id == table.c.id)
                .where(
                    asset_roles.c.entity_type == etype,
                    asset_roles.c.user_id == user_id,
                    asset_roles.c.role == "OWNER",
                )
                .order_by(table.c.name)
            ):
                found.append((_AssetRoles(etype, asset_id), f"{etype} {name!r} ({asset_id})"))
        return found

    def shared_roles(
        self, actor: User, use_case_id: str, offset: int, limit: int, user_id: str | None = None
    ) -> tuple[list[dict], int]:
        """The members of a use case with their roles, one page, by username."""
        return self._roles(_UseCaseRoles("use case", use_case_id), actor, offset, limit, user_id)

    def asset_roles(
        self,
        actor: User,
        etype: str,
        asset_id: str,
        offset: int,
        limit: int,
        user_id: str | None = None,
    ) -> tuple[list[dict], int]:
        """An asset's own role list, one page, by username."""
        return self._roles(_AssetRoles(etype, asset_id), actor, offset, limit, user_id)

    def _roles(
        self, target: _RoleList, actor: User, offset: int, limit: int, user_id: str | None
    ) -> tuple[list[dict], int]:
        with self.db.read() as conn:
            grantor = target.standing(conn, actor["id"])
            roles.require(grantor, "view", target.kind)
            q = target.rows()
            if user_id is not None:
                q = q.where(q.selected_columns.user_id == user_id)
            sub = q.subquery()
            total = conn.execute(select(func.count()).select_from(sub)).scalar_one()
            rows = conn.execute(
                select(
                    sub.c.role,
                    sub.c.can_share,
                    sub.c.granted_by,
                    sub.c.granted_at,
                    users.c.id,
                    users.c.username,
                    users.c.full_name,
                )
                .join(users, users.c.id == sub.c.user_id)
                .order_by(users.c.username)
                .offset(offset)
                .limit(limit)
            ).all()
            grantors = {
                u.id: public_user(u)
                for u in conn.execute(
                    select(users).where(users.c.id.in_({r.granted_by for r in rows} - {None}))
                )
            }
        return [
            {
                **public_user(r),
                "role": r.role,
                "can_share": bool(r.can_share),
                "granted_by": grantors.get(r.granted_by),
                "granted_at": r.granted_at,
                "assignable": roles.assignable(grantor, r.id == actor["id"], Standing.of(r)),
            }
            for r in rows
        ], total
