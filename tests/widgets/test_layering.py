"""The widgets talk only to the API layer: never to the server, never to ``requests`` directly."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import ucwidgets.widgets

WIDGETS = Path(ucwidgets.widgets.__file__).parent
ALLOWED = (
    "ucwidgets.models",
    "ucwidgets.context",
    "ucwidgets.client",
    "ucwidgets.errors",
    "ucwidgets.enums",
    "ucwidgets.widgets",
)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "ucwidgets":  # from ucwidgets import context
                names |= {f"ucwidgets.{alias.name}" for alias in node.names}
            else:
                names.add(node.module)
    return names


def test_widget_modules_import_only_the_api_layer():
    for path in sorted(WIDGETS.glob("*.py")):
        ours = {n for n in _imports(path) if n.split(".")[0] in ("ucwidgets", "requests")}
        bad = {n for n in ours if not n.startswith(ALLOWED)}
        assert not bad, f"{path.name} imports {sorted(bad)}"


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
