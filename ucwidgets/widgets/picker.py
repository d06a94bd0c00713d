"""``AssetPicker``: add datasets, projects, applications and notebooks to a use case.

It lists the assets of one type that the caller can see and that are not in the use case yet,
uploads a file as a new dataset (with progress), offers the notebooks under the Jupyter root for
registration, and explains why a project cannot be added when the service refuses it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget import CallbackDispatcher
from traitlets import Enum, Float, List, Unicode, observe

from ucwidgets import context
from ucwidgets.errors import UseCaseError
from ucwidgets.models.application import Application
from ucwidgets.models.dataset import Dataset
from ucwidgets.models.notebook import Notebook
from ucwidgets.models.project import Project
from ucwidgets.models.use_cases.use_case import UseCase
from ucwidgets.widgets._common import (
    UseCasePanel,
    button,
    enable,
    quiet,
    resolve_use_case_id,
    set_options,
    styled,
    text,
)

__all__ = ["PROJECT_RULES", "AssetPicker"]

ASSET_TYPES = {
    "Datasets": "dataset",
    "Projects": "project",
    "Applications": "application",
    "Notebooks": "notebook",
}
#: ACCESS.md's project rules, as the picker explains them.
PROJECT_RULES = (
    "A project belongs to at most one use case. It can be added while it is still in set-up "
    "(no target yet), or once it has a target when all three hold: the target type is Binary "
    "or Regression, the dataset it was made from is in this use case, and modeling has started."
)
#: How many notebook files the picker lists under the Jupyter root at most.
MAX_NOTEBOOK_FILES = 500


class AssetPicker(UseCasePanel):
    """Pick assets to add to a use case, upload a dataset, or register a notebook.

    Parameters
    ----------
    client : RESTClientObject, optional
        The connection to use; default: the global client.
    use_case : UseCase or str, optional
        The use case to add to; default: the current one (``with uc:``, ``%use_case``).
    notebook_root : str or path, optional
        The Jupyter root whose notebooks can be registered; default: the working directory.

    Examples
    --------
    >>> import ucwidgets
    >>> picker = ucwidgets.AssetPicker(use_case=uc)  # doctest: +SKIP
    >>> picker.type_toggle.value = "project"  # doctest: +SKIP
    >>> picker.assets_select.value = (picker.assets_select.options[0][1],)  # doctest: +SKIP
    >>> picker.add_button.click()  # doctest: +SKIP
    >>> picker.added  # doctest: +SKIP
    [{'entity_type': 'project', 'id': '65f0...', 'name': 'Risk Assessment v1'}]
    """

    use_case_id = Unicode(
        None,
        allow_none=True,
        help="The use case assets are added to; None follows the current one.",
    )
    asset_type = Enum(list(ASSET_TYPES.values()), "dataset", help="The kind of asset listed.")
    candidates = List(
        help="Assets of asset_type that can be added: dicts value, label, "
        "entity_type, id, name, path."
    )
    blocked = List(help="Assets of asset_type that cannot be added: dicts name, reason.")
    filter_text = Unicode("", help="Only candidates whose label contains this are listed.")
    added = List(help="What the last add or upload linked: dicts entity_type, id, name.")
    progress = Float(0.0, help="Upload progress, 0 to 1.")
    notebook_root = Unicode(help="The Jupyter root whose .ipynb files can be registered.")

    def __init__(
        self,
        client: Any = None,
        use_case: Any = None,
        notebook_root: str | os.PathLike[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(client=client, **kwargs)
        self._follow = use_case is None
        self._close_handlers = CallbackDispatcher()
        self._build()
        self.use_case_id = resolve_use_case_id(use_case) or context.get_current_use_case_id()
        self.notebook_root = os.fspath(notebook_root or os.getcwd())
        self.add_class("ucw-picker")
        self._start()

    def _build(self) -> None:
        self.title_html = styled(w.HTML(""), "ucw-picker-title")
        self.type_toggle = styled(
            w.ToggleButtons(options=list(ASSET_TYPES.items()), value="dataset"), "ucw-picker-type"
        )
        self.type_toggle.style.button_width = "110px"
        self.search_input = styled(
            w.Text(placeholder="Filter by name"), "ucw-picker-search", width="260px"
        )
        self.refresh_button = button(
            "", "ucw-picker-refresh", icon="refresh", tooltip="Reload the list"
        )
        self.assets_select = styled(
            w.SelectMultiple(options=[], rows=8), "ucw-picker-list", width="100%"
        )
        self.hint_html = styled(w.HTML(""), "ucw-picker-hint")
        self.upload = styled(
            w.FileUpload(accept=".csv,.tsv,.txt", multiple=False, description="Upload CSV"),
            "ucw-picker-upload",
        )
        self.progress_bar = styled(
            w.FloatProgress(value=0.0, min=0.0, max=1.0, description=""), "ucw-picker-progress"
        )
        self.upload_box = styled(
            w.HBox([self.upload, self.progress_bar], layout=w.Layout(align_items="center")),
            "ucw-picker-upload-row",
        )
        self.add_button = button("Add", "ucw-picker-add", icon="plus", style="primary")
        self.cancel_button = button("Cancel", "ucw-picker-cancel")
        self.children = [
            self.style_html,
            self.title_html,
            self.type_toggle,
            w.HBox([self.search_input, self.refresh_button]),
            self.assets_select,
            self.hint_html,
            self.upload_box,
            self.message_html,
            self.retry_button,
            w.HBox([self.add_button, self.cancel_button]),
        ]
        self.add_class("ucw-card")
        self.type_toggle.observe(self._on_type_toggle_change, "value")
        self.search_input.observe(self._on_search_input_change, "value")
        self.assets_select.observe(self._on_assets_select_change, "value")
        self.upload.observe(self._on_upload_change, "value")
        self.refresh_button.on_click(self._on_refresh_button_click)
        self.add_button.on_click(self._on_add_button_click)
        self.cancel_button.on_click(self._on_cancel_button_click)

    def _buttons(self) -> list[w.Widget]:
        return [self.refresh_button, self.add_button, self.cancel_button, self.upload]

    # -- public actions (they raise) --------------------------------------------------------
    def refresh(self) -> None:
        """Reload the assets of ``asset_type`` that can be added."""
        use_case_id = self._target()
        kind = self.asset_type
        with self._api(use_case=None):  # list everything visible, whatever is current
            self._ensure_client()
            candidates, blocked = _CANDIDATES[kind](self, use_case_id)
        with self.hold_trait_notifications():
            self.candidates = candidates
            self.blocked = blocked

    def add(self, values: list[str] | tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        """Add the chosen candidates (``assets_select`` values by default); return ``added``.

        Each is linked on its own; when some fail, the others stay added, ``added`` lists them,
        and the first failure is raised with every failed name in its message.
        """
        use_case_id = self._target()
        chosen = list(self.assets_select.value if values is None else values)
        if not chosen:
            raise ValueError("Choose at least one asset to add.")
        by_value = {c["value"]: c for c in self.candidates}
        done: list[dict[str, Any]] = []
        failures: list[tuple[dict[str, Any], UseCaseError]] = []
        with self._api():
            use_case = UseCase.get(use_case_id)
            for value in chosen:
                item = by_value.get(value)
                if item is None:
                    raise ValueError(f"{value!r} is not among the assets that can be added.")
                try:
                    done.append(_add_one(use_case, item))
                except UseCaseError as exc:
                    failures.append((item, exc))
        self.added = done
        self.assets_select.value = ()
        self._attempt_quietly(self.refresh)
        if failures:
            item, first = failures[0]
            names = ", ".join(f.get("name") or f["id"] for f, _ in failures)
            message = f"Could not add {names}: {first}"
            if item["entity_type"] == "project":
                message += f" — {PROJECT_RULES}"
            raise type(first)(
                message, errors=first.errors, status_code=first.status_code
            ) from first
        self.notice = "Added " + ", ".join(d["name"] or d["id"] for d in done) + "."
        self._close_handlers(self)
        return done

    def upload_file(self, content: bytes, filename: str) -> Dataset:
        """Upload ``content`` as a new dataset named ``filename`` and add it to the use case."""
        use_case_id = self._target()
        self.progress = 0.0
        stream = _ProgressReader(content, filename, self._on_upload_progress)
        with self._api():
            dataset = Dataset.create_from_file(filelike=stream, use_case=use_case_id)
        self.progress = 1.0
        self.added = [{"entity_type": "dataset", "id": dataset.id, "name": dataset.name}]
        self._attempt_quietly(self.refresh)
        self.notice = f"Uploaded {dataset.name} ({_rows(dataset.row_count)}) and added it."
        return dataset

    def cancel(self) -> None:
        """Clear the choice and tell whoever opened the picker that it is done."""
        self.assets_select.value = ()
        self.added = []
        self._close_handlers(self)

    def on_close(self, callback: Callable[[AssetPicker], Any], remove: bool = False) -> None:
        """Call ``callback(picker)`` after a successful add, and on Cancel."""
        self._close_handlers.register_callback(callback, remove=remove)

    # -- events -----------------------------------------------------------------------------
    def _on_type_toggle_change(self, change: Any) -> None:
        self.asset_type = change["new"]

    @observe("asset_type")
    def _on_asset_type_change(self, change: Any) -> None:
        self.assets_select.value = ()
        self.candidates, self.blocked = [], []
        self._attempt(self.refresh)

    def _on_search_input_change(self, change: Any) -> None:
        self.filter_text = change["new"]

    def _on_assets_select_change(self, change: Any) -> None:
        if not quiet(change):
            self._render()

    def _on_refresh_button_click(self, _: Any) -> None:
        self._attempt(self.refresh)

    def _on_add_button_click(self, _: Any) -> None:
        self._attempt(self.add)

    def _on_cancel_button_click(self, _: Any) -> None:
        self.cancel()

    def _on_upload_change(self, change: Any) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        self._attempt(self.upload_file, bytes(item["content"]), item["name"])
        self.upload.value = ()

    def _on_upload_progress(self, fraction: float) -> None:
        self.progress = fraction

    def _attempt_quietly(self, action: Callable[[], Any]) -> None:
        """Refresh after a change without hiding the change's own outcome if it fails."""
        try:
            action()
        except UseCaseError as exc:
            self.error = f"Added, but the list could not be reloaded: {exc}"

    def _target(self) -> str:
        if self._follow:
            self.use_case_id = context.get_current_use_case_id()
        if not self.use_case_id:
            raise ValueError("No use case: pass use_case= or make one current (with uc:).")
        return self.use_case_id

    # -- rendering --------------------------------------------------------------------------
    @observe("candidates", "blocked", "filter_text", "asset_type", "progress", "use_case_id")
    def _render(self, change: Any = None) -> None:
        needle = self.filter_text.strip().lower()
        shown = [c for c in self.candidates if needle in c["label"].lower()]
        chosen = tuple(v for v in self.assets_select.value if any(c["value"] == v for c in shown))
        set_options(self.assets_select, [(c["label"], c["value"]) for c in shown], chosen)
        kind = self.asset_type
        self.title_html.value = "<span class='ucw-title'>Add assets</span>"
        self.hint_html.value = _hint(kind, len(self.candidates), self.blocked, self.notebook_root)
        self.upload_box.layout.display = "" if kind == "dataset" else "none"
        self.progress_bar.value = self.progress
        self.progress_bar.bar_style = "success" if self.progress >= 1 else "info"
        self.progress_bar.layout.visibility = "visible" if self.progress > 0 else "hidden"
        enable(self.add_button, bool(chosen), self.busy)
        self._render_status()


