"""The base of every route: authentication, the error shape, JSON, paging and URLs.

Each HTTP method of a handler carries an explicit policy, ``@authenticated`` or ``@public``; a
method without one is refused (default deny), and a test walks every route to check that none
lacks a policy. Errors of every kind leave through ``write_error`` as
``{"message": ..., "errors": ...}`` with exactly ``Content-Type: application/json``.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import tornado.web
from tornado.ioloop import IOLoop

from ...errors import (
    BadRequest,
    Forbidden,
    MethodNotAllowed,
    NotFound,
    NotSupported,
    PayloadTooLarge,
    ServiceUnavailable,
    Unauthorized,
    UseCaseError,
    ValidationError,
    error_for_status,
)
from ..logs import request_id
from ..store.records import User
from ..store.users import TOKEN_PREFIX
from ..store.validate import BIGINT_MAX
from ..transport import check_request_size
from .bodies import check_body

log = logging.getLogger("ucwidgets.server")

F = TypeVar("F", bound=Callable[..., Any])
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
JSON_TYPE = "application/json"
#: C0 controls and DEL: never part of a query value anyone meant to send.
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def authenticated(method: F) -> F:
    """Policy: the caller must present a valid token; the store checks roles."""
    method.policy = "token"  # type: ignore[attr-defined]
    return method


def admin_only(method: F) -> F:
    """Policy: the caller must present a valid token of an administrator (a Hub admin)."""
    method.policy = "token"  # type: ignore[attr-defined]
    method.admin_only = True  # type: ignore[attr-defined]
    return method


def public(method: F) -> F:
    """Policy: anyone may call this route (health, version)."""
    method.policy = "public"  # type: ignore[attr-defined]
    return method


@dataclass
class ServiceContext:
    """What every handler needs: the store, where to find notebooks, and limits."""

    store: Any
    executor: Any
    api_root: str  # path of the API, e.g. "/api/v2/" or "/user/x/ucwidgets/api/v2/"
    notebook_root: Path
    max_upload_bytes: int = 512 * 1024**2
    max_json_bytes: int = 2 * 1024**2
    #: The API's absolute URL as clients reach it (``https://uc.example.com/api/v2``), for
    #: ``Location`` headers and ``next`` links. Without one they are relative to the API root,
    #: which both clients join to their endpoint; the request's ``Host`` is never used, since
    #: a client would follow it and send its token along.
    public_url: str | None = None
    version_string: str = "2.49.0"
    modeling: Any = None  # the ModelingEngine that trains this service's models
    hub: Any = None  # the EventHub that wakes clients waiting for events
    jupyterhub: Any = None  # the HubSignIn of a service that signs in through JupyterHub


@tornado.web.stream_request_body
class ApiHandler(tornado.web.RequestHandler):
    """JSON API handler; subclasses define verbs decorated with a policy.

    Bodies stream in, so that one over the limit is refused with a 413 of the usual shape
    (from ``Content-Length`` before a byte is read, or as it arrives) instead of being buffered.
    """

    ctx: ServiceContext
    user: User
    body_error: Exception | None = None

    def initialize(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._body, self._received = bytearray(), 0
        self._prepared = False  # whether prepare() let the request through

    def set_default_headers(self) -> None:
        self.set_header("Content-Type", JSON_TYPE)
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Request-Id", request_id(self.request))

    def check_xsrf_cookie(self) -> None:
        """Token auth in a header is not open to CSRF; the API uses no cookies."""

    async def prepare(self) -> None:
        check_request_size(self.request.uri, self.request.headers)
        verb = self.request.method.lower()
        if getattr(type(self), verb, None) is getattr(tornado.web.RequestHandler, verb, None):
            raise MethodNotAllowed(f"{self.request.method} is not allowed here.")
        policy = getattr(getattr(self, verb, None), "policy", None)
        if policy is None:
            log.error(
                "route %s %s has no authorization policy", self.request.method, type(self).__name__
            )
            raise Forbidden("This route makes no authorization decision, so it is refused.")
        if policy == "token":
            self.user = await self._authenticate()
            if getattr(getattr(self, verb), "admin_only", False) and not self.user.get("admin"):
                raise Forbidden("Only an administrator of the service may do this.")
        if any(_CONTROL.search(arg) for arg in self.path_args):
            # No id holds one, and PostgreSQL refuses a NUL in any query it is sent.
            raise NotFound("Not found.")
        length = self.request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.body_limit:
            raise PayloadTooLarge(
                f"The request body is larger than the limit of {self.body_limit} bytes."
            )
        self.accept_body()
        self._prepared = True

    def accept_body(self) -> None:
        """Refuse, from its headers, a body this route cannot take (before it is read)."""

    @property
    def body_limit(self) -> int:
        """The largest body this route takes."""
        return self.ctx.max_json_bytes

    def data_received(self, chunk: bytes) -> None:
        # An exception here would drop the connection without a response, so the first error
        # is kept, the rest of the body is read and discarded, and the verb raises it.
        if self.body_error is not None:
            return
        self._received += len(chunk)
        try:
            if self._received > self.body_limit:
                raise PayloadTooLarge(
                    f"The request body is larger than the limit of {self.body_limit} bytes."
                )
            self.receive(chunk)
        except Exception as e:
            self.body_error = e
            self.discard_body()

    def receive(self, chunk: bytes) -> None:
        """Keep a chunk of the body (a JSON document, small by the limit)."""
        self._body += chunk

    def discard_body(self) -> None:
        self._body = bytearray()

    def raise_body_error(self) -> None:
        """Raise the error met while the body streamed in, if any."""
        error = self.body_error
        if error is None:
            return
        if isinstance(error, UseCaseError):
            raise error
        raise BadRequest(f"The request body could not be read: {error}") from error

    def finish(self, chunk: Any = None) -> Any:
        if self.get_status() >= 400 and not self._prepared:
            # Refused before the body was read (route, token, size, type): tornado then drops
            # the connection, so say so, or a keep-alive client sends its next request into a
            # reset. Refusals after ``prepare`` keep the connection.
            self.set_header("Connection", "close")
        return super().finish(chunk)

    async def _authenticate(self) -> dict:
        header = self.request.headers.get("Authorization")
        if header is None and self.ctx.jupyterhub is not None and self.request.method == "GET":
            # A browser signed in through the Hub's OAuth: its cookie reads, never writes, so
            # that no other site's page can act through it.
            user = await self.ctx.jupyterhub.identify_cookie(self)
            if user is not None:
                return user
        return await user_for_token(self.ctx, header_token(header or ""))

    async def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a blocking store call on the executor, so slow queries never stall the loop."""
        return await IOLoop.current().run_in_executor(
            self.ctx.executor, functools.partial(fn, *args, **kwargs)
        )

    # -- requests --------------------------------------------------------------------------
    def raw_body(self) -> bytes:
        """The request body as it came (bounded by ``body_limit``), or the error met reading it."""
        self.raise_body_error()
        return bytes(self._body)

    def json_body(self) -> dict[str, Any]:
        """The request body as a JSON object of the shape ``openapi.json`` gives this route:
        400 when it is not a JSON object, 422 naming the first field that does not fit."""
        raw = self.raw_body()
        body = self._parse_json(raw) if raw else {}
        check_body(self.request.method.lower(), self._path_in_api(), body)
        return body

    @staticmethod
    def _parse_json(raw: bytes) -> dict[str, Any]:
        try:
            body = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as e:
            raise BadRequest("The request body is not valid UTF-8.") from e
        except json.JSONDecodeError as e:
            raise BadRequest(f"The request body is not valid JSON: {e.msg} at {e.pos}.") from e
        except RecursionError as e:
            raise BadRequest("The request body is nested too deeply.") from e
        except ValueError as e:  # an integer past the interpreter's digit limit
            raise BadRequest(f"The request body holds a number that cannot be read: {e}") from e
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object.")
        if b"\\u" in raw and _has_lone_surrogate(body):
            raise BadRequest("The request body escapes a lone UTF-16 surrogate, which is not text.")
        return body

    def query(self, name: str, default: str | None = None) -> str | None:
        values = self.query_list(name)
        return default if values is None else values[-1]

    def query_list(self, name: str) -> list[str] | None:
        """Every value of a query parameter, decoded strictly.

        Read from the raw arguments: tornado's own accessors turn control characters into
        spaces, which would silently change what the caller asked for.
        """
        raw = self.request.query_arguments.get(name)
        if not raw:
            return None
        try:
            values = [v.decode("utf-8") for v in raw]
        except UnicodeDecodeError as e:
            raise BadRequest(f"The query parameter {name} is not valid UTF-8.") from e
        if any(_CONTROL.search(v) for v in values):
            raise BadRequest(f"The query parameter {name} contains a control character.")
        return values

    def query_int(self, name: str, default: int, low: int = 0, high: int = BIGINT_MAX) -> int:
        raw = self.query(name)
        if raw is None or raw == "":
            return default
        # Plain ASCII digits only: int() would also take "1_000", "+5" and other scripts' digits.
        if not re.fullmatch(r"-?[0-9]+", raw):
            raise BadRequest(f"The query parameter {name} must be an integer.")
        try:
            value = int(raw)
        except ValueError as e:  # more digits than the interpreter converts
            raise BadRequest(f"The query parameter {name} is too long to be a number.") from e
        if value < low or value > high:
            raise ValidationError(
                f"{name} must be between {low} and {high}.", errors={name: "out of range"}
            )
        return value

    def query_bool(self, name: str, default: bool = False) -> bool:
        raw = self.query(name)
        if raw is None or raw == "":
            return default
        if raw.lower() in ("true", "1"):
            return True
        if raw.lower() in ("false", "0"):
            return False
        raise BadRequest(f"The query parameter {name} must be true or false.")

    def paging(self) -> tuple[int, int]:
        return (
            self.query_int("offset", 0),
            self.query_int("limit", DEFAULT_LIMIT, low=1, high=MAX_LIMIT),
        )

    # -- responses -------------------------------------------------------------------------
    def api_url(self, path: str, params: dict[str, Any] | None = None) -> str:
        """A URL of the API for Location and next: absolute under the configured public URL,
        else relative to the API root (WIRE.md 1.1); never built from the request's Host."""
        url = f"{self.ctx.public_url.rstrip('/')}/{path}" if self.ctx.public_url else path
        return f"{url}?{urlencode(params, doseq=True)}" if params else url

    def send(self, body: Any, status: int = 200) -> None:
        self.set_status(status)
        self.finish(json.dumps(body, ensure_ascii=False).encode("utf-8"))

    def send_page(
        self, items: list[Any], total: int, offset: int, limit: int, **extra: Any
    ) -> None:
        """The DataRobot pagination envelope with absolute ``next`` and ``previous`` links."""
        params = {k: self.query_list(k) for k in self.request.query_arguments}
        nxt = prev = None
        if offset + len(items) < total:
            nxt = self.api_url(
                self._path_in_api(), {**params, "offset": offset + len(items), "limit": limit}
            )
        if offset > 0:
            prev = self.api_url(
                self._path_in_api(), {**params, "offset": max(0, offset - limit), "limit": limit}
            )
        self.send(
            {
                "count": len(items),
                "totalCount": total,
                "next": nxt,
                "previous": prev,
                "data": items,
                **extra,
            }
        )

    def _path_in_api(self) -> str:
        return self.request.path[len(self.ctx.api_root) :]

    def accepted(self, job_id: str, body: dict | None = None) -> None:
        """202 + Location of the status resource (WIRE.md §1.8)."""
        self.set_header("Location", self.api_url(f"status/{job_id}/"))
        self.send(body or {"statusId": job_id}, status=202)

    def no_content(self) -> None:
        self.set_status(204)
        self.clear_header("Content-Type")
        self.finish()

    def _request_summary(self) -> str:
        # Tornado's summary (used in its own log lines) has the query string, which may carry
        # a token someone pasted there; the path is enough.
        return f"{self.request.method} {self.request.path} ({self.request.remote_ip})"

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        # Refusals (and features this install lacks) are part of the API, not failures of the
        # service: no traceback for them.
        if isinstance(value, UseCaseError) and (
            value.status_code < 500 or isinstance(value, NotSupported)
        ):
            log.info(
                "%d %s %s: %s",
                value.status_code,
                self.request.method,
                self.request.path,
                value.message,
            )
            return
        if isinstance(value, ServiceUnavailable):
            log.warning("503 %s %s: %s", self.request.method, self.request.path, value.message)
            return
        if isinstance(value, tornado.web.HTTPError):
            super().log_exception(typ, value, tb)
            return
        # Tornado's default also logs repr(request), which holds the full URI.
        log.error("Uncaught exception %s", self._request_summary(), exc_info=(typ, value, tb))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """The one place any failure of the API becomes an HTTP response."""
        error_response(self, status_code, kwargs.get("exc_info"))


