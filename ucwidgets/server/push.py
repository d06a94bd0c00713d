"""Pushing events to clients: one hub per service wakes every long poll and websocket.

A write that records an event wakes the hub after its commit (``Database.on_events``, called on
the writer's thread); waiters then read what they may see from the event table, the source of
truth. On PostgreSQL the commit also sends ``NOTIFY`` and every hub listens (``LISTEN``), so a
write through one replica wakes the clients of all of them at once. Waiters also look at the
table every ``POLL_S`` seconds, which catches events written by another process on a SQLite file
(two kernels' embedded services) and anything a lost listening connection missed.

Examples
--------
>>> import asyncio
>>> from ucwidgets.server.store.db import Database
>>> hub = EventHub(Database("sqlite://"))
>>> async def main():
...     waiter = hub.waiter()
...     hub.notify()  # what a committed event does, from any thread
...     await asyncio.wait_for(waiter, 1)
...     return waiter.done()
>>> asyncio.run(main())
True
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import Any

from .store.db import EVENTS_CHANNEL
from .store.records import User

log = logging.getLogger("ucwidgets.server")

#: Seconds between looks at the event table while a client waits.
POLL_S = 0.5


class EventHub:
    """Futures of waiting clients, resolved when an event commits."""

    def __init__(self, db: Any) -> None:
        self._lock = threading.Lock()
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = []
        db.on_events.append(self.notify)
        self._listener = _Listener(db.engine.url, self.notify) if db.is_postgres else None

    def close(self) -> None:
        """Stop listening to the database (PostgreSQL); waiters still wake by polling."""
        if self._listener is not None:
            self._listener.stop()

    def waiter(self) -> asyncio.Future:
        """A future of the running loop that the next committed event resolves."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        with self._lock:
            self._waiters.append((loop, future))
        return future

    def discard(self, future: asyncio.Future) -> None:
        with self._lock:
            self._waiters = [(lp, f) for lp, f in self._waiters if f is not future]

    def notify(self) -> None:
        """Wake every waiter (safe from any thread)."""
        with self._lock:
            waiters, self._waiters = self._waiters, []
        for loop, future in waiters:
            if not loop.is_closed():
                loop.call_soon_threadsafe(_resolve, future)


class _Listener:
    """A thread that holds one PostgreSQL connection in ``LISTEN`` and calls ``wake`` for each
    notification; a lost connection is opened again (waking once, for what it may have missed)."""

    def __init__(self, url: Any, wake: Callable[[], None]) -> None:
        # psycopg takes a plain postgresql:// URL, not SQLAlchemy's driver-qualified one.
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._wake = wake
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ucwidgets-listen", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psycopg

        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=3) as conn:
                    conn.execute(f"LISTEN {EVENTS_CHANNEL}")
                    self._wake()
                    while not self._stopping.is_set():
                        for _ in conn.notifies(timeout=0.5):
                            self._wake()
            except psycopg.Error as e:
                log.warning("listening for events: %s; trying again in 1 s", e)
                self._stopping.wait(1)

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)


def _resolve(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


async def next_events(
    ctx: Any,
    user: User,
    after: int,
    limit: int,
    wait: float,
    gone: Callable[[], bool] = lambda: False,
) -> list[dict]:
    """Events ``user`` may see after ``after``, as soon as there is one or when ``wait`` ends.

    ``gone`` says the client has left, so a closed connection stops the wait early.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        future = ctx.hub.waiter()  # before reading, so an event committed meanwhile wakes us
        try:
            items = await loop.run_in_executor(
                ctx.executor, ctx.store.feed.events_after, user, after, limit
            )
            remaining = deadline - loop.time()
            if items or remaining <= 0 or gone():
                return items
            await asyncio.wait([future], timeout=min(POLL_S, remaining))
        finally:
            ctx.hub.discard(future)
