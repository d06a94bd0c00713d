"""``UseCaseDetail``: one use case: its name and description, members, assets, and what to do.

Edits live in the ``drafts`` trait (``"name"``, ``"description"``) and a reload never overwrites
a field the user changed, so an unsaved rename survives opening the sharing editor or a refresh.
Controls follow the rights the service returns with each object (``can_edit``, ``can_share``,
``can_delete``); this module knows no role rule. It follows the live events: a teammate's change
to the use case reloads it with no click (drafts stay), and a deletion elsewhere sets ``gone``
("Deleted by bob"), which turns the actions off and keeps the unsaved edits on screen.
"""

from __future__ import annotations

from typing import Any

from anywidget import WidgetTrait
from traitlets import Any as AnyTrait
from traitlets import Bool, Dict, Enum, List, Unicode, observe

from ucwidgets.models._base import user_label
from ucwidgets.models.application import Application
from ucwidgets.models.dataset import Dataset
from ucwidgets.models.notebook import Notebook
from ucwidgets.models.project import Project
from ucwidgets.models.use_cases.use_case import UseCase
from ucwidgets.widgets._common import action
from ucwidgets.widgets._parts import iso
from ucwidgets.widgets.selection import AssetSelection
from ucwidgets.widgets.tagging import TagEditing

__all__ = ["ASSET_KINDS", "UseCaseDetail", "asset_row", "flag"]

#: Asset kind -> its model class.
ASSET_KINDS: dict[str, Any] = {
    "dataset": Dataset,
    "project": Project,
    "application": Application,
    "notebook": Notebook,
}
PREVIEW_ROWS = 8


def flag(obj: Any, name: str) -> bool:
    """A right the service returned with ``obj``; unknown (another server) lets it decide."""
    value = getattr(obj, name, None)
    return True if value is None else bool(value)


