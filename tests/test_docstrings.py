"""The examples in the docstrings of the modules that need no service run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "ucwidgets._lazy",
    "ucwidgets.errors",
    "ucwidgets.enums",
    "ucwidgets.paths",
    "ucwidgets.roles",
    "ucwidgets.server.blobs",
    "ucwidgets.server.profile",
    "ucwidgets.server.logs",
    "ucwidgets.server.modeling.blueprints",
    "ucwidgets.server.modeling.jobs",
    "ucwidgets.server.modeling.metrics",
    "ucwidgets.server.hub",
    "ucwidgets.server.store",
    "ucwidgets.server.store.assets",
    "ucwidgets.server.store.bulk",
    "ucwidgets.server.store.catalog",
    "ucwidgets.server.store.db",
    "ucwidgets.server.store.features",
    "ucwidgets.server.store.modeling",
    "ucwidgets.server.store.feed",
    "ucwidgets.server.store.sharing",
    "ucwidgets.server.store.tags",
    "ucwidgets.server.store.use_cases",
    "ucwidgets.server.store.users",
    "ucwidgets.server.store.validate",
    "ucwidgets.models.listing",
    "ucwidgets.context",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, monkeypatch):
    monkeypatch.delenv("UCWIDGETS_DATA_DIR", raising=False)
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
