"""The HTTP session behind the API layer: auth, URL joining, errors, pagination, async jobs.

Every request of the API layer goes through :meth:`RESTClientObject._request`, the one place where
an HTTP error response becomes a :mod:`ucwidgets.errors` exception and a connection failure becomes
:class:`~ucwidgets.errors.ServiceUnavailable`. On top of it sit the two DataRobot conventions the
models need: following ``next`` links of the paginated envelope, and the asynchronous job protocol
(``202`` + ``Location`` to a status resource that answers ``303`` + ``Location`` once done).

Examples
--------
>>> from ucwidgets.rest import RESTClientObject
>>> rest = RESTClientObject("http://127.0.0.1:8765/api/v2", token="secret")
>>> rest.url("useCases/abc/")
'http://127.0.0.1:8765/api/v2/useCases/abc/'
>>> rest
RESTClientObject(http://127.0.0.1:8765/api/v2/)
"""

from __future__ import annotations

import io
import os
import platform
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from ucwidgets._version import __version__
from ucwidgets.errors import (
    AsyncProcessUnsuccessfulError,
    ServiceUnavailable,
    UseCaseError,
    error_for_status,
)

#: Seconds to wait for a connection and for a response, unless a call says otherwise.
DEFAULT_TIMEOUT = (6.05, 60)
#: Timeouts for this thread (or task) only, over every session's own; see :func:`timeouts`.
_timeouts: ContextVar[tuple[float, float] | None] = ContextVar("ucwidgets_timeouts", default=None)
#: Seconds an asynchronous job may run before the client gives up (DataRobot's default too).
DEFAULT_MAX_WAIT = 600
#: The page our service is asked for when a listing is read whole: its largest (``limit``).
WHOLE_PAGE = 1000
#: Uploads at least this large always show a progress bar; smaller ones only when slow.
_PROGRESS_DELAY = 1.0
_CHUNK = 1 << 16
#: A 503 with ``Retry-After`` (the service applied nothing) is tried again this many times, when
#: it asks to wait at most ``MAX_RETRY_AFTER`` seconds; otherwise the error comes back at once.
RETRIES_ON_503 = 3
MAX_RETRY_AFTER = 5.0


class _RetryWhenAsked(Retry):
    """urllib3's ``Retry``, retrying only a 503 whose ``Retry-After`` asks for a short wait."""

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        **kwargs: Any,
    ) -> Retry:
        if response is not None:
            wait = self.get_retry_after(response)
            if wait is None or wait > MAX_RETRY_AFTER:  # give the caller the 503 now
                raise MaxRetryError(kwargs.get("_pool"), url or "", "no short Retry-After")
        return super().increment(method, url, response, error, **kwargs)


