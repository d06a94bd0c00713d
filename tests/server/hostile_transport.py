"""The hostile corpus's cases for what a request is made of (see ``hostile_cases``): upload
bodies, HTTP framing and headers."""

from __future__ import annotations

from typing import Any

from hostile_cases import Case, raw_json


# -- uploads -------------------------------------------------------------------------------------
def _multipart(content: bytes, name: str = "file", end: bool = True) -> dict[str, Any]:
    body = (
        b'--BB\r\nContent-Disposition: form-data; name="'
        + name.encode()
        + b'"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\n'
        + content
        + (b"\r\n--BB--\r\n" if end else b"")
    )
    return {"data": body, "headers": {"Content-Type": "multipart/form-data; boundary=BB"}}


CSV = b"a,b\n1,2\n3,4\n"
UPLOADS = {
    "empty file": (_multipart(b""), 422),
    "header only": (_multipart(b"a,b,c\n"), 422),
    "ragged rows": (_multipart(b"a,b\n1,2\n3,4,5\n"), 422),
    "undecodable bytes": (_multipart(b"a,b\n1,\xff\xfe\n"), 422),
    "UTF-16": (_multipart("a,b\n1,2\n".encode("utf-16")), 422),
    "no closing boundary": (_multipart(CSV, end=False), 400),
    "cut mid-row": (_multipart(CSV[:7], end=False), 400),
    "no file part": (_multipart(CSV, name="other"), 422),
    "garbage body": ({"data": b"--BB\r\ngarbage", "headers": _multipart(b"")["headers"]}, 400),
    "text/csv body": ({"data": CSV, "headers": {"Content-Type": "text/csv"}}, 415),
    "no boundary": ({"data": CSV, "headers": {"Content-Type": "multipart/form-data"}}, 415),
    "file name with a control character": (
        {"files": {"file": ("a\x07b.csv", CSV)}},
        422,
    ),
    "file name with a bidi override": ({"files": {"file": ("x\u202evsc.exe", CSV)}}, 422),
}


def upload_cases() -> list[Case]:
    """Broken CSV files and multipart bodies, on both upload routes."""
    return [
        Case("uploads", f"{route} {label}", "alice", "POST", route, status, **kwargs)
        for route in ("datasets/fromFile/", "projects/")
        for label, (kwargs, status) in UPLOADS.items()
    ]


# -- transport and headers -----------------------------------------------------------------------
def transport_cases() -> list[Case]:
    """Broken HTTP framing sent raw on a socket, and bad headers, tokens and bodies."""
    head = b"Host: x\r\nAuthorization: Token {token}\r\n"
    raw = {
        "Content-Length with Transfer-Encoding": (
            b"POST /api/v2/useCases/ HTTP/1.1\r\n"
            + head
            + b"Content-Type: application/json\r\nContent-Length: 13\r\n"
            b'Transfer-Encoding: chunked\r\n\r\n{"name":"x"}',
            400,
        ),
        "two different lengths": (
            b"POST /api/v2/useCases/ HTTP/1.1\r\n"
            + head
            + b'Content-Type: application/json\r\nContent-Length: 13, 2\r\n\r\n{"name":"x"}',
            400,
        ),
        "gzip transfer coding": (
            b"POST /api/v2/useCases/ HTTP/1.1\r\n" + head + b"Transfer-Encoding: gzip\r\n\r\n",
            400,
        ),
        "bad chunk": (
            b"POST /api/v2/useCases/ HTTP/1.1\r\n"
            + head
            + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            400,
        ),
        "200 KB URL": (
            b"GET /api/v2/useCases/?q=" + b"a" * 200_000 + b" HTTP/1.1\r\n" + head + b"\r\n",
            414,
        ),
        "200 KB header": (
            b"GET /api/v2/useCases/ HTTP/1.1\r\n"
            + head
            + b"X-Pad: "
            + b"p" * 200_000
            + b"\r\n\r\n",
            431,
        ),
        "broken request line": (b"NOT HTTP\r\n\r\n", 400),
    }
    cases = [
        Case("transport", label, "alice", "RAW", "", status, raw=request)
        for label, (request, status) in raw.items()
    ]
    headers = {
        "no token": ("anon", {}, 401),
        "wrong token": ("anon", {"Authorization": "Token ucw_wrong"}, 401),
        "basic auth": ("anon", {"Authorization": "Basic YWxpY2U6cHc="}, 401),
        "empty bearer": ("anon", {"Authorization": "Bearer "}, 401),
        "control character in a header": ("anon", {"Authorization": "Token ucw_\x01x"}, 400),
    }
    cases += [
        Case("headers", label, actor, "POST", "useCases/", status, {"name": "x"}, headers=h)
        for label, (actor, h, status) in headers.items()
    ]
    cases += [
        Case(
            "headers",
            "token only in the query string",
            "anon",
            "GET",
            "useCases/",
            401,
            params={"token": "{alice_token}"},
        ),
        Case(
            "headers",
            "JSON body sent as form",
            "alice",
            "POST",
            "useCases/",
            400,
            data=b"name=x",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        Case(
            "headers",
            "NUL in a query value",
            "alice",
            "GET",
            "useCases/",
            400,
            params={"search": "a\x00b"},
        ),
        Case("headers", "undecodable query value", "alice", "GET", "useCases/?search=%ff", 400),
        Case("headers", "unknown method", "alice", "PUT", "useCases/{uc}/", 405, {"name": "x"}),
        Case("headers", "malformed JSON", "alice", "POST", "useCases/", 400, **raw_json(b"{")),
        Case(
            "headers",
            "lone surrogate",
            "alice",
            "POST",
            "useCases/",
            400,
            **raw_json(b'{"name": "\\ud800"}'),
        ),
        Case(
            "headers",
            "body over the JSON limit",
            "alice",
            "POST",
            "useCases/",
            413,
            **raw_json(b'{"name": "' + b"x" * (3 * 1024 * 1024) + b'"}'),
        ),
    ]
    return cases
