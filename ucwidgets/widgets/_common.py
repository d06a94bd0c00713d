"""What the widgets share: the client they talk through, the busy/error state, text helpers.

:class:`Panel` is the base of the anywidget panels: requests run on worker threads with short
timeouts, so the kernel's main thread stays free; ``busy`` drives a spinner with Cancel; failures
land in ``errors`` keyed by the control that caused them, with Retry only for transient ones; and
``drafts`` holds what the user typed but has not saved, which no refresh overwrites. The front end
of every panel starts with ``static/common.js`` (helpers that build elements from text, the status
line, the per-control error) and ``static/common.css``.

:class:`UseCasePanel` is the older ``VBox`` base with one ``error`` line, for the panels not yet
rebuilt on :class:`Panel`.
"""

from __future__ import annotations

import contextvars
import html
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import anywidget
import ipywidgets as w
from traitlets import Bool, Dict, Unicode, observe

from ucwidgets import context
from ucwidgets.client import get_client, using
from ucwidgets.errors import NotSupported, ServerError, ServiceUnavailable, UseCaseError
from ucwidgets.rest import timeouts

log = logging.getLogger("ucwidgets.widgets")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

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
            self.error = describe(exc)
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


def describe(exc: BaseException) -> str:
    """One line for the widget: the service's message, with per-field details if any."""
    message = str(exc) or type(exc).__name__
    errors = getattr(exc, "errors", None)
    if isinstance(errors, dict) and errors:
        details = "; ".join(f"{k}: {v}" for k, v in errors.items() if str(v) not in message)
        if details:
            message = f"{message} ({details})"
    return message


# -- the anywidget base ---------------------------------------------------------------------------

STATIC = Path(__file__).parent / "static"
#: Connect and read timeouts of every panel request: a hung service shows within seconds.
PANEL_TIMEOUTS = (3.0, 10.0)
#: Worker threads shared by every panel; a cancelled request keeps its thread until it times out.
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="ucwidgets-panel")


def is_transient(exc: BaseException) -> bool:
    """Whether trying again may help: the service unreachable, timed out, busy (503) or a 5xx."""
    if isinstance(exc, ServiceUnavailable):
        return True
    status = getattr(exc, "status_code", None)
    return (
        isinstance(exc, ServerError)
        and not isinstance(exc, NotSupported)
        and isinstance(status, int)
        and 500 <= status <= 599
        and status != 501
    )


def action(control: str) -> Callable[[F], F]:
    """Mark a method as one the front end may call: ``model.send({action: name, ...})``.

    The method runs on a worker thread (see :meth:`Panel.run`); a failure lands in
    ``errors[control]`` and Retry calls it again with the same arguments.
    """

    def mark(method: F) -> F:
        method._ucw_control = control  # type: ignore[attr-defined]
        return method

    return mark


