"""An asset's own roles: ``{datasets,projects,applications,notebooks}/{id}/sharedRoles/`` in
the use case's shape, and ``{datasets,projects}/{id}/accessControl/`` in DataRobot's
access-list shape (what its ``Dataset.share`` and ``Project.share`` send)."""

from __future__ import annotations

from typing import Any

from .. import wire
from .base import ApiHandler, authenticated
from .use_cases import SEGMENTS


class AssetSharedRolesHandler(ApiHandler):
    """``GET``/``PATCH {assets}/{id}/sharedRoles/`` for one asset type (``etype``)."""

    etype = ""
    render = staticmethod(wire.shared_role)

    @authenticated
    async def get(self, asset_id: str) -> None:
        offset, limit = self.paging()
        items, total = await self.call(
            self.ctx.store.sharing.asset_roles,
            self.user,
            self.etype,
            asset_id,
            offset,
            limit,
            self.query("id"),
        )
        self.send_page([self.render(m) for m in items], total, offset, limit)

    @authenticated
    async def patch(self, asset_id: str) -> None:
        body = self.json_body()
        await self.call(self.ctx.store.sharing.share_asset, self.user, self.etype, asset_id, body)
        self.no_content()


def _for(etype: str, render: Any = wire.shared_role) -> type[AssetSharedRolesHandler]:
    """The handler of one asset type's role routes (one class per route, as the policy and
    OpenAPI tests read each route's handler)."""
    name = (
        f"{etype.capitalize()}{'AccessControl' if render is wire.access_entry else 'SharedRoles'}"
    )
    return type(name, (AssetSharedRolesHandler,), {"etype": etype, "render": staticmethod(render)})


def routes(id_pattern: str) -> list[tuple[str, type]]:
    """``sharedRoles/`` for every asset type; ``accessControl/`` (DataRobot's ``SharingAccess``
    shape) for datasets and projects."""
    found: list[tuple[str, type]] = [
        (f"{segment}/{id_pattern}/sharedRoles", _for(etype)) for segment, etype in SEGMENTS.items()
    ]
    found += [
        (f"{segment}/{id_pattern}/accessControl", _for(etype, wire.access_entry))
        for segment, etype in (("datasets", "dataset"), ("projects", "project"))
    ]
    return found
