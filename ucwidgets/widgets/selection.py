"""Many assets of the opened use case at once: the detail's selection, Remove selected and
Move selected to another use case.

The front end selects rows (click, shift-click for a range, ctrl/cmd-click to toggle, space and
shift+arrows on the keyboard) into ``chosen``; the actions go to the service as one request of
its bulk routes (``PATCH useCases/{id}/assets/``, ``POST useCases/{id}/assets/move/``), applied
whole or not at all. A refusal names the entry the service refused, by its name. Which use cases
the assets may go to is the service's answer too: the ones it says the caller may edit.
"""

from __future__ import annotations

import re
from typing import Any

from traitlets import List, Unicode, observe

from ucwidgets.errors import UseCaseError
from ucwidgets.models.use_cases.use_case import UseCase
from ucwidgets.widgets._common import action
from ucwidgets.widgets.live import LiveWidget

__all__ = ["AssetSelection", "BulkRefused", "asset_key"]

#: An entry of a batch in the service's errors: ``entities[2]``, ``remove[0]``.
_ENTRY = re.compile(r"^(?:entities|add|remove)\[(\d+)\]$")


def asset_key(entity_type: str, entity_id: str) -> str:
    """How ``chosen`` names an asset: ``"dataset:65f0..."``."""
    return f"{entity_type}:{entity_id}"


class BulkRefused(UseCaseError):
    """The service refused one entry of a batch: the message names that asset."""


class AssetSelection(LiveWidget):
    """The selection of a use case's assets and what may be done with many at once.

    A subclass (:class:`~ucwidgets.widgets.detail.UseCaseDetail`) keeps ``asset_rows`` and the
    shown ``use_case``, and gives ``_require()`` and ``load()``.
    """

    chosen = List(
        Unicode(),
        help="The selected assets, 'kind:id' each (the front end sets it: click, shift-click, "
        "ctrl/cmd-click, space, shift+arrows).",
    ).tag(sync=True)
    move_targets = List(
        help="Where the selection may move: dicts id, name of the use cases the service says the "
        "caller may edit, this one left out (loaded by load_move_targets)."
    ).tag(sync=True)

    @action("selection")
    def load_move_targets(self) -> list[dict[str, str]]:
        """Load the use cases the selection may move to (what "Move selected to…" offers)."""
        use_case = self._require()
        with self.api():
            found = UseCase.list(order_by="name")
        self.move_targets = [
            {"id": uc.id, "name": uc.name}
            for uc in found
            if uc.id != use_case.id and getattr(uc, "can_edit", None) is not False
        ]
        return self.move_targets

    @action("selection")
    def remove_selected(self) -> int:
        """Unlink the selected assets from the use case in one request, all or none."""
        use_case, entries = self._require(), self._entries()
        with self.api(), self._naming(entries):
            use_case.remove_many(entries)
        self._done(use_case, f"Removed {_assets(len(entries))}.")
        return len(entries)

    @action("selection")
    def move_selected(self, to: str) -> int:
        """Move the selected assets to the use case ``to`` (an id) in one request, all or none."""
        use_case, entries = self._require(), self._entries()
        target = next((t for t in self.move_targets if t["id"] == to), {"name": to})
        with self.api(), self._naming(entries):
            use_case.move(entries, to=to)
        self._done(use_case, f"Moved {_assets(len(entries))} to {target['name']}.")
        return len(entries)

    # -- helpers ----------------------------------------------------------------------------
    def _entries(self) -> list[tuple[str, str]]:
        if not self.chosen:
            raise ValueError("Select assets first.")
        return [tuple(key.split(":", 1)) for key in self.chosen]  # type: ignore[misc]

    def _naming(self, entries: list[tuple[str, str]]) -> _Naming:
        names = {asset_key(r["entity_type"], r["id"]): r["name"] for r in self.asset_rows}
        return _Naming([names.get(asset_key(*e), e[1]) for e in entries])

    def _done(self, use_case: Any, notice: str) -> None:
        self.chosen = []
        self.load(use_case.id)
        self.notice = notice

    @observe("asset_rows")
    def _keep_chosen_listed(self, change: Any) -> None:
        listed = {asset_key(r["entity_type"], r["id"]) for r in change["new"]}
        if any(key not in listed for key in self.chosen):
            self.chosen = [key for key in self.chosen if key in listed]


class _Naming:
    """Re-raise a batch's refusal with the refused asset's name in front of the reason."""

    def __init__(self, names: list[str]) -> None:
        self.names = names

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> None:
        errors = getattr(exc, "errors", None)
        if not isinstance(exc, UseCaseError) or not isinstance(errors, dict):
            return
        for label, reason in errors.items():
            found = _ENTRY.match(str(label))
            if found and int(found.group(1)) < len(self.names):
                name = self.names[int(found.group(1))]
                raise BulkRefused(
                    f"Nothing changed: {name} was refused: {reason}",
                    errors={name: str(reason)},
                    status_code=exc.status_code,
                ) from exc


def _assets(n: int) -> str:
    return f"{n} asset{'s' * (n != 1)}"