class Panel(anywidget.AnyWidget):
    """Base of the anywidget panels: off-thread requests, spinner with Cancel, errors per control.

    A subclass names its ES module and stylesheet in ``static/`` with ``_module = "feed.js"``
    (``feed.css`` is picked up when it exists), implements :meth:`load` (fetch and set traits; it
    raises), and marks the methods its front end calls with :func:`action`. Public methods stay
    synchronous and raise; the front end's messages run them on a worker thread through
    :meth:`run`, so a hung service never blocks the kernel.

    Parameters
    ----------
    client : RESTClientObject, optional
        The connection to use; default: the global one (``ucwidgets.Client()``).

    Examples
    --------
    >>> class Hello(Panel):
    ...     _module = "common.js"  # a real panel names its own module
    ...     def load(self):
    ...         self.notice = "loaded"
    >>> panel = Hello(autoload=False)
    >>> panel.run("panel", panel.load).result()
    >>> panel.wait()
    >>> panel.notice, panel.busy
    ('loaded', False)
    """

    _module: ClassVar[str] = ""

    busy = Bool(False, help="True while a request started by the user runs.").tag(sync=True)
    busy_control = Unicode("", help="The control whose request is running.").tag(sync=True)
    errors = Dict(
        help="control -> {'message': str, 'transient': bool}: failures shown next to the "
        "control that caused them; Retry is offered when transient."
    ).tag(sync=True)
    notice = Unicode("", help="A short success message; empty when none.").tag(sync=True)
    drafts = Dict(
        help="control -> value the user typed and has not saved; set by the front end, kept "
        "across refreshes and reconnects, cleared by clear_draft() after a save."
    ).tag(sync=True)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        module = cls.__dict__.get("_module")
        if module:
            css = STATIC / module.replace(".js", ".css")
            cls._esm = _static("common.js") + ("" if module == "common.js" else _static(module))
            cls._css = _static("common.css") + (css.read_text("utf-8") if css.is_file() else "")
        super().__init_subclass__(**kwargs)

    def __init__(self, client: Any = None, autoload: bool = True, **kwargs: Any) -> None:
        #: The ``RESTClientObject`` this panel talks through; None uses the global client.
        self.client = client
        self._lock = threading.RLock()
        self._tasks: dict[int, _Task] = {}
        self._ids = itertools.count(1)
        self._last: dict[str, tuple[Callable[..., Any], tuple, dict]] = {}
        super().__init__(**kwargs)
        self.on_msg(self._on_front_end_msg)
        if autoload:
            self.run("panel", self.load)

    def __repr__(self) -> str:
        # The text/plain of a displayed panel: its class, never a trait that could hold a name.
        return f"{type(self).__name__}()"

    # -- for subclasses ---------------------------------------------------------------------
    def load(self) -> None:  # pragma: no cover - every subclass defines it
        """Fetch what the panel shows and set its traits; raises on failure."""
        raise NotImplementedError

    @contextmanager
    def api(self) -> Iterator[None]:
        """Send this thread's model calls through the panel's client, with the short timeouts.

        A client given to the panel is used for this thread only (``client.using``), so work on
        a worker thread never changes the client the user's own code sees. With none, the global
        one; a ``Client()`` that failed raises here rather than falling back to another user.
        """
        with ExitStack() as stack:
            stack.enter_context(timeouts(*PANEL_TIMEOUTS))
            if self.client is not None:
                stack.enter_context(using(self.client))
            else:
                stack.enter_context(using(get_client()))
            yield

    def run(
        self,
        control: str,
        fn: Callable[..., T],
        /,
        *args: Any,
        then: Callable[[T], Any] | None = None,
        spinner: bool = True,
        **kwargs: Any,
    ) -> Future:
        """Run ``fn(*args, **kwargs)`` on a worker thread, inside :meth:`api`.

        While it runs ``busy`` is True (unless ``spinner`` is False, for background updates).
        Its result goes to ``then`` (on the worker thread); its failure to ``errors[control]``.
        A cancelled run's result and failure are dropped. Returns the ``Future``.
        """
        task = _Task(next(self._ids), control, spinner)
        with self._lock:
            self._tasks[task.id] = task
            self._last[control] = (fn, args, {**kwargs, "then": then, "spinner": spinner})
            self._clear_error(control)
            self._sync_busy()
        work = contextvars.copy_context().run
        return _pool.submit(work, self._work, task, fn, args, kwargs, then)

    def _work(self, task: _Task, fn: Callable, args: tuple, kwargs: dict, then: Any) -> Any:
        try:
            with self.api():
                result = fn(*args, **kwargs)
            if not task.cancelled and then is not None:
                then(result)
            return result
        except EXPECTED as exc:
            if not task.cancelled:
                self.set_error(task.control, exc)
            return None
        except Exception as exc:  # a bug: shown and logged, never lost in the Future
            log.exception("%s: %s failed", type(self).__name__, getattr(fn, "__name__", fn))
            if not task.cancelled:
                self.set_error(task.control, exc)
            return None
        finally:
            with self._lock:
                self._tasks.pop(task.id, None)
                self._sync_busy()

    def wait(self, timeout: float = 30.0) -> None:
        """Block until no request of this panel runs (for scripts and tests)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if not self._tasks:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{type(self).__name__} still busy after {timeout} s")
            time.sleep(0.01)

    def cancel(self) -> None:
        """Stop waiting for the running requests: their results are dropped, the panel is idle.

        The request itself ends on its worker thread when its timeout fires.
        """
        with self._lock:
            running = [t for t in self._tasks.values() if not t.cancelled]
            for task in running:
                task.cancelled = True
            self._tasks = {}
            self._sync_busy()
        if running:
            self.notice = "Cancelled."

    def retry(self, control: str) -> Future | None:
        """Run the last request of ``control`` again (what the Retry button does)."""
        last = self._last.get(control)
        if last is None:
            return None
        fn, args, kwargs = last
        return self.run(control, fn, *args, **kwargs)

    def dispatch(self, name: str, /, **args: Any) -> Future | None:
        """Do what the front end's ``model.send({action: name, ...args})`` does."""
        if name == "cancel":
            self.cancel()
            return None
        if name == "retry":
            return self.retry(str(args.get("control", "")))
        method = getattr(type(self), name, None)
        control = getattr(method, "_ucw_control", None)
        if control is None:
            raise ValueError(f"{type(self).__name__} has no front-end action {name!r}")
        return self.run(control, getattr(self, name), **args)

    def set_error(self, control: str, exc: BaseException) -> None:
        """Show ``exc`` next to ``control``."""
        with self._lock:
            entry = {"message": describe(exc), "transient": is_transient(exc)}
            self.errors = {**self.errors, control: entry}

    def _clear_error(self, control: str) -> None:
        if control in self.errors:
            self.errors = {k: v for k, v in self.errors.items() if k != control}

    def clear_draft(self, control: str) -> None:
        """Forget the user's unsaved value of ``control`` (after it was saved)."""
        with self._lock:
            if control in self.drafts:
                self.drafts = {k: v for k, v in self.drafts.items() if k != control}

    def _sync_busy(self) -> None:
        shown = [t for t in self._tasks.values() if t.spinner and not t.cancelled]
        with self.hold_trait_notifications():
            self.busy = bool(shown)
            self.busy_control = shown[-1].control if shown else ""

    def _on_front_end_msg(self, _: Any, content: Any, buffers: Any) -> None:
        if not isinstance(content, dict) or not isinstance(content.get("action"), str):
            return
        args = content.get("args") if isinstance(content.get("args"), dict) else {}
        try:
            self.dispatch(content["action"], **args)
        except (TypeError, ValueError) as exc:  # a message this panel does not understand
            self.set_error(str(content.get("control") or "panel"), exc)


class _Task:
    """One request of a panel, in flight."""

    def __init__(self, id: int, control: str, spinner: bool) -> None:
        self.id, self.control, self.spinner = id, control, spinner
        self.cancelled = False


def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8") + "\n"
