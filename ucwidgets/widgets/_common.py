"""What every panel shares: off-thread requests, the busy/error state, drafts.

:class:`Panel` is the base of the anywidget panels: requests run on worker threads with short
timeouts, so the kernel's main thread stays free; ``busy`` drives a spinner with Cancel; failures
land in ``errors`` keyed by the control that caused them, with Retry only for transient ones; and
``drafts`` holds what the user typed but has not saved, which no refresh overwrites. The front end
of every panel starts with ``static/common.js`` (helpers that build elements from text, the status
line, the per-control error) and ``static/common.css``.
"""

from __future__ import annotations

import contextvars
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import anywidget
from traitlets import Bool, Dict, Unicode

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


def resolve_use_case_id(use_case: Any) -> str | None:
    """The id of a ``UseCase``, an id string, or None."""
    if use_case is None or isinstance(use_case, str):
        return use_case or None
    use_case_id = getattr(use_case, "id", None)
    if not isinstance(use_case_id, str):
        raise TypeError(f"expected a UseCase, a use case id or None, got {type(use_case).__name__}")
    return use_case_id


def use_case_or_current(use_case: Any) -> str | None:
    """The id of ``use_case`` if one is given, else of the notebook's current use case (if any)."""
    return resolve_use_case_id(use_case) or context.get_current_use_case_id()


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

    Every panel takes these (a subclass documents only the parameters it adds).

    Parameters
    ----------
    client : RESTClientObject, optional
        The connection to use; default: the global one (``ucwidgets.Client()``).
    autoload : bool, default True
        Start loading at once (on a worker thread).

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
