"""Sharing a use case: the batched role update and the member listing.

A share request is validated whole, then applied in one transaction under the use case's lock,
then checked for the last-owner rule; any failure rolls the whole batch back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ...enums import USE_CASE_ROLES
from ...errors import Conflict, Forbidden, ValidationError
from .. import access
from . import validate
from .schema import memberships, users
from .use_cases import add_member, membership, record, remove_member, touch
from .users import public_user

MAX_BATCH = 100
ENTRY_KEYS = {"role", "shareRecipientType", "id", "username", "canShare"}


def _check(
    grantor: dict | None,
    actor: dict,
    index: int,
    recipient_id: str,
    current: Any,
    role: str,
    can_share: bool,
) -> None:
    """``access.check_share`` for entry ``index``, with the entry named in the error."""
    try:
        if grantor is None:  # the caller left in this very batch
            raise Forbidden("You cannot share a use case in the request that removes you from it.")
        access.check_share(grantor, actor["id"], recipient_id, current, role, can_share)
    except Forbidden as e:
        e.errors = {str(index): e.message}
        raise


def _entry_error(index: int, message: str) -> ValidationError:
    return ValidationError(f"roles[{index}]: {message}", errors={str(index): message})


class SharingStore:
    """Roles on a use case: the batched share request and the member listing.

    Examples
    --------
    >>> import tempfile
    >>> from ucwidgets.server.store import Store
    >>> store = Store.open(tempfile.mkdtemp())
    >>> ann, _ = store.create_user("ann@example.com")
    >>> ben, _ = store.create_user("ben@example.com")
    >>> uc = store.create_use_case(ann, {"name": "Risk"})
    >>> store.share(ann, uc["id"], {"operation": "updateRoles", "roles": [
    ...     {"role": "EDITOR", "shareRecipientType": "user", "username": "ben@example.com"}]})
    >>> [(m["username"], m["role"]) for m in store.shared_roles(ann, uc["id"], 0, 10)[0]]
    [('ann@example.com', 'OWNER'), ('ben@example.com', 'EDITOR')]
    """

    db: Any

    def share(self, actor: dict, use_case_id: str, body: dict) -> None:
        """Apply a ``{"operation": "updateRoles", "roles": [...]}`` request whole or not at all."""
        entries = self._parse_share(body)
        with self.db.write() as conn:
            grantor = membership(conn, use_case_id, actor["id"], lock=True)
            access.require(grantor, "view")
            resolved = self._resolve_recipients(conn, entries)
            changed, checks = False, []
            for index, (entry, user) in enumerate(zip(entries, resolved, strict=True)):
                current = membership(conn, use_case_id, user.id)
                can_share = entry["can_share"]
                if can_share is None:
                    can_share = bool(current["can_share"]) if current else False
                if entry["role"] == "OWNER":
                    can_share = True  # an owner can always share
                check = (index, user.id, current, entry["role"], can_share)
                _check(grantor, actor, *check)
                checks.append(check)
                changed |= self._apply(
                    conn, use_case_id, actor, user, current, entry["role"], can_share
                )
            owners = conn.execute(
                select(func.count())
                .select_from(memberships)
                .where(memberships.c.use_case_id == use_case_id, memberships.c.role == "OWNER")
            ).scalar_one()
            if owners == 0:
                raise Conflict("A use case must keep at least one OWNER; nothing was changed.")
            # A batch that lowers the caller's own role is checked again against the role the
            # caller ends with: no grant may exceed the grantor's role at commit (invariant 5).
            final = membership(conn, use_case_id, actor["id"])
            if final != grantor:
                for check in checks:
                    if check[1] != actor["id"]:
                        try:
                            _check(final, actor, *check)
                        except Forbidden as e:
                            e.message += " (Change your own role in a separate request.)"
                            e.args = (e.message,)
                            raise
            if changed:
                touch(conn, use_case_id, actor["id"])

    def _parse_share(self, body: dict) -> list[dict]:
        if body.get("operation", "updateRoles") != "updateRoles":
            raise ValidationError(
                "operation must be 'updateRoles'.", errors={"operation": "unknown operation"}
            )
        roles = body.get("roles")
        if not isinstance(roles, list) or not roles:
            raise ValidationError("roles must be a non-empty list.", errors={"roles": "empty"})
        if len(roles) > MAX_BATCH:
            raise ValidationError(
                f"A share request takes at most {MAX_BATCH} roles.", errors={"roles": "too many"}
            )
        entries = []
        for i, raw in enumerate(roles):
            if not isinstance(raw, dict):
                raise _entry_error(i, "must be an object.")
            unknown = set(raw) - ENTRY_KEYS
            if unknown:
                raise _entry_error(i, f"unknown field(s) {', '.join(sorted(unknown))}.")
            role = raw.get("role")
            if role not in USE_CASE_ROLES:
                raise _entry_error(i, f"role must be one of {', '.join(USE_CASE_ROLES)}.")
            if raw.get("shareRecipientType") != "user":
                raise _entry_error(i, "shareRecipientType must be 'user'.")
            uid, username = raw.get("id"), raw.get("username")
            if uid is None and username is None:
                raise _entry_error(i, "give the recipient's id or username.")
            if uid is not None and not (isinstance(uid, str) and validate.is_object_id(uid)):
                raise _entry_error(i, "id must be a 24-character hexadecimal id.")
            if username is not None and (
                not isinstance(username, str) or not username or "\x00" in username
            ):
                # A NUL names no one, and PostgreSQL refuses it in a query.
                raise _entry_error(i, "username must be a non-empty string without NUL.")
            can_share = raw.get("canShare")
            if can_share is not None and not isinstance(can_share, bool):
                raise _entry_error(i, "canShare must be true or false.")
            entries.append({"role": role, "id": uid, "username": username, "can_share": can_share})
        return entries

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
            if user is None or not user.active:
                raise _entry_error(i, "unknown or inactive user.")
            if entry["id"] and entry["username"] and user.username != entry["username"]:
                raise _entry_error(i, "id and username name different users.")
            if user.id in seen:
                raise _entry_error(i, "the same user appears twice in one request.")
            seen.add(user.id)
            resolved.append(user)
        return resolved

    def _apply(
        self,
        conn: Any,
        use_case_id: str,
        actor: dict,
        user: Any,
        current: Any,
        role: str,
        can_share: bool,
    ) -> bool:
        """Apply one entry; return whether it changed anything."""
        key = (memberships.c.use_case_id == use_case_id) & (memberships.c.user_id == user.id)
        if role == "NO_ROLE":
            if current is not None:
                remove_member(conn, use_case_id, user.id)
                record(
                    conn,
                    use_case_id,
                    actor["id"],
                    "unshared",
                    "user",
                    user.id,
                    user.username,
                    recipient_id=user.id,
                )
            return current is not None
        if current is None:
            add_member(conn, use_case_id, user.id, role, can_share)
        elif (current["role"], bool(current["can_share"])) != (role, can_share):
            conn.execute(memberships.update().where(key).values(role=role, can_share=can_share))
        else:
            return False  # re-sending an unchanged role is a no-op, and announces nothing
        record(
            conn,
            use_case_id,
            actor["id"],
            "shared",
            "user",
            user.id,
            user.username,
            recipient_id=user.id,
            detail={"role": role, "canShare": bool(can_share)},
        )
        return True

    def shared_roles(
        self, actor: dict, use_case_id: str, offset: int, limit: int, user_id: str | None = None
    ) -> tuple[list[dict], int]:
        """The members of a use case with their roles, one page, by username."""
        with self.db.read() as conn:
            access.require(membership(conn, use_case_id, actor["id"]), "view")
            cond = memberships.c.use_case_id == use_case_id
            if user_id is not None:
                cond = cond & (memberships.c.user_id == user_id)
            total = conn.execute(
                select(func.count()).select_from(memberships).where(cond)
            ).scalar_one()
            rows = conn.execute(
                select(
                    memberships.c.role,
                    memberships.c.can_share,
                    users.c.id,
                    users.c.username,
                    users.c.full_name,
                )
                .join(users, users.c.id == memberships.c.user_id)
                .where(cond)
                .order_by(users.c.username)
                .offset(offset)
                .limit(limit)
            ).all()
        return [
            {**public_user(r), "role": r.role, "can_share": bool(r.can_share)} for r in rows
        ], total
