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

from ucwidgets._lazy import exports as _exports

_WHERE = {
    "UseCaseBrowser": "ucwidgets.widgets.browser",
    "browse": "ucwidgets.widgets.browser",
    "UseCaseList": "ucwidgets.widgets.list",
    "UseCaseDetail": "ucwidgets.widgets.detail",
    "Leaderboard": "ucwidgets.widgets.leaderboard",
    "AssetPicker": "ucwidgets.widgets.picker",
    "SharingEditor": "ucwidgets.widgets.sharing",
    "ActivityFeed": "ucwidgets.widgets.activity",
    "TrashView": "ucwidgets.widgets.trash",
}

__all__ = sorted(_WHERE)


__getattr__, __dir__ = _exports(__name__, _WHERE)
