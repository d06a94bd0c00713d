"""The examples in the docstrings of the modules that need no service run and hold.

The store's examples start from ``store`` and ``ann`` (see ``ucwidgets.server.store``): each
docstring gets a store of its own, so no example depends on another's leftovers.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

from ucwidgets.server.store import Store

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
    "ucwidgets.server.store.text_search",
    "ucwidgets.server.store.trash",
    "ucwidgets.server.store.use_cases",
    "ucwidgets.server.store.users",
    "ucwidgets.server.store.validate",
    "ucwidgets.models._base",
    "ucwidgets.models.asset",
    "ucwidgets.models.listing",
    "ucwidgets.models.sharing",
    "ucwidgets.models.trash",
    "ucwidgets.context",
]


def store_names(data_dir: Path) -> dict:
    """What the store's examples start from: a store of their own and its user ``ann``."""
    store = Store.open(data_dir)
    ann, _ = store.users.create("ann@example.com")
    return {"store": store, "ann": ann}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, monkeypatch, tmp_path):
    monkeypatch.delenv("UCWIDGETS_DATA_DIR", raising=False)
    tests = [t for t in doctest.DocTestFinder().find(importlib.import_module(name)) if t.examples]
    assert tests, f"{name} has no examples"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for i, test in enumerate(tests):
        given = store_names(tmp_path / str(i)) if name.startswith("ucwidgets.server.store") else {}
        test.globs.update(given)
        try:
            runner.run(test)
        finally:
            if given:
                given["store"].close()
    assert runner.failures == 0
