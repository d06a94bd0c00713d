"""The browser's side of JupyterHub sign-in: the landing page and the OAuth callback.

Both are jupyterhub's own handlers (``HubOAuthenticated``, ``HubOAuthCallbackHandler``), which
keep the OAuth state, PKCE and the sign-in cookie; only their errors change, to the service's
error shape. This module needs the ``hub`` extra; :mod:`ucwidgets.server.hub` imports it only
when the service runs with ``--hub``.
"""

from __future__ import annotations

import html
from typing import Any

import tornado.web
from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated

from ..errors import ServiceUnavailable
from .handlers.base import error_response
from .hub import HUB_RETRY_AFTER_S, HubSignIn


class _SignInPage(HubOAuthenticated, tornado.web.RequestHandler):
    """A page of the sign-in flow, its errors in the service's error shape."""

    signin: HubSignIn

    def initialize(self, signin: HubSignIn) -> None:
        self.signin = signin
        self.hub_auth = signin.auth

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error_response(self, status_code, kwargs.get("exc_info"))


class LandingHandler(_SignInPage):
    """``{prefix}``: a browser signed in through the Hub sees whom as; others go sign in."""

    async def get(self) -> None:
        user = await self.signin.identify_cookie(self)
        if user is None:
            self.redirect(self.get_login_url())
            return
        api = html.escape(self.signin.settings.service_prefix + "api/v2/")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(
            "<!doctype html><meta charset=utf-8><title>ucwidgets</title>"
            f"<p>Signed in to ucwidgets as <b>{html.escape(user['username'])}</b>.</p>"
            f'<p>The API is at <a href="{api}">{api}</a>; in a notebook on this Hub, '
            "<code>import ucwidgets as uc; uc.Client()</code> connects to it.</p>"
        )


class OAuthCallbackHandler(_SignInPage, HubOAuthCallbackHandler):
    """``{prefix}oauth_callback``: jupyterhub's callback; a Hub that fails it is a 503."""

    async def prepare(self) -> None:
        # Who is signed in already, asked here without blocking: jupyterhub's own
        # ``get_current_user`` would ask from a thread with an event loop of its own.
        cookie = self.get_secure_cookie(self.hub_auth.cookie_name)
        self.current_user = None
        if cookie:
            token = cookie.decode("ascii", "replace")
            self.current_user = await self.signin.ask_hub(
                self.hub_auth.user_for_token(token, sync=False)
            )

    async def get(self) -> None:
        try:
            await super().get()
        except tornado.web.HTTPError as e:
            if e.status_code < 500:
                raise
            raise ServiceUnavailable(
                "JupyterHub did not complete the sign-in; try again soon.",
                retry_after=HUB_RETRY_AFTER_S,
            ) from e
