"""Fixtures for the API layer's tests (what each name means: ``tests/README.md``).

One service runs for the whole session (its data dir is temporary); each test gets fresh users,
so what one test creates is invisible to the others without restarting the service. Since the
session shares it, ``alice`` has an address of her own here (``alice7@example.com``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from service_api import Api

import ucwidgets as dr
from ucwidgets.server.app import ServerThread


@pytest.fixture(scope="session")
def notebook_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Jupyter root the service resolves notebook paths in."""
    return tmp_path_factory.mktemp("notebooks")


@pytest.fixture(scope="session")
def service(
    tmp_path_factory: pytest.TempPathFactory, notebook_root: Path
) -> Iterator[ServerThread]:
    """The Use Case service on 127.0.0.1, port 0, with a temporary data dir, for the session."""
    data = tmp_path_factory.mktemp("service-data")
    server = ServerThread(data_dir=data, port=0, notebook_root=notebook_root)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def alice(make_user) -> Api:
    """Alice Owner, as everywhere, with an address no other test of the session has."""
    return make_user("alice", "Alice Owner")


@pytest.fixture
def make_asset(risk_file: Path) -> Callable[..., object]:
    """``make_asset(kind, notebook_path="eda.ipynb")``: a new dataset, project, application or
    notebook, made through the API layer as the user its global client acts as."""

    def make(kind: str, notebook_path: str = "eda.ipynb") -> object:
        if kind == "dataset":
            return dr.Dataset.create_from_file(file_path=risk_file)
        if kind == "project":
            return dr.Project.create(sourcedata=str(risk_file), project_name="Risk")
        if kind == "application":
            return dr.Application.create(name="Scorer")
        return dr.Notebook.create(name="EDA", path=notebook_path)

    return make
