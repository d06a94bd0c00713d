"""Use cases, their links to assets, their members, and their change feed."""

from __future__ import annotations

from ...errors import NotFound, ValidationError
from .. import wire
from ..store.tags import FILTER_KEYS
from .base import ApiHandler, authenticated

#: URL segment -> entity type, for ``useCases/{id}/{segment}/{entityId}/``.
SEGMENTS = {
    "datasets": "dataset",
    "projects": "project",
    "applications": "application",
    "notebooks": "notebook",
}
#: The reverse-lookup filters of ``GET useCases/``: the use cases holding one asset.
REVERSE = {
    "datasetId": "dataset",
    "projectId": "project",
    "applicationId": "application",
    "notebookId": "notebook",
}


class UseCasesHandler(ApiHandler):
    @authenticated
    async def get(self) -> None:
        offset, limit = self.paging()
        given = [
            (etype, self.query(param)) for param, etype in REVERSE.items() if self.query(param)
        ]
        if len(given) > 1:
            raise ValidationError(
                f"Filter by one of {', '.join(REVERSE)} at a time.",
                errors={param: "more than one asset filter" for param in REVERSE},
            )
        entity = given[0] if given else None
        mine, shared = self.query_bool("mine"), self.query_bool("sharedWithMe")
        if mine and shared:
            raise ValidationError(
                "Filter by mine or sharedWithMe, not both.", errors={"sharedWithMe": "with mine"}
            )
        items, total = await self.call(
            self.ctx.store.use_cases.list,
            self.user,
            search=self.query("search", "") or "",
            order_by=self.query("orderBy", "-updatedAt") or "-updatedAt",
            offset=offset,
            limit=limit,
            entity=entity,
            created="me" if mine else "others" if shared else None,
            filters={k: v for k in FILTER_KEYS if (v := self.query_list(k)) is not None},
        )
        self.send_page([wire.use_case(uc) for uc in items], total, offset, limit)

    @authenticated
    async def post(self) -> None:
        uc = await self.call(self.ctx.store.use_cases.create, self.user, self.json_body())
        self.set_header("Location", self.api_url(f"useCases/{uc['id']}/"))
        self.send(wire.use_case(uc), status=201)


class TagsHandler(ApiHandler):
    """``GET useCases/tags/?prefix=``: tags of the caller's use cases, for suggestions."""

    @authenticated
    async def get(self) -> None:
        offset, limit = self.paging()
        items, total = await self.call(
            self.ctx.store.tags.suggest, self.user, self.query("prefix", "") or "", offset, limit
        )
        self.send_page([wire.tag(t) for t in items], total, offset, limit)


class UseCaseHandler(ApiHandler):
    @authenticated
    async def get(self, uc_id: str) -> None:
        self.send(wire.use_case(await self.call(self.ctx.store.use_cases.get, self.user, uc_id)))

    @authenticated
    async def patch(self, uc_id: str) -> None:
        uc = await self.call(self.ctx.store.use_cases.update, self.user, uc_id, self.json_body())
        self.send(wire.use_case(uc))

    @authenticated
    async def delete(self, uc_id: str) -> None:
        await self.call(self.ctx.store.trash.delete_use_case, self.user, uc_id)
        self.no_content()


class UseCaseLinkHandler(ApiHandler):
    """``POST``/``DELETE useCases/{id}/{datasets|projects|applications|notebooks}/{eid}/``."""

    def _etype(self, segment: str) -> str:
        if segment not in SEGMENTS:
            raise NotFound("Not found.")
        return SEGMENTS[segment]

    @authenticated
    async def post(self, uc_id: str, segment: str, entity_id: str) -> None:
        link, created = await self.call(
            self.ctx.store.assets.add_link, self.user, uc_id, self._etype(segment), entity_id
        )
        self.send(wire.link(link), status=201 if created else 200)

    @authenticated
    async def delete(self, uc_id: str, segment: str, entity_id: str) -> None:
        await self.call(
            self.ctx.store.assets.remove_link, self.user, uc_id, self._etype(segment), entity_id
        )
        self.no_content()


class UseCaseAssetsHandler(ApiHandler):
    """``PATCH useCases/{id}/assets/``: add and remove many assets, all or nothing."""

    @authenticated
    async def patch(self, uc_id: str) -> None:
        done = await self.call(self.ctx.store.bulk.update_links, self.user, uc_id, self.json_body())
        self.send(wire.batch(done))


class UseCaseMoveHandler(ApiHandler):
    """``POST useCases/{id}/assets/move/``: move many assets to another use case, all or
    nothing."""

    @authenticated
    async def post(self, uc_id: str) -> None:
        done = await self.call(self.ctx.store.bulk.move_links, self.user, uc_id, self.json_body())
        self.send(wire.batch(done))


class SharedRolesHandler(ApiHandler):
    @authenticated
    async def get(self, uc_id: str) -> None:
        offset, limit = self.paging()
        user_id = self.query("id")
        items, total = await self.call(
            self.ctx.store.sharing.shared_roles, self.user, uc_id, offset, limit, user_id
        )
        self.send_page([wire.shared_role(m) for m in items], total, offset, limit)

    @authenticated
    async def patch(self, uc_id: str) -> None:
        await self.call(self.ctx.store.sharing.share, self.user, uc_id, self.json_body())
        self.no_content()


class EventsHandler(ApiHandler):
    """The change feed of one use case, oldest first after the ``after`` cursor."""

    @authenticated
    async def get(self, uc_id: str) -> None:
        after = self.query_int("after", 0)
        limit = self.query_int("limit", 100, low=1, high=1000)
        items = await self.call(self.ctx.store.feed.use_case_events, self.user, uc_id, after, limit)
        nxt = None
        if len(items) == limit:
            nxt = self.api_url(
                f"useCases/{uc_id}/events/", {"after": items[-1]["id"], "limit": limit}
            )
        self.send(
            {
                "count": len(items),
                "next": nxt,
                "previous": None,
                "data": [wire.event(e) for e in items],
            }
        )
