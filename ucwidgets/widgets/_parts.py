"""What the use-case panels add to :class:`~ucwidgets.widgets._common.Panel`.

An ``error`` line (every failure shown, joined) for code and tests written against the earlier
widgets, who the caller is (asked once per client), and times for the front end.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from traitlets import Unicode, observe

from ucwidgets.errors import NotSupported
from ucwidgets.models.use_cases.use_case import UseCaseUser
from ucwidgets.widgets._common import Panel

__all__ = ["UseCaseWidget", "iso"]


def iso(value: datetime | None) -> str | None:
    """A time for the front end (ISO 8601), or None; NaT counts as None."""
    if value is None or value != value:
        return None
    return value.isoformat()


class UseCaseWidget(Panel):
    """A :class:`Panel` with an ``error`` summary and the caller's identity."""

    error = Unicode("", help="Every failure the panel shows, joined; empty when none.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._me: UseCaseUser | None = None
        self._me_key: int | None = None  # id() of the client _me was asked through
        super().__init__(*args, **kwargs)

    def __repr__(self) -> str:
        # Cheap (no trait serialization), and says what it is where a front end shows text.
        return f"{type(self).__name__}(model_id={self.model_id!r})"

    @observe("errors")
    def _on_errors_change(self, change: Any) -> None:
        self.error = "; ".join(e["message"] for e in (change["new"] or {}).values())

    def whoami(self) -> UseCaseUser | None:
        """The caller, asked once per client (None on a service that cannot say)."""
        key = id(self.client)
        if self._me_key != key:
            with self.api():
                try:
                    self._me = UseCaseUser.me()
                except NotSupported:
                    self._me = None
            self._me_key = key
        return self._me
