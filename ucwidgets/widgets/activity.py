"""``ActivityFeed``: what changed in the caller's use cases, live, grouped, newest first.

Every feed of one client shares one :class:`FeedState` in the kernel: the unread count, what was
marked read, and the one subscription to the service's event stream, so two feeds on a page
always agree and a teammate's change reaches both without a click. Items are runs of the same
change (``feed_items.group``); each opens its use case or asset and can be marked read alone.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from traitlets import Bool, Dict, HasTraits, Int, List, Unicode, observe

from ucwidgets.models.events import Event, list_notifications, mark_notifications_read
from ucwidgets.models.use_cases.use_case import UseCaseUser
from ucwidgets.widgets._common import Panel, action, use_case_or_current
from ucwidgets.widgets.feed_items import KINDS, group
from ucwidgets.widgets.live import LiveHub, PerClient

__all__ = ["ActivityFeed", "FeedState"]

#: Events fetched per page ("Load more" fetches the next).
PAGE = 50


class FeedState(PerClient, HasTraits):
    """What every feed of one client shares: the unread count, reads, the live subscription.

    Examples
    --------
    >>> state = FeedState.of(client)  # doctest: +SKIP
    >>> state.unread_count  # doctest: +SKIP
    4
    """

    unread_count = Int(0, help="Unread notifications of the caller, across every use case.")
    live = Unicode("stopped", help="The event stream's state: connecting, live, reconnecting.")

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.read: set[int] = set()
        self.feeds: weakref.WeakSet[ActivityFeed] = weakref.WeakSet()
        self.hub: LiveHub | None = None

    def join(self, feed: ActivityFeed) -> None:
        """Let ``feed`` share this state; the first feed follows the client's live events."""
        self.feeds.add(feed)
        if self.hub is None:
            self.hub = LiveHub.of(self.client)  # the subscription the other panels share
            self.hub.observe(self._on_live, "state")
            self.hub.follow(self)
            self.live = self.hub.state

    def leave(self, feed: ActivityFeed) -> None:
        self.feeds.discard(feed)
        if not self.feeds and self.hub is not None:
            self.hub.unobserve(self._on_live, "state")
            self.hub.leave(self)
            self.hub = None

    def count(self, unread: int | None) -> None:
        """Take the unread count a listing or a mark-read reported."""
        if isinstance(unread, int):
            self.unread_count = unread

    def mark_read(self, ids: list[int] | None) -> None:
        """Mark events read (all of them with None) and tell every feed."""
        if ids is None:
            self.count(mark_notifications_read().get("unreadCount"))
        else:
            self.count(mark_notifications_read(ids=ids).get("unreadCount"))
            self.read.update(ids)
        for feed in list(self.feeds):
            feed._on_read(ids)

    def on_events(self, events: list[Event]) -> None:
        """New events from the live subscription: count the others', show them in every feed."""
        me = {feed.me_id for feed in self.feeds}
        fresh = sum(1 for e in events if e.actor_id not in me)
        if fresh:
            self.unread_count += fresh
        for feed in list(self.feeds):
            feed._on_events(events)

    def _on_live(self, change: Any) -> None:
        self.live = change["new"]


