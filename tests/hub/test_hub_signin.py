"""Hub sign-in without a Hub: when JupyterHub is down or misconfigured, and the store's rules
for the names it vouches for. The service runs in-process on port 0, set up as a Hub service
whose Hub API is a closed port of 127.0.0.1."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import websocket
from ports import free_port

from ucwidgets.errors import Conflict, Unauthorized, ValidationError
from ucwidgets.server.app import ServerThread
from ucwidgets.server.hub import HubSettings
from ucwidgets.server.store import Store


@pytest.fixture(scope="module")
def hub_down_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    """The service in Hub mode, its Hub unreachable (a closed port)."""
    pytest.importorskip("jupyterhub", reason="jupyterhub is not installed (the hub extra)")
    env = {
        "JUPYTERHUB_API_URL": f"http://127.0.0.1:{free_port()}/hub/api",
        "JUPYTERHUB_API_TOKEN": "service-token",
    }
    server = ServerThread(
        data_dir=tmp_path_factory.mktemp("hub-down"), hub=HubSettings.from_env(env)
    ).start()
    try:
        yield server
    finally:
        server.stop()


def test_the_api_lives_under_the_service_prefix(hub_down_service):
    assert hub_down_service.url.endswith("/services/ucwidgets/api/v2")
    r = requests.get(hub_down_service.url.replace("/services/ucwidgets", "") + "/version/")
    assert r.status_code == 404
    assert r.headers["Content-Type"] == "application/json"


def test_a_hub_token_while_the_hub_is_down_is_a_503_with_retry_after(hub_down_service):
    for scheme in ("token", "Bearer"):
        r = requests.get(
            f"{hub_down_service.url}/users/me/", headers={"Authorization": f"{scheme} hub-token"}
        )
        assert r.status_code == 503, r.text
        assert int(r.headers["Retry-After"]) > 0
        assert r.headers["Content-Type"] == "application/json"
        assert "JupyterHub" in r.json()["message"]
        assert "hub-token" not in r.text


def test_the_service_s_own_tokens_work_while_the_hub_is_down(hub_down_service):
    me, token = f"{hub_down_service.url}/users/me/", hub_down_service.token
    r = requests.get(me, headers={"Authorization": f"Token {token}"})
    assert r.status_code == 200, r.text
    r = requests.get(f"{hub_down_service.url}/users/me/")
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Token")


def test_a_hub_that_accepts_but_never_answers_is_a_503_after_the_timeout(tmp_path):
    pytest.importorskip("jupyterhub", reason="jupyterhub is not installed (the hub extra)")
    with socket.socket() as silent:  # connections wait in its backlog, never answered
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        env = {
            "JUPYTERHUB_API_URL": f"http://127.0.0.1:{silent.getsockname()[1]}/hub/api",
            "JUPYTERHUB_API_TOKEN": "service-token",
        }
        settings = HubSettings.from_env(env, timeout_s=0.5)
        server = ServerThread(data_dir=tmp_path, hub=settings).start()
        try:
            r = requests.get(
                f"{server.url}/users/me/", headers={"Authorization": "token hub-token"}, timeout=60
            )
        finally:
            server.stop()
    assert r.status_code == 503, r.text
    assert int(r.headers["Retry-After"]) > 0


def test_the_websocket_refuses_a_hub_token_with_a_503_while_the_hub_is_down(hub_down_service):
    url = hub_down_service.url.replace("http", "ws", 1) + "/events/ws/"
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(url, header=["Authorization: token hub-token"], timeout=30)
    assert refused.value.status_code == 503
    ws = websocket.create_connection(url, timeout=30)
    try:
        ws.send(json.dumps({"token": "hub-token"}))
        opcode, frame = ws.recv_data()
        assert opcode == websocket.ABNF.OPCODE_CLOSE
        assert int.from_bytes(frame[:2], "big") == 4503
    finally:
        ws.shutdown()


def test_a_browser_without_a_sign_in_is_sent_to_the_hub_s_oauth(hub_down_service):
    page = hub_down_service.url.removesuffix("api/v2")
    r = requests.get(page, allow_redirects=False)
    assert r.status_code == 302
    assert r.headers["Location"].startswith("/hub/api/oauth2/authorize?client_id=service-ucwidgets")
    assert "code_challenge=" in r.headers["Location"]  # PKCE, kept by jupyterhub's HubOAuth
    r = requests.get(page + "oauth_callback?code=x&state=forged")
    assert r.status_code == 403, r.text
    assert r.headers["Content-Type"] == "application/json"


def test_serve_with_hub_but_no_hub_settings_says_what_is_missing_in_one_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "ucwidgets.cli",
            "serve",
            "--hub",
            "--port",
            "0",
            "--data-dir",
            str(tmp_path),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1, out.stderr
    assert "JUPYTERHUB_API_URL" in out.stderr


def test_hub_settings_come_from_the_environment_jupyterhub_gives_a_service():
    settings = HubSettings.from_env(
        {
            "JUPYTERHUB_API_URL": "http://hub:8081/hub/api",
            "JUPYTERHUB_API_TOKEN": "t",
            "JUPYTERHUB_SERVICE_NAME": "team-uc",
            "JUPYTERHUB_SERVICE_PREFIX": "/base/services/team-uc/",
            "JUPYTERHUB_CLIENT_ID": "service-team-uc",
            "JUPYTERHUB_BASE_URL": "/base/",
            "JUPYTERHUB_OAUTH_ACCESS_SCOPES": '["access:services!service=team-uc"]',
        },
        api_url="http://other:8081/hub/api",
    )
    assert settings.api_url == "http://other:8081/hub/api"  # an option overrides the env
    assert settings.service_prefix == "/base/services/team-uc/"
    assert settings.hub_prefix == "/base/hub/"
    assert settings.client_id == "service-team-uc"
    assert settings.access_scopes == {"access:services!service=team-uc"}


def test_a_hub_user_maps_by_name_and_is_created_once_under_the_username_rules(tmp_path):
    store = Store.open(tmp_path)
    try:
        ann = store.users.sign_in("ann")
        assert store.users.sign_in("ann") == ann
        assert [u["username"] for u in store.users.list()].count("ann") == 1
        store.users.create("Bob")
        with pytest.raises(Conflict, match="cannot be told from"):
            store.users.sign_in("bob")  # another user's name in another case
        with pytest.raises(ValidationError):
            store.users.sign_in("b\u043eb")  # a Cyrillic o among Latin letters
        with pytest.raises(ValidationError):
            store.users.sign_in("a\x00b")
        store.sharing.deactivate_user("ann")
        with pytest.raises(Unauthorized):
            store.users.sign_in("ann")
    finally:
        store.close()


def test_first_sign_ins_at_once_create_one_user(tmp_path):
    store = Store.open(tmp_path)
    try:
        with ThreadPoolExecutor(8) as pool:
            users = list(pool.map(store.users.sign_in, ["mia"] * 16))
        assert len({u["id"] for u in users}) == 1
        assert [u["username"] for u in store.users.list()].count("mia") == 1
    finally:
        store.close()


def test_a_service_token_is_never_an_administrator(tmp_path):
    server = ServerThread(data_dir=tmp_path).start()
    try:
        headers = {"Authorization": f"Token {server.token}"}
        for method, path in (
            ("GET", "admin/users/"),
            ("POST", "admin/users/"),
            ("POST", f"admin/users/{'0' * 24}/tokens/"),
            ("POST", f"admin/users/{'0' * 24}/deactivate/"),
        ):
            r = requests.request(method, f"{server.url}/{path}", headers=headers, json={})
            assert r.status_code == 403, (method, path, r.text)
            assert r.headers["Content-Type"] == "application/json"
        assert len(server.store.users.list()) == 1  # nothing was created
    finally:
        server.stop()
