"""The HTTP server under the API: tornado's, with every refusal in the API's JSON error shape.

Tornado refuses a malformed message itself: Content-Length together with Transfer-Encoding, an
unknown transfer coding, a bad length, a broken request line or chunk. It answers those with a
bare ``400`` without ``Content-Type``, which the DataRobot client cannot read. The server here
puts ACCESS.md's JSON body and content type on that answer instead, and keeps a message whose
framing is ambiguous away from the handlers altogether (tornado would otherwise run the handler
on its headers before it looks at the body's framing).

Headers are read up to ``HEADER_READ_BYTES`` so that a long URL or header block reaches the
handlers, which answer it with a JSON ``414`` or ``431`` (``check_request_size``); past that
bound tornado closes the connection, which keeps the memory one connection can take bounded.

Examples
--------
>>> from ucwidgets.server.transport import check_request_size
>>> check_request_size("/api/v2/useCases/", {"Host": "x"})
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from tornado import httputil
from tornado.http1connection import is_transfer_encoding_chunked
from tornado.httpserver import HTTPServer
from tornado.iostream import IOStream

from ..errors import ClientError

#: How much of a request's head tornado reads before it gives up on the connection.
HEADER_READ_BYTES = 1024 * 1024
#: The longest request target the API answers (a URL past it gets 414).
MAX_URI_BYTES = 16 * 1024
#: The largest header block the API answers (past it, 431).
MAX_HEADER_BYTES = 64 * 1024

# What tornado's HTTP1Connection writes when it refuses a malformed message.
_TORNADO_BAD_REQUEST = b"HTTP/1.1 400 Bad Request\r\n\r\n"


def json_response(status: int, reason: str, message: str) -> bytes:
    """A complete HTTP/1.1 response carrying ``{"message": ...}``, closing the connection."""
    body = json.dumps({"message": message}).encode("utf-8")
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Content-Type: application/json\r\n"
        "Cache-Control: no-store\r\n"
        "Connection: close\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


_MALFORMED = json_response(
    400,
    "Bad Request",
    "The HTTP message is malformed (for example both Content-Length and Transfer-Encoding, "
    "an unsupported transfer coding, or a broken chunk); nothing was applied.",
)


def check_request_size(uri: str, headers: Iterable[tuple[str, str]] | Any) -> None:
    """Refuse a request target over ``MAX_URI_BYTES`` (414) or headers over
    ``MAX_HEADER_BYTES`` (431), before anything else looks at them."""
    if len(uri) > MAX_URI_BYTES:
        raise ClientError(
            f"The URL is longer than {MAX_URI_BYTES} bytes; nothing was applied.",
            status_code=414,
        )
    items = headers.get_all() if hasattr(headers, "get_all") else headers.items()
    size = sum(len(k) + len(v) + 4 for k, v in items)
    if size > MAX_HEADER_BYTES:
        raise ClientError(
            f"The request headers are larger than {MAX_HEADER_BYTES} bytes; nothing was applied.",
            status_code=431,
        )


class _JsonRefusals:
    """An ``IOStream`` that turns tornado's bare 400 into the API's JSON one."""

    def __init__(self, stream: IOStream) -> None:
        self._stream = stream

    def write(self, data: bytes | memoryview) -> Any:
        if data == _TORNADO_BAD_REQUEST:
            data = _MALFORMED
        return self._stream.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def ambiguous_framing(headers: httputil.HTTPHeaders) -> bool:
    """Whether a request's body length cannot be told for certain (RFC 9112 6.3): both
    Content-Length and Transfer-Encoding, a coding other than chunked, or a malformed or
    self-contradicting Content-Length."""
    try:
        is_transfer_encoding_chunked(headers)
    except httputil.HTTPInputError:
        return True
    length = headers.get("Content-Length")
    if length is None:
        return False
    pieces = set(re.split(r",\s*", length.strip()))
    return len(pieces) != 1 or not re.fullmatch(r"[0-9]+", pieces.pop())


class _FramingCheck(httputil.HTTPMessageDelegate):
    """Passes a request on to the application only when its framing is unambiguous; otherwise
    tornado's own body reader refuses it next, as a JSON 400 through ``_JsonRefusals``."""

    def __init__(self, delegate: httputil.HTTPMessageDelegate) -> None:
        self._delegate = delegate
        self._refused = False

    def headers_received(self, start_line: Any, headers: httputil.HTTPHeaders) -> Any:
        if ambiguous_framing(headers):
            self._refused = True
            return None
        return self._delegate.headers_received(start_line, headers)

    def data_received(self, chunk: bytes) -> Any:
        return self._delegate.data_received(chunk)

    def finish(self) -> None:
        self._delegate.finish()

    def on_connection_close(self) -> None:
        if not self._refused:
            self._delegate.on_connection_close()


class ApiHTTPServer(HTTPServer):
    """Tornado's ``HTTPServer`` with JSON refusals and a head large enough to refuse politely.

    Examples
    --------
    >>> import tornado.web
    >>> server = ApiHTTPServer(tornado.web.Application([]), max_body_size=1024)
    >>> server.conn_params.max_header_size == HEADER_READ_BYTES
    True
    """

    def initialize(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_header_size", HEADER_READ_BYTES)
        kwargs.setdefault("xheaders", False)
        super().initialize(*args, **kwargs)

    def handle_stream(self, stream: IOStream, address: tuple) -> None:
        super().handle_stream(_JsonRefusals(stream), address)  # type: ignore[arg-type]

    def start_request(self, server_conn: object, request_conn: Any) -> Any:
        return _FramingCheck(super().start_request(server_conn, request_conn))
