"""Importing the widgets loads no server code, and the package exports them lazily.

What the widget modules may import is checked on the source in ``tests/test_layering.py``.
"""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_widgets_loads_no_server_code():
    code = (
        "import sys, ucwidgets.widgets as w\n"
        "w.UseCaseBrowser, w.AssetPicker, w.SharingEditor, w.ActivityFeed\n"
        "bad = [m for m in sys.modules if m.startswith(('ucwidgets.server', 'tornado',"
        " 'sqlalchemy'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_lazy_package_exports():
    from ucwidgets.widgets import ActivityFeed, AssetPicker, SharingEditor, UseCaseBrowser, browse

    assert {c.__module__ for c in (ActivityFeed, AssetPicker, SharingEditor, UseCaseBrowser)} == {
        "ucwidgets.widgets.activity",
        "ucwidgets.widgets.picker",
        "ucwidgets.widgets.sharing",
        "ucwidgets.widgets.browser",
    }
    assert callable(browse)