class _ProgressReader:
    """The bytes of an upload, reporting how much the client has read so far."""

    def __init__(self, content: bytes, name: str, report: Callable[[float], None]) -> None:
        self._buffer = io.BytesIO(content)
        self._size = max(1, len(content))
        self._report = report
        self.name = name

    def read(self, size: int = -1) -> bytes:
        chunk = self._buffer.read(size)
        self._report(min(0.99, self._buffer.tell() / self._size))
        return chunk

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._buffer.seek(offset, whence)

    def tell(self) -> int:
        return self._buffer.tell()


def _add_one(use_case: UseCase, item: dict[str, Any]) -> dict[str, Any]:
    if item["entity_type"] == "notebook" and not item["id"]:
        notebook = Notebook.create(name=item["name"], path=item["path"], use_case=use_case.id)
        return {"entity_type": "notebook", "id": notebook.id, "name": notebook.name}
    use_case.add(entity_type=item["entity_type"], entity_id=item["id"])
    return {"entity_type": item["entity_type"], "id": item["id"], "name": item["name"]}


def _item(kind: str, id: str, name: str, label: str, path: str | None = None) -> dict[str, Any]:
    return {
        "value": f"{kind}:{id or path}",
        "label": label,
        "entity_type": kind,
        "id": id,
        "name": name,
        "path": path,
    }


