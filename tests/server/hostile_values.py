"""The hostile corpus's cases for the values of fields (see ``hostile_cases``): names, ids,
numbers, paging parameters and notebook paths."""

from __future__ import annotations

from typing import Any

from hostile_cases import HUGE, Case, raw_json

# -- names ---------------------------------------------------------------------------------------
BAD_NAMES: dict[str, tuple[Any, int]] = {
    "empty": ("", 422),
    "whitespace only": (" \t ", 422),
    "501 code points": ("x" * 501, 422),
    "1 MB": ("x" * 1_000_000, 422),
    "NUL": ("a\x00b", 422),
    "escape sequence": ("\x1b[31mred", 422),
    "C1 control": ("a\x85b", 422),
    "right-to-left override": ("invoice\u202etxt.exe", 422),
    "left-to-right isolate": ("\u2066name\u2069", 422),
    "zero-width spaces only": ("\u200b\u200b", 422),
    "joiners only": ("\u200d\u200c\u2060", 422),
    "Hangul filler": ("\u3164", 422),
    "null": (None, 422),
    "number": (42, 422),
    "list": (["x"], 422),
    "object": ({"name": "x"}, 422),
}
NAME_ROUTES = {
    "create use case": ("POST", "useCases/", "name", {}),
    "rename use case": ("PATCH", "useCases/{uc}/", "name", {}),
    "rename dataset": ("PATCH", "datasets/{dataset}/", "name", {}),
    "rename project": ("PATCH", "projects/{project}/", "projectName", {}),
    "register application": ("POST", "applications/", "name", {}),
    "register notebook": ("POST", "notebooks/", "name", {"path": "fresh.ipynb"}),
}


def name_cases() -> list[Case]:
    """Every bad name on every route that takes one."""
    cases = []
    for route, (method, path, key, extra) in NAME_ROUTES.items():
        for label, (value, status) in BAD_NAMES.items():
            body = {**extra, key: value}
            cases.append(Case("names", f"{route}, {label}", "alice", method, path, status, body))
    return cases


# -- ids -----------------------------------------------------------------------------------------
ID_SHAPES = {
    "malformed": "not-an-id",
    "huge": "f" * 5000,
    "24 zeros": "0" * 24,
    "upper-case hex": "ABCDEF0123456789ABCDEF01",
    "percent-encoded NUL": "%00",
}
ID_ROUTES = [
    ("GET", "useCases/{}/"),
    ("PATCH", "useCases/{}/"),
    ("DELETE", "useCases/{}/"),
    ("GET", "datasets/{}/"),
    ("GET", "datasets/{}/file/"),
    ("GET", "projects/{}/"),
    ("DELETE", "applications/{}/"),
    ("GET", "notebooks/{}/"),
]


def id_cases() -> list[Case]:
    """Malformed, unknown, deleted and hidden ids, and a NUL in every kind of id."""
    cases = [
        Case(
            "ids",
            f"{method} {route.format('')}, {label}",
            "alice",
            method,
            route.format(v),
            404,
            {"name": "x"} if method == "PATCH" else None,
        )
        for method, route in ID_ROUTES
        for label, v in ID_SHAPES.items()
        if not (label == "percent-encoded NUL" and method != "GET")
    ]
    hidden = [
        ("a deleted use case", "GET", "useCases/{gone_uc}/"),
        ("a deleted use case's members", "GET", "useCases/{gone_uc}/sharedRoles/"),
        ("a deleted dataset", "GET", "datasets/{gone_dataset}/"),
        ("a deleted dataset's file", "GET", "datasets/{gone_dataset}/file/"),
        ("another user's use case", "GET", "useCases/{daves_uc}/"),
        ("another user's use case renamed", "PATCH", "useCases/{daves_uc}/"),
        ("another user's dataset", "GET", "datasets/{daves_dataset}/"),
        ("another user's dataset linked", "POST", "useCases/{uc}/datasets/{daves_dataset}/"),
        ("a link to an unknown kind", "POST", "useCases/{uc}/models/{dataset}/"),
        ("an unknown status", "GET", "status/{gone_uc}/"),
        ("an unknown model", "GET", "projects/{project}/models/{gone_uc}/"),
    ]
    cases += [
        Case("ids", label, "alice", m, p, 404, {"name": "x"} if m == "PATCH" else None)
        for label, m, p in hidden
    ]
    # PostgreSQL refuses a NUL in any string it is sent, so no id may reach it unchecked.
    nul = [
        ("PATCH", "datasets/%00/", {"name": "x"}),
        ("DELETE", "projects/%00/", None),
        ("PATCH", "applications/%00/", {"name": "x"}),
        ("DELETE", "notebooks/%00/", None),
        ("GET", "status/%00/", None),
        ("GET", "projects/{project}/models/%00/", None),
        ("POST", "projects/{project}/models/%00/predictions/", {}),
        ("POST", "useCases/{uc}/datasets/%00/", None),
        ("DELETE", "useCases/{uc}/projects/%00/", None),
        ("GET", "useCases/%00/events/", None),
    ]
    cases += [Case("ids", f"NUL in {m} {p}", "alice", m, p, 404, body) for m, p, body in nul]
    return cases


