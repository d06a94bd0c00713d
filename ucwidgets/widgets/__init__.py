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

#: Module of this package -> the public names it defines.
_MODULES = {
    "browser": ("UseCaseBrowser", "browse"),
    "list": ("UseCaseList",),
    "detail": ("UseCaseDetail",),
    "leaderboard": ("Leaderboard",),
    "picker": ("AssetPicker",),
    "sharing": ("SharingEditor",),
    "activity": ("ActivityFeed",),
    "trash": ("TrashView",),
}
_WHERE = {name: f"{__name__}.{module}" for module, names in _MODULES.items() for name in names}

__all__ = sorted(_WHERE)


__getattr__, __dir__ = _exports(__name__, _WHERE)
