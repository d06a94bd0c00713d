"""``UseCaseBrowser``: find a use case among thousands, see everything in it, and act on it.

The browser composes four parts, each an anywidget with one job: :class:`UseCaseList` (the
table), :class:`UseCaseDetail` (the opened use case), :class:`Leaderboard` (a project's models)
and :class:`TrashView` (what you may restore, shown in the list's place). It adds what spans
them: who you are signed in as, a new use case, the current use case of the notebook, and the
"Shared with me" view of assets shared with you individually.
Its traits of earlier versions (``search``, ``selected``, ``detail``, ...) stay, linked to the
parts' own.
"""

from __future__ import annotations

import time
from concurrent.futures import Future
from typing import Any

from anywidget import WidgetTrait
from traitlets import Any as AnyTrait
from traitlets import Bool, Enum, Int, List, Unicode, link, observe

from ucwidgets import context
from ucwidgets.models.use_cases.use_case import UseCase
from ucwidgets.widgets._common import action, resolve_use_case_id, use_case_or_current
from ucwidgets.widgets._parts import UseCaseWidget
from ucwidgets.widgets.detail import ASSET_KINDS, UseCaseDetail, asset_row, flag
from ucwidgets.widgets.leaderboard import Leaderboard
from ucwidgets.widgets.list import ORDERINGS, UseCaseList
from ucwidgets.widgets.trash import TrashView

__all__ = ["ORDERINGS", "UseCaseBrowser", "browse"]

#: Browser trait -> (part, the part's trait) it is linked to.
LINKS = {
    "search": ("list_view", "search"),
    "order_by": ("list_view", "order_by"),
    "filter": ("list_view", "filter"),
    "offset": ("list_view", "offset"),
    "page_size": ("list_view", "page_size"),
    "items": ("list_view", "items"),
    "total": ("list_view", "total"),
    "has_more": ("list_view", "has_more"),
    "selected": ("list_view", "selected"),
    "detail": ("detail_view", "use_case"),
    "members": ("detail_view", "members"),
    "assets": ("detail_view", "assets"),
    "my_role": ("detail_view", "my_role"),
    "panel": ("detail_view", "panel"),
    "leaderboard": ("leaderboard_view", "board"),
}


