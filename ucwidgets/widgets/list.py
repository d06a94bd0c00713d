"""``UseCaseList``: a page of the caller's use cases as a table, searched and sorted by the service.

Search, sort, filter and paging all run in the service (``GET useCases/``), one page at a time,
so the list costs the same at a hundred use cases or a hundred thousand. The front end moves a
highlight (``cursor``) with the arrow keys and opens a use case (``selected``) with Enter or a
click; it never handles a key JupyterLab would then also act on. It follows the live events: a
teammate's change reloads the page in the background, with no click.
"""

from __future__ import annotations

from typing import Any

from traitlets import Bool, Enum, Int, List, Unicode, observe, validate

from ucwidgets.models.events import Event
from ucwidgets.models.use_cases.use_case import UseCase
from ucwidgets.widgets._common import action
from ucwidgets.widgets._parts import iso
from ucwidgets.widgets.live import LiveWidget

__all__ = ["FILTERS", "ORDERINGS", "UseCaseList"]

#: The sort choices: label -> ``orderBy`` value of ``GET useCases/``.
ORDERINGS = {
    "Recently updated": "-updatedAt",
    "Least recently updated": "updatedAt",
    "Name A-Z": "name",
    "Name Z-A": "-name",
    "Newest": "-createdAt",
    "Oldest": "createdAt",
}
#: The list's filters: value -> label.
FILTERS = {"all": "All", "mine": "Mine", "shared": "Shared with me"}


class UseCaseList(LiveWidget):
    """A page of use cases: search as you type, sort by column, filter, page, pick one.

    Parameters
    ----------
    page_size : int, default 50
        Use cases per page.

    Examples
    --------
    >>> from ucwidgets.widgets.list import UseCaseList
    >>> table = UseCaseList()  # doctest: +SKIP
    >>> table.search = "risk"  # what typing in the search box does  # doctest: +SKIP
    >>> [row["name"] for row in table.rows]  # doctest: +SKIP
    ['Credit risk']
    """

    _module = "list.js"

    search = Unicode("", help="Text the listed use cases' names or descriptions contain.").tag(
        sync=True
    )
    order_by = Unicode("-updatedAt", help="The sort order (an `orderBy` of the service).").tag(
        sync=True
    )
    filter = Enum(list(FILTERS), "all", help="all, mine (created by you) or shared.").tag(sync=True)
    tags = List(
        Unicode(), help="Only the use cases carrying every one of these tags (the service filters)."
    ).tag(sync=True)
    offset = Int(0, help="Index of the first listed use case in the whole result.").tag(sync=True)
    page_size = Int(50, help="Use cases per page.").tag(sync=True)
    items = List(help="The use cases on the current page (UseCase objects).")
    rows = List(
        help="The current page as the table shows it: dicts id, name, description, tags, owner, "
        "owner_short, owner_title, role, assets, members, updated_at, updated_by."
    ).tag(sync=True)
    total = Int(None, allow_none=True, help="How many use cases match.").tag(sync=True)
    has_more = Bool(False, help="Whether a next page exists.").tag(sync=True)
    cursor = Unicode(None, allow_none=True, help="The highlighted row's id (arrow keys).").tag(
        sync=True
    )
    selected = Unicode(None, allow_none=True, help="The opened use case's id (Enter, click).").tag(
        sync=True
    )
    loaded = Int(0, help="How many pages were loaded; the front end paints on each.").tag(sync=True)

    def __init__(self, client: Any = None, page_size: int = 50, **kwargs: Any) -> None:
        super().__init__(client=client, page_size=page_size, **kwargs)
        self.add_class("ucw-list")

    # -- public actions (they raise) --------------------------------------------------------
    def load(self) -> None:
        """Load the current page from the service."""
        self.refresh()

    @action("pager")
    def refresh(self) -> None:
        """Reload the current page from the service."""
        query = self._query()
        with self.api():
            listing = UseCase.list(
                search=self.search or None,
                order_by=self.order_by,
                offset=self.offset,
                limit=self.page_size + 1,
                mine=self.filter == "mine",
                shared_with_me=self.filter == "shared",
                tags=list(self.tags) or None,
            )
            me = self.whoami()
        if query != self._query():
            return  # typing went on: a newer request paints its own results
        items = list(listing[: self.page_size])
        total = getattr(listing, "total_count", None)
        with self.hold_sync(), self.hold_trait_notifications():  # one message to the front end
            self.items = items
            self.rows = [_row(uc, me.id if me else None) for uc in items]
            self.has_more = len(listing) > self.page_size
            self.total = total if isinstance(total, int) else None
            if self.cursor not in {uc.id for uc in items}:
                self.cursor = items[0].id if items else None
            self.loaded += 1
        self.follow_live()

    @action("pager")
    def next_page(self) -> None:
        """Show the next page."""
        if self.has_more:
            self.offset += self.page_size
            self.refresh()

    @action("pager")
    def previous_page(self) -> None:
        """Show the previous page."""
        if self.offset > 0:
            self.offset = max(0, self.offset - self.page_size)
            self.refresh()

    def reload_live(self) -> None:
        """Reload the page (any change may add, drop, reorder or recount a row)."""
        self.refresh()

    def on_events(self, events: list[Event]) -> None:
        """Any event may change the page: reload it in the background."""
        self.reload_soon()

    def _query(self) -> tuple:
        return (
            self.search,
            self.order_by,
            self.filter,
            tuple(self.tags),
            self.offset,
            self.page_size,
        )

    # -- events -----------------------------------------------------------------------------
    @validate("page_size")
    def _valid_page_size(self, proposal: Any) -> int:
        size = int(proposal["value"])
        if not 1 <= size <= 1000:
            raise ValueError("page_size must be between 1 and 1000")
        return size

    @validate("order_by")
    def _valid_order_by(self, proposal: Any) -> str:
        if proposal["value"] not in ORDERINGS.values():
            raise ValueError(f"order_by must be one of {', '.join(ORDERINGS.values())}")
        return proposal["value"]

    @observe("search", "order_by", "filter", "tags")
    def _on_query_change(self, change: Any) -> None:
        self.offset = 0
        self.run("search", self.refresh, spinner=False)  # results come fast; no flicker


def _row(uc: UseCase, my_id: str | None) -> dict[str, Any]:
    """One use case as the table shows it (JSON for the front end)."""
    members = uc._data.get("members") or []
    mine = next((m for m in members if my_id and m.get("id") == my_id), None)
    owner = uc.owners[0] if uc.owners else None
    owner_name = (owner.username or owner.full_name or "") if owner else ""
    return {
        "id": uc.id,
        "name": uc.name,
        "description": uc.description or "",
        "tags": list(uc.tags),
        "owner": owner_name,
        # What the narrow Owner column shows ("you", "ann" for ann@example.com); the rest in
        # its tooltip.
        "owner_short": "you" if owner and owner.id == my_id else owner_name.split("@")[0],
        "owner_title": " · ".join(dict.fromkeys(filter(None, (owner_name, owner.full_name))))
        if owner
        else "",
        "role": (mine or {}).get("role") or "",
        "assets": uc.datasets_count
        + uc.projects_count
        + uc.applications_count
        + uc.notebooks_count,
        "members": len(members),
        "updated_at": iso(uc.updated_at),
        "updated_by": (uc.updated.username or "") if uc.updated else "",
    }