class ActivityFeed(Panel):
    """The change feed of the caller's use cases, live, with one unread count per page.

    Parameters
    ----------
    use_case : UseCase or str, optional
        Show only this use case's changes (a filter the user can clear); default: the current
        use case, if any.
    notifications : bool, optional
        Start unfiltered even when a use case is current.
    page_size : int, default 50
        Events read per page ("Load more" reads the next).

    Examples
    --------
    >>> import ucwidgets
    >>> feed = ucwidgets.ActivityFeed()  # doctest: +SKIP
    >>> feed.wait(); feed.unread_count  # doctest: +SKIP
    3
    >>> feed.items[0]["text"]  # doctest: +SKIP
    'ann modified project Fraud CNP v1 · 3 changes'
    >>> feed.mark_read(feed.items[0]["key"])  # doctest: +SKIP
    >>> feed.on_open(lambda item: print(item["use_case_id"]))  # doctest: +SKIP
    """

    _module = "feed.js"

    items = List(help="Feed items, newest first: runs of one change (feed_items.group).").tag(
        sync=True
    )
    unread_count = Int(0, help="The caller's unread count, shared by every feed.").tag(sync=True)
    me = Unicode("", help="Who the feed is signed in as (username).").tag(sync=True)
    live = Unicode("stopped", help="connecting, live, reconnecting or stopped.").tag(sync=True)
    has_more = Bool(False, help="Whether older events remain to load.").tag(sync=True)
    use_case_id = Unicode("", help="Only this use case's changes ('' for all).").tag(sync=True)
    person = Unicode("", help="Only this user's changes (a user id; '' for all).").tag(sync=True)
    kind = Unicode("", help=f"Only changes to one kind: {', '.join(KINDS)} ('' for all).").tag(
        sync=True
    )
    use_cases = List(help="[{'id', 'name'}] the use case filter offers.").tag(sync=True)
    people = List(help="[{'id', 'name'}] the person filter offers.").tag(sync=True)
    kinds = Dict(KINDS, help="The kind filter's values and labels.").tag(sync=True)
    opened = Dict(help="The item opened last ({} until one is).").tag(sync=True)

    def __init__(
        self,
        client: Any = None,
        use_case: Any = None,
        notifications: bool = False,
        page_size: int = PAGE,
        **kwargs: Any,
    ) -> None:
        #: How many events a page (the first, and each "Load more") reads.
        self.page_size = page_size
        #: Every event loaded, newest first (the items are their runs).
        self.events: list[Event] = []
        self.me_id = ""
        self._openers: list[Callable[[dict], Any]] = []
        self._state: FeedState | None = None
        chosen = None if notifications else use_case_or_current(use_case)
        super().__init__(client=client, use_case_id=chosen or "", **kwargs)

    # -- public actions (they raise) --------------------------------------------------------
    def load(self) -> None:
        """Sign in, read the newest page with the current filters, and go live."""
        if self._state is None:
            me = UseCaseUser.me()
            self.me_id, self.me = me.id, me.username or me.id
            self._state = FeedState.of(self.client)
            self._state.observe(self._on_state_change, ["unread_count", "live"])
            self._state.join(self)
        page = self._fetch(before=None)
        self.events = list(page)
        self._state.count(page.unread_count)
        self._show(has_more=len(page) == self.page_size)

    def refresh(self) -> None:
        """Read the newest page again (push keeps the feed current; this is for scripts)."""
        with self.api():
            self.load()

    @action("more")
    def load_more(self) -> None:
        """Append the next page of older events."""
        page = self._fetch(before=self.events[-1].id if self.events else None)
        self.events = self.events + list(page)
        self._show(has_more=len(page) == self.page_size)

    @action("item")
    def mark_read(self, key: str) -> None:
        """Mark the item ``key`` (all the events of its run) read."""
        assert self._state is not None
        self._state.mark_read(self._item(key)["ids"])

    @action("mark_all")
    def mark_all_read(self) -> None:
        """Mark every notification read."""
        assert self._state is not None
        self._state.mark_read(None)

    @action("item")
    def open_item(self, key: str) -> None:
        """Open the item ``key``: mark it read, set ``opened``, call the ``on_open`` callbacks."""
        item = self._item(key)
        if item["unread"]:
            self.mark_read(key)
        self.opened = item
        for callback in self._openers:
            callback(item)

    def on_open(self, callback: Callable[[dict], Any]) -> None:
        """Call ``callback(item)`` when an item is opened (to show it in a browser)."""
        self._openers.append(callback)

    def close(self) -> None:
        """Leave the shared state (the last feed stops the stream) and close the widget."""
        if self._state is not None:
            self._state.unobserve(self._on_state_change, ["unread_count", "live"])
            self._state.leave(self)
            self._state = None
        super().close()

    # -- internals --------------------------------------------------------------------------
    def _fetch(self, before: int | None) -> Any:
        return list_notifications(
            limit=self.page_size,
            include_own=True,
            before=before,
            use_case=self.use_case_id or None,
            actor_id=self.person or None,
            entity_type=self.kind or None,
        )

    def _item(self, key: str) -> dict:
        for item in self.items:
            if item["key"] == key:
                return item
        raise ValueError(f"no feed item {key!r}")

    def _show(self, has_more: bool | None = None) -> None:
        read = self._state.read if self._state is not None else set()
        with self.hold_trait_notifications():
            self.items = group(self.events, self.me_id, read)
            if has_more is not None:
                self.has_more = has_more
            self._offer_filters()

    def _offer_filters(self) -> None:
        use_cases = {e.use_case_id: e.use_case_name for e in self.events if e.use_case_id}
        people = {e.actor_id: e.actor for e in self.events if e.actor_id}
        for known in self.use_cases:
            use_cases.setdefault(known["id"], known["name"])
        for known in self.people:
            people.setdefault(known["id"], known["name"])
        self.use_cases = sorted(
            ({"id": k, "name": v or k} for k, v in use_cases.items()), key=lambda u: u["name"]
        )
        self.people = sorted(
            ({"id": k, "name": "you" if k == self.me_id else (v or k)} for k, v in people.items()),
            key=lambda p: p["name"],
        )

    def _matches(self, event: Event) -> bool:
        return (
            (not self.use_case_id or event.use_case_id == self.use_case_id)
            and (not self.person or event.actor_id == self.person)
            and (not self.kind or event.entity_type == self.kind)
        )

    def _on_events(self, events: list[Event]) -> None:
        """New events from the stream (on its thread): newest first, on top."""
        fresh = [e for e in reversed(events) if self._matches(e)]
        if fresh:
            self.events = fresh + self.events
            self._show()

    def _on_read(self, ids: list[int] | None) -> None:
        if ids is None:
            for event in self.events:
                event.read = True
        self._show()

    def _on_state_change(self, change: Any) -> None:
        setattr(self, change["name"], change["new"])

    @observe("use_case_id", "person", "kind")
    def _on_filter_change(self, change: Any) -> None:
        if self._state is not None:  # after the first load: read again with the new filters
            self.run("filters", self.load)