class UseCaseBrowser(UseCaseWidget):
    """Browse, search and sort the caller's use cases; inspect and change the opened one.

    Parameters
    ----------
    use_case : UseCase or str, optional
        The use case to open first; default: the current one (``with uc:``, ``%use_case``).
    page_size : int, default 50
        Use cases per page of the list.

    Examples
    --------
    >>> import ucwidgets
    >>> browser = ucwidgets.UseCaseBrowser()  # doctest: +SKIP
    >>> browser.search = "risk"  # what typing in the search box does  # doctest: +SKIP
    >>> browser.selected  # the opened use case's id  # doctest: +SKIP
    '65f0c0ffee0000000000aa01'
    >>> uc.browse()  # the same, opened on one use case  # doctest: +SKIP
    """

    _module = "browser.js"

    list_view = WidgetTrait().tag(sync=True)
    detail_view = WidgetTrait().tag(sync=True)
    leaderboard_view = WidgetTrait().tag(sync=True)
    trash_view = WidgetTrait().tag(sync=True)
    signed_in_as = Unicode("", help="Who the service says you are: username (full name).").tag(
        sync=True
    )
    view = Enum(
        ["use_cases", "shared", "trash"],
        "use_cases",
        help="'shared' while the list's filter is 'Shared with me': the assets shared with you by "
        "themselves show under the list too; 'trash': the Trash view instead of the list.",
    ).tag(sync=True)
    shared_rows = List(
        help="Assets shared with you individually: asset_row's dicts, with rows and can_share."
    ).tag(sync=True)
    current = Unicode(None, allow_none=True, help="The notebook's current use case id.").tag(
        sync=True
    )
    # Linked to the parts (LINKS); kept for code written against earlier versions.
    search = Unicode("", help="Text the listed use cases' names or descriptions contain.")
    order_by = Unicode("-updatedAt", help="The list's sort order.")
    filter = Unicode("all", help="all, mine or shared.")
    offset = Int(0, help="Index of the first listed use case in the whole result.")
    page_size = Int(50, help="Use cases per page.")
    items = List(help="The use cases on the current page (UseCase objects).")
    total = Int(None, allow_none=True, help="How many use cases match.")
    has_more = Bool(False, help="Whether a next page exists.")
    selected = Unicode(None, allow_none=True, help="The opened use case's id, or None.")
    detail = AnyTrait(None, help="The opened UseCase, as last loaded, or None.")
    members = List(help="The opened use case's members (SharingRole objects).")
    assets = List(help="The opened use case's assets: dicts entity_type, id, name, ...")
    my_role = Unicode(None, allow_none=True, help="The caller's role on the opened use case.")
    panel = Unicode("", help="The inline panel that is open: new, delete, picker or sharing.")
    leaderboard = AnyTrait(None, help="The project leaderboard shown (Leaderboard.board).")

    def __init__(
        self, client: Any = None, use_case: Any = None, page_size: int = 50, **kwargs: Any
    ) -> None:
        parts = {
            "list_view": UseCaseList(client=client, page_size=page_size),
            "detail_view": UseCaseDetail(client=client),
            "leaderboard_view": Leaderboard(client=client),
            "trash_view": TrashView(client=client),
        }
        self._parts = tuple(parts.values())
        super().__init__(client=client, page_size=page_size, **parts, **kwargs)
        # The part is the source: a part that loaded before the links exist keeps what it loaded.
        self._links = [link((parts[p], t), (self, name)) for name, (p, t) in LINKS.items()]
        for part in self._parts:
            part.observe(self._on_part_errors, "error")
        self._on_part_errors(None)  # a part may have failed before the browser listened
        self.detail_view.observe(self._on_preview, "preview")
        self.detail_view.observe(self._on_detail_closed, "use_case_id")
        self.detail_view.observe(self._on_detail_info, "info")
        self.trash_view.observe(self._on_restored, "restored")
        self.detail_view.observe(self._on_tag_clicked, "tag_filter")
        self.add_class("ucw-browser")
        start = use_case_or_current(use_case)
        if start:
            self.selected = start

    @property
    def parts(self) -> tuple[UseCaseWidget, ...]:
        """The list, the detail, the leaderboard and the trash."""
        return self._parts

    @property
    def picker(self) -> Any:
        """The AssetPicker, once opened."""
        return self.detail_view.picker

    @property
    def sharing_editor(self) -> Any:
        """The SharingEditor, once opened."""
        return self.detail_view.sharing_editor

    @property
    def client(self) -> Any:
        """The connection of the browser and all its parts (one identity for all)."""
        return self._client

    @client.setter
    def client(self, value: Any) -> None:
        self._client = value
        for part in self._parts:
            part.client = value

    # -- public actions (they raise) --------------------------------------------------------
    def load(self, use_case_id: str | None = None) -> UseCase | None:
        """Load who you are; with ``use_case_id``, that use case's detail into the panel."""
        if use_case_id:
            return self.detail_view.load(use_case_id)
        self.signed_in_as = _who(self.whoami())
        self.current = context.get_current_use_case_id()
        return None

    @action("refresh")
    def refresh(self) -> None:
        """Reload who you are, the current page, the opened use case and the shared view."""
        self.load()
        self.list_view.refresh()
        if self.selected:
            self.detail_view.load(self.selected)
        if self.view == "shared":
            self.load_shared()
        if self.view == "trash":
            self.trash_view.load()

    def wait(self, timeout: float = 30.0) -> None:
        """Block until neither the browser nor any of its parts has a request running."""
        deadline = time.monotonic() + timeout
        while True:
            for panel in (self, *self._parts):
                UseCaseWidget.wait(panel, max(0.1, deadline - time.monotonic()))
            if not any(p._tasks for p in (self, *self._parts)):
                return

    def close(self) -> None:
        """Close the browser and its parts (they stop following the live events)."""
        for part in getattr(self, "_parts", ()):  # () when __init__ failed (Widget.__del__)
            part.close()
        super().close()

    def retry(self, control: str) -> Future | None:
        """Retry ``control`` here and in every part where it failed (what Retry does)."""
        for part in self._parts:
            if control in part.errors:
                part.retry(control)
        return super().retry(control)

    def select(self, use_case: Any) -> None:
        """Open a use case (object or id) and load its detail."""
        use_case_id = resolve_use_case_id(use_case)
        if use_case_id:
            self.load(use_case_id)
        self.selected = use_case_id

    def next_page(self) -> None:
        """Show the next page of the list."""
        self.list_view.next_page()

    def previous_page(self) -> None:
        """Show the previous page of the list."""
        self.list_view.previous_page()

    @action("create")
    def create(self, name: str, description: str | None = None) -> UseCase:
        """Create a use case (the caller becomes its OWNER) and open it."""
        with self.api():
            use_case = UseCase.create(name=name, description=description or None)
        self.panel = ""
        self.select(use_case.id)
        self.list_view.offset = 0
        self.list_view.refresh()
        self.notice = f"Created {use_case.name}."
        return use_case

    def save(self, name: str | None = None, description: str | None = None) -> UseCase:
        """Rename and/or re-describe the opened use case (the detail's drafts by default)."""
        updated = self.detail_view.save(name, description)
        self.list_view.refresh()
        return updated

    def remove_asset(self, entity_type: str, entity_id: str) -> None:
        """Unlink one asset from the opened use case (the asset itself stays)."""
        self.detail_view.remove_asset(entity_type, entity_id)

    def show_leaderboard(self, project_id: str | None) -> None:
        """Show a project's leaderboard beside the detail (None hides it)."""
        self.leaderboard_view.show(project_id)

    def delete(self) -> None:
        """Delete the opened use case (its OWNERs may); its assets stay."""
        self.detail_view.delete()
        self.selected = None
        self.list_view.refresh()

    def open_picker(self) -> Any:
        """Show the asset picker for the opened use case; return it."""
        return self.detail_view.open_picker()

    def open_sharing(self) -> Any:
        """Show the sharing editor for the opened use case; return it."""
        return self.detail_view.open_sharing()

    @action("use")
    def make_current(self) -> None:
        """Make the opened use case the notebook's current one (``%use_case`` does the same)."""
        use_case = self.detail_view._require()
        context.set_current_use_case(use_case)
        self.current = use_case.id
        self.notice = f"{use_case.name} is now the current use case."

    @action("view")
    def show_view(self, view: str) -> None:
        """Show what is shared with you (``"shared"``: the filter "Shared with me", with the
        assets shared with you by themselves), every use case (``"use_cases"``), or the trash
        (``"trash"``: what you may restore or purge, loaded fresh)."""
        if view not in ("use_cases", "shared", "trash"):
            raise ValueError(f"no view {view!r}: use_cases, shared or trash")
        if view == "trash":
            self.view = "trash"
            self.trash_view.load()
            return
        self.filter = "shared" if view == "shared" else "all"
        self.view = view

    def load_shared(self) -> list[dict[str, Any]]:
        """Load the assets shared with you individually (``Dataset.list(shared_with_me=True)``)."""
        rows = []
        with self.api():
            for kind, cls in ASSET_KINDS.items():
                # use_cases=[]: every one shared with the caller, whatever use case is current
                for obj in cls.list(use_cases=[], shared_with_me=True):
                    rows.append(_shared_row(kind, obj))
        self.shared_rows = rows
        return rows

    # -- wiring -----------------------------------------------------------------------------
    @observe("filter")
    def _on_filter_change(self, change: Any) -> None:
        self.view = "shared" if change["new"] == "shared" else "use_cases"
        if self.view == "shared":
            self.run("view", self.load_shared, spinner=False)

    @observe("selected")
    def _on_selected_change(self, change: Any) -> None:
        self.leaderboard_view.show(None)
        self.detail_view.use_case_id = change["new"]

    def _on_detail_closed(self, change: Any) -> None:
        if change["new"] is None and self.selected is not None:  # deleted, or closed
            self.selected = None
            self.list_view.run("pager", self.list_view.refresh)

    def _on_detail_info(self, change: Any) -> None:
        info = change["new"] or {}
        row = next((r for r in self.list_view.rows if r["id"] == self.selected), None)
        if row and (row["name"], row["description"]) != (info.get("name"), info.get("description")):
            self.list_view.run("pager", self.list_view.refresh, spinner=False)  # renamed

    def _on_restored(self, change: Any) -> None:
        # Back in the list; a restored use case opens beside the trash, assets and members shown.
        self.list_view.run("pager", self.list_view.refresh, spinner=False)
        restored = change["new"] or {}
        if restored.get("entity_type") == "useCase" and self.selected != restored["id"]:
            self.selected = restored["id"]
        elif self.selected:
            self.detail_view.run("panel", self.detail_view.load, self.selected, spinner=False)

    def _on_tag_clicked(self, change: Any) -> None:
        tag = change["new"]
        if tag and tag not in self.list_view.tags:
            self.list_view.tags = [*self.list_view.tags, tag]
        if tag and self.view == "trash":
            self.show_view("use_cases")

    def _on_preview(self, change: Any) -> None:
        preview = change["new"] or {}
        if preview.get("kind") == "project":
            self.leaderboard_view.project_id = preview["id"]

    @observe("errors")
    def _on_errors_change(self, change: Any) -> None:
        self._on_part_errors(change)

    def _on_part_errors(self, change: Any) -> None:
        # For Python callers, every failure in one line; each part shows its own on screen.
        messages = [e["message"] for p in (self, *self._parts) for e in p.errors.values()]
        self.error = "; ".join(messages)


def browse(use_case: Any = None, client: Any = None, **kwargs: Any) -> UseCaseBrowser:
    """Open a :class:`UseCaseBrowser` on ``use_case`` (what ``UseCase.browse()`` calls).

    Examples
    --------
    >>> from ucwidgets.widgets.browser import browse
    >>> browse(uc)  # doctest: +SKIP
    """
    return UseCaseBrowser(client=client, use_case=use_case, **kwargs)


def _who(me: Any) -> str:
    if me is None:
        return ""
    name = me.username or me.id
    return f"{name} ({me.full_name})" if me.full_name and me.full_name != name else name


def _shared_row(kind: str, obj: Any) -> dict[str, Any]:
    row = asset_row(kind, obj)
    row["rows"] = getattr(obj, "row_count", None)
    row["can_share"] = flag(obj, "can_share")
    return row
