"""``ActivityFeed``: who did what to which asset, in one use case or across all of the caller's.

With a use case (given, or the current one) it shows that use case's change feed; without one it
shows notifications: changes others made in any use case the caller belongs to. Both are newest
first, with an unread count and "Mark all read". It refreshes on demand, or on a timer the user
can stop; in a kernel the timer runs on the kernel's event loop, between cells, so a refresh never
runs at the same time as the user's code.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import ipywidgets as w
from traitlets import Bool, Enum, Float, Int, List, Unicode, observe, validate

from ucwidgets import context
from ucwidgets.models.events import Event, list_events, list_notifications, mark_notifications_read
from ucwidgets.widgets._common import (
    UseCasePanel,
    button,
    enable,
    resolve_use_case_id,
    stamp,
    styled,
    text,
    when,
)

__all__ = ["ActivityFeed"]

#: Unread notifications counted exactly; beyond this the count shows as "N+".
UNREAD_CAP = 500
#: Events kept in memory per use case (the newest).
KEEP = 500
ENTITY_NAMES = {
    "useCase": "use case",
    "dataset": "dataset",
    "project": "project",
    "application": "application",
    "notebook": "notebook",
    "member": "member",
}


class ActivityFeed(UseCasePanel):
    """The change feed of a use case, or notifications across the caller's use cases.

    Parameters
    ----------
    client : RESTClientObject, optional
        The connection to use; default: the global client.
    use_case : UseCase or str, optional
        Whose events to show; default: the current use case, and notifications when none.
    notifications : bool, optional
        Show notifications across every use case even when a use case is current.
    interval : float, default 30
        Seconds between refreshes while ``auto_refresh`` is on.
    auto_refresh : bool, default False
        Start the timer at once (the "Auto-refresh" toggle stops and starts it).

    Examples
    --------
    >>> import ucwidgets
    >>> feed = ucwidgets.ActivityFeed()  # doctest: +SKIP
    >>> feed.unread_count  # doctest: +SKIP
    3
    >>> feed.mark_read_button.click()  # doctest: +SKIP
    >>> feed.auto_refresh = True  # refresh every feed.interval seconds  # doctest: +SKIP
    """

    use_case_id = Unicode(
        None, allow_none=True, help="Whose events are shown; None follows the current use case."
    )
    mode = Enum(
        ["events", "notifications"],
        "notifications",
        help="'events' of one use case, or 'notifications' across the caller's.",
    )
    events = List(help="The events shown, newest first (Event objects).")
    unread_ids = List(help="Ids of the shown events that are unread notifications.")
    unread_count = Int(
        0,
        help="How many notifications are unread (in this use case, in "
        "'events' mode); capped at UNREAD_CAP.",
    )
    limit = Int(50, help="How many events are shown at most.")
    auto_refresh = Bool(False, help="Whether a timer refreshes the feed every `interval` s.")
    interval = Float(30.0, help="Seconds between automatic refreshes.")
    refreshed = Int(0, help="How many refreshes have completed.")

    def __init__(
        self,
        client: Any = None,
        use_case: Any = None,
        notifications: bool = False,
        interval: float = 30.0,
        auto_refresh: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(client=client, **kwargs)
        self._follow = use_case is None and not notifications
        self._cursor: int | None = None  # last event id read, per use case in 'events' mode
        self._cursor_for: str | None = None
        self._timer: Any = None
        self._timer_lock = threading.Lock()
        self._build()
        self.add_class("ucw-feed")
        self.use_case_id = (
            None
            if notifications
            else (resolve_use_case_id(use_case) or context.get_current_use_case_id())
        )
        self.mode = "events" if self.use_case_id else "notifications"
        self.interval = interval
        self._start()
        self.auto_refresh = auto_refresh

    def _build(self) -> None:
        self.title_html = styled(w.HTML(""), "ucw-feed-title")
        self.unread_html = styled(w.HTML(""), "ucw-feed-unread")
        self.mark_read_button = button("Mark all read", "ucw-feed-mark-read", icon="check")
        self.refresh_button = button("", "ucw-feed-refresh", icon="refresh", tooltip="Refresh now")
        self.auto_toggle = styled(
            w.ToggleButton(
                value=False,
                description="Auto-refresh",
                icon="clock-o",
                tooltip="Refresh on a timer; click to stop",
            ),
            "ucw-feed-auto",
            width="auto",
        )
        self.events_html = styled(w.HTML(""), "ucw-feed-list")
        self.children = [
            self.style_html,
            w.HBox(
                [self.title_html, self.unread_html],
                layout=w.Layout(align_items="center", justify_content="space-between"),
            ),
            w.HBox([self.mark_read_button, self.refresh_button, self.auto_toggle]),
            self.message_html,
            self.retry_button,
            self.events_html,
        ]
        self.add_class("ucw-card")
        self.mark_read_button.on_click(self._on_mark_read_button_click)
        self.refresh_button.on_click(self._on_refresh_button_click)
        self.auto_toggle.observe(self._on_auto_toggle_change, "value")

    def _buttons(self) -> list[w.Widget]:
        return [self.mark_read_button, self.refresh_button]

    # -- public actions (they raise) --------------------------------------------------------
    def refresh(self) -> None:
        """Fetch what is new (only events after the last one seen) and the unread count."""
        if self._follow:
            current = context.get_current_use_case_id()
            self.use_case_id = current
            self.mode = "events" if current else "notifications"
        with self._api():
            self._ensure_client()
            unread = list_notifications(unread=True, limit=UNREAD_CAP)
            if self.mode == "events":
                events = self._fetch_events()
            else:
                events = list(list_notifications(limit=self.limit))
        mine = [
            e for e in unread if self.mode == "notifications" or e.use_case_id == self.use_case_id
        ]
        unread_ids = {e.id for e in mine}
        with self.hold_trait_notifications():
            self.events = events[: self.limit]
            self.unread_ids = sorted(unread_ids & {e.id for e in self.events})
            self.unread_count = len(mine)
            self.refreshed += 1

    def mark_all_read(self) -> int | None:
        """Mark every notification read; returns the newest event id now read."""
        with self._api():
            upto = mark_notifications_read()
        self.refresh()
        return upto

    def start(self) -> None:
        """Refresh every ``interval`` seconds until :meth:`stop`."""
        self.auto_refresh = True

    def stop(self) -> None:
        """Stop the timer."""
        self.auto_refresh = False

    def close(self) -> None:
        """Stop the timer and close the widget."""
        self.auto_refresh = False
        self._cancel_timer()
        super().close()

    # -- fetching ---------------------------------------------------------------------------
    def _fetch_events(self) -> list[Event]:
        """Events of the use case, newest first; after the first call only the new ones."""
        assert self.use_case_id is not None
        if self._cursor_for != self.use_case_id:
            self._cursor, self._cursor_for, known = None, self.use_case_id, []
        else:
            known = list(self.events)
        new = list(list_events(self.use_case_id, after=self._cursor))
        if new:
            self._cursor = new[-1].id
        return (list(reversed(new)) + known)[:KEEP]

    # -- timer ------------------------------------------------------------------------------
    @validate("interval")
    def _valid_interval(self, proposal: Any) -> float:
        value = float(proposal["value"])
        if value < 0.1:
            raise ValueError("interval must be at least 0.1 s")
        return value

    @observe("auto_refresh")
    def _on_auto_refresh_change(self, change: Any) -> None:
        self.auto_toggle.value = change["new"]
        if change["new"]:
            self._schedule()
        else:
            self._cancel_timer()

    def _schedule(self) -> None:
        with self._timer_lock:
            self._cancel_timer_locked()
            try:  # in a kernel: the event loop runs the tick between cells
                loop = asyncio.get_running_loop()
                self._timer = loop.call_later(self.interval, self._tick)
            except RuntimeError:  # plain Python: a daemon thread
                timer = threading.Timer(self.interval, self._tick)
                timer.daemon = True
                timer.start()
                self._timer = timer

    def _tick(self) -> None:
        if not self.auto_refresh:
            return
        self._attempt(self.refresh)
        if self.auto_refresh:
            self._schedule()

    def _cancel_timer(self) -> None:
        with self._timer_lock:
            self._cancel_timer_locked()

    def _cancel_timer_locked(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    # -- events -----------------------------------------------------------------------------
    def _on_mark_read_button_click(self, _: Any) -> None:
        self._attempt(self.mark_all_read)

    def _on_refresh_button_click(self, _: Any) -> None:
        self._attempt(self.refresh)

    def _on_auto_toggle_change(self, change: Any) -> None:
        self.auto_refresh = change["new"]

    # -- rendering --------------------------------------------------------------------------
    @observe("events", "unread_ids", "unread_count", "mode", "auto_refresh", "interval")
    def _render(self, change: Any = None) -> None:
        if self.mode == "events":
            title = "Activity"
            name = self.events[-1].use_case_name if self.events else ""
            subtitle = f" <span class='ucw-muted'>{text(name)}</span>" if name else ""
        else:
            title, subtitle = "Notifications", " <span class='ucw-muted'>all use cases</span>"
        self.title_html.value = f"<span class='ucw-title'>{title}</span>{subtitle}"
        count = f"{self.unread_count}{'+' if self.unread_count >= UNREAD_CAP else ''}"
        self.unread_html.value = (
            f"<span class='ucw-unread-count' style='background:#1976d2;color:white;"
            f"border-radius:10px;padding:1px 8px'>{count} unread</span>"
            if self.unread_count
            else "<span class='ucw-muted'>all read</span>"
        )
        enable(self.mark_read_button, self.unread_count > 0, self.busy)
        self.auto_toggle.description = (
            f"Auto-refresh ({self.interval:g} s)" if self.auto_refresh else "Auto-refresh"
        )
        self.auto_toggle.button_style = "info" if self.auto_refresh else ""
        unread = set(self.unread_ids)
        items = "".join(
            _event_html(e, e.id in unread, self.mode == "notifications") for e in self.events
        )
        self.events_html.value = (
            f"<ul>{items}</ul>"
            if items
            else "<span class='ucw-muted'>Nothing has happened yet.</span>"
        )
        self._render_status()


def _event_html(event: Event, unread: bool, with_use_case: bool) -> str:
    kind = ENTITY_NAMES.get(event.entity_type or "", event.entity_type or "")
    name = f" “{text(event.entity_name)}”" if event.entity_name else ""
    if event.entity_type == "user":  # sharing: "shared with", "unshared from"
        kind = "with" if event.verb == "shared" else "from"
    where = (
        f" <span class='ucw-muted'>in {text(event.use_case_name)}</span>"
        if with_use_case and event.use_case_name
        else ""
    )
    dot = "<span style='color:#1976d2'>● </span>" if unread else ""
    css = " class='ucw-unread'" if unread else ""
    return (
        f"<li{css} data-event-id='{event.id}'>{dot}<b>{text(event.actor or '?')}</b> "
        f"{text(event.verb)} {text(kind)}{name}{where} "
        f"<span class='ucw-muted' title='{text(stamp(event.at))}'>· "
        f"{text(when(event.at))}</span></li>"
    )
