"""``SharingEditor``: who is in a use case, with which role, and one batched change to it.

Edits are staged in the widget and sent together by Apply (one ``PATCH sharedRoles/``, applied
whole or not at all). Controls the caller's role does not allow are disabled: :func:`row_rules`
is ACCESS.md's role table seen from one member's row.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from traitlets import Bool, Dict, Int, List, Unicode, observe

from ucwidgets import context
from ucwidgets.enums import ROLE_RANK
from ucwidgets.errors import NotSupported
from ucwidgets.models.sharing import SharingRole
from ucwidgets.models.use_cases.use_case import UseCase, UseCaseUser
from ucwidgets.widgets._common import (
    EXPECTED,
    UseCasePanel,
    button,
    enable,
    quiet,
    resolve_use_case_id,
    set_options,
    styled,
    text,
)

__all__ = ["ROLES", "SharingEditor", "grant_roles", "row_rules"]

#: Stored roles, highest first.
ROLES = ("OWNER", "EDITOR", "CONSUMER")


def grant_roles(my_role: str | None, my_can_share: bool) -> list[str]:
    """Roles the caller may grant to others (ACCESS.md: up to their own, if they may share)."""
    if my_role is None:  # unknown (another server): offer everything, the service decides
        return list(ROLES)
    if my_role == "OWNER":
        return list(ROLES)
    if not my_can_share:
        return []
    return [r for r in ROLES if ROLE_RANK[r] <= ROLE_RANK[my_role]]


def row_rules(
    my_role: str | None, my_can_share: bool, target_role: str | None, is_self: bool
) -> tuple[list[str], bool, bool]:
    """What the caller may do to one member's row: (roles to choose, remove, toggle can-share).

    Mirrors ACCESS.md: an OWNER may do anything (the last-OWNER rule is the service's); a
    sharer acts only on members at or below their own role and grants at most their own role;
    anyone may leave or demote themselves but never promote themselves or give themselves the
    right to share.

    Examples
    --------
    >>> row_rules("EDITOR", True, "CONSUMER", is_self=False)
    (['EDITOR', 'CONSUMER'], True, True)
    >>> row_rules("EDITOR", True, "OWNER", is_self=False)
    ([], False, False)
    >>> row_rules("CONSUMER", False, "CONSUMER", is_self=True)
    (['CONSUMER'], True, False)
    """
    if my_role is None:
        return list(ROLES), True, True
    if is_self:
        lower = [r for r in ROLES if ROLE_RANK[r] <= ROLE_RANK[my_role]]
        # Dropping one's own right to share is a demotion; gaining it is not allowed.
        return lower, True, my_can_share and my_role != "OWNER"
    outranked = target_role is not None and ROLE_RANK[target_role] > ROLE_RANK[my_role]
    if target_role is not None and my_role != "OWNER" and (not my_can_share or outranked):
        return [], False, False
    roles = grant_roles(my_role, my_can_share)
    return roles, bool(roles), bool(roles)


class _Row:
    """The widgets of one member's row."""

    def __init__(self, editor: SharingEditor, key: str) -> None:
        self.key = key
        self.user_label = styled(w.HTML(""), "ucw-share-user-name", width="260px")
        self.role_dropdown = styled(
            w.Dropdown(options=list(ROLES), value=None), "ucw-share-row-role", width="130px"
        )
        self.can_share_checkbox = styled(
            w.Checkbox(description="can share", indent=False),
            "ucw-share-row-can-share",
            width="110px",
        )
        self.remove_button = button("Remove", "ucw-share-remove", icon="times")
        self.box = styled(
            w.HBox(
                [self.user_label, self.role_dropdown, self.can_share_checkbox, self.remove_button],
                layout=w.Layout(align_items="center"),
            ),
            "ucw-share-row",
        )
        self.box._ucw_key = key  # type: ignore[attr-defined] - lets tests find a row by user
        self.role_dropdown.observe(
            lambda c: None if quiet(c) else editor._attempt(editor.set_role, key, c["new"]), "value"
        )
        self.can_share_checkbox.observe(
            lambda c: None if quiet(c) else editor._attempt(editor.set_can_share, key, c["new"]),
            "value",
        )
        self.remove_button.on_click(lambda _: editor._attempt(editor.toggle_remove, key))


class SharingEditor(UseCasePanel):
    """Change who may see and edit a use case; Apply sends every change as one request.

    Parameters
    ----------
    client : RESTClientObject, optional
        The connection to use; default: the global client.
    use_case : UseCase or str, optional
        The use case to edit; default: the current one (``with uc:``, ``%use_case``).

    Examples
    --------
    >>> import ucwidgets
    >>> editor = ucwidgets.SharingEditor(use_case=uc)  # doctest: +SKIP
    >>> editor.user_combobox.value = "bob@example.com"  # doctest: +SKIP
    >>> editor.role_dropdown.value = "EDITOR"  # doctest: +SKIP
    >>> editor.add_button.click()  # stage the new member  # doctest: +SKIP
    >>> editor.apply_button.click()  # one batched share  # doctest: +SKIP
    """

    use_case_id = Unicode(
        None, allow_none=True, help="The use case edited; None follows the current one."
    )
    use_case_name = Unicode("", help="The edited use case's name.")
    members = List(help="The members as last loaded (SharingRole objects).")
    changes = Dict(
        help="Staged edits by member key (user id, or 'new:' + username): dicts "
        "role (NO_ROLE removes), can_share, id, username."
    )
    my_id = Unicode(None, allow_none=True, help="The caller's user id, when the service says.")
    my_role = Unicode(None, allow_none=True, help="The caller's role on the use case.")
    my_can_share = Bool(False, help="Whether the caller may share the use case.")
    suggestions = List(help="Usernames the service suggests for the add row.")
    applied = Int(0, help="How many share requests this editor has applied.")

    def __init__(self, client: Any = None, use_case: Any = None, **kwargs: Any) -> None:
        super().__init__(client=client, **kwargs)
        self._follow = use_case is None
        self._rows: dict[str, _Row] = {}
        self._use_case: UseCase | None = None
        self._left = False  # the caller removed themselves
        self._build()
        self.use_case_id = resolve_use_case_id(use_case) or context.get_current_use_case_id()
        self.add_class("ucw-share")
        self._start()

    def _build(self) -> None:
        self.title_html = styled(w.HTML(""), "ucw-share-title")
        self.members_box = styled(w.VBox([]), "ucw-share-members")
        self.user_combobox = styled(
            w.Combobox(placeholder="username", ensure_option=False, continuous_update=True),
            "ucw-share-user",
            width="260px",
        )
        self.role_dropdown = styled(
            w.Dropdown(options=list(ROLES), value="CONSUMER"), "ucw-share-role", width="130px"
        )
        self.can_share_checkbox = styled(
            w.Checkbox(description="can share", indent=False), "ucw-share-can-share", width="110px"
        )
        self.add_button = button("Add", "ucw-share-add", icon="user-plus")
        self.add_box = styled(
            w.HBox(
                [self.user_combobox, self.role_dropdown, self.can_share_checkbox, self.add_button],
                layout=w.Layout(align_items="center"),
            ),
            "ucw-share-add-row",
        )
        self.pending_html = styled(w.HTML(""), "ucw-share-pending")
        self.apply_button = button("Apply", "ucw-share-apply", icon="check", style="primary")
        self.discard_button = button("Discard changes", "ucw-share-discard")
        self.refresh_button = button(
            "", "ucw-share-refresh", icon="refresh", tooltip="Reload the members"
        )
        self.children = [
            self.style_html,
            self.title_html,
            self.members_box,
            self.add_box,
            self.pending_html,
            self.message_html,
            self.retry_button,
            w.HBox([self.apply_button, self.discard_button, self.refresh_button]),
        ]
        self.add_class("ucw-card")
        self.user_combobox.observe(self._on_user_combobox_change, "value")
        self.role_dropdown.observe(self._on_role_dropdown_change, "value")
        self.add_button.on_click(self._on_add_button_click)
        self.apply_button.on_click(self._on_apply_button_click)
        self.discard_button.on_click(self._on_discard_button_click)
        self.refresh_button.on_click(self._on_refresh_button_click)

    def _buttons(self) -> list[w.Widget]:
        rows = [r.remove_button for r in self._rows.values()]
        return [self.add_button, self.apply_button, self.discard_button, self.refresh_button, *rows]

    # -- public actions (they raise) --------------------------------------------------------
    def refresh(self) -> None:
        """Reload the members and the caller's rights; staged changes are kept."""
        if self._follow:
            self.use_case_id = context.get_current_use_case_id()
        if not self.use_case_id:
            raise ValueError("No use case: pass use_case= or make one current (with uc:).")
        with self._api():
            self._ensure_client()
            use_case = UseCase.get(self.use_case_id)
            members = list(use_case.get_shared_roles())
            me = self._whoami()
        self._use_case = use_case
        mine = next((m for m in members if me is not None and m.id == me), None)
        with self.hold_trait_notifications():
            self.use_case_name = use_case.name
            self.my_id = me
            self.my_role = mine.role.value if mine is not None else None
            self.my_can_share = bool(mine.can_share) if mine is not None else me is None
            self.members = members

    def set_role(self, member: str, role: str) -> None:
        """Stage a new role for a member (user id, username, or a staged 'new:' key)."""
        key = self._key(member)
        self._stage(key, role=role)

    def set_can_share(self, member: str, can_share: bool) -> None:
        """Stage a change of a member's right to share."""
        self._stage(self._key(member), can_share=bool(can_share))

    def toggle_remove(self, member: str) -> None:
        """Stage removing a member (NO_ROLE), or undo that; a staged new member is dropped."""
        key = self._key(member)
        changes = dict(self.changes)
        if key.startswith("new:"):
            changes.pop(key, None)
        elif changes.get(key, {}).get("role") == "NO_ROLE":
            current = self._member(key)
            changes[key] = {**changes[key], "role": current.role.value}
            changes = _without_noops(changes, self._current())
        else:
            self._stage(key, role="NO_ROLE")
            return
        self.changes = changes

    def add_member(self, username: str, role: str = "CONSUMER", can_share: bool = False) -> None:
        """Stage a new member by username (an existing member's row changes instead)."""
        username = username.strip()
        if not username:
            raise ValueError("Type the username of the person to add.")
        existing = next((m for m in self.members if m.username == username), None)
        if existing is not None:
            self._stage(existing.id, role=role, can_share=can_share)
            return
        changes = dict(self.changes)
        changes[f"new:{username}"] = {
            "role": role,
            "can_share": can_share or role == "OWNER",
            "id": None,
            "username": username,
        }
        self.changes = changes

    def discard(self) -> None:
        """Forget every staged change."""
        self.changes = {}

    def share(self, roles: list[SharingRole] | None = None) -> int:
        """Send the staged changes (or ``roles``) as one batched share; return how many.

        Raises the service's error (for example ``Conflict`` for the last OWNER, ``Forbidden``
        for a grant above the caller's role); nothing is applied then and the changes stay.
        """
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
        if self._use_case is None:
            self.refresh()
        assert self._use_case is not None
        with self._api():
            self._use_case.share(roles)
        self.changes = {}
        if any(r.role.value == "NO_ROLE" and r.id and r.id == self.my_id for r in roles):
            # The caller left: the use case is no longer theirs to read.
            self._left = True
            with self.hold_trait_notifications():
                self.members, self.my_role, self.my_can_share = [], None, False
            self.applied += 1
            self.notice = f"You left {self.use_case_name}."
            return len(roles)
        self.refresh()
        self.applied += 1
        self.notice = f"Applied {len(roles)} change{'s' * (len(roles) != 1)}."
        return len(roles)

    def suggest(self, prefix: str) -> list[str]:
        """Usernames matching ``prefix``, from the service (for the add row's completion)."""
        if not prefix.strip():
            return []
        with self._api():
            found = [u.username for u in UseCaseUser.search(prefix.strip(), limit=8) if u.username]
        self.suggestions = found
        return found

    # -- staging helpers --------------------------------------------------------------------
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
        raise ValueError(f"{member!r} is not a member of this use case.")

    def _stage(self, key: str, **edit: Any) -> None:
        current = self._current()
        base = self.changes.get(key) or current.get(key)
        if base is None:
            raise ValueError(f"{key!r} is not a member of this use case.")
        entry = {**base, **edit}
        if entry["role"] == "OWNER":
            entry["can_share"] = True  # an OWNER always may share
        self.changes = _without_noops({**self.changes, key: entry}, current)

    def _whoami(self) -> str | None:
        if not hasattr(self, "_me"):
            try:
                self._me: str | None = UseCaseUser.me().id
            except NotSupported:
                self._me = None
        return self._me

    # -- events -----------------------------------------------------------------------------
    def _on_user_combobox_change(self, change: Any) -> None:
        try:
            self.suggest(change["new"])
        except EXPECTED as exc:
            self.error = f"No suggestions: {exc}"

    def _on_role_dropdown_change(self, change: Any) -> None:
        if not quiet(change):
            self._render()

    def _on_add_button_click(self, _: Any) -> None:
        try:
            self.add_member(
                self.user_combobox.value,
                self.role_dropdown.value or "CONSUMER",
                self.can_share_checkbox.value,
            )
        except ValueError as exc:
            self.error = str(exc)
            return
        self.user_combobox.value = ""
        self.error = ""

    def _on_apply_button_click(self, _: Any) -> None:
        self._attempt(self.share)

    def _on_discard_button_click(self, _: Any) -> None:
        self.discard()

    def _on_refresh_button_click(self, _: Any) -> None:
        self._attempt(self.refresh)

    # -- rendering --------------------------------------------------------------------------
    @observe("members", "changes", "my_role", "my_can_share", "suggestions", "use_case_name")
    def _render(self, change: Any = None) -> None:
        self.title_html.value = (
            f"<span class='ucw-title'>Sharing</span> "
            f"<span class='ucw-muted'>{text(self.use_case_name)}</span>"
        )
        keys = [m.id for m in self.members if m.id] + [
            k for k in self.changes if k.startswith("new:")
        ]
        for key in list(self._rows):
            if key not in keys:
                row = self._rows.pop(key)
                row.box.close()
        for key in keys:
            if key not in self._rows:
                self._rows[key] = _Row(self, key)
            self._render_row(self._rows[key], key)
        self.members_box.children = [self._rows[k].box for k in keys]
        allowed = [] if self._left else grant_roles(self.my_role, self.my_can_share)
        self.user_combobox.options = list(self.suggestions)
        role = (
            self.role_dropdown.value
            if self.role_dropdown.value in allowed
            else (allowed[-1] if allowed else None)
        )
        set_options(self.role_dropdown, [(r, r) for r in allowed], role)
        owner = role == "OWNER"
        self.can_share_checkbox.value = self.can_share_checkbox.value or owner
        for control in (self.user_combobox, self.role_dropdown):
            control.disabled = not allowed
        self.can_share_checkbox.disabled = not allowed or owner
        enable(self.add_button, bool(allowed), self.busy)
        enable(self.apply_button, bool(self.changes), self.busy)
        enable(self.discard_button, bool(self.changes), self.busy)
        self.pending_html.value = _pending_text(self.changes, self._current())
        self._render_status()

    def _render_row(self, row: _Row, key: str) -> None:
        new = key.startswith("new:")
        current = None if new else self._current()[key]
        entry = self.changes.get(key) or current
        assert entry is not None
        removing = entry["role"] == "NO_ROLE"
        is_self = key == self.my_id
        roles, can_remove, can_toggle = row_rules(
            self.my_role, self.my_can_share, None if current is None else current["role"], is_self
        )
        shown_role = (current or entry)["role"] if removing else entry["role"]
        options = [r for r in ROLES if r in roles or r == shown_role]
        set_options(row.role_dropdown, [(r, r) for r in options], shown_role)
        row.role_dropdown.disabled = removing or len(options) < 2
        row.can_share_checkbox._ucw_quiet = True
        row.can_share_checkbox.value = bool(entry["can_share"])
        row.can_share_checkbox._ucw_quiet = False
        row.can_share_checkbox.disabled = removing or not can_toggle or shown_role == "OWNER"
        row.remove_button.description = "Undo" if removing else ("Leave" if is_self else "Remove")
        enable(row.remove_button, can_remove, self.busy)
        name = entry.get("username") or key
        full = "" if new else self._member(key).user_full_name or ""
        tag = (
            " <span class='ucw-muted'>(you)</span>"
            if is_self
            else " <span class='ucw-muted'>(new)</span>"
            if new
            else ""
        )
        style = "text-decoration: line-through;" if removing else ""
        row.user_label.value = (
            f"<span style='{style}'>{text(name)}</span>{tag}"
            f"<div class='ucw-muted'>{text(full)}</div>"
        )


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


def _pending_text(changes: dict[str, Any], current: dict[str, Any]) -> str:
    if not changes:
        return ""
    lines = []
    for key, entry in changes.items():
        who = text(entry.get("username") or key)
        if entry["role"] == "NO_ROLE":
            lines.append(f"remove {who}")
        elif key not in current:
            lines.append(f"add {who} as {text(entry['role'])}")
        else:
            lines.append(
                f"{who}: {text(current[key]['role'])} → {text(entry['role'])}"
                f"{' (can share)' if entry['can_share'] else ''}"
            )
    items = "".join(f"<li>{line}</li>" for line in lines)
    return f"<div class='ucw-muted'>Not applied yet:<ul>{items}</ul></div>"