def _session(retries: int) -> requests.Session:
    """A session that retries a 503 as :class:`_RetryWhenAsked` says, up to ``retries`` times;
    connection failures are not retried (they fail fast, naming the endpoint)."""
    retry = _RetryWhenAsked(
        total=retries,
        connect=0,
        read=False,
        other=0,
        status_forcelist=(503,),
        allowed_methods=None,  # every verb: a 503 of the service means nothing was applied
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = requests.Session()
    for scheme in ("http://", "https://"):
        session.mount(scheme, HTTPAdapter(max_retries=retry))
    return session


@contextmanager
def timeouts(connect: float, read: float) -> Iterator[None]:
    """Use these connect and read timeouts for this thread's (or task's) requests in a block.

    The widgets use short ones, so a hung service shows as an error within seconds; code in
    other threads keeps the client's own. A request that names its ``timeout`` keeps it.

    Examples
    --------
    >>> from ucwidgets.rest import timeouts
    >>> with timeouts(3, 10):  # doctest: +SKIP
    ...     dr.UseCase.list()
    """
    token = _timeouts.set((connect, read))
    try:
        yield
    finally:
        _timeouts.reset(token)


class RESTClientObject:
    """A ``requests`` session bound to one endpoint and one token.

    Parameters
    ----------
    endpoint : str
        The API root, for example ``"http://127.0.0.1:8765/api/v2"``.
    token : str
        The API token; it is sent in the ``Authorization`` header and never shown anywhere.
    token_type : str, default "Token"
        The header's scheme: ``"Token"`` (DataRobot's default) or ``"Bearer"``.
    timeout : float or (float, float), optional
        Connect and read timeouts in seconds.
    ssl_verify : bool or str, default True
        Passed to ``requests`` as ``verify``.

    Examples
    --------
    >>> rest = RESTClientObject("http://127.0.0.1:8765/api/v2/", token="t")
    >>> rest.endpoint
    'http://127.0.0.1:8765/api/v2/'
    """

    def __init__(
        self,
        endpoint: str,
        token: str,
        token_type: str = "Token",
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        ssl_verify: bool | str = True,
    ) -> None:
        # A trailing slash makes urljoin keep the last segment ("v2") of the endpoint.
        self.endpoint = endpoint.rstrip("/") + "/"
        self.token_type = token_type
        self.timeout = timeout
        #: The JSON of ``GET version/`` once :meth:`check_version` ran, else None.
        self.version: dict[str, Any] | None = None
        self._is_ucwidgets: bool | None = None
        headers = {
            "Authorization": f"{token_type} {token}",
            "User-Agent": (
                f"ucwidgets/{__version__} ({platform.system()} {platform.machine()}) "
                f"Python-{platform.python_version()}"
            ),
        }
        # A streamed upload cannot be sent twice, so it goes through a session that never
        # retries; everything else may be retried on a 503 that asks for it.
        self.session, self._upload_session = _session(RETRIES_ON_503), _session(0)
        for session in (self.session, self._upload_session):
            session.verify = ssl_verify
            session.headers.update(headers)

    def __repr__(self) -> str:
        # Never the token: reprs end up in notebooks, logs and bug reports.
        return f"RESTClientObject({self.endpoint})"

    # -- URLs -------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        """Join a path relative to the endpoint, or pass an absolute URL through.

        ``Location`` headers and ``next`` links come back absolute; paths written by the models
        are relative (``"useCases/"``).
        """
        if urlsplit(path).scheme:
            return path
        return urljoin(self.endpoint, path.lstrip("/"))

    # -- the one request --------------------------------------------------------------------

    def _request(
        self, method: str, path: str, session: requests.Session | None = None, **kwargs: Any
    ) -> requests.Response:
        """Send one request; return the response if its status is below 400, else raise.

        A 503 that asks to be tried again after a short ``Retry-After`` is, a few times.

        Raises
        ------
        ucwidgets.errors.UseCaseError
            The subclass :func:`ucwidgets.errors.error_for_status` picks for the status, carrying
            the server's ``message`` and ``errors``.
        ucwidgets.errors.ServiceUnavailable
            When the endpoint cannot be reached at all.
        """
        kwargs.setdefault("timeout", _timeouts.get() or self.timeout)
        url = self.url(path)
        try:
            response = (session or self.session).request(method, url, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise ServiceUnavailable(
                f"The Use Case service at {self.endpoint} is unavailable "
                f"({type(exc).__name__} on {method} {urlsplit(url).path}). Is it running?"
            ) from exc
        if response.status_code >= 400:
            raise _error_from_response(response)
        return response

    def get(self, path: str, params: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        """GET a path and return its JSON body."""
        return self._request("GET", path, params=_clean(params), **kw).json()

    def post(self, path: str, json: Any = None, **kw: Any) -> requests.Response:
        """POST JSON (keys whose value is None are dropped, as DataRobot's client does)."""
        return self._request("POST", path, json=_clean(json), **kw)

    def patch(self, path: str, json: Any = None, **kw: Any) -> requests.Response:
        """PATCH JSON (keys whose value is None are dropped)."""
        return self._request("PATCH", path, json=_clean(json), **kw)

    def delete(self, path: str, **kw: Any) -> requests.Response:
        """DELETE a path."""
        return self._request("DELETE", path, **kw)

    # -- listings ---------------------------------------------------------------------------

    def paginate(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        follow: bool = True,
        meta: dict[str, Any] | None = None,
        whole: bool = False,
    ) -> Iterator[dict[str, Any]]:
        """Yield the items of a listing, following ``next`` links until there are none.

        A bare JSON array (``GET projects/``) is yielded as is. With ``follow=False`` only the
        first page is read, which is how an explicit ``limit`` is honoured. ``meta``, when
        given, receives the first page's envelope without its items (``totalCount``...).
        ``whole=True`` says every page will be read, of a route that pages with ``next``: on
        our service, with no ``limit`` in ``params``, the pages are then the largest it gives
        (10,000 use cases in 10 round trips instead of 100); DataRobot keeps its own default.

        Examples
        --------
        >>> # ids = [item["id"] for item in rest.paginate("useCases/", {"limit": 2})]
        """
        if whole and follow and (params or {}).get("limit") is None and self.is_ucwidgets:
            params = {**(params or {}), "limit": WHOLE_PAGE}
        body = self.get(path, params)
        if meta is not None and isinstance(body, dict):
            meta.update({k: v for k, v in body.items() if k != "data"})
        while True:
            if isinstance(body, list):
                yield from body
                return
            yield from body.get("data", [])
            next_url = body.get("next")
            if not next_url or not follow:
                return
            body = self.get(next_url)

    # -- version ----------------------------------------------------------------------------

    def check_version(self) -> dict[str, Any]:
        """``GET version/``: proves the endpoint and the token, and tells which server it is."""
        self.version = self.get("version/")
        self._is_ucwidgets = self.version.get("service") == "ucwidgets"
        return self.version

    @property
    def is_ucwidgets(self) -> bool:
        """True when the endpoint is a ucwidgets service rather than DataRobot."""
        if self._is_ucwidgets is None:
            # Health is unauthenticated and exists only on our service; DataRobot answers 404.
            try:
                body = self._request("GET", "health/").json()
            except UseCaseError as e:  # live but not ready: a 503 with the checks in "errors"
                body = {} if e.response is None else _json_or_empty(e.response).get("errors")
            self._is_ucwidgets = isinstance(body, dict) and (
                body.get("live") is True or body.get("status") == "ok"
            )
        return self._is_ucwidgets

    # -- async jobs -------------------------------------------------------------------------

    def wait_for_async(
        self, response: requests.Response, max_wait: float = DEFAULT_MAX_WAIT
    ) -> str:
        """Follow DataRobot's async protocol from a ``202`` and return the finished resource's URL.

        The status resource is polled without following redirects: ``303`` + ``Location`` means
        done; ``200`` means still running; a status starting with ``error`` or ``abort`` means
        failed. Polls start fast and back off, since our service usually answers the first poll
        with ``303``; a job that runs longer than a moment shows a progress bar.
        """
        location = response.headers.get("Location")
        if not location:
            raise AsyncProcessUnsuccessfulError(
                f"The server answered {response.status_code} without a Location header "
                f"to {response.request.method} {urlsplit(response.url).path}"
            )
        deadline = time.monotonic() + max_wait
        delay, bar = 0.05, None
        try:
            while True:
                status = self._request("GET", location, allow_redirects=False)
                if status.status_code in (303, 307) and status.headers.get("Location"):
                    if status.status_code == 303:
                        return self.url(status.headers["Location"])
                    location = status.headers["Location"]
                    continue
                body = _json_or_empty(status)
                state = str(body.get("status", "")).lower()
                if state.startswith(("error", "abort")):
                    raise AsyncProcessUnsuccessfulError(
                        f"The job at {location} failed: {body.get('message') or body}",
                        errors=body,
                    )
                if time.monotonic() + delay > deadline:
                    raise AsyncProcessUnsuccessfulError(
                        f"The job at {location} was still {state or 'running'} after {max_wait} s",
                        status_code=504,
                    )
                bar = bar or _progress(desc="waiting for the server", unit="s", total=None)
                time.sleep(delay)
                bar.update(delay)
                delay = min(delay * 2, 5.0)
        finally:
            if bar is not None:
                bar.close()

    # -- uploads ----------------------------------------------------------------------------

    def upload(
        self,
        path: str,
        fields: Mapping[str, str],
        file: str | os.PathLike[str] | IO[bytes] | bytes,
        filename: str,
        **kw: Any,
    ) -> requests.Response:
        """POST a multipart form whose last part is a file, streamed from disk with progress.

        Parameters
        ----------
        path : str
            The route, e.g. ``"datasets/fromFile/"``.
        fields : mapping of str to str
            Plain form parts sent before the file (e.g. ``{"projectName": ...}``).
        file : path, binary file object or bytes
            The content of the ``file`` part.
        filename : str
            The filename announced for the ``file`` part.
        """
        body = _MultipartBody(fields, file, filename)
        try:
            return self._request(
                "POST",
                path,
                session=self._upload_session,
                data=body,
                headers={"Content-Type": body.content_type, "Content-Length": str(len(body))},
                **kw,
            )
        finally:
            body.close()


class _MultipartBody:
    """A ``multipart/form-data`` body that reads its file part lazily, so uploads stream.

    ``requests`` would build the whole body in memory with ``files=``; here ``urllib3`` pulls it
    block by block through :meth:`read`, and the known length keeps ``Content-Length`` (which the
    service checks against its limit before buffering anything). It is deliberately not an
    ``io`` object: ``requests`` would call its ``tell()``, and then measure the length as zero
    and switch to chunked encoding.
    """

    def __init__(self, fields: Mapping[str, str], file: Any, filename: str) -> None:
        boundary = uuid.uuid4().hex
        self.content_type = f"multipart/form-data; boundary={boundary}"
        head = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
            for name, value in fields.items()
        )
        quoted = filename.replace("\\", "\\\\").replace('"', '\\"')
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{quoted}"\r\n\r\n'
        ).encode()
        self._parts: list[IO[bytes]] = [io.BytesIO(head)]
        self._owned: IO[bytes] | None = None
        if isinstance(file, bytes | bytearray):
            stream, size = io.BytesIO(bytes(file)), len(file)
        elif isinstance(file, str | os.PathLike):
            stream = self._owned = open(file, "rb")  # noqa: SIM115 - closed in close()
            size = os.fstat(stream.fileno()).st_size
        else:
            stream, size = file, _remaining_size(file)
        self._parts += [stream, io.BytesIO(f"\r\n--{boundary}--\r\n".encode())]
        self._length = len(head) + size + len(self._parts[-1].getvalue())
        self._bar = _progress(
            desc=f"uploading {os.path.basename(filename)}",
            total=size,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
        )

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.read(_CHUNK):
            yield chunk

    def read(self, size: int = -1) -> bytes:
        size = _CHUNK if size is None or size < 0 else size
        while self._parts:
            chunk = self._parts[0].read(size)
            if chunk:
                if len(self._parts) == 2:  # the file part: count it for the bar
                    self._bar.update(len(chunk))
                return chunk
            self._parts.pop(0)
        return b""

    def close(self) -> None:
        if self._owned is not None:
            self._owned.close()
            self._owned = None
        self._bar.close()


