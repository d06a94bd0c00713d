"""The role table of ACCESS.md, as functions the store calls inside its transactions.

Every decision about who may do what to a use case is made here, so the table in ACCESS.md and
this module can be read side by side. The store passes the caller's membership (or ``None``)
and the operation; these functions raise ``NotFound`` for a non-member (identical to a use case
that does not exist) and ``Forbidden`` for a member whose role falls short.

Examples
--------
>>> require({"role": "EDITOR", "can_share": False}, "edit")
>>> require({"role": "CONSUMER", "can_share": True}, "edit")
Traceback (most recent call last):
...
ucwidgets.errors.Forbidden: Your role on this use case (CONSUMER) cannot edit it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..enums import ROLE_RANK
from ..errors import Forbidden, NotFound

#: The lowest role each operation on a use case needs.
OPERATIONS = {
    "view": "CONSUMER",  # the use case, its members, its assets, its events
    "edit": "EDITOR",  # rename, describe, add or remove assets
    "delete": "OWNER",
}

USE_CASE_NOT_FOUND = "Use case not found."

_VERBS = {"view": "view", "edit": "edit", "delete": "delete"}

Membership = Mapping[str, Any]


def require(membership: Membership | None, operation: str) -> None:
    """Raise unless ``membership`` allows ``operation`` (a key of ``OPERATIONS``)."""
    if membership is None:
        raise NotFound(USE_CASE_NOT_FOUND)
    needed = OPERATIONS[operation]
    if ROLE_RANK[membership["role"]] < ROLE_RANK[needed]:
        raise Forbidden(
            f"Your role on this use case ({membership['role']}) cannot {_VERBS[operation]} it."
        )


def check_share(
    grantor: Membership,
    grantor_id: str,
    recipient_id: str,
    current: Membership | None,
    new_role: str,
    new_can_share: bool,
) -> None:
    """Raise ``Forbidden`` unless ``grantor`` may move ``recipient`` to ``new_role``.

    ``new_role`` is OWNER, EDITOR, CONSUMER or NO_ROLE (revoke); ``current`` is the recipient's
    membership before the request. The last-owner rule is checked by the store after the whole
    batch is applied, since it depends on every entry.
    """
    g_role, g_share = grantor["role"], bool(grantor["can_share"])
    cur_role = current["role"] if current else None
    if grantor_id == recipient_id:
        _check_self(g_role, g_share, new_role, new_can_share)
        return
    if g_role == "OWNER":
        return
    if not g_share:
        raise Forbidden(f"Your role on this use case ({g_role}) does not allow sharing it.")
    # A sharer may act only on members at or below their own level...
    ceiling = ROLE_RANK[g_role]
    if cur_role is not None and ROLE_RANK[cur_role] > ceiling:
        raise Forbidden(f"A {g_role} cannot change the role of a {cur_role}.")
    if new_role == "NO_ROLE":
        return
    # ...and grant at most their own level; an EDITOR stops at EDITOR, a CONSUMER at CONSUMER.
    # Giving can_share comes with the grant, so it too stays at or below the grantor's level.
    if ROLE_RANK[new_role] > ceiling:
        raise Forbidden(f"A {g_role} can grant at most the {g_role} role, not {new_role}.")


def _check_self(role: str, can_share: bool, new_role: str, new_can_share: bool) -> None:
    """Leaving or demoting oneself is always allowed; promoting oneself never is."""
    if new_role == "NO_ROLE":
        return
    if ROLE_RANK[new_role] > ROLE_RANK[role]:
        raise Forbidden("You cannot raise your own role.")
    if new_can_share and not can_share:  # not even together with a demotion
        raise Forbidden("You cannot give yourself the right to share.")
