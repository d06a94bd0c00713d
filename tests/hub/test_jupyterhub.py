"""Signing in through a real JupyterHub: from a single-user server's kernel, from a browser,
with a Hub token, and with the service's own tokens beside them.

One Hub (``hub`` in conftest.py) serves the module: it runs the documented
``docs/jupyterhub_config.py`` with the service as its managed service.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import requests
import websocket

from ucwidgets.server.store import Store

from .kernel import execute, kernel

pytestmark = pytest.mark.timeout(600)

SERVICE = "access:services!service=ucwidgets"

KERNEL_CODE = """
import os
import ucwidgets as uc
uc.Client()
risk = uc.UseCase.create(name="Hub risk")
print(risk.id, "UCWIDGETS_TOKEN" in os.environ)
"""


def _status(hub, token: str | None, path: str = "users/me/", method: str = "GET"):
    headers = {"Authorization": f"token {token}"} if token else {}
    return requests.request(method, f"{hub.api}/{path}", headers=headers, timeout=30)


def test_a_kernel_of_a_single_user_server_creates_a_use_case_as_its_hub_user(hub):
    ann = hub.sign_in("ann")
    hub.start_server(ann, "ann")
    token = hub.token(ann, "ann", "access:servers!user=ann", SERVICE)
    server = f"{hub.url}/user/ann"
    with kernel(server, token) as kernel_id:
        printed = execute(server, token, kernel_id, KERNEL_CODE).split()
    use_case_id, had_own_token = printed
    assert had_own_token == "False"  # the kernel signed in with JUPYTERHUB_API_TOKEN alone

    # The service recorded ann, created on her first sign-in, as the use case's owner.
    r = _status(hub, token, f"useCases/{use_case_id}/")
    assert r.status_code == 200, r.text
    assert [o["username"] for o in r.json()["owners"]] == ["ann"]
    store = Store.open(hub.data_dir)
    try:
        assert "ann" in [u["username"] for u in store.users.list()]
    finally:
        store.close()


def test_hub_tokens_sign_in_in_either_scheme_and_bad_ones_are_401_in_the_error_shape(hub):
    bea = hub.sign_in("bea")
    token = hub.token(bea, "bea", SERVICE)
    for scheme in ("token", "Bearer"):
        r = requests.get(f"{hub.api}/users/me/", headers={"Authorization": f"{scheme} {token}"})
        assert r.status_code == 200, r.text
        assert r.json()["username"] == "bea"
    for bad in ("not-a-hub-token", token[:-2], "ucw_" + token):
        r = _status(hub, bad)
        assert r.status_code == 401, (bad, r.text)
        assert r.headers["Content-Type"] == "application/json"
        assert set(r.json()) == {"message"}
        assert token not in r.text


def test_a_hub_token_without_the_service_scope_is_refused(hub):
    cai = hub.sign_in("cai")
    token = hub.token(cai, "cai", "read:users:name!user")
    r = _status(hub, token)
    assert r.status_code == 403, r.text
    assert SERVICE in r.json()["message"]


def test_tokens_from_user_add_keep_working_beside_hub_tokens(hub):
    token = _cli(hub, "user", "add", "dan@example.com", "--json")["token"]
    r = _status(hub, token)
    assert r.status_code == 200, r.text
    assert r.json()["username"] == "dan@example.com"
    r = _status(hub, token, "useCases/", "POST")  # no body: an untitled use case
    assert r.status_code == 201, r.text
    assert [o["username"] for o in r.json()["owners"]] == ["dan@example.com"]


def test_a_browser_signs_in_with_hub_oauth_and_its_cookie_only_reads(hub):
    eve = hub.sign_in("eve")
    page = eve.get(f"{hub.url}/services/ucwidgets/")  # to the Hub's OAuth and back
    assert page.status_code == 200, page.text
    assert "Signed in to ucwidgets as <b>eve</b>" in page.text
    me = eve.get(f"{hub.api}/users/me/")
    assert me.status_code == 200, me.text
    assert me.json()["username"] == "eve"
    # A write needs a token in a header: the cookie alone, which any page could make the
    # browser send, changes nothing.
    r = eve.post(f"{hub.api}/useCases/", json={"name": "by cookie"})
    assert r.status_code == 401, r.text
    assert eve.get(f"{hub.api}/useCases/").json()["totalCount"] == 0

    # The push websocket takes the cookie from a page of the same origin only.
    cookie = "; ".join(f"{c.name}={c.value}" for c in eve.cookies)
    url = hub.api.replace("http", "ws", 1) + "/events/ws/"
    ws = websocket.create_connection(url, cookie=cookie, origin=hub.url, timeout=30)
    ws.send(json.dumps({}))
    assert "lastEventId" in json.loads(ws.recv())
    ws.close()
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(url, cookie=cookie, origin="http://evil.example", timeout=30)
    assert refused.value.status_code == 403


def test_the_push_websocket_takes_hub_tokens_in_the_header_or_the_first_message(hub):
    fay = hub.sign_in("fay")
    token = hub.token(fay, "fay", SERVICE)
    url = hub.api.replace("http", "ws", 1) + "/events/ws/"
    ws = websocket.create_connection(url, header=[f"Authorization: token {token}"], timeout=30)
    ws.send(json.dumps({}))
    assert "lastEventId" in json.loads(ws.recv())
    ws.close()
    ws = websocket.create_connection(url, timeout=30)
    ws.send(json.dumps({"token": token}))
    assert "lastEventId" in json.loads(ws.recv())
    ws.close()
    ws = websocket.create_connection(url, timeout=30)
    try:
        ws.send(json.dumps({"token": "not-a-hub-token"}))
        opcode, frame = ws.recv_data()
        assert opcode == websocket.ABNF.OPCODE_CLOSE
        assert int.from_bytes(frame[:2], "big") == 4401
    finally:
        ws.shutdown()


def test_ucwidgets_token_wins_over_the_kernel_s_hub_token(hub, tmp_path):
    kim = hub.sign_in("kim")
    token = _cli(hub, "user", "add", "lee@example.com", "--json")["token"]
    code = "import ucwidgets as uc; print(uc.Client().get('users/me/')['username'])"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("UCWIDGETS_", "JUPYTERHUB"))}
    for env, expected in (
        ({"JUPYTERHUB_API_TOKEN": hub.token(kim, "kim", SERVICE)}, "kim"),
        ({"JUPYTERHUB_API_TOKEN": "not-a-hub-token", "UCWIDGETS_TOKEN": token}, "lee@example.com"),
    ):
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**clean, "UCWIDGETS_ENDPOINT": hub.api, "HOME": str(tmp_path), **env},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == expected, out.stderr


def test_a_failed_client_never_falls_back_to_another_identity(hub, tmp_path):
    code = """