class UseCaseDetail(TagEditing, AssetSelection):
    """The opened use case: edit it, see its members and assets, open or share an asset, and
    remove or move many selected assets at once (:class:`AssetSelection`), edit its tags
    (:class:`TagEditing`).

    Parameters
    ----------
    use_case : UseCase or str, optional
        The use case to show.

    Examples
    --------
    >>> from ucwidgets.widgets.detail import UseCaseDetail
    >>> detail = UseCaseDetail(use_case=uc)  # doctest: +SKIP
    >>> detail.drafts = {"name": "Credit risk"}  # typing in the name field  # doctest: +SKIP
    >>> detail.save()  # doctest: +SKIP
    """

    _module = "detail.js"

    use_case_id = Unicode(None, allow_none=True, help="The shown use case's id, or None.").tag(
        sync=True
    )
    use_case = AnyTrait(None, help="The shown UseCase, as last loaded, or None.")
    info = Dict(
        help="The use case as the front end shows it: name, description, tags, counts, "
        "updated_at, updated_by."
    ).tag(sync=True)
    members = List(help="The use case's members (SharingRole objects).")
    member_rows = List(help="The members for the front end: username, full_name, role.").tag(
        sync=True
    )
    assets = List(help="The assets: dicts entity_type, id, name, created_by, created_at.")
    asset_rows = List(
        help="The assets for the front end, with each one's rights (can_share, can_edit)."
    ).tag(sync=True)
    my_role = Unicode(None, allow_none=True, help="The caller's role on the use case.").tag(
        sync=True
    )
    can_edit = Bool(False, help="The service lets the caller rename and add assets.").tag(sync=True)
    can_share = Bool(False, help="The service lets the caller share the use case.").tag(sync=True)
    can_delete = Bool(False, help="The service lets the caller delete the use case.").tag(sync=True)
    panel = Enum(
        ["", "new", "delete", "picker", "sharing"], "", help="The inline panel that is open."
    ).tag(sync=True)
    inline = WidgetTrait().tag(sync=True)
    preview = Dict(
        help="The opened asset: kind, id, name, and for a dataset its columns (name, dtype) "
        "and first rows, for an application its url, for a notebook its path."
    ).tag(sync=True)

    def __init__(self, client: Any = None, use_case: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("autoload", False)  # setting use_case_id loads it
        super().__init__(client=client, **kwargs)
        self.picker: Any = None
        self.sharing_editor: Any = None
        self.add_class("ucw-detail")
        if use_case is not None:
            self.use_case_id = getattr(use_case, "id", use_case)

    # -- public actions (they raise) --------------------------------------------------------
    @action("panel")
    def refresh(self) -> None:
        """Reload the shown use case (unsaved edits stay)."""
        if self.use_case_id:
            self.load(self.use_case_id)

    def load(self, use_case_id: str | None = None) -> UseCase | None:
        """Load a use case's detail (the shown one by default): members, assets, rights."""
        use_case_id = use_case_id or self.use_case_id
        if not use_case_id:
            return None
        with self.api():
            use_case = UseCase.get(use_case_id)
            members = list(use_case.get_shared_roles())
            assets = [
                (kind, obj) for kind, cls in ASSET_KINDS.items() for obj in _listed(cls, use_case)
            ]
            me = self.whoami()
        mine = next((m for m in members if me is not None and m.id == me.id), None)
        with self.hold_trait_notifications():
            if self.use_case is None or self.use_case.id != use_case.id:
                # unsaved edits and the selection belong to the use case they were made on
                self.drafts, self.chosen, self.move_targets = {}, [], []
                self.tag_suggestions = []
            self.use_case = use_case
            self.use_case_id = use_case.id
            self.members = members
            self.member_rows = [
                {
                    "id": m.id,
                    "username": m.username or m.id,
                    "full_name": m.user_full_name or "",
                    "role": m.role.value,
                    "can_share": bool(m.can_share),
                    "is_self": mine is m,
                }
                for m in members
            ]
            self.assets = [_asset(kind, obj) for kind, obj in assets]
            self.asset_rows = [asset_row(kind, obj) for kind, obj in assets]
            self.my_role = mine.role.value if mine is not None else None
            self.can_edit = flag(use_case, "can_edit")
            self.can_share = flag(use_case, "can_share")
            self.can_delete = flag(use_case, "can_delete")
            self.info = _info(use_case, len(members))
            self.gone = ""
        self.follow_live()
        return use_case

    def clear(self) -> None:
        """Show nothing (after a delete, or Escape)."""
        with self.hold_trait_notifications():
            self.use_case_id = None
            self.use_case = None
            self.members, self.member_rows, self.assets, self.asset_rows = [], [], [], []
            self.my_role, self.info, self.preview, self.drafts = None, {}, {}, {}
            self.chosen, self.move_targets = [], []
            self.panel, self.inline, self.gone = "", None, ""

    def live_use_case(self) -> str | None:
        """The shown use case: the live events about it reload it."""
        return self.use_case_id

    @action("save")
    def save(self, name: str | None = None, description: str | None = None) -> UseCase:
        """Rename and/or re-describe the use case (what the user typed, by default).

        The fields' unsaved text is in ``drafts`` (``"name"``, ``"description"``); a failed save
        keeps it.
        """
        use_case = self._require()
        drafts = self.drafts
        name = drafts.get("name", use_case.name) if name is None else name
        description = (
            drafts.get("description", use_case.description or "")
            if description is None
            else description
        )
        with self.api():
            updated = use_case.update(name=name, description=description)
        self.clear_draft("name")
        self.clear_draft("description")
        self.load(use_case.id)
        self.notice = "Saved."
        return updated

    @action("delete")
    def delete(self) -> None:
        """Delete the use case (the service allows its OWNERs); its assets stay."""
        use_case = self._require()
        with self.api():
            UseCase.delete(use_case.id)
        self.clear()
        self.notice = f"Deleted {use_case.name}."

    @action("assets")
    def remove_asset(self, entity_type: str, entity_id: str) -> None:
        """Unlink one asset from the use case (the asset itself stays)."""
        use_case = self._require()
        with self.api():
            use_case.remove(entity_type=entity_type, entity_id=entity_id)
        if self.preview.get("id") == entity_id:
            self.preview = {}
        self.load(use_case.id)

    @action("assets")
    def open_asset(self, entity_type: str, entity_id: str) -> dict[str, Any]:
        """Open an asset: a dataset's first rows and column types, an application's link, a
        notebook's path (the front end opens it in JupyterLab), a project's leaderboard."""
        cls = ASSET_KINDS[entity_type]
        with self.api():
            obj = cls.get(entity_id)
            preview: dict[str, Any] = {"kind": entity_type, "id": obj.id, "name": _name(obj)}
            if entity_type == "dataset":
                frame = obj.get_as_dataframe(nrows=PREVIEW_ROWS)
                preview["columns"] = [
                    {"name": str(c.get("name")), "dtype": str(c.get("dtype"))}
                    for c in obj._data.get("columns") or []
                ] or [{"name": str(c), "dtype": str(t)} for c, t in frame.dtypes.items()]
                preview["rows"] = frame.astype(object).where(frame.notna(), None).values.tolist()
                preview["row_count"] = obj.row_count
        if entity_type == "application":
            preview["url"] = obj.url or ""
        elif entity_type == "notebook":
            preview["path"] = obj.path or ""
        self.preview = preview
        return preview

    @action("add")
    def open_picker(self) -> Any:
        """Show the asset picker for the use case inline; return it."""
        from ucwidgets.widgets.picker import AssetPicker

        use_case = self._require()
        if self.picker is None or self.picker.use_case_id != use_case.id:
            self.picker = AssetPicker(client=self.client, use_case=use_case.id)
            self.picker.on_close(self._on_picker_close)
        self._show("picker", self.picker)
        return self.picker

    @action("share")
    def open_sharing(self) -> Any:
        """Show the sharing editor for the use case inline; return it."""
        from ucwidgets.widgets.sharing import SharingEditor

        use_case = self._require()
        editor = self.sharing_editor
        if editor is None or editor.use_case_id != use_case.id or editor.asset_id:
            editor = SharingEditor(client=self.client, use_case=use_case.id)
            editor.observe(self._on_shared, "applied")
            self.sharing_editor = editor
        self._show("sharing", editor)
        return editor

    @action("assets")
    def share_asset(self, entity_type: str, entity_id: str) -> Any:
        """Show the sharing editor for one asset of the use case inline; return it."""
        from ucwidgets.widgets.sharing import SharingEditor

        with self.api():
            asset = ASSET_KINDS[entity_type].get(entity_id)
        editor = SharingEditor(client=self.client, asset=asset)
        editor.observe(self._on_shared, "applied")
        self.sharing_editor = editor
        self._show("sharing", editor)
        return editor

    @action("panel")
    def close_inline(self) -> None:
        """Close the inline picker, sharing editor or confirmation."""
        self.panel = ""

    def close(self) -> None:
        """Close the detail and the picker or sharing editor it opened."""
        for inline in (getattr(self, "picker", None), getattr(self, "sharing_editor", None)):
            if inline is not None:  # (None also when __init__ failed: Widget.__del__)
                inline.close()
        super().close()

    # -- helpers ----------------------------------------------------------------------------
    def _show(self, panel: str, widget: Any) -> None:
        with self.hold_trait_notifications():
            self.inline = widget
            self.panel = panel

    @observe("panel")
    def _on_panel_change(self, change: Any) -> None:
        if change["new"] not in ("picker", "sharing"):
            self.inline = None

    @observe("use_case_id")
    def _on_use_case_id_change(self, change: Any) -> None:
        loaded = self.use_case.id if self.use_case is not None else None
        if change["new"] is None:
            self.clear()
        elif change["new"] != loaded:
            with self.hold_trait_notifications():
                self.panel, self.preview, self.gone = "", {}, ""
            self.run("panel", self.load, change["new"])

    @observe("gone")
    def _on_gone_change(self, change: Any) -> None:
        # The inline picker and sharing editor follow too; one may not have loaded yet.
        for inline in (self.picker, self.sharing_editor):
            shown = getattr(inline, "use_case_id", None)
            if change["new"] and shown == self.use_case_id and not inline.gone:
                inline.mark_gone(change["new"])

    def _on_picker_close(self, picker: Any) -> None:
        self.panel = ""
        if picker.added and self.use_case is not None:
            self.run("panel", self.load, self.use_case.id)
            self.notice = f"Added {len(picker.added)} asset{'s' * (len(picker.added) != 1)}."

    def _on_shared(self, change: Any) -> None:
        if self.use_case is not None:
            self.run("panel", self.load, self.use_case.id)

    def _require(self) -> UseCase:
        if self.use_case is None:
            raise ValueError("Select a use case first.")
        if self.gone:
            raise ValueError(f"{self.gone}: it can no longer be changed.")
        return self.use_case


def _listed(cls: Any, use_case: UseCase) -> list[Any]:
    return list(cls.list(use_cases=use_case))


def _name(obj: Any) -> str:
    return getattr(obj, "project_name", None) or getattr(obj, "name", None) or obj.id


def _created(kind: str, obj: Any) -> tuple[str | None, Any]:
    if kind == "project":
        return user_label(obj._data.get("createdBy")), obj.created
    return obj.created_by, obj.created_at


def _asset(kind: str, obj: Any) -> dict[str, Any]:
    by, at = _created(kind, obj)
    return {
        "entity_type": kind,
        "id": obj.id,
        "name": _name(obj),
        "created_by": by,
        "created_at": at,
    }


def asset_row(kind: str, obj: Any) -> dict[str, Any]:
    """One asset for the front end: its name, creator, time and the rights the service gave."""
    asset = _asset(kind, obj)
    return {
        **asset,
        "created_by": asset["created_by"] or "",
        "created_at": iso(asset["created_at"]),
        "can_edit": flag(obj, "can_edit"),
        "can_share": flag(obj, "can_share"),
    }


def _info(uc: UseCase, members: int) -> dict[str, Any]:
    return {
        "name": uc.name,
        "description": uc.description or "",
        "tags": list(uc.tags),
        "datasets": uc.datasets_count,
        "projects": uc.projects_count,
        "applications": uc.applications_count,
        "notebooks": uc.notebooks_count,
        "models": uc.models_count,
        "members": members,
        "updated_at": iso(uc.updated_at),
        "updated_by": (uc.updated.username or "") if uc.updated else "",
    }
