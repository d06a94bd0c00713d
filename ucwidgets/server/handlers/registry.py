"""Applications and notebooks, which ucwidgets registers (DataRobot's client cannot)."""

from __future__ import annotations

from typing import Any

from .. import wire
from .base import ApiHandler, authenticated
from .use_cases import use_case_ids


class AssetHandler(ApiHandler):
    """Item routes shared by applications and notebooks: get, change, delete."""

    etype = ""

    def render(self, asset: dict) -> dict:
        return wire.ASSET_RENDERERS[self.etype](asset)

    def update(self, asset_id: str, body: dict) -> Any:
        raise NotImplementedError

    @authenticated
    async def get(self, asset_id: str) -> None:
        self.send(self.render(await self.call(self.ctx.store.get, self.user, self.etype, asset_id)))

    @authenticated
    async def patch(self, asset_id: str) -> None:
        self.send(self.render(await self.call(self.update, asset_id, self.json_body())))

    @authenticated
    async def delete(self, asset_id: str) -> None:
        await self.call(self.ctx.store.delete_asset, self.user, self.etype, asset_id)
        self.no_content()


class ApplicationsHandler(ApiHandler):
    @authenticated
    async def get(self) -> None:
        offset, limit = self.paging()
        items, total = await self.call(
            self.ctx.store.list_assets,
            self.user,
            "application",
            use_case_ids=use_case_ids(self),
            offset=offset,
            limit=limit,
            shared_with_me=self.query_bool("sharedWithMe"),
        )
        self.send_page([wire.application(a) for a in items], total, offset, limit)

    @authenticated
    async def post(self) -> None:
        app = await self.call(self.ctx.store.create_application, self.user, self.json_body())
        self.set_header("Location", self.api_url(f"applications/{app['id']}/"))
        self.send(wire.application(app), status=201)


class ApplicationHandler(AssetHandler):
    etype = "application"

    def update(self, asset_id: str, body: dict) -> Any:
        return self.ctx.store.update_application(self.user, asset_id, body)


class NotebooksHandler(ApiHandler):
    @authenticated
    async def get(self) -> None:
        offset, limit = self.paging()
        ids = (use_case_ids(self) or []) + (use_case_ids(self, "useCaseId") or [])
        items, total = await self.call(
            self.ctx.store.list_assets,
            self.user,
            "notebook",
            use_case_ids=ids or None,
            offset=offset,
            limit=limit,
            shared_with_me=self.query_bool("sharedWithMe"),
        )
        self.send_page([wire.notebook(n) for n in items], total, offset, limit)

    @authenticated
    async def post(self) -> None:
        nb = await self.call(
            self.ctx.store.create_notebook, self.user, self.json_body(), self.ctx.notebook_root
        )
        self.set_header("Location", self.api_url(f"notebooks/{nb['id']}/"))
        self.send(wire.notebook(nb), status=201)


class NotebookHandler(AssetHandler):
    etype = "notebook"

    def update(self, asset_id: str, body: dict) -> Any:
        return self.ctx.store.update_notebook(self.user, asset_id, body, self.ctx.notebook_root)
