"""``SharingEditor``: who may see and change a use case or one asset, and one batched change.

Edits are staged in the widget (``changes``) and sent together by Apply (one request, applied
whole or not at all). The add row searches the service's users as you type and flags a name
that matches no one; Enter adds the person. Each role is described in plain words. A use case's
editor follows the live events: a teammate's change to its members shows with no click, the
staged changes stay, and a deletion elsewhere sets ``gone`` ("Deleted by bob").
"""

from __future__ import annotations

from typing import Any

from traitlets import Any as AnyTrait
from traitlets import Bool, Dict, Int, List, Unicode, observe

from ucwidgets.models.sharing import SharingRole
from ucwidgets.models.use_cases.use_case import UseCase, UseCaseUser
from ucwidgets.widgets._common import action
from ucwidgets.widgets.live import NO_USE_CASE, OnUseCase

__all__ = ["ROLES", "ROLE_WORDS", "SharingEditor"]

#: Stored roles, highest first.
ROLES = ("OWNER", "EDITOR", "CONSUMER")
#: What each role lets a person do, in plain words (use case, asset).
ROLE_WORDS = {
    "OWNER": (
        "Can do everything: rename, add and remove assets, share, delete.",
        "Can do everything with it: change it, share it, delete it.",
    ),
    "EDITOR": (
        "Can rename it and add or remove assets; cannot delete it.",
        "Can change it and use it; cannot delete it.",
    ),
    "CONSUMER": (
        "Can see it and use its assets, but not change them.",
        "Can see it and use it, but not change it.",
    ),
}
#: What "can share" adds, in plain words.
CAN_SHARE_WORDS = "Can also give others access, up to their own role."


