"""Live panels: one event subscription per client, shared by every panel that follows it.

:class:`LiveHub` holds the one :func:`~ucwidgets.models.events.subscribe` of a client in this
kernel and hands each batch of events to whatever follows it: the feeds' shared state, and the
:class:`LiveWidget` panels (the browser's list and detail, the sharing editor, the picker). A
panel follows from its first successful load, so a ``Client()`` that failed never subscribes.

A :class:`LiveWidget` reloads in the background when an event concerns what it shows, at most one
reload at a time (events that arrive meanwhile cause one more, not one each), and keeps the
user's drafts. When its use case is deleted elsewhere it sets ``gone`` ("Deleted by bob") and
stops reloading; its front end then keeps what the user typed visible and disables the actions.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from traitlets import HasTraits, Unicode

from ucwidgets import context
from ucwidgets.client import get_client
from ucwidgets.models.events import Event, subscribe
from ucwidgets.widgets._common import use_case_or_current
from ucwidgets.widgets._parts import UseCaseWidget

__all__ = [
    "NO_USE_CASE",
    "LiveHub",
    "LiveWidget",
    "OnUseCase",
    "PerClient",
    "concerns",
    "gone_reason",
]

log = logging.getLogger("ucwidgets.widgets")
_P = TypeVar("_P", bound="PerClient")
_per_client_lock = threading.Lock()
#: Why a panel that works on a use case has none.
NO_USE_CASE = "No use case: pass use_case= or make one current (with uc:)."


class PerClient:
    """A class with one instance per client in this kernel, made on first use by :meth:`of`.

    Each subclass has its own registry; it holds the clients weakly, so an instance goes with
    its client.
    """

    _per_client: ClassVar[weakref.WeakKeyDictionary]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._per_client = weakref.WeakKeyDictionary()

    def __init__(self, client: Any) -> None:
        super().__init__()
        self.client = client

    @classmethod
    def of(cls: type[_P], client: Any) -> _P:
        """The one instance of ``client`` (None: the global client) in this kernel."""
        client = get_client() if client is None else client
        with _per_client_lock:
            if client not in cls._per_client:
                cls._per_client[client] = cls(client)
            return cls._per_client[client]


class LiveHub(PerClient, HasTraits):
    """The one live subscription of a client in this kernel, fanned out to its followers.

    A follower is any object with ``on_events(events)``; it is held weakly, and the subscription
    stops when the last one leaves.

    Examples
    --------
    >>> hub = LiveHub.of(client)  # doctest: +SKIP
    >>> hub.follow(panel)  # panel.on_events(events) from now on  # doctest: +SKIP
    >>> hub.state  # doctest: +SKIP
    'live'
    """

    _lock: ClassVar[threading.Lock] = threading.Lock()

    state = Unicode("stopped", help="The event stream's state: connecting, live, reconnecting.")

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.followers: weakref.WeakSet[Any] = weakref.WeakSet()
        self.subscription: Any = None

    def follow(self, follower: Any) -> None:
        """Hand ``follower`` every new event; the first follower starts the subscription."""
        with self._lock:
            self.followers.add(follower)
            start = self.subscription is None
            if start:
                self.subscription = subscribe(self._on_events, self._on_state, client=self.client)

    def leave(self, follower: Any) -> None:
        """Stop handing ``follower`` events; the last one to leave stops the subscription."""
        with self._lock:
            self.followers.discard(follower)
            subscription = self.subscription if not self.followers else None
            if subscription is not None:
                self.subscription = None
        if subscription is not None:
            subscription.close()

    def _on_events(self, events: list[Event]) -> None:
        for follower in list(self.followers):
            try:
                follower.on_events(events)
            except Exception:  # one broken follower must not starve the others
                log.exception("%s could not take live events", type(follower).__name__)

    def _on_state(self, state: str) -> None:
        self.state = state


def concerns(event: Event, use_case_id: str | None) -> bool:
    """Whether ``event`` happened in (or to) the use case ``use_case_id``."""
    return bool(use_case_id) and use_case_id in (event.use_case_id, event.entity_id)


def gone_reason(events: Iterable[Event], use_case_id: str | None, me: str | None) -> str:
    """Why ``events`` take the use case ``use_case_id`` away from the caller ``me``, or "".

    "Deleted by bob" when it was deleted, "Your access was removed by bob" when the caller lost
    it; the caller is "you".
    """
    for event in events:
        if not concerns(event, use_case_id):
            continue
        who = "you" if me and event.actor_id == me else (event.actor or "someone")
        if event.verb == "deleted" and event.entity_type == "useCase":
            return f"Deleted by {who}"
        if event.verb == "unshared" and me and event.entity_id == me:
            return "You left it" if who == "you" else f"Your access was removed by {who}"
    return ""


class LiveWidget(UseCaseWidget):
    """A use-case panel that follows the live events and reloads what they change.

    A subclass says which use case it shows (:meth:`live_use_case`), calls :meth:`follow_live`
    once it has loaded, and may override :meth:`on_events` (default: reload when an event
    concerns its use case, mark it ``gone`` when that use case was deleted, and back when it
    was restored).
    """

    gone = Unicode(
        "", help="Why the shown use case can no longer be changed ('Deleted by bob'); '' if it can."
    ).tag(sync=True)
    #: Whether a change to the use case reloads the panel (else only its deletion and restoring
    #: matter).
    follows_changes: ClassVar[bool] = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._hub: LiveHub | None = None
        self._reloading = False
        self._again = False
        super().__init__(*args, **kwargs)

    def live_use_case(self) -> str | None:
        """The id of the use case this panel shows (None: none)."""
        return None

    def reload_live(self) -> None:
        """Fetch again what an event changed (runs on a worker thread); default: :meth:`load`."""
        self.load()

    def follow_live(self) -> None:
        """Follow the client's live events (once; from the first successful load)."""
        if self._hub is None:
            self._hub = LiveHub.of(self.client)
            self._hub.follow(self)

    def on_events(self, events: list[Event]) -> None:
        """Take new events (on the stream's thread): mark a deletion, or reload if concerned."""
        shown = self.live_use_case()
        if not shown:
            return
        if self.gone:  # only its restoring (from the trash) brings it back
            if any(e.verb == "restored" and concerns(e, shown) for e in events):
                self.gone = ""
                self.reload_soon()
            return
        gone = gone_reason(events, shown, self.known_caller_id())
        if gone:
            self.mark_gone(gone)
        elif self.follows_changes and any(concerns(e, shown) for e in events):
            self.reload_soon()

    def mark_gone(self, why: str) -> None:
        """Show ``why`` and stop reloading; drafts stay, the actions are off."""
        with self._lock:
            self.errors = {}  # a reload that failed because it was gone says nothing more
        self.gone = why

    def reload_soon(self, reload: Callable[[], Any] | None = None) -> None:
        """Reload in the background, no spinner; one at a time, one more if asked meanwhile."""
        with self._lock:
            if self._reloading:
                self._again = True
                return
            self._reloading = True
        future = self.run("live", reload or self.reload_live, spinner=False)
        future.add_done_callback(lambda _: self._reloaded(reload))

    def _reloaded(self, reload: Callable[[], Any] | None) -> None:
        with self._lock:
            again, self._again, self._reloading = self._again, False, False
        if again and not self.gone:
            self.reload_soon(reload)

    def set_error(self, control: str, exc: BaseException) -> None:
        """Show ``exc`` next to ``control``; a background reload of a gone use case stays quiet."""
        if not (self.gone and control == "live"):
            super().set_error(control, exc)

    def close(self) -> None:
        """Stop following the live events and close the widget."""
        if self._hub is not None:
            self._hub.leave(self)
            self._hub = None
        super().close()


class OnUseCase(LiveWidget):
    """A live panel that works on one use case: the one given, else the notebook's current one,
    which it follows (``with uc:``, ``%use_case``) as long as none was given.

    Parameters
    ----------
    use_case : UseCase or str, optional
        The use case to work on; default: the current one.
    """

    use_case_id = Unicode(
        None, allow_none=True, help="The use case worked on; None follows the current one."
    ).tag(sync=True)
    use_case_name = Unicode("", help="The name of the use case (or asset) worked on.").tag(
        sync=True
    )

    def __init__(self, client: Any = None, use_case: Any = None, **kwargs: Any) -> None:
        # A use case given, by object or by use_case_id (None too), is kept: no following.
        self._follow = use_case is None and "use_case_id" not in kwargs
        kwargs.setdefault("use_case_id", use_case_or_current(use_case))
        super().__init__(client=client, **kwargs)

    def live_use_case(self) -> str | None:
        """The use case worked on: the live events about it matter."""
        return self.use_case_id

    def _use_case_now(self) -> str | None:
        """The use case to work on now: while following, the one current at this moment."""
        if self._follow:
            self.use_case_id = context.get_current_use_case_id()
        return self.use_case_id
