"""The widget kit: a use-case browser, an add-asset picker, a sharing editor, an activity feed.

Each is an anywidget whose state lives in documented, synced traits; each takes an
optional ``client`` and ``use_case`` and, without a use case, follows the current one. Names load
on first use, so importing this package does not import ipywidgets until a widget is asked for.

Examples
--------
>>> from ucwidgets.widgets import UseCaseBrowser
>>> UseCaseBrowser()  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "UseCaseBrowser": "ucwidgets.widgets.browser",
    "browse": "ucwidgets.widgets.browser",
    "UseCaseList": "ucwidgets.widgets.list",
    "UseCaseDetail": "ucwidgets.widgets.detail",
    "Leaderboard": "ucwidgets.widgets.leaderboard",
    "AssetPicker": "ucwidgets.widgets.picker",
    "SharingEditor": "ucwidgets.widgets.sharing",
    "ActivityFeed": "ucwidgets.widgets.activity",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'ucwidgets.widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
