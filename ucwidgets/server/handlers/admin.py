"""Administration over the API: what ``ucwidgets user`` and ``ucwidgets token`` do on the
service's host, for the service's administrators, who are JupyterHub's admins when the service
signs in through a Hub (``--hub``); a service token is never an administrator's.

- ``GET admin/users/``: every user, active or not.
- ``POST admin/users/`` ``{"username", "fullName"?}``: a new user, with its first token.
- ``POST admin/users/{userId}/tokens/``: a new token for an active user.
- ``POST admin/users/{userId}/deactivate/`` ``{"transferTo"?: username}``: deactivate a user,
  handing every ownership of theirs to ``transferTo`` first (their tokens, and their Hub
  sign-in, stop working at once).

Anyone else is answered 403 once signed in, like any other refusal.
"""

from __future__ import annotations

from typing import Any

from .. import wire
from .base import ApiHandler, admin_only


def _admin_user(user: dict, active: bool = True, token: str | None = None) -> dict[str, Any]:
    body = {**wire.user(user), "active": bool(user.get("active", active))}
    return {**body, "token": token} if token else body


class AdminUsersHandler(ApiHandler):
    """``admin/users/``: list every user, or create one."""

    @admin_only
    async def get(self) -> None:
        offset, limit = self.paging()
        users = await self.call(self.ctx.store.users.list)
        page = users[offset : offset + limit]
        self.send_page([_admin_user(u) for u in page], len(users), offset, limit)

    @admin_only
    async def post(self) -> None:
        body = self.json_body()
        user, token = await self.call(
            self.ctx.store.users.create, body.get("username"), full_name=body.get("fullName")
        )
        self.send(_admin_user(user, token=token), status=201)


class AdminUserTokensHandler(ApiHandler):
    """``admin/users/{userId}/tokens/``: issue a new token."""

    @admin_only
    async def post(self, user_id: str) -> None:
        user = await self.call(self.ctx.store.users.get, user_id)
        user, token = await self.call(self.ctx.store.users.create_token, user["username"])
        self.send(_admin_user(user, token=token), status=201)


class AdminUserDeactivateHandler(ApiHandler):
    """``admin/users/{userId}/deactivate/``: deactivate, optionally handing ownerships over."""

    @admin_only
    async def post(self, user_id: str) -> None:
        heir = self.json_body().get("transferTo")
        user = await self.call(self.ctx.store.users.get, user_id)
        await self.call(self.ctx.store.sharing.deactivate_user, user["username"], transfer_to=heir)
        self.send(_admin_user(user, active=False))