def error_response(handler: tornado.web.RequestHandler, status_code: int, exc_info: Any) -> None:
    """Finish ``handler`` with the error shape for a failure (``exc_info``) or a status."""
    error = _as_error(status_code, exc_info)
    handler.clear()
    handler.set_status(error.status_code)
    handler.set_header("Content-Type", JSON_TYPE)
    if isinstance(error, Unauthorized):
        handler.set_header("WWW-Authenticate", 'Token realm="ucwidgets"')
    if isinstance(error, ServiceUnavailable):
        handler.set_header("Retry-After", str(error.retry_after or 1))
    handler.finish(json.dumps(error.json, ensure_ascii=False).encode("utf-8"))


async def user_for_token(ctx: ServiceContext, token: str) -> User:
    """The user a token signs in: a ``ucw_`` token (``ucwidgets user add``, ``token create``)
    by the store, any other by JupyterHub when the service signs in through a Hub.

    A ``ucw_`` token never goes to the Hub, and without a Hub every token is the store's.
    """
    if ctx.jupyterhub is not None and not token.startswith(TOKEN_PREFIX):
        return await ctx.jupyterhub.identify(token)
    return await IOLoop.current().run_in_executor(ctx.executor, ctx.store.users.authenticate, token)


def header_token(header: str) -> str:
    """The token of an ``Authorization: Token <t>`` (or ``Bearer``) header; 401 otherwise."""
    scheme, _, token = header.partition(" ")
    if scheme.lower() not in ("token", "bearer") or not token.strip():
        raise Unauthorized("Authentication required: send 'Authorization: Token <token>'.")
    return token.strip()


def _has_lone_surrogate(value: Any) -> bool:
    """Whether a parsed JSON value holds a string with an unpaired surrogate (``"\\ud800"``)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= c <= "\udfff" for c in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _as_error(status_code: int, exc_info: Any) -> UseCaseError:
    exc = exc_info[1] if exc_info else None
    if isinstance(exc, UseCaseError):
        return exc
    if isinstance(exc, tornado.web.HTTPError):
        messages = {
            404: "Not found.",
            405: "Method not allowed.",
            400: "Bad request.",
            413: "The request body is too large.",
        }
        message = exc.log_message if exc.log_message and exc.status_code < 500 else None
        cls = MethodNotAllowed if exc.status_code == 405 else error_for_status(exc.status_code)
        return cls(
            message or messages.get(exc.status_code, "Request failed."), status_code=exc.status_code
        )
    if status_code < 500:
        return error_for_status(status_code)("Request failed.", status_code=status_code)
    return UseCaseError("Internal error: the request was not applied.")


class NotFoundHandler(ApiHandler):
    """Unknown paths under the API: the same JSON 404 as everything else."""

    @public
    def get(self, *_: Any) -> None:
        raise NotFound("Not found.")

    post = patch = put = delete = get
