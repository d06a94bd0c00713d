"""Listings: plain lists that also become pandas DataFrames with fixed columns and dtypes.

A :class:`Listing` prints exactly like the list DataRobot's documentation shows, so examples read
the same; :meth:`Listing.to_frame` gives a DataFrame whose columns and dtypes depend only on the
item type (documented on each model class), so code that filters or joins frames never meets
``object`` columns or a missing column when a listing is empty.

Dtypes used: ids and names ``string``, times ``datetime64[ns, UTC]``, counts ``int64`` (``Int64``
where the server may omit the value), flags ``boolean``.

Examples
--------
>>> from ucwidgets.models.listing import Listing
>>> from ucwidgets.models.dataset import Dataset
>>> empty = Listing([], Dataset)
>>> empty
[]
>>> list(empty.to_frame().columns)[:3]
['id', 'name', 'row_count']
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")


class Listing(list, Generic[T]):  # type: ignore[type-arg]
    """A list of model objects with :meth:`to_frame`.

    Parameters
    ----------
    items : iterable
        The objects.
    item_type : type
        Their class; its ``_frame_columns`` fix the frame's columns even when there are no items.
    meta : mapping, optional
        The listing's envelope (``totalCount``, ``unreadCount``), read after ``items``.
    """

    def __init__(
        self,
        items: Iterable[T] = (),
        item_type: type | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        with _collector_paused():
            super().__init__(items)
        self.item_type = item_type
        meta = meta or {}
        #: How many items match in all pages, when the service says (one page may hold fewer).
        self.total_count: int | None = meta.get("totalCount")
        #: For notifications: how many are unread, when the service says.
        self.unread_count: int | None = meta.get("unreadCount")

    def to_frame(self) -> pd.DataFrame:
        """The items as a DataFrame, one row each, with the item type's documented columns.

        Examples
        --------
        >>> dr.UseCase.list().to_frame().dtypes["created_at"]  # doctest: +SKIP
        datetime64[ns, UTC]
        """
        columns = getattr(self.item_type, "_frame_columns", None)
        if columns is None:
            raise TypeError("this listing does not know its item type, so it has no columns")
        return build_frame(columns, [item._frame_row() for item in self])


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while a listing's items are read.

    Reading a listing (often its pages from the service, as a lazy iterable) allocates many
    small objects that form no cycles: decoded JSON and the model objects built from it. The
    collector would scan the growing heap again and again meanwhile (a third of the time of
    reading 10,000 use cases), and collects nothing. It runs as usual afterwards; if it was
    already off, it stays off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def build_frame(columns: Mapping[str, str], rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A DataFrame with exactly ``columns`` (name -> dtype), filled from ``rows``."""
    import pandas as pd  # lazy: importing ucwidgets must stay fast

    data = {
        name: pd.Series([row.get(name) for row in rows], dtype=dtype)
        for name, dtype in columns.items()
    }
    return pd.DataFrame(data, columns=list(columns)).reset_index(drop=True)
