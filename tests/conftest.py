"""Fixtures shared by every test: a real service on port 0 and a client per actor.

Tests seed data through the public API; nothing of ucwidgets is mocked.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from ucwidgets.server.app import ServerThread

_names = itertools.count()
sys.path.insert(0, str(Path(__file__).parent))


class Api:
    """A tiny HTTP client for one actor: paths are relative to the API root.

    >>> api.get("useCases/").json()["totalCount"]  # doctest: +SKIP
    """

    def __init__(self, base: str, token: str | None, user: dict | None = None) -> None:
        self.base = base.rstrip("/") + "/"
        self.token = token
        self.user = user or {}
        self.session = requests.Session()
        if token is not None:
            self.session.headers["Authorization"] = f"Token {token}"

    @property
    def id(self) -> str:
        return self.user["id"]

    @property
    def username(self) -> str:
        return self.user["username"]

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.base + path, **kwargs)

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return self.request("POST", path, **kw)

    def patch(self, path: str, **kw: Any) -> requests.Response:
        return self.request("PATCH", path, **kw)

    def delete(self, path: str, **kw: Any) -> requests.Response:
        return self.request("DELETE", path, **kw)

    # -- seeding helpers (each asserts success, so a broken seed fails loudly) -------------
    def create_use_case(self, name: str = "Risk", **body: Any) -> dict:
        r = self.post("useCases/", json={"name": name, **body})
        assert r.status_code == 201, r.text
        return r.json()

    def upload_dataset(self, content: bytes, filename: str = "risk_data.csv") -> dict:
        r = self.post("datasets/fromFile/", files={"file": (filename, content)})
        assert r.status_code == 202, r.text
        done = self.session.get(r.headers["Location"], allow_redirects=False, timeout=30)
        assert done.status_code == 303, done.text
        return self.session.get(done.headers["Location"], timeout=30).json()

    def create_project(self, dataset_id: str, name: str = "Risk Assessment v1") -> dict:
        r = self.post("projects/", json={"datasetId": dataset_id, "projectName": name})
        assert r.status_code == 202, r.text
        done = self.session.get(r.headers["Location"], allow_redirects=False, timeout=30)
        assert done.status_code == 303, done.text
        return self.session.get(done.headers["Location"], timeout=30).json()

    def share(self, use_case_id: str, *roles: dict) -> requests.Response:
        return self.patch(
            f"useCases/{use_case_id}/sharedRoles/",
            json={"operation": "updateRoles", "roles": list(roles)},
        )

    def grant(self, use_case_id: str, other: Api, role: str, can_share: bool = False) -> None:
        r = self.share(
            use_case_id,
            {"role": role, "shareRecipientType": "user", "id": other.id, "canShare": can_share},
        )
        assert r.status_code == 204, r.text


RISK_CSV = (
    b"age,income,region,credit_risk\n"
    b"25,40000,north,0\n40,85000,south,1\n33,52000,north,0\n51,99000,east,1\n"
    b"29,31000,west,0\n45,72000,south,1\n38,61000,east,0\n"
)


@pytest.fixture
def risk_csv() -> bytes:
    """A small binary-classification CSV (target ``credit_risk``)."""
    return RISK_CSV


@pytest.fixture
def service(tmp_path: Path) -> Iterator[ServerThread]:
    """A real Use Case service on 127.0.0.1, port 0, with its own data dir."""
    root = tmp_path / "jupyter-root"
    root.mkdir()
    srv = ServerThread(
        data_dir=tmp_path / "data", notebook_root=str(root), max_upload_bytes=1024 * 1024
    ).start()
    yield srv
    srv.stop()


@pytest.fixture
def make_user(service: ServerThread):
    """Create a user through the store's admin path; return an ``Api`` acting as them."""

    def _make(name: str | None = None, full_name: str | None = None) -> Api:
        username = name or f"user{next(_names)}@example.com"
        user, token = service.store.create_user(username, full_name=full_name or username)
        return Api(service.url, token, user)

    return _make


@pytest.fixture
def alice(make_user) -> Api:
    return make_user("alice@example.com", "Alice Owner")


@pytest.fixture
def bob(make_user) -> Api:
    return make_user("bob@example.com", "Bob Editor")


@pytest.fixture
def carol(make_user) -> Api:
    return make_user("carol@example.com", "Carol Consumer")


@pytest.fixture
def anonymous(service: ServerThread) -> Api:
    return Api(service.url, None)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """A PostgreSQL cluster for the whole session (skipped where none is installed, but an
    error in CI, so a missing install step cannot hide behind a skip)."""
    import os

    from pg import PostgresCluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not installed on this CI machine")
        pytest.skip("PostgreSQL is not installed")
    cluster = PostgresCluster(bindir).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_service(pg_cluster, tmp_path: Path) -> Iterator[ServerThread]:
    """The service on a fresh PostgreSQL database (dataset files still in a data dir)."""
    url = pg_cluster.create_database(f"ucw_{next(_names)}")
    root = tmp_path / "jupyter-root"
    root.mkdir()
    srv = ServerThread(
        data_dir=tmp_path / "data",
        database_url=url,
        notebook_root=str(root),
        max_upload_bytes=1024 * 1024,
    ).start()
    yield srv
    srv.stop()