import ucwidgets as uc
from ucwidgets.errors import ClientError, Unauthorized
try:
    uc.Client()
except Unauthorized:
    print("refused")
try:
    uc.UseCase.list()
except ClientError as e:
    print("no fallback:", "nothing falls back" in str(e))
"""
    env = {
        **os.environ,
        "UCWIDGETS_ENDPOINT": hub.api,
        "JUPYTERHUB_API_TOKEN": "not-a-hub-token",
        "HOME": str(tmp_path),
        "UCWIDGETS_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("UCWIDGETS_TOKEN", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split("\n")[:2] == ["refused", "no fallback: True"], out.stderr
    assert not (tmp_path / "data").exists()  # no embedded service was started


def test_a_hub_name_another_user_s_name_cannot_be_told_from_is_refused(hub):
    _cli(hub, "user", "add", "Gus")
    gus = hub.sign_in("gus")  # the Hub lower-cases names
    r = _status(hub, hub.token(gus, "gus", SERVICE))
    assert r.status_code == 403, r.text
    assert "cannot be told from" in r.json()["message"]


def test_hub_admins_administer_the_service_and_nobody_else_does(hub):
    admin = hub.sign_in("admin")  # an admin in docs/jupyterhub_config.py
    admin_token = hub.token(admin, "admin", SERVICE)
    hal = hub.sign_in("hal")
    hal_token = hub.token(hal, "hal", SERVICE)
    hal_id = _status(hub, hal_token).json()["id"]  # hal's first sign-in creates him
    service_token = _cli(hub, "user", "add", "ida@example.com", "--json")["token"]
    for token in (hal_token, service_token):
        r = _status(hub, token, "admin/users/")
        assert r.status_code == 403, r.text
        assert r.headers["Content-Type"] == "application/json"

    listing = _status(hub, admin_token, "admin/users/")
    assert listing.status_code == 200, listing.text
    assert {"admin", "hal", "ida@example.com"} <= {u["username"] for u in listing.json()["data"]}
    r = requests.post(
        f"{hub.api}/admin/users/",
        json={"username": "jo@example.com"},
        headers={"Authorization": f"token {admin_token}"},
    )
    assert r.status_code == 201, r.text
    assert _status(hub, r.json()["token"]).json()["username"] == "jo@example.com"

    # Deactivated here, a Hub user can no longer sign in, and is not created again.
    r = _status(hub, admin_token, f"admin/users/{hal_id}/deactivate/", "POST")
    assert r.status_code == 200, r.text
    assert r.json()["active"] is False
    r = _status(hub, hal_token)
    assert r.status_code == 401, r.text
    users = _status(hub, admin_token, "admin/users/").json()["data"]
    assert [u["active"] for u in users if u["username"] == "hal"] == [False]


def _cli(hub, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "ucwidgets.cli", *args, "--data-dir", str(hub.data_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout) if "--json" in args else {}