def _datasets(picker: AssetPicker, use_case_id: str) -> tuple[list[dict], list[dict]]:
    linked = {d.id for d in Dataset.list(use_case=use_case_id)}
    items = [
        _item(
            "dataset",
            d.id,
            d.name,
            f"{d.name}  ·  {_rows(d.row_count)}  ·  by {d.created_by or '?'}",
        )
        for d in Dataset.list()
        if d.id not in linked
    ]
    return items, []


def _projects(picker: AssetPicker, use_case_id: str) -> tuple[list[dict], list[dict]]:
    items, blocked = [], []
    for p in Project.list():
        name = p.project_name or p.id
        if p.use_case_id == use_case_id:
            continue
        if p.use_case_id:
            blocked.append({"name": name, "reason": "already in another use case"})
        elif p.target and p.target_type not in ("Binary", "Regression"):
            blocked.append({"name": name, "reason": f"its target type is {p.target_type}"})
        else:
            state = f"target {p.target} ({p.target_type})" if p.target else "in set-up"
            items.append(_item("project", p.id, name, f"{name}  ·  {state}"))
    return items, blocked


def _applications(picker: AssetPicker, use_case_id: str) -> tuple[list[dict], list[dict]]:
    linked = {a.id for a in Application.list(use_case=use_case_id)}
    items = [
        _item("application", a.id, a.name, f"{a.name}  ·  by {a.created_by or '?'}")
        for a in Application.list()
        if a.id not in linked
    ]
    return items, []


