"""The hostile corpus (``hostile_cases.py``) on SQLite and on PostgreSQL.

One service per backend for the module, seeded once with a world of every kind of asset and
four users. Each case asserts its status, the error shape of ACCESS.md (``assert_error``) and
that no table and no file changed: a refused request leaves nothing behind. A case answered
with a 5xx fails like any other wrong status.
"""

from __future__ import annotations

import itertools
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from hostile_cases import Case, corpus
from http_checks import assert_error
from requests.structures import CaseInsensitiveDict
from service_api import RISK_CSV, Api, new_user
from sqlalchemy import select

from ucwidgets.server.app import ServerThread
from ucwidgets.server.store.schema import metadata

CASES = corpus()
_databases = itertools.count()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def any_module_service(request, tmp_path_factory) -> Iterator[ServerThread]:
    tmp = tmp_path_factory.mktemp(f"corpus-{request.param}")
    root = tmp / "jupyter-root"
    root.mkdir()
    url = None
    if request.param == "postgres":
        url = request.getfixturevalue("pg_cluster").create_database(
            f"ucw_corpus_{next(_databases)}"
        )
    srv = ServerThread(
        data_dir=tmp / "data",
        database_url=url,
        notebook_root=str(root),
        max_upload_bytes=1024 * 1024,
    ).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def world(any_module_service: ServerThread) -> dict[str, Any]:
    """alice OWNS a use case holding one of each asset; bob is its EDITOR, carol its CONSUMER;
    dave has a use case and a dataset of his own; one use case and one dataset were deleted."""
    actors = {}
    for name in ("alice", "bob", "carol", "dave"):
        actors[name] = new_user(any_module_service, f"{name}@example.com", name.title())
    actors["anon"] = Api(any_module_service.url, None)
    alice, dave = actors["alice"], actors["dave"]
    uc = alice.create_use_case("Corpus")["id"]
    dataset = alice.upload_dataset(RISK_CSV)["datasetId"]
    assert alice.post(f"useCases/{uc}/datasets/{dataset}/").status_code == 201
    project = alice.create_project(dataset, "P")["id"]
    app = alice.post("applications/", json={"name": "App"}).json()["id"]
    notebook = alice.post("notebooks/", json={"path": "nb.ipynb", "useCaseId": uc}).json()["id"]
    alice.grant(uc, actors["bob"], "EDITOR")
    alice.grant(uc, actors["carol"], "CONSUMER")
    gone_uc = alice.create_use_case("Gone")["id"]
    assert alice.delete(f"useCases/{gone_uc}/").status_code == 204
    gone_dataset = alice.upload_dataset(RISK_CSV)["datasetId"]
    assert alice.delete(f"datasets/{gone_dataset}/").status_code == 204
    ids = {
        "uc": uc,
        "dataset": dataset,
        "project": project,
        "application": app,
        "notebook": notebook,
        "gone_uc": gone_uc,
        "gone_dataset": gone_dataset,
        "daves_uc": dave.create_use_case("Dave's")["id"],
        "daves_dataset": dave.upload_dataset(RISK_CSV)["datasetId"],
        "root": str(any_module_service.service.ctx.notebook_root),
        "alice_token": alice.token,
    }
    ids |= {f"{n}_id": a.id for n, a in actors.items() if n != "anon"}
    return {"actors": actors, "ids": ids}


def db_snapshot(srv: ServerThread) -> dict[str, Any]:
    """Every row of every table, and every file under the data dir."""
    state: dict[str, Any] = {}
    with srv.store.db.read() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            state[table.name] = sorted(json.dumps(list(r), default=str) for r in rows)
    data_dir = srv.service.data_dir
    state["files"] = sorted(
        str(p.relative_to(data_dir))
        for p in data_dir.rglob("*")
        if not p.name.startswith("ucwidgets.db")
    )
    return state


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format_map(ids) if "{" in value else value
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {_fill(k, ids): _fill(v, ids) for k, v in value.items()}
    return value


class _RawResponse:
    """What ``assert_error`` reads, from a response read off a socket."""

    def __init__(self, data: bytes) -> None:
        head, _, self.content = data.partition(b"\r\n\r\n")
        status, *lines = head.decode("latin-1").split("\r\n")
        self.status_code = int(status.split(" ")[1])
        self.headers = CaseInsensitiveDict(line.split(": ", 1) for line in lines)
        self.text = self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


def _send_raw(port: int, request: bytes) -> _RawResponse:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            length = [h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")]
            if sep and length and len(body) >= int(length[0].split(b":")[1]):
                break
    return _RawResponse(data)


def send(case: Case, world: dict[str, Any], srv: ServerThread) -> Any:
    ids = world["ids"]
    actor: Api = world["actors"][case.actor]
    if case.raw is not None:
        token = (actor.token or "").encode()
        return _send_raw(srv.port, case.raw.replace(b"{token}", token))
    kwargs: dict[str, Any] = {"headers": _fill(case.headers, ids)}
    if case.json is not None:
        kwargs["json"] = _fill(case.json, ids)
    for key in ("data", "params", "files"):
        if getattr(case, key) is not None:
            kwargs[key] = _fill(getattr(case, key), ids)
    try:
        return actor.request(case.method, _fill(case.path, ids), **kwargs)
    except requests.ConnectionError:
        # A body refused before it is read (413) may close the connection while it is sent;
        # the refusal itself is then read from a fresh attempt without the body.
        return actor.request(
            case.method,
            _fill(case.path, ids),
            headers={**kwargs["headers"], "Content-Length": str(len(kwargs.get("data") or b""))},
            data=b"",
        )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_request_is_refused_and_changes_nothing(any_module_service, world, case):
    before = db_snapshot(any_module_service)
    response = send(case, world, any_module_service)
    assert response.status_code < 500, (response.status_code, response.text[:300])
    assert_error(response, case.status)
    # A refused upload's temporary file goes when the request ends, just after the answer.
    deadline = time.monotonic() + 5
    while (after := db_snapshot(any_module_service)) != before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert after == before


def test_the_corpus_is_large_and_covers_every_group():
    groups = {c.group for c in CASES}
    assert groups >= {
        "names",
        "ids",
        "numbers",
        "paging",
        "sharing",
        "uploads",
        "notebooks",
        "transport",
        "headers",
        "asset sharing",
        "batches",
        "tags",
        "trash",
    }
    assert len(CASES) >= 150
    assert len({c.id for c in CASES}) == len(CASES), "case labels must be unique"


def test_the_world_is_still_whole(any_module_service, world):
    # Run last in the module: the corpus must not have eroded what the cases rely on.
    alice = world["actors"]["alice"]
    uc = alice.get(f"useCases/{world['ids']['uc']}/").json()
    assert (uc["datasetsCount"], uc["notebooksCount"], len(uc["members"])) == (1, 1, 3)
    assert Path(any_module_service.service.data_dir, "blobs", "tmp").is_dir()