class SharingEditor(OnUseCase):
    """Change who may see and change a use case, or one asset; Apply sends one request.

    It edits the use case given, else the current one (:class:`~ucwidgets.widgets.live.OnUseCase`).

    Parameters
    ----------
    asset : Dataset, Project, Application or Notebook, optional
        Edit this asset's own roles instead of a use case's.

    Examples
    --------
    >>> import ucwidgets
    >>> editor = ucwidgets.SharingEditor(use_case=uc)  # doctest: +SKIP
    >>> editor.add_member("bob@example.com", "EDITOR")  # stage a new member  # doctest: +SKIP
    >>> editor.share()  # one batched share  # doctest: +SKIP
    >>> ucwidgets.SharingEditor(asset=dataset)  # one dataset's own roles  # doctest: +SKIP
    """

    _module = "sharing.js"

    asset_type = Unicode(None, allow_none=True, help="The asset's kind when editing one.").tag(
        sync=True
    )
    asset_id = Unicode(None, allow_none=True, help="The asset's id when editing one.").tag(
        sync=True
    )
    members = List(help="The members as last loaded (SharingRole objects).")
    rows = List(
        help="The rows the front end draws: key, username, full_name, role, can_share, is_self, "
        "new, removing, roles (that may be chosen), can_remove, can_toggle."
    ).tag(sync=True)
    changes = Dict(
        help="Staged edits by member key (user id, or 'new:' + username): dicts "
        "role (NO_ROLE removes), can_share, id, username."
    ).tag(sync=True)
    pending = List(help="The staged edits in words, for the front end.").tag(sync=True)
    my_id = Unicode(None, allow_none=True, help="The caller's user id, when the service says.")
    my_role = Unicode(None, allow_none=True, help="The caller's role.").tag(sync=True)
    my_can_share = Bool(False, help="Whether the caller may share (the service's flag).").tag(
        sync=True
    )
    grantable = List(help="Roles the add row offers.").tag(sync=True)
    suggestions = List(help="Usernames the service suggests for the add row.").tag(sync=True)
    unknown_user = Unicode("", help="The typed name when it matches no user; empty otherwise.").tag(
        sync=True
    )
    applied = Int(0, help="How many share requests this editor has applied.")
    role_words = Dict(help="What each role lets a person do here, in plain words.").tag(sync=True)
    can_share_words = Unicode(CAN_SHARE_WORDS, help="What 'can share' adds.").tag(sync=True)
    target = AnyTrait(None, help="The UseCase or asset object edited, as last loaded.")

    def __init__(
        self, client: Any = None, use_case: Any = None, asset: Any = None, **kwargs: Any
    ) -> None:
        self._left = False  # the caller removed themselves
        if asset is not None:  # an asset's own roles: no use case
            kwargs.update(asset_type=_kind(asset), asset_id=asset.id, use_case_id=None)
        which = 1 if asset is not None else 0
        kwargs.setdefault("role_words", {role: words[which] for role, words in ROLE_WORDS.items()})
        super().__init__(client=client, use_case=use_case, **kwargs)
        self.add_class("ucw-share")

    # -- public actions (they raise) --------------------------------------------------------
    def load(self) -> None:
        """Reload the members and the caller's rights; staged changes are kept."""
        if not (self._use_case_now() or self.asset_id):
            raise ValueError(NO_USE_CASE)
        with self.api():
            target = self._fetch()
            members = list(target.get_shared_roles())
            me = self.whoami()
        my_id = me.id if me is not None else None
        mine = next((m for m in members if my_id is not None and m.id == my_id), None)
        with self.hold_trait_notifications():
            self.target = target
            self.use_case_name = (
                getattr(target, "name", None) or getattr(target, "project_name", None) or target.id
            )
            self.my_id = my_id
            self.my_role = mine.role.value if mine is not None else None
            flag = getattr(target, "can_share", None)
            if flag is None:  # a service without the flag: what the member list says
                flag = bool(mine.can_share) if mine is not None else me is None
            self.my_can_share = bool(flag)
            self.members = members
            self.changes = _still_meant(self.changes, members)
        self.follow_live()

    @action("panel")
    def refresh(self) -> None:
        """Reload the members (what the Refresh button does)."""
        self.load()

    def live_use_case(self) -> str | None:
        """The edited use case (an asset's own roles have no live events)."""
        return None if self.asset_id or self._left else self.use_case_id

    @action("rows")
    def set_role(self, member: str, role: str) -> None:
        """Stage a new role for a member (user id, username, or a staged 'new:' key)."""
        self._stage(self._key(member), role=role)

    @action("rows")
    def set_can_share(self, member: str, can_share: bool) -> None:
        """Stage a change of a member's right to share."""
        self._stage(self._key(member), can_share=bool(can_share))

    @action("rows")
    def toggle_remove(self, member: str) -> None:
        """Stage removing a member (NO_ROLE), or undo that; a staged new member is dropped."""
        key = self._key(member)
        changes = dict(self.changes)
        if key.startswith("new:"):
            changes.pop(key, None)
        elif changes.get(key, {}).get("role") == "NO_ROLE":
            changes[key] = {**changes[key], "role": self._member(key).role.value}
            changes = _without_noops(changes, self._current())
        else:
            self._stage(key, role="NO_ROLE")
            return
        self.changes = changes

    @action("add")
    def add_member(self, username: str, role: str = "CONSUMER", can_share: bool = False) -> None:
        """Stage a new member by username (an existing member's row changes instead)."""
        self._check_open()
        username = username.strip()
        if not username:
            raise ValueError("Type the username of the person to add.")
        existing = next((m for m in self.members if m.username == username), None)
        if existing is not None:
            self._stage(existing.id, role=role, can_share=can_share)
        else:
            self.changes = {
                **self.changes,
                f"new:{username}": {
                    "role": role,
                    "can_share": bool(can_share),
                    "id": None,
                    "username": username,
                },
            }
        self.clear_draft("user")
        self.suggestions, self.unknown_user = [], ""

    @action("apply")
    def discard(self) -> None:
        """Forget every staged change."""
        self.changes = {}

    @action("apply")
    def share(self, roles: list[SharingRole] | None = None) -> int:
        """Send the staged changes (or ``roles``) as one batched share; return how many.

        Raises the service's error (for example ``Conflict`` for the last OWNER, ``Forbidden``
        for a grant above the caller's role); nothing is applied then and the changes stay.
        """
        self._check_open()
        if roles is None:
            roles = [
                SharingRole(
                    role=c["role"],
                    share_recipient_type="user",
                    id=c["id"],
                    username=None if c["id"] else c["username"],
                    can_share=c["can_share"],
                )
                for c in self.changes.values()
            ]
        if not roles:
            raise ValueError("Nothing to apply: change a role or add someone first.")
        if self.target is None:
            self.load()
        with self.api():
            self.target.share(roles)
        self.changes = {}
        self.applied += 1
        if any(r.role.value == "NO_ROLE" and r.id and r.id == self.my_id for r in roles):
            self._left = True  # the caller left: no longer theirs to read
            with self.hold_trait_notifications():
                self.members, self.my_role, self.my_can_share = [], None, False
            self.notice = f"You left {self.use_case_name}."
            return len(roles)
        self.load()
        self.notice = f"Applied {len(roles)} change{'s' * (len(roles) != 1)}."
        return len(roles)

    @action("user")
    def suggest(self, prefix: str) -> list[str]:
        """Usernames matching ``prefix`` from the service; flags a name that matches no one."""
        prefix = prefix.strip()
        found: list[str] = []
        if prefix:
            with self.api():
                users = UseCaseUser.search(prefix, limit=8)
            found = [u.username for u in users if u.username]
        if prefix != (self.drafts.get("user") or "").strip() and "user" in self.drafts:
            return found  # typing went on; a newer search answers
        known = any(f.lower().startswith(prefix.lower()) for f in found)
        with self.hold_trait_notifications():
            self.suggestions = found
            self.unknown_user = "" if not prefix or known else prefix
        return found

    def _grantable(self) -> list[str]:
        """The roles the service lets the caller give a new member (all, when it does not say)."""
        flags = getattr(self.target, "_data", {})
        if "grantableRoles" not in flags:
            return list(ROLES) if self.my_can_share else []
        return [r for r in ROLES if r in flags["grantableRoles"]]

    # -- staging helpers --------------------------------------------------------------------
    def _check_open(self) -> None:
        if self.gone:
            raise ValueError(f"{self.gone}: its sharing can no longer be changed.")

    def _fetch(self) -> Any:
        if self.asset_id:
            from ucwidgets.widgets.detail import ASSET_KINDS

            return ASSET_KINDS[self.asset_type].get(self.asset_id)
        return UseCase.get(self.use_case_id)

    def _current(self) -> dict[str, dict[str, Any]]:
        return {
            m.id: {
                "role": m.role.value,
                "can_share": bool(m.can_share),
                "id": m.id,
                "username": m.username,
            }
            for m in self.members
            if m.id
        }

    def _member(self, key: str) -> SharingRole:
        return next(m for m in self.members if m.id == key)

    def _key(self, member: str) -> str:
        if member in self.changes or any(m.id == member for m in self.members):
            return member
        found = next((m.id for m in self.members if m.username == member), None)
        if found:
            return found
        if f"new:{member}" in self.changes:
            return f"new:{member}"
        raise ValueError(f"{member!r} is not a member here.")

    def _stage(self, key: str, **edit: Any) -> None:
        current = self._current()
        base = self.changes.get(key) or current.get(key)
        if base is None:
            raise ValueError(f"{key!r} is not a member here.")
        entry = {**base, **edit}  # the service gives an OWNER the right to share itself
        self.changes = _without_noops({**self.changes, key: entry}, current)

    # -- what the front end draws ------------------------------------------------------------
    @observe("drafts")
    def _on_drafts_change(self, change: Any) -> None:
        typed = (change["new"] or {}).get("user", "")
        if typed != (change["old"] or {}).get("user", ""):
            self.run("user", self.suggest, typed, spinner=False)

    @observe("members", "changes", "my_role", "my_can_share")
    def _on_state_change(self, change: Any = None) -> None:
        current = self._current()
        keys = [m.id for m in self.members if m.id] + [
            k for k in self.changes if k.startswith("new:")
        ]
        with self.hold_trait_notifications():
            self.rows = [self._row(key, current) for key in keys]
            self.grantable = [] if self._left else self._grantable()
            self.pending = _pending(self.changes, current)

    def _row(self, key: str, current: dict[str, Any]) -> dict[str, Any]:
        new = key.startswith("new:")
        now = current.get(key)
        entry = self.changes.get(key) or now
        assert entry is not None
        removing = entry["role"] == "NO_ROLE"
        is_self = key == self.my_id
        # The choices are the service's (assignable, grantableRoles): no role rule here.
        told = None if new else self._member(key).assignable
        choices = self._grantable() if told is None and new else (told or {}).get("roles", [])
        if told is None and not new:  # a service that does not say: it decides on Apply
            choices = [*ROLES, "NO_ROLE"]
        roles = [r for r in choices if r != "NO_ROLE"]
        can_remove = new or "NO_ROLE" in choices
        can_toggle = new or (told or {}).get("canShare", told is None)
        shown = (now or entry)["role"] if removing else entry["role"]
        return {
            "key": key,
            "username": entry.get("username") or key,
            "full_name": "" if new else self._member(key).user_full_name or "",
            "role": shown,
            "can_share": bool(entry["can_share"]),
            "is_self": is_self,
            "new": new,
            "removing": removing,
            "roles": [r for r in ROLES if r in roles or r == shown],
            "can_remove": can_remove,
            "can_toggle": can_toggle and not removing,
            "changed": key in self.changes,
        }