def _remaining_size(stream: IO[bytes]) -> int:
    """How many bytes a seekable file object has left; read it into memory if not seekable."""
    try:
        here = stream.tell()
        end = stream.seek(0, os.SEEK_END)
        stream.seek(here)
        return end - here
    except (AttributeError, OSError, ValueError) as exc:
        raise TypeError("filelike must be a seekable binary file object") from exc


def _progress(**kwargs: Any) -> Any:
    """A tqdm bar that appears only when the work outlasts a moment (a widget in notebooks)."""
    from tqdm.auto import tqdm  # lazy: tqdm.auto may import ipywidgets inside a kernel

    return tqdm(delay=_PROGRESS_DELAY, leave=False, **kwargs)


def _json_or_empty(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _clean(data: Any) -> Any:
    """Drop keys whose value is None: the wire treats absent and null alike (WIRE.md 1.4)."""
    if isinstance(data, Mapping):
        return {key: value for key, value in data.items() if value is not None}
    return data


def _error_from_response(response: requests.Response) -> UseCaseError:
    """Turn an error response into the matching :mod:`ucwidgets.errors` exception."""
    status = response.status_code
    body = _json_or_empty(response)
    message = body.get("message") or response.reason or f"HTTP {status}"
    if not body and response.text and status < 500:
        message = response.text[:500]
    request_id = response.headers.get("X-Request-ID") or response.headers.get(
        "X-DataRobot-Request-ID"
    )
    if status >= 500 and request_id:
        message = f"{message} (request id {request_id})"
    errors = body.get("errors") if isinstance(body.get("errors"), dict) else None
    cls = error_for_status(status)
    kwargs: dict[str, Any] = {"errors": errors, "response": response}
    if cls.status_code != status:
        kwargs["status_code"] = status
    if cls is ServiceUnavailable:
        retry_after = response.headers.get("Retry-After", "")
        kwargs["retry_after"] = int(retry_after) if retry_after.isdigit() else None
    return cls(str(message), **kwargs)
