"""The live feed: ``GET events/?after=&wait=`` (long poll) and ``events/ws/`` (websocket).

Both serve the events the caller may see, oldest first, from ``after`` on; without ``after``
they start from now and return only the cursor (``lastEventId``). The websocket takes the token
in the ``Authorization`` header or as its first message (``{"token": ..., "after": ...}``), never
in the URL, which servers and proxies log; a JupyterHub token works there as everywhere, and a
browser signed in through the Hub may use its cookie from the service's own origin.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import tornado.websocket

from ...errors import BadRequest, Unauthorized, UseCaseError
from .. import wire
from ..push import next_events
from .base import MAX_LIMIT, ApiHandler, authenticated, header_token, user_for_token

log = logging.getLogger("ucwidgets.server")

#: Longest long poll, in seconds; a websocket waits in rounds of this.
MAX_WAIT = 60
#: Seconds a websocket without a token in its header has to send one.
AUTH_WINDOW_S = 10


class EventsHandler(ApiHandler):
    """``GET events/?after=ID&wait=S&limit=N``."""

    @authenticated
    async def get(self) -> None:
        limit = self.query_int("limit", 100, low=1, high=MAX_LIMIT)
        wait = self.query_int("wait", 0, high=MAX_WAIT)
        if self.query("after") in (None, ""):
            latest = await self.call(self.ctx.store.feed.latest_event_id, self.user)
            self.send({"count": 0, "data": [], "lastEventId": latest})
            return
        after = self.query_int("after", 0)
        stream = self.request.connection.stream  # type: ignore[attr-defined]
        items = await next_events(self.ctx, self.user, after, limit, wait, stream.closed)
        self.send(
            {
                "count": len(items),
                "data": [wire.event(e) for e in items],
                "lastEventId": items[-1]["id"] if items else after,
            }
        )


class EventSocket(tornado.websocket.WebSocketHandler):
    """``events/ws/``: one JSON message per event; ``{"lastEventId": N}`` once ready."""

    def initialize(self, ctx: Any) -> None:
        self.ctx = ctx
        self.user: dict | None = None
        self.token: str | None = None
        self._pump: asyncio.Task | None = None
        self._by_cookie = False

    def check_origin(self, origin: str) -> bool:
        # A token travels in a header or a message: nothing another site could forge. A Hub
        # sign-in cookie is sent by the browser on its own, so it counts from our origin only.
        return not self._by_cookie or super().check_origin(origin)

    @property
    def ping_interval(self) -> float:
        return 20.0

    async def prepare(self) -> None:
        header = self.request.headers.get("Authorization")
        try:
            if header is not None:
                self.token = header_token(header)
                self.user = await self._authenticate()
            elif self.ctx.jupyterhub is not None:
                self.user = await self.ctx.jupyterhub.identify_cookie(self)
                self._by_cookie = self.user is not None
            # Otherwise the token comes as the first message.
        except UseCaseError as e:
            self.set_status(e.status_code)
            self.set_header("Content-Type", "application/json")
            if e.status_code == 401:
                self.set_header("WWW-Authenticate", 'Token realm="ucwidgets"')
            if e.status_code == 503:
                self.set_header("Retry-After", str(getattr(e, "retry_after", None) or 1))
            self.finish(json.dumps(e.json))

    async def _authenticate(self) -> dict:
        if self._by_cookie:
            user = await self.ctx.jupyterhub.identify_cookie(self)
            if user is None:
                raise Unauthorized("The sign-in cookie is no longer valid.")
            return user
        assert self.token is not None
        return await user_for_token(self.ctx, self.token)

    def open(self, *_: Any) -> None:
        if self.user is None:
            asyncio.get_running_loop().call_later(AUTH_WINDOW_S, self._auth_deadline)

    def _auth_deadline(self) -> None:
        if self.user is None and self.ws_connection is not None:
            self.close(4401, "no token")

    async def on_message(self, message: str | bytes) -> None:
        if self._pump is not None:
            return  # one subscription per socket; later messages are ignored
        try:
            body = json.loads(message)
            if not isinstance(body, dict):
                raise BadRequest('Send a JSON object: {"after": id}.')
            if self.user is None:
                token = body.get("token")
                if not isinstance(token, str) or not token.strip():
                    raise Unauthorized('Authentication required: send {"token": ...} first.')
                self.token = token.strip()
                self.user = await self._authenticate()
            after = body.get("after")
            if after is not None and (isinstance(after, bool) or not isinstance(after, int)):
                raise BadRequest("after must be an event id.")
        except (ValueError, UseCaseError) as e:
            error = e if isinstance(e, UseCaseError) else BadRequest("The message is not JSON.")
            self.close(4000 + error.status_code, error.message[:120])
            return
        self._pump = asyncio.ensure_future(self._send_events(after))

    async def _send_events(self, after: int | None) -> None:
        assert self.user is not None
        store = self.ctx.store
        if after is None:
            after = await self._in_executor(store.feed.latest_event_id, self.user)
        try:
            await self.write_message({"lastEventId": after})
            while self.ws_connection is not None:
                items = await next_events(self.ctx, self.user, after, 100, MAX_WAIT, self._gone)
                try:  # a deactivated user or a revoked token ends the stream
                    self.user = await self._authenticate()
                except Unauthorized:
                    self.close(4401, "token no longer valid")
                    return
                except UseCaseError as e:  # the Hub is down or access was withdrawn
                    self.close(4000 + e.status_code, e.message[:120])
                    return
                for item in items:
                    await self.write_message(json.dumps(wire.event(item), ensure_ascii=False))
                    after = item["id"]
        except tornado.websocket.WebSocketClosedError:
            return  # the client left

    async def _in_executor(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.ctx.executor, fn, *args)

    def _gone(self) -> bool:
        return self.ws_connection is None

    def on_close(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
