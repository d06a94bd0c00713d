"""One exception hierarchy for both ends of ucwidgets.

The service raises these in its store and turns them into HTTP responses in one place; the client
turns HTTP error responses back into the same classes in one place. Each class carries the HTTP
status it stands for, so the mapping is a lookup, not a chain of ``if`` statements.

Examples
--------
>>> from ucwidgets.errors import NotFound, error_for_status
>>> error_for_status(404) is NotFound
True
>>> str(NotFound("use case not found"))
'use case not found'
"""

from __future__ import annotations

import importlib.util
from typing import Any


class UseCaseError(Exception):
    """Base of every ucwidgets error.

    Parameters
    ----------
    message : str
        Human-readable text, safe to show to the user (never contains a token).
    errors : dict, optional
        Per-field or per-recipient details, as in the service's error body.
    status_code : int, optional
        Overrides the class's HTTP status (used when the client meets an unusual code).
    response : requests.Response, optional
        The response the client turned into this error, as ``requests``' own errors keep it
        (its headers, its body); None when the error did not come from a response.
    """

    status_code: int = 500

    def __init__(
        self,
        message: str = "",
        errors: dict[str, Any] | None = None,
        status_code: int | None = None,
        response: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.response = response
        if status_code is not None:
            self.status_code = status_code

    @property
    def json(self) -> dict[str, Any]:
        """The error body as the service sends it (``{"message": ..., "errors": ...}``)."""
        body: dict[str, Any] = {"message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body

    def __str__(self) -> str:
        return self.message


class ClientError(UseCaseError):
    """A request the service refused (4xx)."""

    status_code = 400


class BadRequest(ClientError):
    """Malformed JSON, invalid UTF-8 or an unparseable query value (400)."""

    status_code = 400


class Unauthorized(ClientError):
    """No token, an unknown token, or the token of a deactivated user (401)."""

    status_code = 401


class Forbidden(ClientError):
    """A member without the role the operation needs (403)."""

    status_code = 403


class NotFound(ClientError):
    """Not found, or not visible to the caller; the two are indistinguishable (404)."""

    status_code = 404


class MethodNotAllowed(ClientError):
    """The route exists but not with this HTTP method (405)."""

    status_code = 405


class Conflict(ClientError):
    """The last owner would be lost, or an asset already belongs elsewhere (409)."""

    status_code = 409


class PayloadTooLarge(ClientError):
    """An upload or body over the configured limit (413)."""

    status_code = 413


class UnsupportedMediaType(ClientError):
    """The wrong content type for an upload (415)."""

    status_code = 415


class ValidationError(ClientError):
    """Semantically invalid input: bad names, roles, recipients, project rules (422)."""

    status_code = 422


class ServerError(UseCaseError):
    """The service failed (5xx)."""

    status_code = 500


class ServiceUnavailable(ServerError):
    """The service or its database cannot answer now; nothing was applied (503).

    The client also raises it when it cannot connect at all, naming the endpoint.
    """

    status_code = 503

    def __init__(self, message: str = "", retry_after: int | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class InsufficientStorage(ServerError):
    """The service's disk is full; nothing was stored (507)."""

    status_code = 507


class NotSupported(UseCaseError):
    """A feature the configured server does not offer (for example events on DataRobot)."""

    status_code = 501


class MissingExtra(NotSupported):
    """A part of ucwidgets whose optional dependencies are not installed (501).

    Its message is one line that names the extras to install.

    Examples
    --------
    >>> MissingExtra.check("Training models", json="modeling")  # importable: nothing happens
    >>> try:
    ...     MissingExtra.check("The demo", no_such_module="modeling", nor_this="lab")
    ... except MissingExtra as e:
    ...     print(e.message.split(": ")[1])
    pip install 'ucwidgets[modeling,lab]'
    """

    @classmethod
    def check(cls, purpose: str, **extras: str) -> None:
        """Raise when a module of ``extras`` (module name -> the extra that installs it) cannot
        be imported; ``purpose`` is what needs them."""
        missing = {m: e for m, e in extras.items() if importlib.util.find_spec(m) is None}
        if missing:
            raise cls.naming(purpose, **missing)

    @classmethod
    def naming(cls, purpose: str, **missing: str) -> MissingExtra:
        """The error for the modules of ``missing`` (module name -> extra) not being installed."""
        modules = " and ".join(missing)
        verb = "is" if len(missing) == 1 else "are"
        extras = ",".join(dict.fromkeys(missing.values()))
        return cls(
            f"{purpose} needs {modules}, which {verb} not installed: "
            f"pip install 'ucwidgets[{extras}]'"
        )


class AsyncProcessUnsuccessfulError(UseCaseError):
    """An asynchronous job (upload, project creation, modeling) ended in failure."""

    status_code = 500


_BY_STATUS: dict[int, type[UseCaseError]] = {
    cls.status_code: cls
    for cls in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        Conflict,
        PayloadTooLarge,
        UnsupportedMediaType,
        ValidationError,
        ServiceUnavailable,
        InsufficientStorage,
        NotSupported,
    )
}


def error_for_status(status: int) -> type[UseCaseError]:
    """Return the exception class that stands for an HTTP status code.

    Examples
    --------
    >>> error_for_status(422).__name__
    'ValidationError'
    >>> error_for_status(418).__name__
    'ClientError'
    """
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return ClientError if 400 <= status < 500 else ServerError