def _notebooks(picker: AssetPicker, use_case_id: str) -> tuple[list[dict], list[dict]]:
    linked = {n.id for n in Notebook.list(use_case=use_case_id)}
    registered = list(Notebook.list())
    known_paths = {n.path for n in registered if n.path}
    items = [
        _item("notebook", n.id, n.name, f"{n.name}  ·  {n.path or ''}")
        for n in registered
        if n.id not in linked
    ]
    for path in _notebook_files(Path(picker.notebook_root)):
        if path not in known_paths:
            name = Path(path).stem
            items.append(_item("notebook", "", name, f"{path}  ·  not registered yet", path))
    return items, []


_CANDIDATES: dict[str, Callable[[AssetPicker, str], tuple[list[dict], list[dict]]]] = {
    "dataset": _datasets,
    "project": _projects,
    "application": _applications,
    "notebook": _notebooks,
}


def _notebook_files(root: Path) -> list[str]:
    """``.ipynb`` files under ``root`` (relative POSIX paths), skipping hidden folders."""
    found: list[str] = []
    if not root.is_dir():
        return found
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".ipynb") and not name.startswith("."):
                found.append(Path(folder, name).relative_to(root).as_posix())
                if len(found) >= MAX_NOTEBOOK_FILES:
                    return found
    return found


def _hint(kind: str, count: int, blocked: list[dict], root: str) -> str:
    parts = []
    if count == 0:
        parts.append(f"No {kind}s to add: every {kind} you can see is already here.")
    if kind == "project":
        parts.append(text(PROJECT_RULES))
    if kind == "notebook":
        parts.append(f"Notebooks under {text(root)} can be registered and added.")
    if kind == "dataset":
        parts.append("Or upload a CSV file: it becomes a dataset in this use case.")
    if blocked:
        items = "".join(f"<li>{text(b['name'])}: {text(b['reason'])}</li>" for b in blocked)
        parts.append(f"Cannot be added:<ul>{items}</ul>")
    return "".join(f"<div class='ucw-muted'>{p}</div>" for p in parts)


def _rows(count: int | None) -> str:
    count = count or 0
    return f"{count:,} row" if count == 1 else f"{count:,} rows"