# -- numbers -------------------------------------------------------------------------------------
def number_cases() -> list[Case]:
    """Huge, negative, fractional and non-finite numbers where integers are due."""
    cases = [
        Case(
            "numbers",
            f"5,000-digit integer in {path}",
            "alice",
            m,
            path,
            400,
            **raw_json(f'{{"{key}": {HUGE}}}'.encode()),
        )
        for m, path, key in [
            ("POST", "useCases/", "name"),
            ("PATCH", "useCases/{uc}/", "description"),
            ("PATCH", "projects/{project}/", "workerCount"),
            ("POST", "notifications/read/", "upTo"),
            ("PATCH", "useCases/{uc}/sharedRoles/", "roles"),
            ("POST", "applications/", "name"),
        ]
    ]
    for value in (2**31, 2**63, -(2**63) - 1, -2, 0, 10**40, 1.5, "4", True):
        cases.append(
            Case(
                "numbers",
                f"workerCount {value!r:.30}",
                "alice",
                "PATCH",
                "projects/{project}/",
                422,
                {"workerCount": value},
            )
        )
    for value in (2**63, -1, 10**40, 1.5, "7"):
        cases.append(
            Case(
                "numbers",
                f"upTo {value!r:.30}",
                "alice",
                "POST",
                "notifications/read/",
                422,
                {"upTo": value},
            )
        )
    cases.append(
        Case(
            "numbers",
            "NaN literal",
            "alice",
            "PATCH",
            "projects/{project}/",
            422,
            **raw_json(b'{"workerCount": NaN}'),
        )
    )
    cases.append(
        Case(
            "numbers",
            "Infinity literal",
            "alice",
            "PATCH",
            "projects/{project}/",
            422,
            **raw_json(b'{"workerCount": Infinity}'),
        )
    )
    return cases


# -- paging --------------------------------------------------------------------------------------
PAGED = ["useCases/", "datasets/", "projects/", "notifications/", "useCases/{uc}/sharedRoles/"]
BAD_PAGES = {
    "negative offset": ({"offset": -1}, 422),
    "zero limit": ({"limit": 0}, 422),
    "limit over the maximum": ({"limit": 1001}, 422),
    "word": ({"offset": "ten"}, 400),
    "5,000-digit offset": ({"offset": HUGE}, 400),
    "5,000-digit limit": ({"limit": HUGE}, 400),
    "NUL in offset": ({"offset": "1\x00"}, 400),
    "full-width digits": ({"offset": "\uff11"}, 400),
}


def paging_cases() -> list[Case]:
    """Bad offsets, limits and cursors on every paged listing."""
    cases = []
    for path in PAGED:
        for label, (params, status) in BAD_PAGES.items():
            if path == "projects/" and label in ("zero limit", "limit over the maximum"):
                continue  # the bare project list takes limit=0 as "all", like DataRobot's
            cases.append(
                Case("paging", f"{path} {label}", "alice", "GET", path, status, params=params)
            )
    for label, params, status in [
        ("5,000-digit cursor", {"after": HUGE}, 400),
        ("negative cursor", {"after": -1}, 422),
        ("cursor past BIGINT", {"after": 2**63}, 422),
        ("limit 0", {"limit": 0}, 422),
    ]:
        cases.append(
            Case(
                "paging",
                f"events {label}",
                "alice",
                "GET",
                "useCases/{uc}/events/",
                status,
                params=params,
            )
        )
    return cases


# -- notebook paths ------------------------------------------------------------------------------
def notebook_cases() -> list[Case]:
    """Notebook paths outside the Jupyter root, and registering into a hidden use case."""
    paths = {
        "parent": "../x.ipynb",
        "deep parent": "a/../../x.ipynb",
        "absolute outside": "/etc/passwd",
        "sibling with a common prefix": "{root}-evil/x.ipynb",
        "NUL": "a\x00.ipynb",
        "empty": "",
        "number": 5,
    }
    cases = [
        Case("notebooks", f"register {label}", "alice", "POST", "notebooks/", 422, {"path": p})
        for label, p in paths.items()
    ]
    cases += [
        Case(
            "notebooks",
            f"move to {label}",
            "alice",
            "PATCH",
            "notebooks/{notebook}/",
            422,
            {"path": p},
        )
        for label, p in paths.items()
        if label in ("parent", "absolute outside", "sibling with a common prefix")
    ]
    cases.append(
        Case(
            "notebooks",
            "register into a hidden use case",
            "alice",
            "POST",
            "notebooks/",
            404,
            {"path": "y.ipynb", "useCaseId": "{daves_uc}"},
        )
    )
    return cases
