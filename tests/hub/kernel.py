"""Running code in a kernel of a single-user server, over Jupyter Server's REST API and its
kernel websocket (the JSON form of the Jupyter messaging protocol), as JupyterLab does."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import requests
import websocket


@contextmanager
def kernel(server_url: str, token: str) -> Iterator[str]:
    """Start a kernel on the server at ``server_url`` (``.../user/ann``); yield its id."""
    headers = {"Authorization": f"token {token}"}
    r = requests.post(f"{server_url}/api/kernels", json={"name": "python3"}, headers=headers)
    assert r.status_code == 201, r.text
    kernel_id = r.json()["id"]
    try:
        yield kernel_id
    finally:
        requests.delete(f"{server_url}/api/kernels/{kernel_id}", headers=headers)


def execute(server_url: str, token: str, kernel_id: str, code: str) -> str:
    """Run ``code`` in the kernel and return what it printed; raise with its traceback."""
    ws_url = server_url.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels"
    ws = websocket.create_connection(ws_url, header=[f"Authorization: token {token}"], timeout=120)
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "session": uuid.uuid4().hex,
                    "username": "test",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "channel": "shell",
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": False,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            }
        )
    )
    out: list[str] = []
    errors: list[str] = []
    try:
        while True:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                errors.append("\n".join(content["traceback"]))
            elif kind == "execute_reply":
                break
    finally:
        ws.close()
    if errors:
        raise AssertionError("the kernel raised:\n" + "\n".join(errors))
    return "".join(out)
