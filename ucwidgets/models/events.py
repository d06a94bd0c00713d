"""The change feed: what happened in a use case, notifications, and the live stream.

These are ucwidgets features; against DataRobot they raise
:class:`~ucwidgets.errors.NotSupported`.

:func:`subscribe` is how the widgets stay live: one background :class:`EventStream` per client
(a websocket to ``events/ws/``, or long polls of ``events/?after=&wait=`` where no websocket gets
through) hands every new event the caller may see to each subscriber's callback, reconnects with
backoff and resumes after the last event it delivered, so nothing is missed.

Examples
--------
>>> uc.events()  # doctest: +SKIP
[Event(1, 'ann@example.com', 'created', 'use_case', 'Risk'), ...]
>>> from ucwidgets.models.events import list_notifications, subscribe
>>> list_notifications(unread=True).to_frame()  # doctest: +SKIP
>>> sub = subscribe(lambda events: print(events))  # doctest: +SKIP
>>> sub.close()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ucwidgets.models._base import (
    TIME,
    APIObject,
    field,
    ids_of,
    parse_time,
    require_ucwidgets,
    user_label,
)
from ucwidgets.models.listing import Listing
from ucwidgets.models.stream import EventStream, Subscription
from ucwidgets.rest import RESTClientObject


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
    recipient_id : str or None
        The user a share or unshare names; the former member a deletion notice is for.
    role : str or None
        Shares only: the role given (``OWNER``, ``EDITOR`` or ``CONSUMER``).

    Notes
    -----
    ``Listing.to_frame()`` columns: ``id`` int64, ``at`` datetime64[ns, UTC], ``use_case_id``
    string, ``use_case_name`` string, ``actor`` string, ``verb`` string, ``entity_type`` string,
    ``entity_id`` string, ``entity_name`` string, ``read`` boolean.
    """

    id: int = field(required=True, convert=int, frame="int64")
    at: datetime | None = field("at", "createdAt", convert=parse_time, frame=TIME)
    use_case_id: str | None = field(frame="string")
    use_case_name: str | None = field(frame="string")
    actor: str | None = field(convert=user_label, frame="string")
    verb: str = field(default="", frame="string")
    entity_type: str | None = field(frame="string")
    entity_id: str | None = field(frame="string")
    entity_name: str | None = field(frame="string")
    read: bool | None = field(frame="boolean")
    actor_id: str | None = field("actor.id")
    recipient_id: str | None = field()
    role: str | None = field()

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
    unread: bool | None = None,
    offset: int | None = None,
    limit: int | None = None,
    *,
    include_own: bool = False,
    before: int | None = None,
    use_case: Any = None,
    actor_id: str | None = None,
    entity_type: str | None = None,
) -> Listing[Event]:
    """Changes in the caller's use cases, newest first: by others, or all with ``include_own``.

    Parameters
    ----------
    unread : bool, optional
        Only those not marked read.
    offset, limit : int, optional
        One page; without ``limit`` every page is read.
    include_own : bool, default False
        Also the caller's own changes (they count as read).
    before : int, optional
        Only events older than this id: the next page of a feed ("load more").
    use_case, actor_id, entity_type : optional
        Only this use case's events, this user's changes, changes to this kind of thing
        (``useCase``, ``dataset``, ``project``, ``application``, ``notebook``, ``user``).

    The listing's ``meta["unreadCount"]`` is the caller's unread count, whatever the filters.

    Examples
    --------
    >>> list_notifications(unread=True)  # doctest: +SKIP
    >>> list_notifications(limit=50, include_own=True, entity_type="dataset")  # doctest: +SKIP
    """
    rest = Event._client()
    require_ucwidgets(rest, "notifications")
    params = {
        "unread": None if unread is None else str(bool(unread)).lower(),
        "offset": offset,
        "limit": limit,
        "includeOwn": "true" if include_own else None,
        "before": before,
        "useCaseId": ids_of(use_case)[0] if use_case is not None else None,
        "actorId": actor_id,
        "entityType": entity_type,
    }
    meta: dict[str, Any] = {}
    items = rest.paginate("notifications/", params, follow=limit is None, meta=meta)
    return Listing([Event(item) for item in items], Event, meta)


def mark_notifications_read(
    up_to: int | None = None, ids: list[int] | None = None
) -> dict[str, int]:
    """Mark the caller's notifications read: the events ``ids`` one by one, or all of them up
    to the event id ``up_to`` (default: all so far).

    Returns the server's ``{"readUpTo": ..., "unreadCount": ...}``.

    Examples
    --------
    >>> mark_notifications_read(ids=[41, 42])["unreadCount"]  # doctest: +SKIP
    3
    """
    rest = Event._client()
    require_ucwidgets(rest, "notifications")
    body = rest.post("notifications/read/", {"upTo": up_to, "ids": ids}).json()
    return body if isinstance(body, dict) else {}


def subscribe(
    callback: Callable[[list[Event]], Any],
    on_state: Callable[[str], Any] | None = None,
    client: RESTClientObject | None = None,
) -> Subscription:
    """Call ``callback(events)`` with every new event the caller may see, as it happens.

    The callback runs on the stream's background thread, with the events in id order; an
    exception it raises is logged and the stream goes on. Every subscriber of one client shares
    one :class:`EventStream`.

    Parameters
    ----------
    callback : callable
        Receives a list of :class:`Event`.
    on_state : callable, optional
        Receives the stream's :attr:`EventStream.state` whenever it changes.
    client : RESTClientObject, optional
        Whose events; default: the current client.

    Returns
    -------
    Subscription
        ``close()`` it to stop; the stream stops with its last subscriber.

    Examples
    --------
    >>> from ucwidgets.models.events import subscribe
    >>> sub = subscribe(lambda events: print([e.verb for e in events]))  # doctest: +SKIP
    >>> sub.stream.state  # doctest: +SKIP
    'live'
    >>> sub.close()  # doctest: +SKIP
    """
    rest = client or Event._client()
    require_ucwidgets(rest, "live events")
    return EventStream.of(rest).subscribe(
        lambda items: callback([Event(item) for item in items]), on_state
    )
