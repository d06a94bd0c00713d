"""What the routes of the four asset types share: the item routes (read, change, delete) and
the filters of a listing."""

from __future__ import annotations

from typing import Any

from ...errors import ValidationError
from .. import wire
from ..store.assets import Listing
from ..store.validate import is_object_id
from .base import ApiHandler, authenticated


class AssetHandler(ApiHandler):
    """``GET``, ``PATCH`` and ``DELETE`` of one asset of the type ``etype``; ``update`` is the
    store's change for that type, ``update_<etype>``."""

    etype = ""

    def render(self, asset: dict) -> dict:
        return wire.ASSET_RENDERERS[self.etype](asset)

    def update(self, asset_id: str, body: dict) -> Any:
        return getattr(self.ctx.store.catalog, f"update_{self.etype}")(self.user, asset_id, body)

    @authenticated
    async def get(self, asset_id: str) -> None:
        self.send(
            self.render(await self.call(self.ctx.store.assets.get, self.user, self.etype, asset_id))
        )

    @authenticated
    async def patch(self, asset_id: str) -> None:
        self.send(self.render(await self.call(self.update, asset_id, self.json_body())))

    @authenticated
    async def delete(self, asset_id: str) -> None:
        await self.call(self.ctx.store.trash.delete_asset, self.user, self.etype, asset_id)
        self.no_content()


def listing(
    handler: ApiHandler, offset: int, limit: int | None, ids: list[str | None] | None
) -> Listing:
    """The page of a listing, kept to the use cases ``ids`` (see ``use_case_ids``) and, with
    ``sharedWithMe``, to what is shared with the caller individually."""
    return Listing(ids, handler.query_bool("sharedWithMe"), offset, limit)


def use_case_ids(handler: ApiHandler, name: str = "useCaseIds") -> list[str | None] | None:
    """The use case filter of a listing (``useCaseIds``, or the notebooks' ``useCaseId``);
    ``null`` stands for "in no use case" (as ``None``); ids of the wrong shape are a 422."""
    ids = handler.query_list(name)
    if ids is None:
        return None
    if not all(i == "null" or is_object_id(i) for i in ids):
        raise ValidationError(
            f"{name} must be 24-character hexadecimal ids or null.", errors={name: "malformed id"}
        )
    return [None if i == "null" else i for i in ids]
