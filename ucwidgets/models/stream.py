"""One background connection per client that brings the service's events as they happen.

The stream prefers the websocket ``events/ws/`` (the token goes in its ``Authorization``
header, never in the URL) and falls back to long polls of ``events/?after=&wait=`` when no
websocket gets through (an older service, a proxy). It remembers the id of the last event it
delivered and resumes after it on every reconnect, so a dropped connection loses nothing;
reconnects back off from 0.5 s to 10 s. Use :func:`ucwidgets.models.events.subscribe`.

Examples
--------
>>> from ucwidgets.models.stream import EventStream
>>> stream = EventStream.of(client)  # doctest: +SKIP
>>> sub = stream.subscribe(lambda items: print(len(items)))  # doctest: +SKIP
>>> sub.close()  # the last subscriber gone, the stream stops  # doctest: +SKIP
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any, ClassVar

import websocket

from ucwidgets.errors import ServiceUnavailable, Unauthorized, UseCaseError
from ucwidgets.rest import RESTClientObject

log = logging.getLogger("ucwidgets.stream")

#: Seconds a long poll waits on the server; the read timeout allows for it.
POLL_WAIT = 25
#: Seconds without any frame after which a websocket counts as dead (the server pings at 20).
SOCKET_IDLE = 45
#: Reconnect delays: first, and the most it grows to.
BACKOFF = (0.5, 10.0)


class Subscription:
    """One subscriber of an :class:`EventStream`; ``close()`` ends it."""

    def __init__(self, stream: EventStream, callback: Callable, on_state: Callable | None) -> None:
        self.stream = stream
        self.callback = callback
        self.on_state = on_state

    def close(self) -> None:
        """Stop receiving; the stream stops when its last subscriber closes."""
        self.stream._unsubscribe(self)


class EventStream:
    """The events of one client, delivered on a background thread to every subscriber.

    Attributes
    ----------
    state : str
        ``"connecting"``, ``"live"`` (connected; ``transport`` says how), ``"reconnecting"``
        (after a failure, during backoff) or ``"stopped"``.
    transport : str
        ``"websocket"`` or ``"long-poll"``.
    cursor : int or None
        The id of the last event delivered (None until connected).
    error : str
        Why the last connection failed, empty when none.
    """

    _streams: ClassVar[weakref.WeakKeyDictionary] = weakref.WeakKeyDictionary()
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, rest: RESTClientObject) -> None:
        self.rest = rest
        self.state = "stopped"
        self.transport = "websocket"
        self.cursor: int | None = None
        self.error = ""
        self._subs: list[Subscription] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._socket: Any = None

    @classmethod
    def of(cls, rest: RESTClientObject) -> EventStream:
        """The one stream of ``rest`` in this process."""
        with cls._lock:
            stream = cls._streams.get(rest)
            if stream is None:
                stream = cls._streams[rest] = cls(rest)
            return stream

    def subscribe(
        self, callback: Callable[[list[dict]], Any], on_state: Any = None
    ) -> Subscription:
        """Add a subscriber (``callback(items)`` with the events' JSON) and start if needed."""
        sub = Subscription(self, callback, on_state)
        with self._lock:
            self._subs.append(sub)
            if self._thread is None or not self._thread.is_alive():
                self._stop = threading.Event()
                self._thread = threading.Thread(
                    target=self._run, name="ucwidgets-events", daemon=True
                )
                self._thread.start()
        if on_state is not None:
            on_state(self.state)
        return sub

    def _unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            if sub in self._subs:
                self._subs.remove(sub)
            last = not self._subs
        if last:
            self.stop()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the background thread (a websocket closes at once; a long poll ends by itself)."""
        self._stop.set()
        socket = self._socket
        if socket is not None:
            with contextlib.suppress(Exception):  # already closed: nothing to abort
                socket.abort()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        self._set_state("stopped")

    # -- the background thread ------------------------------------------------------------------
    def _run(self) -> None:
        delay = BACKOFF[0]
        self._set_state("connecting")
        while not self._stop.is_set():
            try:
                if self.transport == "websocket":
                    self._run_socket()
                else:
                    self._run_long_poll()
                delay = BACKOFF[0]
            except Unauthorized as exc:  # a revoked token will not come back: say so, stop
                self.error = str(exc)
                self._set_state("stopped")
                return
            except (UseCaseError, OSError, websocket.WebSocketException, ValueError) as exc:
                if self._stop.is_set():
                    break
                self.error = str(exc) or type(exc).__name__
                log.info("event stream of %s: %s; reconnecting", self.rest.endpoint, self.error)
                self._set_state("reconnecting")
                self._stop.wait(delay)
                delay = min(delay * 2, BACKOFF[1])

    def _run_socket(self) -> None:
        url = "ws" + self.rest.url("events/ws/").removeprefix("http")
        try:
            socket = websocket.create_connection(
                url,
                timeout=SOCKET_IDLE,
                header=[f"Authorization: {self.rest.session.headers['Authorization']}"],
                suppress_origin=True,
                sslopt=None if self.rest.session.verify is not False else {"cert_reqs": 0},
            )
        except websocket.WebSocketBadStatusException as exc:
            if exc.status_code == 401:
                raise Unauthorized("The token was refused by the event stream.") from exc
            self.transport = "long-poll"  # no websocket here: long polls instead
            return
        self._socket = socket
        try:
            socket.send(json.dumps({} if self.cursor is None else {"after": self.cursor}))
            while not self._stop.is_set():
                message = socket.recv()
                if not message:  # closed by the server
                    raise ServiceUnavailable("The event stream was closed by the service.")
                item = json.loads(message)
                if "lastEventId" in item and "verb" not in item:
                    self.cursor = item["lastEventId"] if self.cursor is None else self.cursor
                    self._set_state("live")
                else:
                    self._deliver([item])
        finally:
            self._socket = None
            with contextlib.suppress(Exception):
                socket.close()
            socket.shutdown()  # close() leaves the socket open once the server has closed

    def _run_long_poll(self) -> None:
        if self.cursor is None:
            self.cursor = self.rest.get("events/", timeout=(3, 10))["lastEventId"]
        self._set_state("live")
        while not self._stop.is_set():
            body = self.rest.get(
                "events/", {"after": self.cursor, "wait": POLL_WAIT}, timeout=(3, POLL_WAIT + 10)
            )
            if body.get("data"):
                self._deliver(body["data"])

    def _deliver(self, items: list[dict]) -> None:
        self.cursor = items[-1]["id"]
        for sub in list(self._subs):
            try:
                sub.callback(items)
            except Exception:  # a broken subscriber must not stop everyone else's events
                log.exception("an event subscriber failed")

    def _set_state(self, state: str) -> None:
        if state == self.state:
            return
        self.state = state
        for sub in list(self._subs):
            if sub.on_state is not None:
                try:
                    sub.on_state(state)
                except Exception:
                    log.exception("an event subscriber failed")


@atexit.register
def _stop_all() -> None:
    for stream in list(EventStream._streams.values()):
        stream._stop.set()
