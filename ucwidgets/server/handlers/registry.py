"""Applications and notebooks, which ucwidgets registers (DataRobot's client cannot)."""

from __future__ import annotations

from typing import Any

from .. import wire
from .assets import AssetHandler, listing, use_case_ids
from .base import ApiHandler, authenticated


class RegisteredHandler(ApiHandler):
    """``GET`` (a page) and ``POST`` (register one) of applications or notebooks: ``etype``
    names the type, ``create`` is the store's registration for it."""

    etype = ""

    def use_case_filter(self) -> list[str | None] | None:
        return use_case_ids(self)

    def create(self, body: dict) -> dict:
        raise NotImplementedError

    @authenticated
    async def get(self) -> None:
        offset, limit = self.paging()
        page = listing(self, offset, limit, self.use_case_filter())
        items, total = await self.call(self.ctx.store.assets.list, self.user, self.etype, page)
        render = wire.ASSET_RENDERERS[self.etype]
        self.send_page([render(a) for a in items], total, offset, limit)

    @authenticated
    async def post(self) -> None:
        asset = await self.call(self.create, self.json_body())
        self.set_header("Location", self.api_url(f"{self.etype}s/{asset['id']}/"))
        self.send(wire.ASSET_RENDERERS[self.etype](asset), status=201)


class ApplicationsHandler(RegisteredHandler):
    etype = "application"

    def create(self, body: dict) -> dict:
        return self.ctx.store.catalog.create_application(self.user, body)


class ApplicationHandler(AssetHandler):
    etype = "application"


class NotebooksHandler(RegisteredHandler):
    etype = "notebook"

    def use_case_filter(self) -> list[str | None] | None:
        """Notebooks also take DataRobot's ``useCaseId``, in addition to ``useCaseIds``."""
        ids = (use_case_ids(self) or []) + (use_case_ids(self, "useCaseId") or [])
        return ids or None

    def create(self, body: dict) -> dict:
        return self.ctx.store.catalog.create_notebook(self.user, body, self.ctx.notebook_root)


class NotebookHandler(AssetHandler):
    etype = "notebook"

    def update(self, asset_id: str, body: dict) -> Any:
        return self.ctx.store.catalog.update_notebook(
            self.user, asset_id, body, self.ctx.notebook_root
        )
