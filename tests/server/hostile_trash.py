"""The hostile corpus's cases for the trash (see ``hostile_cases``): restoring through
``PATCH .../deleted/``, purging through ``DELETE trash/{entityType}/{id}/``, and the listing's
paging. ``{gone_uc}`` and ``{gone_dataset}`` sit in alice's trash."""

from __future__ import annotations

from typing import Any

from hostile_cases import HUGE, Case
from hostile_values import BAD_PAGES

RESTORE = {
    "useCases": "{gone_uc}",
    "datasets": "{gone_dataset}",
    "projects": "{project}",
    "applications": "{application}",
    "notebooks": "{notebook}",
}
BAD_IDS = {
    "too short": "abc",
    "5,000 digits": HUGE,
    "upper-case hex": "ABCDEF0123456789ABCDEF01",
    "NUL": "%00",
}


def trash_cases() -> list[Case]:
    """Every field of every trash route hostile; each refusal changes nothing."""
    cases = [
        Case("trash", f"trash/ {label}", "alice", "GET", "trash/", status, params=params)
        for label, (params, status) in BAD_PAGES.items()
    ]
    bodies: dict[str, tuple[dict[str, Any], int]] = {
        "a field": ({"json": {"restore": True}}, 422),
        "a list": ({"json": []}, 400),
        "null": ({"json": None, "data": b"null"}, 400),
        "malformed JSON": ({"data": b'{"a":'}, 400),
        "invalid UTF-8": ({"data": b'{"\xff": 1}'}, 400),
    }
    for segment, eid in RESTORE.items():
        path = f"{segment}/{eid}/deleted/"
        cases += [
            Case("trash", f"restore {segment}, {label}", "alice", "PATCH", path, status, **body)
            for label, (body, status) in bodies.items()
        ]
        cases += [
            Case(
                "trash",
                f"restore {segment}, id {label}",
                "alice",
                "PATCH",
                f"{segment}/{bad}/deleted/",
                404,
            )
            for label, bad in BAD_IDS.items()
        ]
        cases.append(Case("trash", f"restore {segment}, no token", "anon", "PATCH", path, 401))
        cases.append(Case("trash", f"restore {segment}, a stranger", "dave", "PATCH", path, 404))
    cases += [
        Case("trash", f"purge, id {label}", "alice", "DELETE", f"trash/dataset/{bad}/", 404)
        for label, bad in BAD_IDS.items()
    ]
    by_actor = [
        ("restore a live use case as its EDITOR", "bob", "PATCH", "useCases/{uc}/deleted/", 403),
        (
            "restore a live use case as its CONSUMER",
            "carol",
            "PATCH",
            "useCases/{uc}/deleted/",
            403,
        ),
        (
            "restore a live dataset lent as EDITOR",
            "bob",
            "PATCH",
            "datasets/{dataset}/deleted/",
            403,
        ),
        ("purge a plural kind", "alice", "DELETE", "trash/useCases/{gone_uc}/", 404),
        ("purge an upper-case kind", "alice", "DELETE", "trash/DATASET/{gone_dataset}/", 404),
        ("purge a kind that is no kind", "alice", "DELETE", "trash/model/{gone_dataset}/", 404),
        ("purge the wrong kind", "alice", "DELETE", "trash/project/{gone_dataset}/", 404),
        ("purge a live use case", "alice", "DELETE", "trash/useCase/{uc}/", 404),
        ("purge another's trash", "dave", "DELETE", "trash/useCase/{gone_uc}/", 404),
        ("purge a former member's trash", "bob", "DELETE", "trash/dataset/{gone_dataset}/", 404),
        ("purge with no token", "anon", "DELETE", "trash/useCase/{gone_uc}/", 401),
        ("list with no token", "anon", "GET", "trash/", 401),
        ("delete the whole trash", "alice", "DELETE", "trash/", 405),
        ("post to the trash", "alice", "POST", "trash/", 405),
    ]
    cases += [Case("trash", label, actor, m, p, s) for label, actor, m, p, s in by_actor]
    return cases
