"""The hostile corpus's cases for batches of links and for tags (see ``hostile_cases``)."""

from __future__ import annotations

from typing import Any

from hostile_cases import HUGE, Case, raw_json


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
            **raw_json(digits),
        )
    )
    return cases


def tags() -> list[Case]:
    """Tags set, filtered by and suggested: every value hostile, every refusal whole."""
    values: dict[str, Any] = {
        "a string": "risk",
        "null": None,
        "an object": {"a": 1},
        "a number": [int("9" * 30)],
        "NUL": ["a\x00b"],
        "a bidirectional isolate": ["\u2066x"],
        "zero-width only": ["\u200d"],
        "1 MB": ["x" * 1_000_000],
        "a comma": ["risk,credit"],
        "51 of them": [str(i) for i in range(51)],
        "twice in another case": ["Risk", "rISK"],
    }
    cases = [
        Case("tags", f"set tags, {label}", "alice", "PATCH", "useCases/{uc}/", 422, {"tags": v})
        for label, v in values.items()
    ]
    by_actor = [
        ("set by a CONSUMER", "carol", 403),
        ("set by a non-member", "dave", 404),
        ("set without a token", "anon", 401),
    ]
    cases += [
        Case("tags", label, actor, "PATCH", "useCases/{uc}/", status, {"tags": ["x"]})
        for label, actor, status in by_actor
    ]
    queries: dict[str, tuple[str, dict[str, Any], int]] = {
        "a filter of 65 code points": ("useCases/", {"tag": "x" * 65}, 422),
        "a filter with a comma": ("useCases/", {"tag": "a,b"}, 422),
        "a NUL filter": ("useCases/", {"tag": "\x00"}, 400),
        "a date of 5,000 digits": ("useCases/", {"createdAfter": HUGE}, 422),
        "an unknown role": ("useCases/", {"role": "ADMIN"}, 422),
        "two roles": ("useCases/", {"role": ["OWNER", "EDITOR"]}, 422),
        "an unknown asset kind": ("useCases/", {"assetType": "recipe"}, 422),
        "a blank owner": ("useCases/", {"owner": "\u200b"}, 422),
        "a prefix of 65 code points": ("useCases/tags/", {"prefix": "x" * 65}, 422),
        "a prefix with NUL": ("useCases/tags/", {"prefix": "\x00"}, 400),
        "suggestions without a token": ("useCases/tags/", {}, 401),
    }
    cases += [
        Case(
            "tags",
            label,
            "anon" if "token" in label else "alice",
            "GET",
            path,
            status,
            params=params,
        )
        for label, (path, params, status) in queries.items()
    ]
    return cases
