"""What the use-case panels add to :class:`~ucwidgets.widgets._common.Panel`.

An ``error`` line (every failure shown, joined) for code and tests written against the earlier
widgets, who the caller is (asked once per client), times for the front end, and what each kind
of thing is called.
"""

from __future__ import annotations

import weakref
from datetime import datetime
from typing import Any

from traitlets import Unicode, observe

from ucwidgets.client import get_client
from ucwidgets.enums import LINKABLE_TYPES
from ucwidgets.errors import NotSupported
from ucwidgets.models.use_cases.use_case import UseCaseUser
from ucwidgets.widgets._common import EXPECTED, Panel

__all__ = ["NOUNS", "UseCaseWidget", "iso"]

#: What one thing of each kind the service names is called ("useCase": "use case"); the feed
#: and the trash say it, in their own number and case.
NOUNS = {"useCase": "use case", **{kind: kind for kind in LINKABLE_TYPES}}

#: Who each client is signed in as, asked once per client in this kernel (every panel of a
#: browser shares it); None for a service that cannot say.
_callers: weakref.WeakKeyDictionary[Any, UseCaseUser | None] = weakref.WeakKeyDictionary()


def iso(value: datetime | None) -> str | None:
    """A time for the front end (ISO 8601), or None; NaT counts as None."""
    if value is None or value != value:
        return None
    return value.isoformat()


class UseCaseWidget(Panel):
    """A :class:`Panel` with an ``error`` summary and the caller's identity."""

    error = Unicode("", help="Every failure the panel shows, joined; empty when none.")

    def __repr__(self) -> str:
        # Cheap (no trait serialization), and says what it is where a front end shows text.
        return f"{type(self).__name__}(model_id={self.model_id!r})"

    @observe("errors")
    def _on_errors_change(self, change: Any) -> None:
        self.error = "; ".join(e["message"] for e in (change["new"] or {}).values())

    def whoami(self) -> UseCaseUser | None:
        """The caller, asked once per client (None on a service that cannot say)."""
        client = self.client if self.client is not None else get_client()
        if client not in _callers:
            with self.api():
                try:
                    _callers[client] = UseCaseUser.me()
                except NotSupported:
                    _callers[client] = None
        return _callers[client]

    def known_caller_id(self) -> str | None:
        """The caller's id if already asked (never a request: safe on the event thread)."""
        try:
            client = self.client if self.client is not None else get_client()
        except EXPECTED:  # the global client was since replaced by one that failed
            return None
        me = _callers.get(client)
        return me.id if me is not None else None
