"""The service inside a real Jupyter ServerApp (pytest-jupyter's ``jp_serverapp``)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from service_api import concrete
from tornado.httpclient import HTTPClientError
from tornado.web import RequestHandler

from ucwidgets.server.app import ROUTES

pytest_plugins = ["pytest_jupyter.jupyter_server"]


@pytest.fixture
def jp_server_config(tmp_path):
    return {
        "ServerApp": {"jpserver_extensions": {"ucwidgets": True}},
        "UseCaseExtension": {"data_dir": str(tmp_path / "ucw-data")},
    }


def _runtime_files(serverapp) -> list[Path]:
    return sorted(Path(serverapp.runtime_dir).glob("ucwidgets-*.json"))


@pytest.fixture
def runtime(jp_serverapp, jp_asyncio_loop) -> dict:
    # A real server runs the extensions' start hooks once its event loop runs; the fixture
    # builds the server without starting that loop, so run them as the server would.
    jp_asyncio_loop.run_until_complete(jp_serverapp.extension_manager.start_all_extensions())
    (path,) = _runtime_files(jp_serverapp)
    return json.loads(path.read_text())


@pytest.mark.parametrize(("pattern", "handler"), ROUTES, ids=[p for p, _ in ROUTES])
async def test_every_route_is_served_under_the_base_url(jp_fetch, pattern, handler):
    path = concrete(pattern)
    verb = next(
        v
        for v in ("get", "post", "patch", "delete")
        if getattr(handler, v) is not getattr(RequestHandler, v)
    ).upper()
    kwargs = {"body": b"{}"} if verb in ("POST", "PATCH") else {}
    try:
        response = await jp_fetch(
            "ucwidgets",
            "api",
            "v2",
            *path.split("/"),
            "",
            method=verb,
            headers={"Authorization": "Token not-a-token"},
            **kwargs,
        )
    except HTTPClientError as e:
        response = e.response
    # Our handler answered (JSON, with our error shape), not Jupyter's HTML 404.
    assert response.headers["Content-Type"] == "application/json"
    public = getattr(handler, verb.lower()).policy == "public"
    assert response.code == (200 if public else 401)


async def test_unknown_paths_get_the_json_404(jp_fetch):
    with pytest.raises(HTTPClientError) as missing:
        await jp_fetch("ucwidgets", "api", "v2", "nothing", "here", "")
    assert missing.value.code == 404
    assert json.loads(missing.value.response.body) == {"message": "Not found."}


async def test_auth_is_enforced(jp_fetch, runtime):
    # jp_fetch sends Jupyter's own token, which is not a ucwidgets token.
    with pytest.raises(HTTPClientError) as refused:
        await jp_fetch("ucwidgets", "api", "v2", "useCases", "")
    assert refused.value.code == 401
    assert json.loads(refused.value.response.body)["message"]
    created = await jp_fetch(
        "ucwidgets",
        "api",
        "v2",
        "useCases",
        "",
        method="POST",
        body=json.dumps({"name": "From Jupyter"}),
        headers={"Authorization": f"Token {runtime['token']}"},
    )
    assert created.code == 201
    listing = await jp_fetch(
        "ucwidgets",
        "api",
        "v2",
        "useCases",
        "",
        headers={"Authorization": f"Bearer {runtime['token']}"},
    )
    assert [u["name"] for u in json.loads(listing.body)["data"]] == ["From Jupyter"]


async def test_runtime_file_is_private_and_points_here(jp_serverapp, jp_base_url, runtime):
    (path,) = _runtime_files(jp_serverapp)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert runtime["pid"] == os.getpid()
    assert runtime["endpoint"].endswith(f"{jp_base_url}ucwidgets/api/v2")
    assert f":{jp_serverapp.port}/" in runtime["endpoint"]


async def test_runtime_file_is_removed_at_shutdown(jp_serverapp, runtime):
    assert len(_runtime_files(jp_serverapp)) == 1
    await jp_serverapp.extension_manager.stop_all_extensions()
    assert _runtime_files(jp_serverapp) == []


async def test_events_are_pushed_under_the_base_url(jp_fetch, jp_ws_fetch, runtime):
    """The websocket and the long poll, mounted by Jupyter Server next to the REST routes."""
    auth = {"Authorization": f"Token {runtime['token']}"}
    ws = await jp_ws_fetch("ucwidgets", "api", "v2", "events", "ws", "", headers=auth)
    try:
        await ws.write_message(json.dumps({"after": 0}))
        assert json.loads(await ws.read_message()) == {"lastEventId": 0}
        await jp_fetch(
            "ucwidgets",
            "api",
            "v2",
            "useCases",
            "",
            method="POST",
            body=json.dumps({"name": "Pushed"}),
            headers=auth,
        )
        event = json.loads(await ws.read_message())
        assert (event["verb"], event["entityName"]) == ("created", "Pushed")
    finally:
        ws.close()
    polled = await jp_fetch(
        "ucwidgets", "api", "v2", "events", "", params={"after": 0, "wait": 5}, headers=auth
    )
    assert [e["id"] for e in json.loads(polled.body)["data"]] == [event["id"]]
