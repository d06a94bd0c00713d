"""The current use case: what creations link to and what listings filter by.

Three things set it, innermost first: ``with use_case:``, the ``%use_case`` magic (through
:func:`set_current_use_case`), and the ``default_use_case`` of :func:`ucwidgets.Client`. It may
hold a :class:`~ucwidgets.models.use_cases.use_case.UseCase` or just its id; an id is resolved with
one ``GET useCases/{id}/`` the first time the object is needed, as DataRobot's client does.

The state is a plain module global rather than a ``contextvars.ContextVar`` on purpose: IPython
runs each cell in its own asyncio task, which would forget a context variable set by a previous
cell, and ``%use_case`` must hold across cells.

Examples
--------
>>> from ucwidgets.context import get_current_use_case_id, set_current_use_case, use_case
>>> set_current_use_case("65f0c0ffee0000000000aa01")
>>> get_current_use_case_id()
'65f0c0ffee0000000000aa01'
>>> with use_case(None):
...     print(get_current_use_case_id())
None
>>> set_current_use_case(None)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ucwidgets.errors import UseCaseError

if TYPE_CHECKING:
    from ucwidgets.models.use_cases.use_case import UseCase

_lock = threading.RLock()
# Either None, a use case id (str) or a UseCase object.
_current: Any = None


def set_current_use_case(use_case: UseCase | str | None) -> None:
    """Make ``use_case`` (an object, an id, or None for none) the current use case."""
    global _current
    if use_case is not None and not isinstance(use_case, str) and not hasattr(use_case, "id"):
        raise TypeError(f"expected a UseCase, a use case id or None, got {type(use_case).__name__}")
    with _lock:
        _current = use_case


def get_current_use_case_id() -> str | None:
    """The current use case's id, without any HTTP request."""
    with _lock:
        current = _current
    return current if current is None or isinstance(current, str) else current.id


def get_current_use_case() -> UseCase | None:
    """The current use case as an object, fetching it once if only its id is known.

    Raises
    ------
    ucwidgets.errors.UseCaseError
        When the id no longer names a use case the caller can see (``NotFound``).
    """
    global _current
    with _lock:
        current = _current
    if current is None or not isinstance(current, str):
        return current
    from ucwidgets.models.use_cases.use_case import UseCase

    try:
        resolved = UseCase.get(current)
    except UseCaseError as exc:  # the same class, with what was being resolved in front
        message = f"The current use case {current!r} cannot be loaded: {exc}"
        raise type(exc)(message, errors=exc.errors, status_code=exc.status_code) from exc
    with _lock:
        if _current == current:  # cache unless someone changed it meanwhile
            _current = resolved
    return resolved


def _get_raw() -> Any:
    with _lock:
        return _current


@contextmanager
def use_case(value: UseCase | str | None) -> Iterator[None]:
    """Make ``value`` the current use case inside a ``with`` block, then restore the previous one.

    Examples
    --------
    >>> with use_case("65f0c0ffee0000000000aa01"):
    ...     get_current_use_case_id()
    '65f0c0ffee0000000000aa01'
    """
    previous = _get_raw()
    set_current_use_case(value)
    try:
        yield
    finally:
        set_current_use_case(previous)


class _ContextType:
    """DataRobot's ``dr.Context``: ``Context.use_case`` reads and sets the current use case."""

    @property
    def use_case(self) -> UseCase | None:
        return get_current_use_case()

    @use_case.setter
    def use_case(self, value: UseCase | str | None) -> None:
        set_current_use_case(value)

    def __repr__(self) -> str:
        return f"Context(use_case={get_current_use_case_id()!r})"


#: The object DataRobot users know as ``dr.Context``.
Context = _ContextType()
