"""Error mapping, connection failures, the async protocol, and DataRobot-only endpoints.

Most tests use the real service. A few need answers our service never gives (a DataRobot
``version/``, a failed job, a 5xx); those use a tiny scripted HTTP server from the standard
library, in the manner of requests' own test server. Nothing of ucwidgets is patched.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from ports import free_port

import ucwidgets as dr
from ucwidgets.errors import (
    AsyncProcessUnsuccessfulError,
    ClientError,
    NotFound,
    NotSupported,
    ServerError,
    ServiceUnavailable,
    Unauthorized,
    UseCaseError,
    ValidationError,
)

Reply = tuple[int, dict[str, str], Any]


class Scripted:
    """An HTTP/1.1 server answering ``(method, path)`` from a dict of replies."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Reply | Callable[[], Reply]] = {}
        self.seen: list[tuple[str, str]] = []
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                path = self.path.split("/api/v2/", 1)[-1]
                scripted.seen.append((self.command, path))
                reply = scripted.routes.get((self.command, path.split("?")[0]))
                if callable(reply):
                    reply = reply()
                status, headers, body = reply or (404, {}, {"message": "no such route"})
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                for key, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_DELETE = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/api/v2"
        self.routes[("GET", "version/")] = (200, {}, {"versionString": "2.49.0"})

    def absolute(self, path: str) -> str:
        return f"{self.url}/{path}"


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    server = Scripted()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
        thread.join()


def test_not_found_carries_status_and_message(as_alice) -> None:
    with pytest.raises(NotFound) as caught:
        dr.UseCase.get("0" * 24)
    error = caught.value
    assert error.status_code == 404 and error.message and error.json["message"] == error.message


def test_validation_error_from_the_service(as_alice) -> None:
    with pytest.raises(ValidationError) as caught:
        dr.UseCase.create(name="bad\x00name")
    assert caught.value.status_code == 422


def test_wrong_token_never_shows_the_token(service) -> None:
    with pytest.raises(Unauthorized, match="Unable to authenticate") as caught:
        dr.Client(token="wrong-token-123", endpoint=service.url)
    assert "wrong-token-123" not in str(caught.value)


def test_client_repr_hides_the_token(alice, as_alice) -> None:
    assert alice.token not in repr(dr.get_client())


def test_endpoint_without_api_v2(service, make_user) -> None:
    user = make_user()
    root = service.url.rsplit("/api/v2", 1)[0]
    with pytest.raises(NotFound, match="usually ends in /api/v2"):
        dr.Client(token=user.token, endpoint=root)


def test_unreachable_endpoint_names_it() -> None:
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}/api/v2"
    with pytest.raises(ServiceUnavailable, match=f"127.0.0.1:{port}/api/v2") as caught:
        dr.Client(token="t", endpoint=endpoint)
    assert caught.value.status_code == 503


def test_status_codes_map_to_the_hierarchy(scripted) -> None:
    scripted.routes[("GET", "useCases/teapot/")] = (418, {}, {"message": "short and stout"})
    scripted.routes[("GET", "useCases/broken/")] = (500, {"X-Request-ID": "rq1"}, None)
    scripted.routes[("GET", "useCases/busy/")] = (503, {"Retry-After": "7"}, {"message": "busy"})
    dr.Client(token="t", endpoint=scripted.url)
    with pytest.raises(ClientError) as teapot:
        dr.UseCase.get("teapot")
    assert (type(teapot.value), teapot.value.status_code) == (ClientError, 418)
    assert teapot.value.message == "short and stout"
    with pytest.raises(ServerError, match="request id rq1"):
        dr.UseCase.get("broken")
    with pytest.raises(ServiceUnavailable) as busy:
        dr.UseCase.get("busy")
    assert busy.value.retry_after == 7
    # Longer than a call should wait: the error comes back at once, with its response.
    assert scripted.seen.count(("GET", "useCases/busy/")) == 1
    assert busy.value.response.headers["Retry-After"] == "7"
    assert busy.value.response.json() == {"message": "busy"}


def test_a_503_that_asks_is_tried_again_a_few_times(scripted, risk_file) -> None:
    busy = (503, {"Retry-After": "0"}, {"message": "busy, nothing applied"})
    replies = iter([busy, busy, (200, {}, {"id": "u1", "name": "Risk"})])
    scripted.routes[("GET", "useCases/u1/")] = lambda: next(replies)
    scripted.routes[("GET", "useCases/down/")] = busy
    scripted.routes[("POST", "datasets/fromFile/")] = busy
    dr.Client(token="t", endpoint=scripted.url)
    assert dr.UseCase.get("u1").name == "Risk"
    assert scripted.seen.count(("GET", "useCases/u1/")) == 3
    with pytest.raises(ServiceUnavailable, match="busy, nothing applied") as down:
        dr.UseCase.get("down")
    assert scripted.seen.count(("GET", "useCases/down/")) == 4  # the first try and 3 more
    assert down.value.response.status_code == 503
    with pytest.raises(ServiceUnavailable):
        dr.Dataset.create_from_file(file_path=risk_file)
    assert scripted.seen.count(("POST", "datasets/fromFile/")) == 1  # a stream is sent once


def test_async_job_failure_and_slow_job(scripted, risk_file) -> None:
    started = (202, {"Location": scripted.absolute("status/s1/")}, None)
    polls = iter(
        [
            (200, {}, {"status": "RUNNING"}),
            (303, {"Location": scripted.absolute("datasets/d1/")}, None),
        ]
    )
    scripted.routes[("POST", "datasets/fromFile/")] = started
    scripted.routes[("GET", "status/s1/")] = lambda: next(polls)
    scripted.routes[("GET", "datasets/d1/")] = (200, {}, {"datasetId": "d1", "name": "x.csv"})
    dr.Client(token="t", endpoint=scripted.url)
    assert dr.Dataset.create_from_file(file_path=risk_file).id == "d1"

    scripted.routes[("GET", "status/s1/")] = (200, {}, {"status": "ERROR", "message": "bad rows"})
    with pytest.raises(AsyncProcessUnsuccessfulError, match="bad rows"):
        dr.Dataset.create_from_file(file_path=risk_file)


def test_relative_next_links_are_followed(scripted) -> None:
    item = {"id": "u", "name": "n", "createdAt": "2024-01-02T03:04:05Z"}
    scripted.routes[("GET", "useCases/")] = lambda: (
        (200, {}, {"data": [item], "next": "useCases/?offset=1"})
        if scripted.seen[-1] == ("GET", "useCases/")
        else (200, {}, {"data": [{**item, "id": "v"}], "next": None})
    )
    dr.Client(token="t", endpoint=scripted.url)
    assert [uc.id for uc in dr.UseCase.list()] == ["u", "v"]


def test_features_datarobot_lacks_are_not_supported(scripted) -> None:
    dr.Client(token="t", endpoint=scripted.url)
    uc = dr.UseCase({"id": "a" * 24, "name": "On DataRobot"})
    with pytest.raises(NotSupported, match="not supported by the server"):
        uc.events()
    with pytest.raises(NotSupported):
        uc.add(entity_type="notebook", entity_id="n1")
    with pytest.raises(NotSupported):
        dr.Application.create(name="x")
    assert not [seen for seen in scripted.seen if "notebooks" in seen[1]]


def test_every_error_is_a_use_case_error() -> None:
    for cls in (ClientError, NotFound, ServerError, ServiceUnavailable, NotSupported):
        assert issubclass(cls, UseCaseError)
