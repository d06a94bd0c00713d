"""The hostile corpus's cases for batches of links and for tags (see ``hostile_cases``)."""

from __future__ import annotations

from typing import Any

from hostile_cases import HUGE, Case, _json


def _ref(etype: str = "dataset", eid: str = "{dataset}") -> dict[str, str]:
    return {"entityType": etype, "entityId": eid}


def batches() -> list[Case]:
    """Bulk add, remove and move: every field hostile, every refusal whole."""
    bodies: dict[str, tuple[Any, int]] = {
        "add not a list": ({"add": _ref()}, 422),
        "an entry of null": ({"add": [None]}, 422),
        "an entry of NUL": ({"add": [_ref(eid="\x00")]}, 422),
        "an upper-case kind": ({"add": [_ref("DATASET")]}, 422),
        "a huge id": ({"add": [_ref(eid="f" * 5000)]}, 422),
        "an id that is a number": ({"add": [{"entityType": "dataset", "entityId": 10**30}]}, 422),
        "the same entry twice": ({"add": [_ref(), _ref()]}, 422),
        "added and removed at once": ({"add": [_ref()], "remove": [_ref()]}, 422),
        "501 entries": ({"add": [_ref("notebook", f"{i:024x}") for i in range(501)]}, 422),
        "nothing": ({}, 422),
        "an unknown field": ({"add": [_ref()], "move": True}, 422),
        "another user's dataset": ({"add": [_ref(eid="{daves_dataset}")]}, 404),
        "a deleted dataset": ({"add": [_ref(eid="{gone_dataset}")]}, 404),
        "removing what is not linked": ({"remove": [_ref("application", "{application}")]}, 404),
        "the second of two refused": ({"add": [_ref(), _ref(eid="{daves_dataset}")]}, 404),
    }
    cases = [
        Case("batches", f"bulk links, {label}", "alice", "PATCH", "useCases/{uc}/assets/", s, b)
        for label, (b, s) in bodies.items()
    ]
    moves: dict[str, tuple[str, Any, int]] = {
        "to nowhere": ("alice", {"to": "{gone_uc}", "entities": [_ref()]}, 404),
        "to a hidden use case": ("alice", {"to": "{daves_uc}", "entities": [_ref()]}, 404),
        "to itself": ("alice", {"to": "{uc}", "entities": [_ref()]}, 422),
        "to a number": ("alice", {"to": 2**63, "entities": [_ref()]}, 422),
        "of nothing": ("alice", {"to": "{daves_uc}", "entities": []}, 422),
        "by a CONSUMER": ("carol", {"to": "{daves_uc}", "entities": [_ref()]}, 403),
        "by a non-member": ("dave", {"to": "{daves_uc}", "entities": [_ref()]}, 404),
        "without a token": ("anon", {"to": "{daves_uc}", "entities": [_ref()]}, 401),
        "of a deleted use case": ("alice", {"to": "{uc}", "entities": [_ref()]}, 404),
    }
    cases += [
        Case(
            "batches",
            f"move {label}",
            actor,
            "POST",
            "useCases/{gone_uc}/assets/move/"
            if "deleted" in label
            else "useCases/{uc}/assets/move/",
            status,
            body,
        )
        for label, (actor, body, status) in moves.items()
    ]
    digits = f'{{"to": {HUGE}, "entities": []}}'.encode()
    cases.append(
        Case(
            "batches",
            "move to a 5,000-digit number",
            "alice",
            "POST",
            "useCases/{uc}/assets/move/",
            400,
            **_json(digits),
        )
    )
    return cases
