"""Users and their tokens.

Tokens are random and high-entropy, so a SHA-256 digest is enough to store them: the database
never holds a usable token, and a lookup is one indexed equality.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import func, or_, select

from ...errors import Conflict, NotFound, Unauthorized
from . import validate
from .db import Repository, escape_like, new_id, now
from .records import User
from .schema import tokens, users

TOKEN_PREFIX = "ucw_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def public_user(row: Any) -> User:
    """The fields of a user that other users may see."""
    return {"id": row.id, "username": row.username, "full_name": row.full_name}


class Users(Repository):
    """Creating users, issuing tokens, and turning a token into its user.

    Examples
    --------
    >>> ben, token = store.users.create("ben@example.com", full_name="Ben")
    >>> store.users.authenticate(token)["username"]
    'ben@example.com'
    """

    def create(self, username: str, full_name: str | None = None) -> tuple[dict, str]:
        """Create an active user and a first token; return ``(user, token)``."""
        username = validate.username(username)
        key = validate.username_key(username)
        full_name = validate.text(full_name, "fullName", max_len=validate.NAME_MAX)
        with self.db.write() as conn:
            # Compared by key, so that ``Bob`` cannot be created next to ``bob``; the unique
            # index on the key settles a race between two creations.
            same = conn.execute(select(users).where(users.c.username_key == key)).first()
            if same is not None:
                raise _taken(same.username, username)
            user = _insert_user(conn, username, key, full_name)
            token = self._issue_token(conn, user["id"])
        return user, token

    def sign_in(self, username: str) -> dict:
        """The active user named ``username``, created (without a token) on first sign-in.

        For a name another system vouches for (a JupyterHub user): it maps to the user of
        exactly that name, and follows the rules of :meth:`create_user` when it is new.

        Raises
        ------
        ValidationError
            The name is not a valid username (mixed scripts, controls, ...).
        Conflict
            Another user's name cannot be told from it (``Bob`` for ``bob``).
        Unauthorized
            The user is deactivated.

        Examples
        --------
        >>> store.users.sign_in("ann")["username"]
        'ann'
        >>> store.users.sign_in("ann") == store.users.sign_in("ann")
        True
        """
        username = validate.username(username)
        key = validate.username_key(username)
        # Most sign-ins find the user: read first, and take the writer's turn only to create.
        with self.db.read() as conn:
            row = conn.execute(select(users).where(users.c.username_key == key)).first()
        if row is None:
            with self.db.write() as conn:
                row = conn.execute(select(users).where(users.c.username_key == key)).first()
                if row is None:
                    return _insert_user(conn, username, key, "")
        if row.username != username:
            raise _taken(row.username, username)
        if not row.active:
            raise Unauthorized(f"The user {username!r} is deactivated.")
        return public_user(row)

    def create_token(self, username: str) -> tuple[dict, str]:
        """Issue a new token for an existing active user."""
        with self.db.write() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).first()
            if row is None or not row.active:
                raise NotFound(f"No active user named {username!r}.")
            return public_user(row), self._issue_token(conn, row.id)

    def _issue_token(self, conn: Any, user_id: str) -> str:
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        conn.execute(
            tokens.insert().values(
                id=new_id(), user_id=user_id, token_hash=hash_token(token), created_at=now()
            )
        )
        return token

    def list(self) -> list[dict]:
        """Every user, active or not, by username."""
        with self.db.read() as conn:
            rows = conn.execute(select(users).order_by(users.c.username)).all()
        return [{**public_user(r), "active": bool(r.active)} for r in rows]

    def authenticate(self, token: str) -> dict:
        """The active user a token belongs to, or ``Unauthorized``."""
        with self.db.read() as conn:
            row = conn.execute(
                select(users)
                .join(tokens, tokens.c.user_id == users.c.id)
                .where(tokens.c.token_hash == hash_token(token))
            ).first()
        if row is None or not row.active:
            raise Unauthorized("Invalid or missing token.")
        return public_user(row)

    def search(self, search: str, offset: int, limit: int) -> tuple[list[dict], int]:
        """Active users whose username or full name contains ``search`` (case-insensitive)."""
        cond = users.c.active.is_(True)
        if search:
            pattern = f"%{escape_like(search.lower())}%"
            cond = cond & or_(
                func.lower(users.c.username).like(pattern, escape="\\"),
                func.lower(users.c.full_name).like(pattern, escape="\\"),
            )
        with self.db.read() as conn:
            total = conn.execute(select(func.count()).select_from(users).where(cond)).scalar_one()
            rows = conn.execute(
                select(users).where(cond).order_by(users.c.username).offset(offset).limit(limit)
            ).all()
        return [public_user(r) for r in rows], total

    def get(self, user_id: str) -> dict:
        with self.db.read() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).first()
        if row is None:
            raise NotFound("User not found.")
        return public_user(row)


def _taken(taken: str, username: str) -> Conflict:
    return Conflict(
        f"A user named {taken!r} already exists"
        + ("." if taken == username else f", which {username!r} cannot be told from.")
    )


def _insert_user(conn: Any, username: str, key: str, full_name: str) -> dict:
    user = {"id": new_id(), "username": username, "full_name": full_name}
    conn.execute(users.insert().values(**user, username_key=key, active=True, created_at=now()))
    return user
