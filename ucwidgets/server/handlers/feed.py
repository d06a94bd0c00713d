"""Notifications across the caller's use cases, and search."""

from __future__ import annotations

from .. import wire
from .base import ApiHandler, authenticated


class NotificationsHandler(ApiHandler):
    @authenticated
    async def get(self) -> None:
        offset, limit = self.paging()
        before = self.query("before")
        items, total, unread = await self.call(
            self.ctx.store.feed.notifications,
            self.user,
            self.query_bool("unread"),
            offset,
            limit,
            include_own=self.query_bool("includeOwn"),
            before=None if before in (None, "") else self.query_int("before", 0),
            use_case_id=self.query("useCaseId"),
            actor_id=self.query("actorId"),
            entity_type=self.query("entityType"),
        )
        self.send_page([wire.event(e) for e in items], total, offset, limit, unreadCount=unread)


class NotificationsReadHandler(ApiHandler):
    """Mark notifications read: all, up to ``{"upTo": eventId}``, or ``{"ids": [...]}``."""

    @authenticated
    async def post(self) -> None:
        body = self.json_body()
        store = self.ctx.store
        marked = await self.call(store.feed.mark_read, self.user, body.get("upTo"), body.get("ids"))
        _, _, unread = await self.call(store.feed.notifications, self.user, False, 0, 1)
        self.send({"readUpTo": marked, "unreadCount": unread})


class SearchHandler(ApiHandler):
    @authenticated
    async def get(self) -> None:
        offset, limit = self.paging()
        types = [t for raw in self.query_list("types") or [] for t in raw.split(",") if t]
        items, total = await self.call(
            self.ctx.store.feed.search, self.user, self.query("q", "") or "", types, offset, limit
        )
        self.send_page(items, total, offset, limit)
