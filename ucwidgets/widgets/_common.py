"""What the four widgets share: the client they talk through, the busy/error state, text helpers.

Every widget subclasses :class:`UseCasePanel`, a ``VBox`` with a ``busy`` and an ``error`` trait, a
``message_html`` that shows the error and a ``retry_button`` that runs ``refresh()`` again. Click
handlers call public actions through :meth:`UseCasePanel._attempt`, the one place where a failure
of the service becomes text in the widget instead of an exception swallowed by ipywidgets.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from typing import Any, TypeVar

import ipywidgets as w
from traitlets import Bool, Unicode, observe

from ucwidgets import context
from ucwidgets.client import get_client, using
from ucwidgets.errors import UseCaseError

T = TypeVar("T")

#: Failures shown in the widget rather than raised from a click: the service's errors, and a
#: configuration the client refused (``ValueError`` from discovery, ``OSError`` from files).
EXPECTED = (UseCaseError, ValueError, OSError)

#: One stylesheet for every panel; scoped by the ``ucw-`` classes, so it never leaks.
STYLE = """<style>
.ucw-panel { font-size: var(--jp-ui-font-size1, 13px); }
.ucw-card { border: 1px solid var(--jp-border-color2, #ddd); border-radius: 6px;
  padding: 8px 12px; background: var(--jp-layout-color1, #fff); }
.ucw-title { font-weight: 600; font-size: 1.15em; }
.ucw-muted { color: var(--jp-ui-font-color2, #777); font-size: 0.92em; }
.ucw-message .ucw-error { color: var(--jp-error-color1, #c62828); background:
  var(--jp-error-color3, #fdecea); border-radius: 4px; padding: 4px 8px; }
.ucw-message .ucw-info { color: var(--jp-ui-font-color1, #333); background:
  var(--jp-info-color3, #e3f2fd); border-radius: 4px; padding: 4px 8px; }
.ucw-section { font-weight: 600; margin-top: 6px;
  border-bottom: 1px solid var(--jp-border-color2, #eee); }
.ucw-feed-list ul { list-style: none; padding-left: 0; margin: 0; }
.ucw-feed-list li { padding: 3px 0; border-bottom: 1px solid var(--jp-border-color3, #f0f0f0); }
.ucw-feed-list li.ucw-unread { font-weight: 600; }
.ucw-table { border-collapse: collapse; }
.ucw-table td, .ucw-table th { padding: 2px 10px 2px 0; text-align: left; }
</style>"""


def text(value: Any) -> str:
    """``value`` as HTML text: every user-supplied string passes through here into ``HTML``."""
    return html.escape("" if value is None else str(value), quote=True)


def when(value: datetime | None, now: datetime | None = None) -> str:
    """A short relative time ("3 min ago"); an empty string when unknown."""
    if value is None or value != value:  # NaT compares unequal to itself
        return ""
    now = now or datetime.now(timezone.utc)
    seconds = int((now - value).total_seconds())
    if seconds < 45:
        return "just now"
    for size, unit in (
        (86400 * 365, "y"),
        (86400 * 30, "mo"),
        (86400, "d"),
        (3600, "h"),
        (60, "min"),
    ):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


def stamp(value: datetime | None) -> str:
    """An absolute UTC time for tooltips."""
    if value is None or value != value:
        return ""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def styled(widget: T, *classes: str, **layout: Any) -> T:
    """Add stable CSS classes (and layout settings) to a widget and return it."""
    for name in classes:
        widget.add_class(name)  # type: ignore[attr-defined]
    for key, value in layout.items():
        setattr(widget.layout, key, value)  # type: ignore[attr-defined]
    return widget


def button(
    description: str,
    css: str,
    *,
    tooltip: str = "",
    icon: str = "",
    style: str = "",
    width: str = "auto",
) -> w.Button:
    """A compact button with a stable class."""
    # flex 0 0 auto: in a crowded row a button keeps its label instead of shrinking to "Del…".
    b = w.Button(
        description=description,
        tooltip=tooltip or description,
        icon=icon,
        button_style=style,
        layout=w.Layout(width=width, flex="0 0 auto"),
    )
    return styled(b, css)


def set_options(control: Any, options: list[tuple[str, Any]], value: Any) -> None:
    """Give a selection widget new options and value without the jumps ipywidgets makes.

    Assigning ``options`` to a ``Select`` that has a value selects its first option, and to a
    ``SelectMultiple`` clears it; clearing the value first, and assigning only real changes,
    keeps the user's choice and fires no spurious change. Callers that observe the control
    ignore changes while ``control._ucw_quiet`` is set.
    """
    options = [(str(label), v) for label, v in options]
    control._ucw_quiet = True
    try:
        if getattr(control, "_ucw_options", None) != options:
            control.index = () if isinstance(control.index, tuple) else None
            control.options = options
            control._ucw_options = options
        control.value = value
    finally:
        control._ucw_quiet = False


def quiet(change: Any) -> bool:
    """True for a change that ``set_options`` made rather than the user."""
    return bool(getattr(change["owner"], "_ucw_quiet", False))


def close_tree(widget: w.Widget) -> None:
    """Close a widget and everything inside it (``close`` alone leaves the children open)."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()


def replace_children(box: w.Box, children: Iterable[w.Widget]) -> None:
    """Give ``box`` new children and close the old ones it no longer shows."""
    new = tuple(children)
    keep = {id(c) for c in new}
    old = [c for c in box.children if id(c) not in keep]
    box.children = new
    for child in old:
        close_tree(child)


def resolve_use_case_id(use_case: Any) -> str | None:
    """The id of a ``UseCase``, an id string, or None."""
    if use_case is None or isinstance(use_case, str):
        return use_case or None
    use_case_id = getattr(use_case, "id", None)
    if not isinstance(use_case_id, str):
        raise TypeError(f"expected a UseCase, a use case id or None, got {type(use_case).__name__}")
    return use_case_id


class UseCasePanel(w.VBox):
    """Base of the widgets: a client, a busy state, an error line with Retry.

    Subclasses build their children, list their buttons in ``_buttons()``, implement
    ``refresh()`` and ``_render()``, and call ``self._start()`` at the end of ``__init__``.
    """

    busy = Bool(False, help="True while a request to the service runs; buttons are disabled.")
    error = Unicode("", help="The last failure, shown in the widget; empty when none.")
    notice = Unicode("", help="The last success message shown in the widget; empty when none.")

    def __init__(self, client: Any = None, **kwargs: Any) -> None:
        #: The ``RESTClientObject`` this widget talks through; None uses the global client.
        self.client = client
        self.message_html = styled(w.HTML(""), "ucw-message")
        self.retry_button = button("Retry", "ucw-retry", icon="refresh")
        self.retry_button.layout.display = "none"
        self.retry_button.on_click(self._on_retry_button_click)
        self.style_html = styled(w.HTML(STYLE), "ucw-style", display="none")
        super().__init__(**kwargs)
        self.add_class("ucw-panel")

    # -- subclass hooks ---------------------------------------------------------------------
    def refresh(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def _render(self, change: Any = None) -> None:  # pragma: no cover
        raise NotImplementedError

    def _buttons(self) -> list[w.Widget]:
        """Controls that start a request, disabled while busy."""
        return []

    # -- plumbing ---------------------------------------------------------------------------
    def _start(self) -> None:
        """Load the first data; a failure shows in the widget with Retry, never raises."""
        self._render()
        self._attempt(self.refresh)

    @contextmanager
    def _api(self, use_case: Any = "keep") -> Iterator[None]:
        """Run model calls through this widget's client (and, if given, a current use case).

        A widget given its own ``client`` uses it for this thread only (``client.using``), so a
        refresh on a timer thread never changes the client the user's own code sees.
        """
        with ExitStack() as stack:
            if self.client is not None:
                stack.enter_context(using(self.client))
            if use_case != "keep":
                stack.enter_context(context.use_case(use_case))
            yield

    def _ensure_client(self) -> None:
        """Configure the global client now, so discovery failures surface as widget errors."""
        if self.client is None:
            get_client()

    def _attempt(self, action: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run a public action for a click: busy while it runs, its failure shown, not raised."""
        self.busy = True
        self.error = ""
        self.notice = ""
        try:
            return action(*args, **kwargs)
        except EXPECTED as exc:
            self.error = _describe(exc)
            return None
        finally:
            self.busy = False

    def _on_retry_button_click(self, _: Any) -> None:
        self._attempt(self.refresh)

    @observe("busy", "error", "notice")
    def _on_status_change(self, change: Any) -> None:
        self._render_status()

    def _render_status(self) -> None:
        """The part of every render that comes from ``busy``, ``error`` and ``notice``."""
        for control in self._buttons():
            control.disabled = self.busy or getattr(control, "_ucw_off", False)
        if self.error:
            value = f"<div class='ucw-error'>{text(self.error)}</div>"
        elif self.notice:
            value = f"<div class='ucw-info'>{text(self.notice)}</div>"
        else:
            value = ""
        self.message_html.value = value
        self.retry_button.layout.display = "" if self.error and not self.busy else "none"


def enable(control: w.Widget, allowed: bool, busy: bool) -> None:
    """Enable a control when ``allowed``; remember it so busy/idle keeps the rule."""
    control._ucw_off = not allowed  # type: ignore[attr-defined]
    control.disabled = busy or not allowed  # type: ignore[attr-defined]


def _describe(exc: BaseException) -> str:
    """One line for the widget: the service's message, with per-field details if any."""
    message = str(exc) or type(exc).__name__
    errors = getattr(exc, "errors", None)
    if isinstance(errors, dict) and errors:
        details = "; ".join(f"{k}: {v}" for k, v in errors.items() if str(v) not in message)
        if details:
            message = f"{message} ({details})"
    return message
