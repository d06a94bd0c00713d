"""Live events: the long poll ``events/?after=&wait=`` and the websocket ``events/ws/``, what each
caller may see (shares with their role, removals, deletions announced with who deleted), in the
embedded service and standalone. The Jupyter extension's are in ``tests/jupyter``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading

import pytest
import websocket
from http_checks import assert_error
from service_api import Api


def _poll(api: Api, after: int, wait: int = 20) -> dict:
    r = api.get("events/", params={"after": after, "wait": wait}, timeout=wait + 10)
    assert r.status_code == 200, r.text
    return r.json()


def _cursor(api: Api) -> int:
    body = api.get("events/").json()
    assert body["data"] == []
    return body["lastEventId"]


def _socket(api: Api, first: dict | None = None, header: bool = True) -> websocket.WebSocket:
    url = "ws" + api.base.removeprefix("http") + "events/ws/"
    headers = [f"Authorization: Token {api.token}"] if header else []
    ws = websocket.create_connection(url, header=headers, timeout=20)
    ws.send(json.dumps(first or {}))
    return ws


def test_a_long_poll_returns_when_a_visible_event_commits(alice, bob, carol, invariants):
    start = _cursor(bob)
    seen: dict = {}
    waiting = threading.Thread(target=lambda: seen.update(_poll(bob, start)))
    waiting.start()
    uc = alice.create_use_case("Fraud CNP")  # bob is no member: his poll goes on waiting
    alice.grant(uc["id"], bob, "EDITOR", can_share=True)
    waiting.join(30)
    assert not waiting.is_alive()
    # Everything of the use case he now belongs to, oldest first, the role in the share.
    assert [(e["verb"], e["entityType"]) for e in seen["data"]] == [
        ("created", "useCase"),
        ("shared", "user"),
    ]
    share = seen["data"][1]
    assert (share["recipientId"], share["role"], share["canShare"]) == (bob.id, "EDITOR", True)
    assert seen["lastEventId"] == share["id"]
    # carol sees none of it: her wait ends empty, her cursor where it was.
    assert _poll(carol, 0, wait=1) == {"count": 0, "data": [], "lastEventId": 0}
    invariants(alice, bob, carol)


def test_bad_polls_are_refused(alice, anonymous):
    assert_error(anonymous.get("events/", params={"after": 0}), 401)
    assert_error(alice.get("events/", params={"after": 0, "wait": 61}), 422)
    assert_error(alice.get("events/", params={"after": "x"}), 400)


def test_removal_and_deletion_are_announced_to_who_lost_access(alice, bob, invariants):
    uc = alice.create_use_case("Bob's scratchpad")
    alice.grant(uc["id"], bob, "CONSUMER")
    start = _cursor(bob)
    alice.share(uc["id"], {"role": "NO_ROLE", "shareRecipientType": "user", "id": bob.id})
    (removed,) = _poll(bob, start)["data"]
    assert (removed["verb"], removed["recipientId"], removed["useCaseName"]) == (
        "unshared",
        bob.id,
        "Bob's scratchpad",
    )
    alice.grant(uc["id"], bob, "EDITOR")
    start = _cursor(bob)
    assert alice.delete(f"useCases/{uc['id']}/").status_code == 204
    (deleted,) = _poll(bob, start)["data"]
    assert deleted["verb"] == "deleted" and deleted["actor"]["id"] == alice.id
    assert (deleted["useCaseId"], deleted["useCaseName"]) == (uc["id"], "Bob's scratchpad")
    # The notice outlives the use case, in bob's notifications too; nothing else refers to it.
    (notice,) = bob.get("notifications/", params={"unread": "true"}).json()["data"][:1]
    assert notice["id"] == deleted["id"] and notice["read"] is False
    invariants(alice, bob)


def test_the_websocket_streams_in_order_and_resumes_after_a_cursor(alice, bob):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "EDITOR")
    ws = _socket(bob)  # token in the header, from now on
    try:
        now = json.loads(ws.recv())["lastEventId"]
        alice.patch(f"useCases/{uc['id']}/", json={"name": "Credit risk"})
        alice.patch(f"useCases/{uc['id']}/", json={"description": "v2"})
        got = [json.loads(ws.recv()) for _ in range(2)]
        assert [e["verb"] for e in got] == ["updated", "updated"]
        assert got[0]["id"] > now and got[1]["id"] > got[0]["id"]
    finally:
        ws.close()
    ws = _socket(bob, {"token": bob.token, "after": now}, header=False)  # token as a message
    try:
        assert json.loads(ws.recv()) == {"lastEventId": now}
        assert [json.loads(ws.recv())["id"] for _ in range(2)] == [e["id"] for e in got]
    finally:
        ws.close()


def test_the_websocket_refuses_a_bad_token(alice):
    url = "ws" + alice.base.removeprefix("http") + "events/ws/"
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(url, header=["Authorization: Token nope"], timeout=10)
    assert refused.value.status_code == 401
    ws = websocket.create_connection(url, timeout=10)
    try:
        ws.send(json.dumps({"token": "nope"}))
        opcode, frame = ws.recv_data()
        assert opcode == websocket.ABNF.OPCODE_CLOSE
        assert int.from_bytes(frame[:2], "big") == 4401
    finally:
        ws.shutdown()  # close() skips the socket once the server has closed


def test_marking_one_read_and_the_filters(alice, bob, risk_csv):
    uc = alice.create_use_case("Risk")
    other = alice.create_use_case("Other")
    for u in (uc, other):
        alice.grant(u["id"], bob, "EDITOR")
    ds = alice.upload_dataset(risk_csv)
    alice.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    bob.patch(f"useCases/{uc['id']}/", json={"description": "by bob"})
    page = bob.get("notifications/").json()
    assert page["unreadCount"] == 5 and bob.id not in {e["actor"]["id"] for e in page["data"]}
    added = next(e for e in page["data"] if e["verb"] == "added")
    r = bob.post("notifications/read/", json={"ids": [added["id"], 10**9]})
    assert r.status_code == 200 and r.json()["unreadCount"] == 4
    mine = bob.get("notifications/", params={"includeOwn": "true", "useCaseId": uc["id"]}).json()
    assert [(e["verb"], e["read"]) for e in mine["data"]] == [
        ("updated", True),  # bob's own
        ("added", True),  # marked one by one
        ("shared", False),
        ("created", False),
    ]
    datasets = bob.get("notifications/", params={"entityType": "dataset"}).json()["data"]
    assert [e["id"] for e in datasets] == [added["id"]]
    older = bob.get("notifications/", params={"before": added["id"], "actorId": alice.id})
    assert all(e["id"] < added["id"] for e in older.json()["data"])
    assert_error(bob.post("notifications/read/", json={"ids": ["x"]}), 422)
    assert_error(bob.post("notifications/read/", json={"ids": []}), 422)


def test_standalone_service_pushes_both_ways(tmp_path):
    data_dir = tmp_path / "data"
    serve = subprocess.Popen(
        [
            *(sys.executable, "-c", "from ucwidgets.cli import main; main()"),
            *("serve", "--port", "0", "--data-dir", str(data_dir)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = serve.stdout.readline().split()[-1]
        me = Api(url, (data_dir / "token").read_text().strip())
        ws = _socket(me)
        try:
            start = json.loads(ws.recv())["lastEventId"]
            me.create_use_case("Standalone")
            assert json.loads(ws.recv())["entityName"] == "Standalone"
        finally:
            ws.close()
        assert [e["entityName"] for e in _poll(me, start)["data"]] == ["Standalone"]
    finally:
        os.kill(serve.pid, signal.SIGTERM)
        serve.wait(30)
        serve.stdout.close()
