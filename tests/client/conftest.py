"""Fixtures for the API layer's tests: a real service on port 0, users, and a data file.

One service runs for the whole session (its data dir is temporary); each test gets fresh users,
so what one test creates is invisible to the others without restarting the service.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import ucwidgets

RISK_CSV = """\
age,income,debt,credit_risk
25,32000,1200,0
47,85000,300,0
35,41000,9000,1
52,120000,0,0
23,18000,4000,1
41,56000,7000,1
30,39000,2500,0
60,72000,100,0
"""

_counter = itertools.count(1)


@dataclass
class Actor:
    """A user of the service: id, username and token."""

    id: str
    username: str
    full_name: str
    token: str


@pytest.fixture(scope="session")
def notebook_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Jupyter root the service resolves notebook paths in."""
    return tmp_path_factory.mktemp("notebooks")


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory, notebook_root: Path) -> Iterator[Any]:
    """The Use Case service on 127.0.0.1, port 0, with a temporary data dir."""
    from ucwidgets.server.app import ServerThread

    data = tmp_path_factory.mktemp("service-data")
    server = ServerThread(data_dir=data, port=0, notebook_root=notebook_root)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_user(service: Any) -> Any:
    """Create a fresh user: ``make_user("bob")`` -> Actor with a unique username."""

    def make(name: str = "user", full_name: str | None = None) -> Actor:
        username = f"{name}{next(_counter)}-{os.getpid()}@example.com"
        user, token = service.store.create_user(username, full_name=full_name or name.title())
        return Actor(user["id"], user["username"], full_name or name.title(), token)

    return make


@pytest.fixture
def alice(service: Any, make_user: Any) -> Actor:
    """A fresh user, configured as the global client (as ``dr.Client(...)`` would)."""
    actor = make_user("alice", "Alice Owner")
    ucwidgets.Client(token=actor.token, endpoint=service.url)
    return actor


@pytest.fixture
def risk_csv(tmp_path: Path) -> Path:
    """``risk_data.csv`` with a binary target ``credit_risk``."""
    path = tmp_path / "risk_data.csv"
    path.write_text(RISK_CSV, encoding="utf-8")
    return path
