"""Fixtures the service's tests share beyond ``tests/conftest.py`` (names: ``tests/README.md``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from service_api import Api, new_user

from ucwidgets.server.app import ServerThread


@pytest.fixture
def people(any_service: ServerThread) -> list[Api]:
    """``ann``, ``ben`` and ``cat`` (full names Ann, Ben, Cat): three users of ``any_service``."""
    return [new_user(any_service, f"{n}@example.com", n.title()) for n in ("ann", "ben", "cat")]


@pytest.fixture(scope="module")
def tmp_dir(module_service: ServerThread) -> Path:
    """Where ``module_service`` keeps uploads until they are committed."""
    return module_service.store.blobs.tmp_dir
