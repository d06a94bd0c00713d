"""``AssetPicker``: add datasets, projects, applications and notebooks to a use case.

It names the use case it adds to, lists the assets of one type that the caller can see and that
are not in it yet (with owner, date and rows, so look-alikes can be told apart), checks a CSV
and shows its first rows before uploading it as a new dataset (with its name, percent and
bytes), offers the notebooks under the Jupyter root for registration, and explains why a
project cannot be added when the service refuses it. When its use case is deleted elsewhere it
says so (``gone``) and adds nothing more.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from typing import Any

from ipywidgets.widgets.widget import CallbackDispatcher
from traitlets import Dict, Enum, Float, Int, List, Unicode, observe

from ucwidgets.enums import LINKABLE_TYPES
from ucwidgets.errors import UseCaseError
from ucwidgets.models.dataset import Dataset
from ucwidgets.models.notebook import Notebook
from ucwidgets.models.use_cases.use_case import UseCase
from ucwidgets.widgets._candidates import CANDIDATES, PAGE, check_csv, rows_text
from ucwidgets.widgets._common import action
from ucwidgets.widgets.live import NO_USE_CASE, OnUseCase

__all__ = ["PROJECT_RULES", "AssetPicker"]

#: ACCESS.md's project rules, as the picker explains them.
PROJECT_RULES = (
    "A project belongs to at most one use case. It can be added while it is still in set-up "
    "(no target yet), or once it has a target when all three hold: the target type is Binary "
    "or Regression, the dataset it was made from is in this use case, and modeling has started."
)


class AssetPicker(OnUseCase):
    """Pick assets to add to a use case, upload a dataset, or register a notebook.

    It adds to the use case given, else to the current one
    (:class:`~ucwidgets.widgets.live.OnUseCase`).

    Parameters
    ----------
    notebook_root : str or path, optional
        The Jupyter root whose notebooks can be registered; default: the working directory.

    Examples
    --------
    >>> import ucwidgets
    >>> picker = ucwidgets.AssetPicker(use_case=uc)  # doctest: +SKIP
    >>> picker.asset_type = "project"  # doctest: +SKIP
    >>> picker.add([picker.candidates[0]["value"]])  # doctest: +SKIP
    [{'entity_type': 'project', 'id': '65f0...', 'name': 'Risk Assessment v1'}]
    """

    _module = "picker.js"

    asset_type = Enum(list(LINKABLE_TYPES), "dataset", help="The kind of asset listed.").tag(
        sync=True
    )
    candidates = List(
        help="Assets of asset_type that can be added: dicts value, label, entity_type, id, name, "
        "path, owner, created_at, rows, detail."
    )
    blocked = List(help="Assets of asset_type that cannot be added: dicts name, reason.").tag(
        sync=True
    )
    total = Int(
        None,
        allow_none=True,
        help="How many of asset_type the caller can see in all, when the "
        "picker lists only the newest page of them (None when it lists every one).",
    ).tag(sync=True)
    filter_text = Unicode("", help="Only candidates whose label contains this are listed.").tag(
        sync=True
    )
    visible = List(help="The candidates the filter lets through (what the list shows).").tag(
        sync=True
    )
    chosen = List(help="The values of the candidates chosen to add.").tag(sync=True)
    hints = List(help="Explanations shown under the list (plain text).").tag(sync=True)
    added = List(help="What the last add or upload linked: dicts entity_type, id, name.")
    staged = Dict(
        help="A CSV checked but not uploaded yet: name, size, columns (name, dtype), rows (the "
        "first few), row_count, problem (why it cannot be uploaded, or empty)."
    ).tag(sync=True)
    progress = Float(0.0, help="Upload progress, 0 to 1.").tag(sync=True)
    upload_name = Unicode("", help="The file being uploaded.").tag(sync=True)
    upload_sent = Int(0, help="Bytes of the upload sent so far.").tag(sync=True)
    upload_total = Int(0, help="Bytes of the upload in all.").tag(sync=True)
    notebook_root = Unicode(help="The Jupyter root whose .ipynb files can be registered.")

    def __init__(
        self,
        client: Any = None,
        use_case: Any = None,
        notebook_root: str | os.PathLike[str] | None = None,
        **kwargs: Any,
    ) -> None:
        self._close_handlers = CallbackDispatcher()
        self._staged_bytes = b""
        kwargs.setdefault("notebook_root", os.fspath(notebook_root or os.getcwd()))
        super().__init__(client=client, use_case=use_case, **kwargs)
        self.add_class("ucw-picker")

    # -- public actions (they raise) --------------------------------------------------------
    def load(self) -> None:
        """Reload the assets of ``asset_type`` that can be added."""
        use_case_id = self._target()
        kind = self.asset_type
        with self.api():
            use_case = UseCase.get(use_case_id)
            candidates, blocked, total = CANDIDATES[kind](self.notebook_root, use_case_id)
        if kind != self.asset_type:
            return  # the user switched type meanwhile; that load paints
        with self.hold_trait_notifications():
            self.use_case_name = use_case.name
            self.total = total
            self.candidates = candidates
            self.blocked = blocked
        self.follow_live()

    @action("list")
    def refresh(self) -> None:
        """Reload the list (what the Refresh button does)."""
        self.load()

    @action("add")
    def add(self, values: list[str] | tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        """Add the chosen candidates (``chosen`` by default); return ``added``.

        Each is linked on its own; when some fail, the others stay added, ``added`` lists them,
        and the first failure is raised with every failed name in its message.
        """
        use_case_id = self._target()
        chosen = list(self.chosen if values is None else values)
        if not chosen:
            raise ValueError("Choose at least one asset to add.")
        by_value = {c["value"]: c for c in self.candidates}
        done: list[dict[str, Any]] = []
        failures: list[tuple[dict[str, Any], UseCaseError]] = []
        with self.api():
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
        self.chosen = []
        self._reload_after_change()
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

    @action("upload")
    def stage_file(self, filename: str, content: bytes) -> dict[str, Any]:
        """Check a CSV and show its first rows and column types; nothing is uploaded yet."""
        self._staged_bytes = content
        self.staged = check_csv(filename, content)
        return self.staged

    @action("upload")
    def upload_staged(self) -> Dataset:
        """Upload the checked CSV (``staged``) as a new dataset of the use case."""
        if not self.staged or self.staged.get("problem"):
            raise ValueError("Choose a CSV file that reads as a table first.")
        dataset = self.upload_file(self._staged_bytes, self.staged["name"])
        self.staged, self._staged_bytes = {}, b""
        return dataset

    @action("upload")
    def discard_staged(self) -> None:
        """Forget the checked CSV."""
        self.staged, self._staged_bytes = {}, b""

    def upload_file(self, content: bytes, filename: str) -> Dataset:
        """Upload ``content`` as a new dataset named ``filename`` and add it to the use case."""
        use_case_id = self._target()
        with self.hold_trait_notifications():
            self.progress, self.upload_name = 0.0, filename
            self.upload_sent, self.upload_total = 0, len(content)
        stream = _ProgressReader(content, filename, self._on_upload_progress)
        with self.api():
            dataset = Dataset.create_from_file(filelike=stream, use_case=use_case_id)
        with self.hold_trait_notifications():
            self.progress, self.upload_sent = 1.0, len(content)
        self.added = [{"entity_type": "dataset", "id": dataset.id, "name": dataset.name}]
        self._reload_after_change()
        self.notice = f"Uploaded {dataset.name} ({rows_text(dataset.row_count)}) and added it."
        return dataset

    @action("add")
    def cancel(self) -> None:
        """Clear the choice and tell whoever opened the picker that it is done."""
        self.chosen = []
        self.added = []
        self._close_handlers(self)

    def on_close(self, callback: Callable[[AssetPicker], Any], remove: bool = False) -> None:
        """Call ``callback(picker)`` after a successful add, and on Cancel."""
        self._close_handlers.register_callback(callback, remove=remove)

    # -- events -----------------------------------------------------------------------------
    @observe("asset_type")
    def _on_asset_type_change(self, change: Any) -> None:
        with self.hold_trait_notifications():
            self.chosen, self.candidates, self.blocked = [], [], []
        self.run("list", self.load)

    @observe("candidates", "blocked", "filter_text", "asset_type", "notebook_root", "total")
    def _on_list_change(self, change: Any) -> None:
        needle = self.filter_text.strip().lower()
        visible = [c for c in self.candidates if needle in c["label"].lower()]
        values = {c["value"] for c in visible}
        with self.hold_trait_notifications():
            self.visible = visible
            self.chosen = [v for v in self.chosen if v in values]
            self.hints = _hints(
                self.asset_type, len(self.candidates), self.blocked, self.notebook_root, self.total
            )

    def _on_front_end_msg(self, widget: Any, content: Any, buffers: Any) -> None:
        # A chosen file arrives as the message's one binary buffer.
        if isinstance(content, dict) and buffers and isinstance(content.get("args"), dict):
            content = {**content, "args": {**content["args"], "content": bytes(buffers[0])}}
        super()._on_front_end_msg(widget, content, [])

    def _on_upload_progress(self, sent: int) -> None:
        with self.hold_trait_notifications():
            self.upload_sent = sent
            self.progress = min(0.99, sent / max(1, self.upload_total))

    def _reload_after_change(self) -> None:
        """Reload after a change without hiding the change's own outcome if it fails."""
        try:
            self.load()
        except UseCaseError as exc:
            self.notice = f"Added, but the list could not be reloaded: {exc}"

    #: Only the use case's deletion and restoring matter here (the list reloads on Refresh).
    follows_changes = False

    def _target(self) -> str:
        if self.gone:
            raise ValueError(f"{self.gone}: nothing can be added to it.")
        use_case_id = self._use_case_now()
        if not use_case_id:
            raise ValueError(NO_USE_CASE)
        return use_case_id


class _ProgressReader:
    """The bytes of an upload, reporting how much the client has read so far."""

    def __init__(self, content: bytes, name: str, report: Callable[[int], None]) -> None:
        self._buffer = io.BytesIO(content)
        self._report = report
        self.name = name

    def read(self, size: int = -1) -> bytes:
        chunk = self._buffer.read(size)
        self._report(self._buffer.tell())
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


def _hints(
    kind: str, count: int, blocked: list[dict], root: str, total: int | None = None
) -> list[str]:
    """What the picker explains under its list, as plain text."""
    hints = []
    if total is not None and total > PAGE:
        hints.append(f"The newest {PAGE:,} of the {total:,} {kind}s you can see.")
    if count == 0:
        hints.append(f"No {kind}s to add: every {kind} you can see is already here.")
    if kind == "project":
        hints.append(PROJECT_RULES)
    if kind == "notebook":
        hints.append(f"Notebooks under {root} can be registered and added.")
    if kind == "dataset":
        hints.append("Or upload a CSV file: it is checked first, then becomes a dataset here.")
    return hints
