"""``UseCaseBrowser``: find a use case among thousands, see everything in it, and act on it.

The list is one page of ``GET useCases/`` at a time (search and sort run in the service), so the
browser stays fast however many use cases the caller has. The detail panel shows the selected
use case's name, description, counts, members and assets, and opens the asset picker and the
sharing editor inline.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from traitlets import Any as AnyTrait
from traitlets import Bool, Enum, Int, List, Unicode, observe, validate

from ucwidgets import context
from ucwidgets.enums import ROLE_RANK
from ucwidgets.errors import NotSupported
from ucwidgets.models.use_cases.use_case import UseCase, UseCaseUser
from ucwidgets.widgets._common import (
    UseCasePanel,
    button,
    enable,
    quiet,
    replace_children,
    resolve_use_case_id,
    set_options,
    stamp,
    styled,
    text,
    when,
)

__all__ = ["ORDERINGS", "UseCaseBrowser", "browse"]

#: The sort choices of the browser: label -> ``orderBy`` value of ``GET useCases/``.
ORDERINGS = {
    "Recently updated": "-updatedAt",
    "Least recently updated": "updatedAt",
    "Name A-Z": "name",
    "Name Z-A": "-name",
    "Newest": "-createdAt",
    "Oldest": "createdAt",
}
ASSET_TITLES = {
    "dataset": "Datasets",
    "project": "Projects",
    "application": "Applications",
    "notebook": "Notebooks",
}


class UseCaseBrowser(UseCasePanel):
    """Browse, search and sort the caller's use cases; inspect and change the selected one.

    Parameters
    ----------
    client : RESTClientObject, optional
        The connection to use; default: the global client (``ucwidgets.Client()``).
    use_case : UseCase or str, optional
        The use case to select first; default: the current one (``with uc:``, ``%use_case``).
    page_size : int, default 50
        Use cases per page of the list.

    Examples
    --------
    >>> import ucwidgets
    >>> browser = ucwidgets.UseCaseBrowser()  # doctest: +SKIP
    >>> browser.search_input.value = "risk"  # doctest: +SKIP
    >>> browser.selected  # the selected use case's id  # doctest: +SKIP
    '65f0c0ffee0000000000aa01'
    >>> uc.browse()  # the same, opened on one use case  # doctest: +SKIP
    """

    search = Unicode("", help="Text the listed use cases' names or descriptions contain.")
    order_by = Enum(list(ORDERINGS.values()), "-updatedAt", help="The list's sort order.")
    offset = Int(0, help="Index of the first listed use case in the whole result.")
    page_size = Int(50, help="Use cases per page.")
    items = List(help="The use cases on the current page (UseCase objects).")
    total = Int(None, allow_none=True, help="How many use cases match, when the service says.")
    has_more = Bool(False, help="Whether a next page exists.")
    selected = Unicode(None, allow_none=True, help="The selected use case's id, or None.")
    detail = AnyTrait(None, help="The selected UseCase, as last loaded, or None.")
    members = List(help="The selected use case's members (SharingRole objects).")
    assets = List(
        help="The selected use case's assets: dicts entity_type, id, name, created_by, created_at."
    )
    my_role = Unicode(None, allow_none=True, help="The caller's role on the selected use case.")
    leaderboard = AnyTrait(
        None,
        help="The leaderboard shown for one project of the selected use case: a dict with the "
        "project's id, name, metric and modeling status, and its models as a DataFrame.",
    )
    panel = Enum(
        ["", "new", "delete", "picker", "sharing"],
        "",
        help="The inline panel that is open, if any.",
    )

    def __init__(
        self, client: Any = None, use_case: Any = None, page_size: int = 50, **kwargs: Any
    ) -> None:
        super().__init__(client=client, **kwargs)
        self._me: UseCaseUser | None = None
        self._me_known = False
        self._assets_key: Any = None
        self.picker: Any = None  # the AssetPicker, once opened
        self.sharing_editor: Any = None  # the SharingEditor, once opened
        self._build()
        self.page_size = page_size
        self.add_class("ucw-browser")
        start = resolve_use_case_id(use_case) or context.get_current_use_case_id()
        self._render()
        self._attempt(self.refresh)
        if start:
            self.selected = start

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.title_html = styled(w.HTML("<span class='ucw-title'>Use cases</span>"), "ucw-head")
        self.search_input = styled(
            w.Text(placeholder="Search names and descriptions", continuous_update=False),
            "ucw-browser-search",
            width="260px",
        )
        self.order_dropdown = styled(
            w.Dropdown(options=list(ORDERINGS.items()), value="-updatedAt"),
            "ucw-browser-order",
            width="190px",
        )
        self.refresh_button = button(
            "", "ucw-browser-refresh", icon="refresh", tooltip="Reload from the service"
        )
        self.new_button = button("New use case", "ucw-browser-new", icon="plus")
        self.list_select = styled(w.Select(options=[], rows=14), "ucw-browser-list", width="100%")
        self.prev_button = button(
            "", "ucw-browser-prev", icon="chevron-left", tooltip="Previous page"
        )
        self.next_button = button("", "ucw-browser-next", icon="chevron-right", tooltip="Next page")
        self.page_label = styled(w.Label(""), "ucw-browser-page")
        # New use case form
        self.new_name_input = styled(w.Text(placeholder="Name"), "ucw-browser-new-name")
        self.new_description_input = styled(
            w.Text(placeholder="Description (optional)"), "ucw-browser-new-description"
        )
        self.create_button = button("Create", "ucw-browser-create", style="primary")
        self.cancel_new_button = button("Cancel", "ucw-browser-cancel-new")
        self.new_box = styled(
            w.HBox(
                [
                    self.new_name_input,
                    self.new_description_input,
                    self.create_button,
                    self.cancel_new_button,
                ]
            ),
            "ucw-browser-new-form",
        )
        # Detail
        self.empty_html = styled(w.HTML(""), "ucw-browser-empty")
        self.name_input = styled(
            w.Text(description="Name", continuous_update=False), "ucw-browser-name", width="100%"
        )
        self.description_input = styled(
            w.Textarea(description="Description", rows=2), "ucw-browser-description", width="100%"
        )
        self.save_button = button("Save", "ucw-browser-save", icon="check")
        self.counts_html = styled(w.HTML(""), "ucw-browser-counts")
        self.members_html = styled(w.HTML(""), "ucw-browser-members")
        self.assets_box = styled(w.VBox([]), "ucw-browser-assets")
        self.leaderboard_html = styled(w.HTML(""), "ucw-browser-leaderboard")
        self.add_button = button("Add assets", "ucw-browser-add", icon="plus")
        self.share_button = button("Share", "ucw-browser-share", icon="users")
        self.use_button = button(
            "Make current",
            "ucw-browser-use",
            icon="thumb-tack",
            tooltip="Make this the current use case of the notebook",
        )
        self.delete_button = button("Delete", "ucw-browser-delete", icon="trash", style="danger")
        self.confirm_html = styled(w.HTML(""), "ucw-browser-confirm-text")
        self.confirm_delete_button = button(
            "Delete use case", "ucw-browser-confirm-delete", style="danger"
        )
        self.cancel_delete_button = button("Keep it", "ucw-browser-cancel-delete")
        self.confirm_box = styled(
            w.HBox([self.confirm_html, self.confirm_delete_button, self.cancel_delete_button]),
            "ucw-browser-confirm",
        )
        self.inline_box = styled(w.VBox([]), "ucw-browser-inline")
        self.detail_box = styled(
            w.VBox(
                [
                    self.name_input,
                    self.description_input,
                    self.counts_html,
                    self.members_html,
                    self.assets_box,
                    self.leaderboard_html,
                    w.HBox(
                        [
                            self.save_button,
                            self.add_button,
                            self.share_button,
                            self.use_button,
                            self.delete_button,
                        ],
                        layout=w.Layout(margin="8px 0 0 0"),
                    ),
                    self.confirm_box,
                    self.inline_box,
                ]
            ),
            "ucw-browser-detail",
            "ucw-card",
            width="62%",
            margin="0 0 0 10px",
        )
        left = styled(
            w.VBox(
                [
                    self.list_select,
                    w.HBox(
                        [self.prev_button, self.page_label, self.next_button],
                        layout=w.Layout(align_items="center"),
                    ),
                ]
            ),
            "ucw-browser-left",
            width="38%",
        )
        header = w.HBox(
            [
                self.title_html,
                self.search_input,
                self.order_dropdown,
                self.refresh_button,
                self.new_button,
            ],
            layout=w.Layout(align_items="center", grid_gap="8px"),
        )
        self.children = [
            self.style_html,
            header,
            self.new_box,
            self.message_html,
            self.retry_button,
            w.HBox(
                [left, w.VBox([self.empty_html, self.detail_box], layout=w.Layout(width="62%"))]
            ),
        ]
        self.detail_box.layout.width = "100%"
        self.name_input.observe(self._on_name_input_change, "value")
        self.description_input.observe(self._on_description_input_change, "value")
        self.confirm_html.layout.flex = "1 1 auto"
        self.search_input.observe(self._on_search_input_change, "value")
        self.order_dropdown.observe(self._on_order_dropdown_change, "value")
        self.list_select.observe(self._on_list_select_change, "value")
        self.refresh_button.on_click(self._on_refresh_button_click)
        self.prev_button.on_click(self._on_prev_button_click)
        self.next_button.on_click(self._on_next_button_click)
        self.new_button.on_click(self._on_new_button_click)
        self.create_button.on_click(self._on_create_button_click)
        self.cancel_new_button.on_click(self._on_cancel_new_button_click)
        self.save_button.on_click(self._on_save_button_click)
        self.add_button.on_click(self._on_add_button_click)
        self.share_button.on_click(self._on_share_button_click)
        self.use_button.on_click(self._on_use_button_click)
        self.delete_button.on_click(self._on_delete_button_click)
        self.confirm_delete_button.on_click(self._on_confirm_delete_button_click)
        self.cancel_delete_button.on_click(self._on_cancel_delete_button_click)

    def _buttons(self) -> list[w.Widget]:
        rows = [
            b
            for row in self.assets_box.children
            for b in getattr(row, "children", ())
            if isinstance(b, w.Button)
        ]
        return [
            self.refresh_button,
            self.prev_button,
            self.next_button,
            self.new_button,
            self.create_button,
            self.save_button,
            self.add_button,
            self.share_button,
            self.use_button,
            self.delete_button,
            self.confirm_delete_button,
            *rows,
        ]

    # -- public actions (they raise) --------------------------------------------------------
    def refresh(self) -> None:
        """Reload the current page, and the selected use case if any."""
        self._load_page()
        if self.selected:
            self.load(self.selected)

    def _load_page(self) -> None:
        with self._api():
            self._ensure_client()
            listing = UseCase.list(
                search=self.search or None,
                order_by=self.order_by,
                offset=self.offset,
                limit=self.page_size + 1,
            )
        total = getattr(listing, "total_count", None)
        with self.hold_trait_notifications():
            self.items = list(listing[: self.page_size])
            self.has_more = len(listing) > self.page_size
            self.total = total if isinstance(total, int) else None

    def load(self, use_case_id: str) -> UseCase:
        """Load one use case's detail (members, assets, the caller's role) into the panel."""
        with self._api():
            use_case = UseCase.get(use_case_id)
            members = list(use_case.get_shared_roles())
            frame = use_case.assets_frame()
            me = self._whoami()
        assets = [
            {
                "entity_type": row.entity_type,
                "id": row.id,
                "name": row.name,
                "created_by": row.created_by,
                "created_at": _py_time(row.created_at),
            }
            for row in frame.itertuples(index=False)
        ]
        mine = next((m for m in members if me is not None and m.id == me.id), None)
        with self.hold_trait_notifications():
            self.detail = use_case
            self.members = members
            self.assets = assets
            # Not a member shows as NotFound above; an unknown identity (another server) lets
            # the service decide each action.
            self.my_role = mine.role.value if mine is not None else None
        return use_case

    def select(self, use_case: Any) -> None:
        """Select a use case (object or id) and load its detail."""
        use_case_id = resolve_use_case_id(use_case)
        if use_case_id:
            self.load(use_case_id)
        self.selected = use_case_id

    def next_page(self) -> None:
        """Show the next page of the list."""
        if self.has_more:
            self.offset += self.page_size
            self.refresh()

    def previous_page(self) -> None:
        """Show the previous page of the list."""
        if self.offset > 0:
            self.offset = max(0, self.offset - self.page_size)
            self.refresh()

    def create(self, name: str, description: str | None = None) -> UseCase:
        """Create a use case (the caller becomes its OWNER) and select it."""
        with self._api():
            use_case = UseCase.create(name=name, description=description or None)
        self.panel = ""
        self.select(use_case.id)
        self.offset = 0
        self._load_page()
        self.notice = f"Created {use_case.name}."
        return use_case

    def save(self, name: str | None = None, description: str | None = None) -> UseCase:
        """Rename and/or re-describe the selected use case (the inputs' values by default)."""
        use_case = self._require_selected()
        name = self.name_input.value if name is None else name
        description = self.description_input.value if description is None else description
        with self._api():
            updated = use_case.update(name=name, description=description)
        self.refresh()
        self.notice = "Saved."
        return updated

    def remove_asset(self, entity_type: str, entity_id: str) -> None:
        """Unlink one asset from the selected use case (the asset itself stays)."""
        use_case = self._require_selected()
        with self._api():
            use_case.remove(entity_type=entity_type, entity_id=entity_id)
        self.load(use_case.id)

    def show_leaderboard(self, project_id: str | None) -> None:
        """Show a project's leaderboard below the assets (None hides it)."""
        from ucwidgets.models.project import Project

        if project_id is None:
            self.leaderboard = None
            return
        with self._api():
            project = Project.get(project_id)
            frame = project.get_models().to_frame()
        self.leaderboard = {
            "id": project.id,
            "name": project.project_name or project.id,
            "metric": project.metric,
            "status": project.modeling_status,
            "failure": project.failure,
            "models": frame,
        }

    def delete(self) -> None:
        """Delete the selected use case (OWNER only); its assets stay."""
        use_case = self._require_selected()
        with self._api():
            UseCase.delete(use_case.id)
        with self.hold_trait_notifications():
            self.panel = ""
            self.selected = None
            self.detail = None
            self.members = []
            self.assets = []
            self.my_role = None
        self._load_page()
        self.notice = f"Deleted {use_case.name}."

    def open_picker(self) -> Any:
        """Show the asset picker for the selected use case below the detail; return it."""
        from ucwidgets.widgets.picker import AssetPicker

        use_case = self._require_selected()
        if self.picker is None or self.picker.use_case_id != use_case.id:
            self.picker = AssetPicker(client=self.client, use_case=use_case.id)
            self.picker.on_close(self._on_picker_close)
        self.panel = "picker"
        return self.picker

    def open_sharing(self) -> Any:
        """Show the sharing editor for the selected use case below the detail; return it."""
        from ucwidgets.widgets.sharing import SharingEditor

        use_case = self._require_selected()
        if self.sharing_editor is None or self.sharing_editor.use_case_id != use_case.id:
            self.sharing_editor = SharingEditor(client=self.client, use_case=use_case.id)
            self.sharing_editor.observe(self._on_sharing_editor_applied, "applied")
        self.panel = "sharing"
        return self.sharing_editor

    # -- events -----------------------------------------------------------------------------
    @validate("page_size")
    def _valid_page_size(self, proposal: Any) -> int:
        size = int(proposal["value"])
        if not 1 <= size <= 1000:
            raise ValueError("page_size must be between 1 and 1000")
        return size

    @observe("selected")
    def _on_selected_change(self, change: Any) -> None:
        self.leaderboard = None
        if change["new"] and (self.detail is None or self.detail.id != change["new"]):
            if self.panel in ("picker", "sharing", "delete"):
                self.panel = ""
            self._attempt(self.load, change["new"])

    def _on_name_input_change(self, change: Any) -> None:
        self._render_save()

    def _on_description_input_change(self, change: Any) -> None:
        self._render_save()

    def _render_save(self) -> None:
        """Save is enabled for editors once the name or description differs from the service."""
        uc = self.detail
        changed = uc is not None and (
            self.name_input.value != uc.name
            or self.description_input.value != (uc.description or "")
        )
        enable(self.save_button, changed and not self.name_input.disabled, self.busy)

    def _on_search_input_change(self, change: Any) -> None:
        self.search = change["new"].strip()

    def _on_order_dropdown_change(self, change: Any) -> None:
        self.order_by = change["new"]

    @observe("search", "order_by")
    def _on_query_change(self, change: Any) -> None:
        self.offset = 0
        self._attempt(self.refresh)

    def _on_list_select_change(self, change: Any) -> None:
        if change["new"] and not quiet(change):
            self.selected = change["new"]

    def _on_refresh_button_click(self, _: Any) -> None:
        self._attempt(self.refresh)

    def _on_prev_button_click(self, _: Any) -> None:
        self._attempt(self.previous_page)

    def _on_next_button_click(self, _: Any) -> None:
        self._attempt(self.next_page)

    def _on_new_button_click(self, _: Any) -> None:
        self.panel = "" if self.panel == "new" else "new"

    def _on_create_button_click(self, _: Any) -> None:
        if (
            self._attempt(self.create, self.new_name_input.value, self.new_description_input.value)
            is not None
        ):
            self.new_name_input.value = self.new_description_input.value = ""

    def _on_cancel_new_button_click(self, _: Any) -> None:
        self.panel = ""

    def _on_save_button_click(self, _: Any) -> None:
        self._attempt(self.save)

    def _on_add_button_click(self, _: Any) -> None:
        if self.panel == "picker":
            self.panel = ""
        else:
            self._attempt(self.open_picker)

    def _on_share_button_click(self, _: Any) -> None:
        if self.panel == "sharing":
            self.panel = ""
        else:
            self._attempt(self.open_sharing)

    def _on_use_button_click(self, _: Any) -> None:
        use_case = self._require_selected()
        context.set_current_use_case(use_case)
        self.notice = f"{use_case.name} is now the current use case."

    def _on_delete_button_click(self, _: Any) -> None:
        self.panel = "delete"

    def _on_confirm_delete_button_click(self, _: Any) -> None:
        self._attempt(self.delete)

    def _on_cancel_delete_button_click(self, _: Any) -> None:
        self.panel = ""

    def _on_leaderboard_button_click(self, b: w.Button) -> None:
        project_id = b._ucw_asset[1]  # type: ignore[attr-defined]
        shown = self.leaderboard is not None and self.leaderboard["id"] == project_id
        self._attempt(self.show_leaderboard, None if shown else project_id)

    def _on_remove_button_click(self, b: w.Button) -> None:
        entity_type, entity_id = b._ucw_asset  # type: ignore[attr-defined]
        self._attempt(self.remove_asset, entity_type, entity_id)

    def _on_picker_close(self, picker: Any) -> None:
        self.panel = ""
        if picker.added and self.selected:
            self._attempt(self.load, self.selected)
            self.notice = f"Added {len(picker.added)} asset(s)."

    def _on_sharing_editor_applied(self, change: Any) -> None:
        if self.selected:
            self._attempt(self.load, self.selected)

    # -- rendering --------------------------------------------------------------------------
    @observe(
        "items",
        "total",
        "has_more",
        "offset",
        "selected",
        "detail",
        "members",
        "assets",
        "my_role",
        "panel",
        "leaderboard",
    )
    def _render(self, change: Any = None) -> None:
        ids = [uc.id for uc in self.items]
        set_options(
            self.list_select,
            [(_list_label(uc), uc.id) for uc in self.items],
            self.selected if self.selected in ids else None,
        )
        self.page_label.value = _page_text(self.offset, len(self.items), self.total, self.has_more)
        self.prev_button._ucw_off = self.offset == 0  # type: ignore[attr-defined]
        self.next_button._ucw_off = not self.has_more  # type: ignore[attr-defined]
        self.new_box.layout.display = "" if self.panel == "new" else "none"
        uc = self.detail if self.selected and self.detail is not None else None
        self.detail_box.layout.display = "none" if uc is None else ""
        self.empty_html.value = _empty_text(bool(self.items), self.search) if uc is None else ""
        if uc is not None:
            self._render_detail(uc)
        self._render_status()

    def _render_detail(self, uc: UseCase) -> None:
        rank = ROLE_RANK.get(self.my_role or "", 0)
        unknown = self.my_role is None  # another server: let the service decide
        can_edit, is_owner = unknown or rank >= 2, unknown or rank >= 3
        self.name_input.value = uc.name
        self.description_input.value = uc.description or ""
        for control in (self.name_input, self.description_input):
            control.disabled = not can_edit
        self._render_save()
        self.save_button.layout.display = "" if can_edit else "none"
        self.add_button.layout.display = "" if can_edit else "none"
        self.delete_button.layout.display = "" if is_owner else "none"
        self.counts_html.value = _counts_html(uc, self.my_role, len(self.members))
        self.members_html.value = _members_html(self.members)
        self.leaderboard_html.value = _leaderboard_html(self.leaderboard)
        key = (id(self.assets), can_edit)
        if key != self._assets_key:
            self._assets_key = key
            replace_children(self.assets_box, self._asset_rows(can_edit))
        self.confirm_box.layout.display = "" if self.panel == "delete" else "none"
        self.confirm_html.value = (
            f"Delete <b>{text(uc.name)}</b>? Its assets stay; members lose access."
        )
        inline = {"picker": self.picker, "sharing": self.sharing_editor}.get(self.panel)
        self.inline_box.children = (inline,) if inline is not None else ()

    def _asset_rows(self, can_edit: bool) -> list[w.Widget]:
        rows: list[w.Widget] = []
        for kind, title in ASSET_TITLES.items():
            group = [a for a in self.assets if a["entity_type"] == kind]
            if not group:
                continue
            rows.append(w.HTML(f"<div class='ucw-section'>{text(title)} ({len(group)})</div>"))
            for asset in group:
                who = f"by {asset['created_by']}" if asset["created_by"] else ""
                info = styled(
                    w.HTML(
                        f"<span title='{text(stamp(asset['created_at']))}' class='ucw-muted'>"
                        f"{text(who)} · {text(when(asset['created_at']))}</span>"
                    ),
                    "ucw-asset-info",
                    flex="1 1 auto",
                )
                name = styled(w.Label(asset["name"] or asset["id"]), "ucw-asset-name", width="40%")
                row = [name, info]
                if kind == "project":
                    row.append(
                        _asset_button(
                            "Leaderboard",
                            "ucw-browser-leaderboard-toggle",
                            "trophy",
                            f"Show the models of {asset['name']}",
                            asset,
                            self._on_leaderboard_button_click,
                        )
                    )
                if can_edit:
                    row.append(
                        _asset_button(
                            "Remove",
                            "ucw-browser-remove",
                            "times",
                            f"Remove {asset['name']} from this use case",
                            asset,
                            self._on_remove_button_click,
                        )
                    )
                rows.append(
                    styled(w.HBox(row, layout=w.Layout(align_items="center")), "ucw-browser-asset")
                )
        if not rows:
            rows.append(w.HTML("<span class='ucw-muted'>No assets yet.</span>"))
        return rows

    def _require_selected(self) -> UseCase:
        if not self.selected or self.detail is None or self.detail.id != self.selected:
            raise ValueError("Select a use case first.")
        return self.detail

    def _whoami(self) -> UseCaseUser | None:
        if not self._me_known:
            try:
                self._me = UseCaseUser.me()
            except NotSupported:
                self._me = None
            self._me_known = True
        return self._me


def browse(use_case: Any = None, client: Any = None, **kwargs: Any) -> UseCaseBrowser:
    """Open a :class:`UseCaseBrowser` on ``use_case`` (what ``UseCase.browse()`` calls).

    Examples
    --------
    >>> from ucwidgets.widgets.browser import browse
    >>> browse(uc)  # doctest: +SKIP
    """
    return UseCaseBrowser(client=client, use_case=use_case, **kwargs)


def _asset_button(
    label: str, css: str, icon: str, tooltip: str, asset: dict, handler: Any
) -> w.Button:
    """A button on one asset's row; its handler reads the asset from ``_ucw_asset``."""
    b = button(label, css, icon=icon, tooltip=tooltip)
    b._ucw_asset = (asset["entity_type"], asset["id"])  # type: ignore[attr-defined]
    b.on_click(handler)
    return b


def _py_time(value: Any) -> Any:
    """A pandas Timestamp as a datetime; NaT/None as None."""
    if value is None or value != value:
        return None
    return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value


def _list_label(uc: UseCase) -> str:
    assets = uc.datasets_count + uc.projects_count + uc.applications_count + uc.notebooks_count
    updated = when(uc.updated_at)
    return f"{uc.name}   ·  {assets} asset{'s' * (assets != 1)}  ·  {updated}"


def _page_text(offset: int, shown: int, total: int | None, has_more: bool) -> str:
    if shown == 0:
        return "No use cases" if offset == 0 else "No more use cases"
    span = f"{offset + 1:,}-{offset + shown:,}"
    if total is not None:
        return f"{span} of {total:,}"
    return f"{span}{' of more' if has_more else ''}"


def _empty_text(has_items: bool, search: str) -> str:
    if search and not has_items:
        message = f"No use case matches “{text(search)}”."
    elif not has_items:
        message = "You have no use cases yet: create one with “New use case”."
    else:
        message = "Select a use case to see its assets, members and activity."
    return f"<div class='ucw-card ucw-muted'>{message}</div>"


def _counts_html(uc: UseCase, my_role: str | None, members: int) -> str:
    parts = [
        (uc.datasets_count, "dataset"),
        (uc.projects_count, "project"),
        (uc.applications_count, "application"),
        (uc.notebooks_count, "notebook"),
        (members, "member"),
    ]
    counts = " · ".join(f"<b>{n}</b> {label}{'s' * (n != 1)}" for n, label in parts)
    role = f"your role: {text(my_role)} · " if my_role else ""
    updated = uc.updated.username if uc.updated else ""
    return (
        f"<div>{counts}</div><div class='ucw-muted' title='{text(stamp(uc.updated_at))}'>"
        f"{role}updated {text(when(uc.updated_at))} by {text(updated)}</div>"
    )


def _leaderboard_html(board: dict | None) -> str:
    """A project's models, best first on its metric, as an escaped table."""
    if board is None:
        return ""
    title = f"<div class='ucw-section'>Leaderboard · {text(board['name'])}</div>"
    models = board["models"]
    if board["status"] == "failed":
        return f"{title}<div class='ucw-error'>Modeling failed: {text(board['failure'])}</div>"
    if models.empty:
        state = board["status"] or "not started"
        return f"{title}<div class='ucw-muted'>No models yet (modeling: {text(state)}).</div>"
    metric = (board["metric"] or "").lower().replace(" ", "_")
    columns = {"model_type": "Model"}
    for part, label in (
        ("validation", "Validation"),
        ("cross_validation", "Cross-validation"),
        ("holdout", "Holdout"),
    ):
        if f"{metric}_{part}" in models:
            columns[f"{metric}_{part}"] = f"{board['metric']} · {label}"
    table = models[list(columns)].rename(columns=columns)
    # pandas escapes every cell and header: model and metric names stay text.
    html = table.to_html(
        index=False,
        classes="ucw-table",
        float_format="{:.4f}".format,
        na_rep="-",
        border=0,
        escape=True,
    )
    note = (
        ""
        if board["status"] == "done"
        else (f"<div class='ucw-muted'>Modeling: {text(board['status'] or '')}…</div>")
    )
    return title + html + note


def _members_html(members: list[Any]) -> str:
    rows = "".join(
        f"<tr><td>{text(m.username or m.id)}</td><td class='ucw-muted'>"
        f"{text(m.user_full_name or '')}</td><td>{text(m.role.value)}</td>"
        f"<td class='ucw-muted'>{'can share' if m.can_share else ''}</td></tr>"
        for m in members
    )
    return (
        f"<div class='ucw-section'>Members ({len(members)})</div>"
        f"<table class='ucw-table'>{rows}</table>"
    )
