"""Pushing events to clients: one hub per service wakes every long poll and websocket.

A write that records an event wakes the hub after its commit (``Database.on_events``, called on
the writer's thread); waiters then read what they may see from the event table, the source of
truth. Waiters also look at the table every ``POLL_S`` seconds, which catches events written by
another process on the same database (two kernels' embedded services, replicas).

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
import threading
from collections.abc import Callable
from typing import Any

#: Seconds between looks at the event table while a client waits.
POLL_S = 0.5


class EventHub:
    """Futures of waiting clients, resolved when an event commits."""

    def __init__(self, db: Any) -> None:
        self._lock = threading.Lock()
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = []
        db.on_events.append(self.notify)

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


def _resolve(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


async def next_events(
    ctx: Any,
    user: dict,
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
                ctx.executor, ctx.store.events_after, user, after, limit
            )
            remaining = deadline - loop.time()
            if items or remaining <= 0 or gone():
                return items
            await asyncio.wait([future], timeout=min(POLL_S, remaining))
        finally:
            ctx.hub.discard(future)
