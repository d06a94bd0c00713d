"""The trash: deleting a use case or an asset moves it there, restorable for the service's trash
days (30 by default) by its OWNERs, who may also purge it at once.

``Dataset.un_delete(id)`` is DataRobot's call and works against DataRobot too; the rest (use
cases, projects, applications and notebooks coming back, the listing, purging) is this service's.

Examples
--------
>>> import ucwidgets as dr
>>> dr.Dataset.delete(dataset.id)  # doctest: +SKIP
>>> dr.UseCase.list_trash().to_frame()[["entity_type", "name", "purge_at"]]  # doctest: +SKIP
>>> dr.Dataset.un_delete(dataset.id)  # doctest: +SKIP
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from ucwidgets.models._base import (
    TIME,
    APIObject,
    alias,
    class_or_instance_method,
    field,
    parse_time,
    require_ucwidgets,
    user_label,
)
from ucwidgets.models.listing import Listing

__all__ = ["TrashBin", "TrashItem", "Trashable", "list_trash"]

#: Trash kind (``entityType``) -> the URL segment of its routes.
ROUTES = {
    "useCase": "useCases",
    "dataset": "datasets",
    "project": "projects",
    "application": "applications",
    "notebook": "notebooks",
}


def _restore(kind: str, entity_id: str) -> None:
    from ucwidgets.client import get_client

    rest = get_client()
    # DataRobot restores datasets through this route (Dataset.un_delete); the others are ours.
    require_ucwidgets(rest, f"restoring a {kind}", when=kind != "dataset")
    rest.patch(f"{ROUTES[kind]}/{entity_id}/deleted/")


def _purge(kind: str, entity_id: str) -> None:
    from ucwidgets.client import get_client

    rest = get_client()
    require_ucwidgets(rest, "purging the trash")
    rest.delete(f"trash/{kind}/{entity_id}/")


def _id_of(self_or_cls: Any, entity_id: str | None, verb: str) -> str:
    entity_id = entity_id or getattr(self_or_cls, "id", None)
    if not isinstance(entity_id, str):
        raise TypeError(f"{verb}() needs the {self_or_cls._trash_kind} id")
    return entity_id


class TrashItem(APIObject):
    """One object in the trash, as ``UseCase.list_trash()`` lists it.

    Attributes
    ----------
    entity_type : str
        ``useCase``, ``dataset``, ``project``, ``application`` or ``notebook``.
    entity_id, name : str
        The object's id and its name when it was deleted.
    deleted_at, purge_at : datetime
        When it was deleted, and when the service's sweep purges it.
    deleted_by : str
        The username of whoever deleted it.

    ``to_frame()`` of a listing has exactly these columns: ``entity_type``, ``entity_id``,
    ``name``, ``deleted_by`` (``string``), ``deleted_at`` and ``purge_at``
    (``datetime64[ns, UTC]``).

    Examples
    --------
    >>> item = TrashItem({"entityType": "dataset", "entityId": "65f0", "name": "risk.csv"})
    >>> item
    TrashItem(entity_type='dataset', name='risk.csv', id='65f0')
    >>> item.restore()  # doctest: +SKIP
    """

    entity_type: str = field(required=True, frame="string")
    entity_id: str = field(required=True, frame="string")
    name: str = field(default="", frame="string")
    deleted_by: str | None = field(convert=user_label, frame="string")
    deleted_at: datetime | None = field(convert=parse_time, frame=TIME)
    purge_at: datetime | None = field(convert=parse_time, frame=TIME)

    id = alias("entity_id", "The trashed object's id (as ``entity_id``).")

    def __repr__(self) -> str:
        return f"TrashItem(entity_type={self.entity_type!r}, name={self.name!r}, id={self.id!r})"

    def restore(self) -> None:
        """Bring the object back, with its members or its use cases (OWNERs only).

        Examples
        --------
        >>> dr.UseCase.list_trash()[0].restore()  # doctest: +SKIP
        """
        _restore(self.entity_type, self.entity_id)

    def purge(self) -> None:
        """Remove the object for good, now (OWNERs only).

        Examples
        --------
        >>> dr.UseCase.list_trash()[0].purge()  # doctest: +SKIP
        """
        _purge(self.entity_type, self.entity_id)


def list_trash(offset: int | None = None, limit: int | None = None) -> Listing[TrashItem]:
    """What the caller may restore or purge, newest deletion first.

    Parameters
    ----------
    offset, limit : int, optional
        One page only; by default every page is read.

    Returns
    -------
    Listing
        :class:`TrashItem` objects; ``.to_frame()`` for a DataFrame.

    Examples
    --------
    >>> [item.name for item in list_trash()]  # doctest: +SKIP
    ['Risk']
    """
    from ucwidgets.client import get_client

    rest = get_client()
    require_ucwidgets(rest, "the trash")
    meta: dict[str, Any] = {}
    items = rest.paginate(
        "trash/", {"offset": offset, "limit": limit}, follow=limit is None, meta=meta
    )
    found = [TrashItem(item) for item in items]
    return Listing(found, TrashItem, meta)


class Trashable:
    """``delete()`` (to the trash), ``restore()`` and ``purge()`` on a use case or an asset,
    by instance or by id."""

    #: The object's kind in the trash (``useCase``, ``dataset``, ...).
    _trash_kind: ClassVar[str] = ""

    @class_or_instance_method
    def delete(self_or_cls: Any, entity_id: str | None = None) -> None:
        """Move an object to the trash (its OWNERs only): ``Application.delete(id)`` or
        ``app.delete()``; ``restore()`` brings it back.

        Examples
        --------
        >>> app.delete()  # doctest: +SKIP
        >>> app.restore()  # doctest: +SKIP
        """
        entity_id = _id_of(self_or_cls, entity_id, "delete")
        self_or_cls._client().delete(f"{ROUTES[self_or_cls._trash_kind]}/{entity_id}/")

    @class_or_instance_method
    def restore(self_or_cls: Any, entity_id: str | None = None) -> None:
        """Bring a deleted object back (OWNERs only): ``Dataset.restore(id)`` or
        ``dataset.restore()``; nothing happens to one that is not deleted.

        Examples
        --------
        >>> uc.delete()  # doctest: +SKIP
        >>> uc.restore()  # back, with its members and assets  # doctest: +SKIP
        """
        _restore(self_or_cls._trash_kind, _id_of(self_or_cls, entity_id, "restore"))

    @class_or_instance_method
    def purge(self_or_cls: Any, entity_id: str | None = None) -> None:
        """Remove a deleted object for good (OWNERs only): ``UseCase.purge(id)`` or
        ``uc.purge()`` after ``uc.delete()``.

        Examples
        --------
        >>> dataset.delete()  # doctest: +SKIP
        >>> dataset.purge()  # its file goes too, unless another row uses it  # doctest: +SKIP
        """
        _purge(self_or_cls._trash_kind, _id_of(self_or_cls, entity_id, "purge"))


class TrashBin:
    """``UseCase.list_trash()``: the caller's trash, whatever kind each object is."""

    @classmethod
    def list_trash(cls, offset: int | None = None, limit: int | None = None) -> Listing[TrashItem]:
        """What the caller may restore or purge (see :func:`list_trash`).

        Examples
        --------
        >>> frame = dr.UseCase.list_trash().to_frame()  # doctest: +SKIP
        >>> frame[frame.entity_type == "useCase"].name.tolist()  # doctest: +SKIP
        ['Risk']
        """
        return list_trash(offset, limit)
