"""The change feed: what happened in a use case, and notifications of what others changed.

These are ucwidgets features; against DataRobot they raise
:class:`~ucwidgets.errors.NotSupported`.

Examples
--------
>>> uc.events()  # doctest: +SKIP
[Event(1, 'ann@example.com', 'created', 'use_case', 'Risk'), ...]
>>> from ucwidgets.models.events import list_notifications
>>> list_notifications(unread=True).to_frame()  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any, ClassVar

from ucwidgets.models._base import APIObject, ids_of, parse_time, require_ucwidgets, user_label
from ucwidgets.models.listing import Listing


class Event(APIObject):
    """One entry of a use case's change feed.

    Attributes
    ----------
    id : int
        Increases with every event; pass the last one seen as ``after`` to get newer ones.
    at : datetime
    verb : str
        ``created``, ``updated``, ``deleted``, ``added``, ``removed``, ``modified``, ``shared``
        or ``unshared``.
    actor, actor_id : str
        Who did it (username and id).
    entity_type, entity_id, entity_name : str or None
        What it was done to.
    use_case_id, use_case_name : str
    read : bool or None
        For notifications: whether the caller has marked it read.

    Notes
    -----
    ``Listing.to_frame()`` columns: ``id`` int64, ``at`` datetime64[ns, UTC], ``use_case_id``
    string, ``use_case_name`` string, ``actor`` string, ``verb`` string, ``entity_type`` string,
    ``entity_id`` string, ``entity_name`` string, ``read`` boolean.
    """

    _frame_columns: ClassVar[dict[str, str]] = {
        "id": "int64",
        "at": "datetime64[ns, UTC]",
        "use_case_id": "string",
        "use_case_name": "string",
        "actor": "string",
        "verb": "string",
        "entity_type": "string",
        "entity_id": "string",
        "entity_name": "string",
        "read": "boolean",
    }

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self.id: int = int(data["id"])
        self.at = parse_time(data.get("at") or data.get("createdAt"))
        self.verb: str = data.get("verb", "")
        actor = data.get("actor")
        self.actor: str | None = user_label(actor)
        self.actor_id: str | None = actor.get("id") if isinstance(actor, dict) else None
        self.entity_type: str | None = data.get("entityType")
        self.entity_id: str | None = data.get("entityId")
        self.entity_name: str | None = data.get("entityName")
        self.use_case_id: str | None = data.get("useCaseId")
        self.use_case_name: str | None = data.get("useCaseName")
        self.read: bool | None = data.get("read")

    def __repr__(self) -> str:
        return (
            f"Event({self.id}, {self.actor!r}, {self.verb!r}, {self.entity_type!r}, "
            f"{self.entity_name!r})"
        )


def list_events(
    use_case: Any, after: int | None = None, limit: int | None = None
) -> Listing[Event]:
    """Events of one use case, oldest first, after the ``after`` cursor.

    With ``limit`` one page is returned; otherwise every event after the cursor.
    """
    rest = Event._client()
    require_ucwidgets(rest, "the change feed")
    (use_case_id,) = ids_of(use_case)
    items = rest.paginate(
        f"useCases/{use_case_id}/events/", {"after": after, "limit": limit}, follow=limit is None
    )
    return Listing((Event(item) for item in items), Event)


def list_notifications(
    unread: bool | None = None, offset: int | None = None, limit: int | None = None
) -> Listing[Event]:
    """Changes others made in the caller's use cases (newest handling is the server's).

    Examples
    --------
    >>> list_notifications(unread=True)  # doctest: +SKIP
    """
    rest = Event._client()
    require_ucwidgets(rest, "notifications")
    params = {
        "unread": None if unread is None else str(bool(unread)).lower(),
        "offset": offset,
        "limit": limit,
    }
    meta: dict[str, Any] = {}
    items = rest.paginate("notifications/", params, follow=limit is None, meta=meta)
    return Listing([Event(item) for item in items], Event, meta)


def mark_notifications_read(up_to: int | None = None) -> int | None:
    """Mark the caller's notifications read, all of them or those up to the event id ``up_to``.

    Returns the id of the newest event now read, as the server reports it.
    """
    rest = Event._client()
    require_ucwidgets(rest, "notifications")
    body = rest.post("notifications/read/", {"upTo": up_to}).json()
    return body.get("readUpTo") if isinstance(body, dict) else None
