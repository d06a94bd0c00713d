"""``TrashView``: what the caller may restore, with Restore and Purge.

The rows are the service's answer to ``GET trash/``, which lists only what the caller may restore
or purge; this module knows no role rule. A refused Restore or Purge shows its error beside the
row it came from (the control ``"{kind}:{id}"``). Purge is final, so the front end asks first.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from traitlets import Dict, List

from ucwidgets.models.trash import TrashItem, list_trash
from ucwidgets.widgets._common import action
from ucwidgets.widgets._parts import NOUNS, UseCaseWidget, iso

__all__ = ["KIND_LABELS", "TrashView", "row_control"]

#: Trash kind -> what the row says.
KIND_LABELS = {kind: noun.capitalize() for kind, noun in NOUNS.items()}


class TrashView(UseCaseWidget):
    """The caller's trash: restore an object, or purge it for good.

    Examples
    --------
    >>> from ucwidgets.widgets.trash import TrashView
    >>> trash = TrashView()  # doctest: +SKIP
    >>> [row["name"] for row in trash.rows]  # doctest: +SKIP
    ['Risk']
    >>> trash.restore("useCase", trash.rows[0]["id"])  # doctest: +SKIP
    """

    _module = "trash.js"

    rows = List(
        help="The trash, newest deletion first: dicts entity_type, kind_label, id, name, "
        "deleted_by, deleted_at, purge_at."
    ).tag(sync=True)
    restored = Dict(
        help="The last object restored here: entity_type, id, name ({} before any)."
    ).tag(sync=True)

    def __init__(self, client: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("autoload", False)  # the browser loads it when the Trash view opens
        super().__init__(client=client, **kwargs)
        self.add_class("ucw-trash")

    @action("trash")
    def load(self) -> None:
        """Load the trash from the service."""
        with self.api():
            items = list(list_trash())
        self.rows = [_row(item) for item in items]

    def restore(self, entity_type: str, entity_id: str) -> None:
        """Bring an object back: a use case with its assets and members, an asset into its use
        cases (the service lets OWNERs)."""
        item = self._find(entity_type, entity_id)
        with self.api():
            item.restore()
        self.load()
        self.restored = {"entity_type": entity_type, "id": entity_id, "name": item.name}
        self.notice = f"Restored {item.name}."

    def purge(self, entity_type: str, entity_id: str) -> None:
        """Remove an object for good, now (the service lets OWNERs)."""
        item = self._find(entity_type, entity_id)
        with self.api():
            item.purge()
        self.load()
        self.notice = f"Purged {item.name}."

    def dispatch(self, name: str, /, **args: Any) -> Future | None:
        """As :meth:`Panel.dispatch`; Restore and Purge report under their row's control."""
        if name in ("restore", "purge"):
            control = row_control(str(args.get("entity_type")), str(args.get("entity_id")))
            return self.run(control, getattr(self, name), **args)
        return super().dispatch(name, **args)

    def _find(self, entity_type: str, entity_id: str) -> TrashItem:
        row = next(
            (r for r in self.rows if (r["entity_type"], r["id"]) == (entity_type, entity_id)), None
        )
        if entity_type not in KIND_LABELS:
            raise ValueError(f"no kind {entity_type!r} in the trash")
        return TrashItem(
            {"entityType": entity_type, "entityId": entity_id, "name": (row or {}).get("name", "")}
        )


def row_control(entity_type: str, entity_id: str) -> str:
    """The control a trash row's Restore and Purge report their failures under."""
    return f"{entity_type}:{entity_id}"


def _row(item: TrashItem) -> dict[str, Any]:
    return {
        "entity_type": item.entity_type,
        "kind_label": KIND_LABELS.get(item.entity_type, item.entity_type),
        "id": item.entity_id,
        "name": item.name,
        "deleted_by": item.deleted_by or "",
        "deleted_at": iso(item.deleted_at),
        "purge_at": iso(item.purge_at),
    }