def _kind(asset: Any) -> str:
    from ucwidgets.widgets.detail import ASSET_KINDS

    for kind, cls in ASSET_KINDS.items():
        if isinstance(asset, cls):
            return kind
    raise TypeError(f"expected a Dataset, Project, Application or Notebook, got {type(asset)}")


def _still_meant(changes: dict[str, Any], members: list[SharingRole]) -> dict[str, Any]:
    """The staged changes after a reload: a change to someone removed meanwhile adds them back
    (unless it removed them too), a new person added meanwhile becomes a change to their
    membership, and what the reload made true is dropped."""
    ids = {m.id for m in members}
    by_name = {m.username: m.id for m in members if m.username}
    kept = {}
    for key, entry in changes.items():
        joined = by_name.get(entry.get("username")) if key.startswith("new:") else None
        if joined:
            kept[joined] = {**entry, "id": joined}
        elif key.startswith("new:") or key in ids:
            kept[key] = entry
        elif entry["role"] != "NO_ROLE":
            kept[f"new:{entry['username']}"] = {**entry, "id": None}
    current = {m.id: {"role": m.role.value, "can_share": bool(m.can_share)} for m in members}
    return _without_noops(kept, current)


def _without_noops(changes: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """Drop staged entries that equal the member's current role and right to share."""
    kept = {}
    for key, entry in changes.items():
        now = current.get(key)
        if now is not None and (now["role"], now["can_share"]) == (
            entry["role"],
            entry["can_share"],
        ):
            continue
        kept[key] = entry
    return kept


def _pending(changes: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """The staged edits in words (plain text: the front end shows them as text)."""
    lines = []
    for key, entry in changes.items():
        who = entry.get("username") or key
        if entry["role"] == "NO_ROLE":
            lines.append(f"remove {who}")
        elif key not in current:
            lines.append(f"add {who} as {entry['role']}")
        else:
            lines.append(
                f"{who}: {current[key]['role']} → {entry['role']}"
                f"{' (can share)' if entry['can_share'] else ''}"
            )
    return lines
