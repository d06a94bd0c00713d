"""The role rules of ACCESS.md, in one place, as pure functions.

Every decision about who may do what to a use case or an asset is made here: the service calls
these functions inside its write transactions and sends their answers with every object as
rights flags (``canEdit``, ``canShare``, ``canDelete``, ``grantableRoles``), so the widgets show
controls from those flags and never re-derive a rule. The module does no I/O and imports nothing
but the error classes.

A caller's **standing** on a use case is their membership; on an asset it is the highest of
their own role on the asset and their roles in the use cases that hold it, each capped at EDITOR
(a use case lends the use of its assets, never their ownership).

Examples
--------
>>> mine = Standing("EDITOR", can_share=False)
>>> require(mine, "edit", "use case")
>>> require(Standing("CONSUMER", True), "edit", "use case")
Traceback (most recent call last):
...
ucwidgets.errors.Forbidden: Your role on this use case (CONSUMER) cannot edit it.
>>> on_asset = asset_standing(own=None, through=[Standing("OWNER", True)])
>>> on_asset.role, on_asset.can_share, rights(on_asset)["canDelete"]
('EDITOR', True, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .errors import Forbidden, NotFound

ROLES = ("OWNER", "EDITOR", "CONSUMER")
#: What a share request may carry; NO_ROLE revokes and is never stored.
REQUEST_ROLES = (*ROLES, "NO_ROLE")
RANK = {"OWNER": 3, "EDITOR": 2, "CONSUMER": 1}
#: The highest role a use case lends its members on the assets it holds.
LENT_CEILING = "EDITOR"

#: The lowest role each operation needs, on a use case or an asset.
OPERATIONS = {
    "view": "CONSUMER",  # see it, its members, its assets, its events; download, use
    "edit": "EDITOR",  # rename, describe, add or remove a use case's assets, train
    "delete": "OWNER",  # on an asset, its own OWNER only: lent roles stop at EDITOR
    "restore": "OWNER",  # bring back from the trash; as deleting
    "purge": "OWNER",  # remove from the trash for good; as deleting
}
_VERBS = {
    "view": "view",
    "edit": "edit",
    "delete": "delete",
    "restore": "restore",
    "purge": "purge",
}

LAST_OWNER = "A {kind} must keep at least one active OWNER; nothing was changed."


@dataclass(frozen=True)
class Standing:
    """A user's role on a use case or an asset, and whether they may share it.

    ``role`` is ``None`` for someone with no access at all.
    """

    role: str | None
    can_share: bool = False

    @classmethod
    def of(cls, grant: object | None) -> Standing:
        """A standing from a membership-like row or mapping (``role``, ``can_share``)."""
        if grant is None:
            return NOBODY
        get = grant.get if isinstance(grant, dict) else lambda k: getattr(grant, k)
        role = get("role")
        return cls(role, bool(get("can_share")) or role == "OWNER")


NOBODY = Standing(None, False)


def asset_standing(own: Standing | None, through: Iterable[Standing]) -> Standing:
    """The effective standing on an asset.

    ``own`` is the user's own role on the asset; ``through`` their memberships in the use cases
    that hold it. Lent roles are capped at EDITOR, and lend the right to share only from EDITOR
    up: a CONSUMER of a use case, even with ``can_share``, cannot pass its assets on.
    """
    best = own if own is not None and own.role is not None else NOBODY
    can_share = best.can_share
    for lent in through:
        if lent.role is None:
            continue
        role = lent.role if RANK[lent.role] <= RANK[LENT_CEILING] else LENT_CEILING
        if best.role is None or RANK[role] > RANK[best.role]:
            best = Standing(role, best.can_share)
        can_share = can_share or (lent.can_share and RANK[lent.role] >= RANK["EDITOR"])
    return Standing(best.role, can_share)


def allows(standing: Standing, operation: str) -> bool:
    """Whether ``standing`` allows ``operation`` (a key of ``OPERATIONS``)."""
    return standing.role is not None and RANK[standing.role] >= RANK[OPERATIONS[operation]]


def require(standing: Standing, operation: str, kind: str) -> None:
    """Raise ``NotFound`` for no access (identical to a missing object) and ``Forbidden`` for
    a role that falls short of ``operation``.

    ``kind`` names the object in messages ("use case", "dataset", ...).
    """
    if standing.role is None:
        raise NotFound(f"{kind.capitalize()} not found.")
    if not allows(standing, operation):
        raise Forbidden(
            f"Your role on this {kind} ({standing.role}) cannot {_VERBS[operation]} it."
        )


def require_share(standing: Standing, kind: str) -> None:
    """Raise ``Forbidden`` unless ``standing`` may share, or link, the object.

    Linking an asset into a use case gives that use case's members its use, so it takes the
    right to share the asset.
    """
    require(standing, "view", kind)
    if not standing.can_share:
        raise Forbidden(f"Your role on this {kind} ({standing.role}) does not allow sharing it.")


def check_share(
    grantor: Standing,
    is_self: bool,
    current: Standing,
    new_role: str,
    new_can_share: bool,
    kind: str = "use case",
) -> None:
    """Raise ``Forbidden`` unless ``grantor`` may move a recipient from ``current`` (their own
    role on the object, ``NOBODY`` for none) to ``new_role`` (``NO_ROLE`` revokes).

    The last-owner rule depends on the whole batch, so the store checks it after applying it.
    """
    if is_self:
        _check_self(current, new_role, new_can_share)
        return
    if grantor.role == "OWNER":
        return
    if not grantor.can_share:
        raise Forbidden(f"Your role on this {kind} ({grantor.role}) does not allow sharing it.")
    # A sharer may act only on members at or below their own level...
    ceiling = RANK[grantor.role]
    if current.role is not None and RANK[current.role] > ceiling:
        raise Forbidden(f"A {grantor.role} cannot change the role of a {current.role}.")
    if new_role == "NO_ROLE":
        return
    # ...and grant at most their own level; can_share comes with the grant, so it too stays
    # at or below the grantor's level.
    if RANK[new_role] > ceiling:
        raise Forbidden(
            f"A {grantor.role} can grant at most the {grantor.role} role, not {new_role}."
        )


def _check_self(current: Standing, new_role: str, new_can_share: bool) -> None:
    """Leaving or lowering one's own role is always allowed; raising it never is, not even to
    a role one already holds through a use case (that would outlive a revocation)."""
    if new_role == "NO_ROLE":
        return
    if current.role is None or RANK[new_role] > RANK[current.role]:
        raise Forbidden("You cannot raise your own role.")
    if new_can_share and not current.can_share:
        raise Forbidden("You cannot give yourself the right to share.")


def _permitted(grantor: Standing, is_self: bool, current: Standing, role: str, share: bool) -> bool:
    try:
        check_share(grantor, is_self, current, role, share)
    except Forbidden:
        return False
    return True


def assignable(grantor: Standing, is_self: bool, current: Standing) -> dict:
    """What ``grantor`` may set a recipient to: ``{"roles": [...], "canShare": bool}``.

    ``roles`` lists the roles (``NO_ROLE`` for removal) the grantor may give; ``canShare``
    whether they may turn the right to share on or off along with the current role (never for
    an OWNER, who always has it). The widgets show
    exactly these choices.

    Examples
    --------
    >>> assignable(Standing("EDITOR", True), False, NOBODY)
    {'roles': ['EDITOR', 'CONSUMER', 'NO_ROLE'], 'canShare': True}
    >>> assignable(Standing("EDITOR", True), False, Standing("OWNER", True))
    {'roles': [], 'canShare': False}
    """
    if grantor.role is None:
        return {"roles": [], "canShare": False}
    roles = [r for r in REQUEST_ROLES if _permitted(grantor, is_self, current, r, False)]
    if current.role is not None and current.role not in roles:
        return {"roles": [], "canShare": False}  # they may not touch this recipient at all
    target = current.role or (roles[0] if roles else None)
    # An OWNER always has the right to share: there is nothing to toggle.
    share = target not in (None, "OWNER") and _permitted(grantor, is_self, current, target, True)
    return {"roles": roles, "canShare": share}


def rights(standing: Standing) -> dict:
    """The caller's rights flags on one use case or asset, sent with it on the wire.

    Examples
    --------
    >>> flags = rights(Standing("CONSUMER", True))
    >>> flags["canEdit"], flags["canShare"], flags["grantableRoles"]
    (False, True, ['CONSUMER'])
    """
    return {
        "role": standing.role,
        "canView": allows(standing, "view"),
        "canEdit": allows(standing, "edit"),
        "canShare": standing.role is not None and standing.can_share,
        "canDelete": allows(standing, "delete"),
        "grantableRoles": [
            r for r in ROLES if standing.can_share and _permitted(standing, False, NOBODY, r, False)
        ],
    }
