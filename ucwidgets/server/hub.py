"""JupyterHub sign-in: the service run as a Hub-managed service.

JupyterHub starts a managed service with its settings in the environment
(``JUPYTERHUB_API_URL``, ``JUPYTERHUB_API_TOKEN``, ``JUPYTERHUB_SERVICE_PREFIX``,
``JUPYTERHUB_CLIENT_ID``, ``JUPYTERHUB_OAUTH_ACCESS_SCOPES``, ...); ``ucwidgets serve --hub``
reads them (``--hub-*`` options override each, except the token, which never goes on a command
line). The service then:

- serves its API under the service's prefix (``/services/ucwidgets/api/v2/``), where the Hub's
  proxy sends it;
- accepts JupyterHub API tokens (``Authorization: token ...`` or ``Bearer ...``) beside its own
  ``ucw_`` tokens. jupyterhub's ``HubOAuth`` asks the Hub whose a token is and caches the answer
  (``cache_max_age`` seconds); a ``ucw_`` token is checked here and never sent to the Hub;
- admits a Hub user whose token carries the service's access scope
  (``access:services!service=ucwidgets``), as the service user of the same name, created on
  first sign-in under the usual username rules (``Users.sign_in``);
- signs browsers in with the Hub's OAuth: ``{prefix}`` sends a browser to the Hub and back
  through ``{prefix}oauth_callback``, which sets HubOAuth's cookie. The cookie authenticates
  reads (GET) of the API and, from the same origin, the push websocket; writes need a token in
  a header, so a cookie alone never changes anything (no cross-site request forgery);
- treats Hub admins (``admin`` in the Hub's user model) as the service's admins.

If the Hub does not answer, a Hub token gets a 503 with ``Retry-After``; ``ucw_`` tokens keep
working.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tornado.web

from ..errors import (
    Conflict,
    Forbidden,
    MissingExtra,
    ServiceUnavailable,
    Unauthorized,
    UseCaseError,
    ValidationError,
)

#: Seconds to wait for the Hub to say whose a token is before answering 503 (by default).
HUB_TIMEOUT_S = 10.0
#: What a 503 asks the caller to wait, in seconds, when the Hub did not answer.
HUB_RETRY_AFTER_S = 5


class HubConfigError(UseCaseError):
    """The Hub settings are incomplete (a setting the environment and the options both lack)."""


@dataclass(frozen=True)
class HubSettings:
    """Where the Hub is and who this service is to it.

    Parameters
    ----------
    api_url : str
        The Hub's API, e.g. ``http://127.0.0.1:8081/hub/api``.
    api_token : str
        The service's own token for the Hub (``JUPYTERHUB_API_TOKEN``); never shown in a repr.
    service_prefix : str
        The path the Hub's proxy routes to the service, e.g. ``/services/ucwidgets/``.
    service_name : str
        The service's name in the Hub; its access scope is ``access:services!service=NAME``.
    client_id : str
        The service's OAuth client id (``service-NAME`` by the Hub's default).
    hub_prefix : str
        The Hub's own pages, e.g. ``/hub/``, for the OAuth login URL.
    access_scopes : frozenset of str
        A Hub token must carry one of these to be let in.
    cookie_secret_file : str, optional
        The key that signs the sign-in cookie (created on first start); replicas share it.
    timeout_s : float
        How long to wait for the Hub to answer before a request gets a 503.

    Examples
    --------
    >>> s = HubSettings.from_env({"JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api",
    ...                           "JUPYTERHUB_API_TOKEN": "hub-token-xyz"})
    >>> s.service_prefix, sorted(s.access_scopes)
    ('/services/ucwidgets/', ['access:services!service=ucwidgets'])
    >>> "hub-token-xyz" in repr(s)
    False
    """

    api_url: str
    api_token: str = field(repr=False)
    service_prefix: str = "/services/ucwidgets/"
    service_name: str = "ucwidgets"
    client_id: str = "service-ucwidgets"
    hub_prefix: str = "/hub/"
    access_scopes: frozenset[str] = frozenset()
    cookie_secret_file: str | None = None
    timeout_s: float = HUB_TIMEOUT_S

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **given: Any) -> HubSettings:
        """The settings JupyterHub gives a service, with ``given`` (non-None) overriding them.

        Raises
        ------
        HubConfigError
            No Hub API URL or no token.
        """
        env = os.environ if env is None else env
        given = {k: v for k, v in given.items() if v not in (None, "")}
        name = given.get("service_name") or env.get("JUPYTERHUB_SERVICE_NAME") or "ucwidgets"
        prefix = given.get("service_prefix") or env.get("JUPYTERHUB_SERVICE_PREFIX")
        prefix = "/" + (prefix or f"/services/{name}/").strip("/") + "/"
        base = env.get("JUPYTERHUB_BASE_URL", "/").rstrip("/")
        scopes = env.get("JUPYTERHUB_OAUTH_ACCESS_SCOPES") or env.get("JUPYTERHUB_OAUTH_SCOPES")
        settings = {
            "api_url": given.get("api_url") or env.get("JUPYTERHUB_API_URL", ""),
            "api_token": env.get("JUPYTERHUB_API_TOKEN", ""),
            "service_prefix": prefix,
            "service_name": name,
            "client_id": given.get("client_id")
            or env.get("JUPYTERHUB_CLIENT_ID")
            or f"service-{name}",
            "hub_prefix": f"{base}/hub/",
            "access_scopes": frozenset(
                _json_list(scopes) if scopes else [f"access:services!service={name}"]
            ),
            "cookie_secret_file": given.get("cookie_secret_file"),
            "timeout_s": float(given.get("timeout_s") or HUB_TIMEOUT_S),
        }
        missing = [k for k in ("api_url", "api_token") if not settings[k]]
        if missing:
            raise HubConfigError(
                "JupyterHub sign-in needs the Hub's API URL and a token for this service "
                "(JUPYTERHUB_API_URL and JUPYTERHUB_API_TOKEN, which JupyterHub sets for a "
                f"managed service; or --hub-api-url); missing: {', '.join(missing)}"
            )
        return cls(**settings)


class HubSignIn:
    """Turns Hub tokens and the Hub's sign-in cookie into service users.

    Parameters
    ----------
    settings : HubSettings
        Where the Hub is.
    store : Store
        Where the users are.
    executor : Executor
        Runs the store's blocking calls.
    data_dir : path
        Holds the cookie key unless ``settings.cookie_secret_file`` names another place.

    Examples
    --------
    >>> signin = HubSignIn(settings, store, executor, data_dir)  # doctest: +SKIP
    >>> await signin.identify(hub_token)  # doctest: +SKIP
    {'id': '...', 'username': 'ann', 'full_name': '', 'admin': False}
    """

    def __init__(
        self, settings: HubSettings, store: Any, executor: Executor, data_dir: Path
    ) -> None:
        MissingExtra.check("JupyterHub sign-in", jupyterhub="hub")
        from jupyterhub.services.auth import HubOAuth

        self.settings = settings
        self.store = store
        self.executor = executor
        self.auth = HubOAuth(
            api_url=settings.api_url,
            api_token=settings.api_token,
            base_url=settings.service_prefix,
            hub_prefix=settings.hub_prefix,
            oauth_client_id=settings.client_id,
            oauth_redirect_uri=settings.service_prefix + "oauth_callback",
            access_scopes=set(settings.access_scopes),
        )
        self.cookie_secret = _cookie_secret(
            Path(settings.cookie_secret_file or data_dir / "hub_cookie_secret")
        )

    async def identify(self, token: str) -> dict:
        """The service user that the Hub token ``token`` signs in.

        Raises
        ------
        Unauthorized
            The Hub knows no such token, or its user is deactivated here.
        Forbidden
            The token does not grant access to this service, is a Hub service's, or its user's
            name cannot be a username here.
        ServiceUnavailable
            The Hub did not answer (with ``retry_after``).
        """
        model = await self.ask_hub(self.auth.user_for_token(token, sync=False))
        if not model:
            raise Unauthorized("Invalid or missing token.")
        from jupyterhub.services.auth import check_scopes

        if not check_scopes(self.auth.access_scopes, set(model.get("scopes", ()))):
            raise Forbidden(
                "This JupyterHub token does not grant access to this service; it needs the "
                f"scope {' or '.join(sorted(self.auth.access_scopes))}."
            )
        if model.get("kind", "user") != "user":
            raise Forbidden("Only JupyterHub users sign in here, not Hub services.")
        loop = asyncio.get_running_loop()
        try:
            user = await loop.run_in_executor(
                self.executor, self.store.users.sign_in, model["name"]
            )
        except (ValidationError, Conflict) as e:
            raise Forbidden(f"The JupyterHub user cannot sign in here: {e.message}") from e
        return {**user, "admin": bool(model.get("admin"))}

    async def identify_cookie(self, handler: tornado.web.RequestHandler) -> dict | None:
        """The service user of a browser signed in through the Hub's OAuth, or None."""
        cookie = handler.get_secure_cookie(self.auth.cookie_name)
        if not cookie:
            return None
        return await self.identify(cookie.decode("ascii", "replace"))

    async def ask_hub(self, request: Any) -> Any:
        """Await a request of ``HubOAuth`` to the Hub; 503 when the Hub does not answer."""
        try:
            return await asyncio.wait_for(request, self.settings.timeout_s)
        except (tornado.web.HTTPError, asyncio.TimeoutError, OSError) as e:
            # HubAuth raises tornado's HTTPError when it cannot reach the Hub or the Hub fails.
            raise ServiceUnavailable(
                "JupyterHub did not answer, so the token could not be checked; try again soon.",
                retry_after=HUB_RETRY_AFTER_S,
            ) from e

    def routes(self) -> list[tuple[str, type, dict]]:
        """The browser's pages: the landing page and the OAuth callback, under the prefix."""
        from .hub_pages import LandingHandler, OAuthCallbackHandler

        prefix = self.settings.service_prefix
        return [
            (f"{prefix}oauth_callback", OAuthCallbackHandler, {"signin": self}),
            (f"{prefix}?", LandingHandler, {"signin": self}),
        ]


def _json_list(text: str) -> list[str]:
    try:
        value = json.loads(text)
    except ValueError as e:
        raise HubConfigError(f"JUPYTERHUB_OAUTH_ACCESS_SCOPES is not a JSON list: {e}") from e
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _cookie_secret(path: Path) -> bytes:
    """The key in ``path``, created (readable by its owner only) when missing.

    Written whole to a file of its own, then linked into place, so that replicas starting
    together on one data dir all read the one key that won.
    """
    if not path.exists():
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another replica's key came first
        finally:
            draft.unlink()
    return path.read_bytes().strip()
