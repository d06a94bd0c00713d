"""Helpers for the widget tests: walking widget trees, the hostile name, finding by class."""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as w

HOSTILE = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


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
