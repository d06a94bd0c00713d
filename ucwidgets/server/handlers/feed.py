"""Notifications across the caller's use cases, and search."""

from __future__ import annotations

from ...errors import ValidationError
from .. import wire
from ..store.validate import BIGINT_MAX
from .base import ApiHandler, authenticated


class NotificationsHandler(ApiHandler):
    @authenticated
    async def get(self) -> None:
        offset, limit = self.paging()
        items, total, unread = await self.call(
            self.ctx.store.notifications, self.user, self.query_bool("unread"), offset, limit
        )
        self.send_page([wire.event(e) for e in items], total, offset, limit, unreadCount=unread)


class NotificationsReadHandler(ApiHandler):
    """Mark notifications read, all of them or up to ``{"upTo": eventId}``."""

    @authenticated
    async def post(self) -> None:
        body = self.json_body()
        upto = body.get("upTo")
        if upto is not None and (
            isinstance(upto, bool) or not isinstance(upto, int) or not 0 <= upto <= BIGINT_MAX
        ):
            raise ValidationError(
                "upTo must be a non-negative event id.", errors={"upTo": "invalid"}
            )
        marked = await self.call(self.ctx.store.mark_read, self.user, upto)
        self.send({"readUpTo": marked})


class SearchHandler(ApiHandler):
    @authenticated
    async def get(self) -> None:
        offset, limit = self.paging()
        types = [t for raw in self.get_query_arguments("types") for t in raw.split(",") if t]
        items, total = await self.call(
            self.ctx.store.search, self.user, self.query("q", "") or "", types, offset, limit
        )
        self.send_page(items, total, offset, limit)
