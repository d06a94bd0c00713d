"""Notifications across the caller's use cases, and search."""

from __future__ import annotations

from .. import wire
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
        marked = await self.call(self.ctx.store.mark_read, self.user, self.json_body().get("upTo"))
        self.send({"readUpTo": marked})


class SearchHandler(ApiHandler):
    @authenticated
    async def get(self) -> None:
        offset, limit = self.paging()
        types = [t for raw in self.query_list("types") or [] for t in raw.split(",") if t]
        items, total = await self.call(
            self.ctx.store.search, self.user, self.query("q", "") or "", types, offset, limit
        )
        self.send_page(items, total, offset, limit)
