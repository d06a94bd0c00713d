"""The trash: what the caller may restore, restoring (DataRobot's ``PATCH .../deleted/``), and
purging."""

from __future__ import annotations

from ...errors import NotFound
from .. import wire
from ..store import validate
from ..store.trash import kind
from .base import ApiHandler, authenticated

#: URL segment -> what it restores, for ``PATCH {segment}/{id}/deleted/``.
RESTORABLE = {
    "useCases": "useCase",
    "datasets": "dataset",
    "projects": "project",
    "applications": "application",
    "notebooks": "notebook",
}


def _object_id(value: str) -> str:
    """An id from the path; one of the wrong shape names nothing, so it is a 404."""
    if not validate.is_object_id(value):
        raise NotFound("Not found.")
    return value


class TrashHandler(ApiHandler):
    """``GET trash/``: the caller's restorable objects, newest deletion first."""

    @authenticated
    async def get(self) -> None:
        offset, limit = self.paging()
        items, total = await self.call(self.ctx.store.trash.list, self.user, offset, limit)
        self.send_page([wire.trash_item(t) for t in items], total, offset, limit)


class TrashItemHandler(ApiHandler):
    """``DELETE trash/{entityType}/{id}/``: purge one object for good."""

    @authenticated
    async def delete(self, entity_type: str, entity_id: str) -> None:
        etype, eid = kind(entity_type), _object_id(entity_id)
        await self.call(self.ctx.store.trash.purge, self.user, etype, eid)
        self.no_content()


class RestoreHandler(ApiHandler):
    """``PATCH {useCases|datasets|projects|applications|notebooks}/{id}/deleted/``: restore
    (what ``Dataset.un_delete`` sends, with no body); a no-op for an object not deleted."""

    @authenticated
    async def patch(self, segment: str, entity_id: str) -> None:
        self.json_body()  # no fields (openapi.json's Restore)
        etype, eid = RESTORABLE[segment], _object_id(entity_id)
        await self.call(self.ctx.store.trash.restore, self.user, etype, eid)
        self.no_content()


def routes(ident: str) -> list[tuple[str, type]]:
    """The trash's URL patterns, with ``ident`` matching one id."""
    segments = "|".join(RESTORABLE)
    return [
        ("trash", TrashHandler),
        (f"trash/{ident}/{ident}", TrashItemHandler),
        (f"({segments})/{ident}/deleted", RestoreHandler),
    ]
