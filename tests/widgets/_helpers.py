"""Helpers for the widget tests: the front end's messages, the hostile name, the static files.

The panels are anywidgets: their front end sends ``{action, args}`` messages and sets synced
traits. ``press`` delivers a message exactly as the comm does and waits for the panel's worker
threads, so a test drives a panel the way a click does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ipywidgets as w
import pytest

HOSTILE = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
STATIC = Path(__file__).resolve().parents[2] / "ucwidgets" / "widgets" / "static"


def press(
    panel: Any, action: str, /, buffers: list[bytes] | None = None, within: Any = None, **args: Any
) -> None:
    """What a click on the control that sends ``action`` does: the message, then the work
    (of ``within``, the browser a part sits in, when given)."""
    panel._handle_custom_msg({"action": action, "args": args}, buffers or [])
    (within or panel).wait()


def typed(panel: Any, /, within: Any = None, **traits: Any) -> None:
    """What typing or picking in the front end does: set synced traits, then the work."""
    panel.set_state(traits)
    (within or panel).wait()


def until(condition: Callable[[], bool], what: str, timeout: float = 20) -> None:
    """Wait for a push to arrive (a bound to fail on, never a speed assertion)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what}")
        time.sleep(0.02)


def synced_text(panel: Any) -> str:
    """Every synced trait's state, as the front end receives it (JSON text)."""
    import json

    state = panel.get_state()
    return json.dumps({k: v for k, v in state.items() if k not in ("_esm", "_css")})


# -- for the widgets still built from core ipywidgets ---------------------------------------------
def walk(widget: w.Widget) -> Iterator[w.Widget]:
    """A widget and every widget inside it."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def html_values(widget: w.Widget) -> list[str]:
    """Every HTML value shown anywhere in a widget tree."""
    return [c.value for c in walk(widget) if isinstance(c, w.HTML)]


def assert_no_markup(widget: w.Widget) -> None:
    """The hostile name never reaches an HTML value unescaped."""
    for value in html_values(widget):
        assert HOSTILE not in value, value
        assert "<img" not in value, value


def by_class(widget: w.Widget, css: str) -> list[w.Widget]:
    """Descendants carrying a CSS class (as the browser tests select them)."""
    return [c for c in walk(widget) if css in getattr(c, "_dom_classes", ())]
