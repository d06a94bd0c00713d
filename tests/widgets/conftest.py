"""Fixtures for the widget tests: the real service of ``tests/conftest.py``, an API-layer client
per actor, and a guard that fails a test when ipywidgets swallowed a callback's exception.

Widgets run without a kernel here (ipywidgets gives them a dummy comm), so setting a child's
value and calling ``Button.click()`` run the same Python handlers a browser would.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from ucwidgets.rest import RESTClientObject


@pytest.fixture(autouse=True)
def _no_swallowed_callback_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail the test if a click or observer callback raised and ipywidgets only logged it.

    ``CallbackDispatcher`` catches exceptions from ``on_click`` handlers and, outside a kernel,
    logs them as a warning on the ``traitlets`` logger; without this guard such a test passes.
    """
    caplog.set_level(logging.WARNING, logger="traitlets")
    yield
    # ``caplog.records`` in a fixture's teardown holds the teardown's records only.
    records = caplog.get_records("setup") + caplog.get_records("call")
    swallowed = [
        r
        for r in records
        if r.name.startswith(("traitlets", "ipywidgets")) and r.levelno >= logging.WARNING
    ]
    if swallowed:
        pytest.fail(
            "ipywidgets swallowed a callback exception:\n"
            + "\n".join(f"{r.getMessage()}\n{r.exc_text or ''}" for r in swallowed)
        )


@pytest.fixture
def client_of(service: Any):
    """``client_of(api)``: an API-layer client acting as the same user as a raw ``Api``."""
    return lambda api: RESTClientObject(service.url, api.token)
