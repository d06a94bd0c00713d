"""What the activity feed says: events grouped into runs, in words, with "you" for the caller.

A run is consecutive events (newest first) with the same actor, verb and thing, as when a
project is modified three times in a row: one item, "ann modified project Fraud CNP v1 ·
3 changes". Shares name the role, and the recipient ("you" when it is the caller).

Examples
--------
>>> from ucwidgets.models.events import Event
>>> ann = {"id": "a" * 24, "username": "ann"}
>>> events = [Event({"id": i, "actor": ann, "verb": "modified", "entityType": "project",
...                  "entityId": "p" * 24, "entityName": "Fraud CNP v1", "useCaseId": "u" * 24,
...                  "useCaseName": "Fraud"}) for i in (3, 2, 1)]
>>> [item["text"] for item in group(events, me="b" * 24)]
['ann modified project Fraud CNP v1 · 3 changes']
"""

from __future__ import annotations

from typing import Any

from ucwidgets.models.events import Event
from ucwidgets.widgets._parts import NOUNS

#: The kinds a feed filters by: entity types as the service names them, and their labels.
KINDS = {**{kind: f"{noun}s" for kind, noun in NOUNS.items()}, "user": "sharing"}
#: What a feed line calls one of a kind (a share event's "thing" is a member).
_NOUNS = {**NOUNS, "user": "member"}


def group(events: list[Event], me: str | None, read: set[int] | None = None) -> list[dict]:
    """Runs of the same change (newest first) as feed items; ``read`` holds ids read here."""
    items: list[dict] = []
    for event in events:
        last = items[-1] if items else None
        if last is not None and last["run"] == _run_key(event):
            last["ids"].append(event.id)
            last["count"] += 1
            last["unread"] = last["unread"] or _unread(event, me, read)
            continue
        items.append(_item(event, me, read))
    for item in items:
        suffix = f" · {item['count']} changes" if item["count"] > 1 else ""
        item["text"] = f"{item['who']} {item['what']}{suffix}"
        del item["run"]
    return items


def _run_key(event: Event) -> tuple:
    return (event.actor_id, event.verb, event.entity_type, event.entity_id, event.use_case_id)


def _unread(event: Event, me: str | None, read: set[int] | None) -> bool:
    if event.actor_id == me or (read is not None and event.id in read):
        return False
    return event.read is not True


def _item(event: Event, me: str | None, read: set[int] | None) -> dict[str, Any]:
    you = event.actor_id is not None and event.actor_id == me
    return {
        "key": str(event.id),
        "ids": [event.id],
        "count": 1,
        "run": _run_key(event),
        "who": "you" if you else (event.actor or "someone"),
        "you": you,
        "actor_id": event.actor_id or "",
        "verb": event.verb,
        "what": describe(event, me),
        "entity_type": event.entity_type or "",
        "entity_id": event.entity_id or "",
        "entity_name": event.entity_name or "",
        "use_case_id": event.use_case_id or "",
        "use_case_name": event.use_case_name or "",
        "role": event.role or "",
        "at": event.at.isoformat() if event.at is not None else "",
        "unread": _unread(event, me, read),
    }


def describe(event: Event, me: str | None) -> str:
    """What happened, without who did it: "shared Fraud with you as EDITOR"."""
    uc = event.use_case_name or "a use case"
    name = event.entity_name or ""
    noun = _NOUNS.get(event.entity_type or "", event.entity_type or "")
    if event.entity_type == "user":
        whom = "you" if event.recipient_id is not None and event.recipient_id == me else name
        if event.verb == "shared":
            role = f" as {event.role}" if event.role else ""
            return f"shared {uc} with {whom}{role}"
        return f"removed {whom} from {uc}"
    if event.entity_type == "useCase":
        verb = {"updated": "edited"}.get(event.verb, event.verb)
        return f"{verb} {name or uc}"
    if event.verb == "added":
        return f"added {noun} {name} to {uc}"
    if event.verb == "removed":
        return f"removed {noun} {name} from {uc}"
    return f"{event.verb} {noun} {name}"
