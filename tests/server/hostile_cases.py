"""The hostile corpus: requests the service must refuse, each with the status it must answer.

Every case names an actor of the corpus world (``alice`` OWNS everything, ``bob`` is an EDITOR
of her use case, ``carol`` a CONSUMER, ``dave`` no member, ``anon`` has no token), a request,
and the expected 4xx. ``test_hostile_corpus.py`` runs each on SQLite and on PostgreSQL and
checks the error shape and that the database did not change. Paths are templates over the
world's ids (``{uc}``, ``{dataset}``, ``{gone_uc}``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HUGE = "9" * 5000


@dataclass(frozen=True)
class Case:
    """One hostile request and the answer it must get."""

    group: str
    label: str
    actor: str
    method: str
    path: str
    status: int
    json: Any = None
    data: bytes | None = None
    params: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    files: dict[str, Any] | None = None
    raw: bytes | None = None  # sent as is on a socket (``{token}`` is the actor's)

    @property
    def id(self) -> str:
        return f"{self.group}: {self.label}"


def _json(raw: bytes) -> dict[str, Any]:
    return {"data": raw, "headers": {"Content-Type": "application/json"}}


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


def _names() -> list[Case]:
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


def _ids() -> list[Case]:
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
def _numbers() -> list[Case]:
    cases = [
        Case(
            "numbers",
            f"5,000-digit integer in {path}",
            "alice",
            m,
            path,
            400,
            **_json(f'{{"{key}": {HUGE}}}'.encode()),
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
            **_json(b'{"workerCount": NaN}'),
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
            **_json(b'{"workerCount": Infinity}'),
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


def _paging() -> list[Case]:
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


# -- sharing -------------------------------------------------------------------------------------
def role_entry(**fields: Any) -> dict[str, Any]:
    """One entry of a share request (a CONSUMER user unless ``fields`` say otherwise)."""
    return {"role": "CONSUMER", "shareRecipientType": "user", **fields}


def _sharing() -> list[Case]:
    batches = {
        "unknown id": ([role_entry(id="0" * 24)], 422),
        "unknown username": ([role_entry(username="nobody@example.com")], 422),
        "a username in another case": ([role_entry(username="DAVE@example.com")], 422),
        "id and username disagree": (
            [role_entry(id="{dave_id}", username="carol@example.com")],
            422,
        ),
        "neither id nor username": ([role_entry()], 422),
        "lower-case role": ([role_entry(id="{dave_id}", role="consumer")], 422),
        "unknown role": ([role_entry(id="{dave_id}", role="ADMIN")], 422),
        "canShare as a string": ([role_entry(id="{dave_id}", canShare="true")], 422),
        "same recipient twice": (
            [role_entry(id="{dave_id}"), role_entry(username="dave@example.com")],
            422,
        ),
        "101 recipients": ([role_entry(id="{dave_id}")] * 101, 422),
        "empty batch": ([], 422),
        "username with a NUL": ([role_entry(username="dave\x00@example.com")], 422),
        "id with a NUL": ([role_entry(id="\x00" * 24)], 422),
        "revoking the last owner": ([role_entry(id="{alice_id}", role="NO_ROLE")], 409),
        "demoting the last owner": ([role_entry(id="{alice_id}", role="EDITOR")], 409),
    }
    cases = [
        Case(
            "sharing",
            label,
            "alice",
            "PATCH",
            "useCases/{uc}/sharedRoles/",
            status,
            {"operation": "updateRoles", "roles": roles},
        )
        for label, (roles, status) in batches.items()
    ]
    by_role = [
        ("a CONSUMER sharing", "carol", [role_entry(id="{dave_id}")], 403),
        ("an EDITOR revoking an OWNER", "bob", [role_entry(id="{alice_id}", role="NO_ROLE")], 403),
        ("an EDITOR granting OWNER", "bob", [role_entry(id="{dave_id}", role="OWNER")], 403),
        ("a CONSUMER promoting itself", "carol", [role_entry(id="{carol_id}", role="EDITOR")], 403),
        ("a non-member sharing", "dave", [role_entry(id="{dave_id}")], 404),
        ("no token", "anon", [role_entry(id="{dave_id}")], 401),
    ]
    cases += [
        Case(
            "sharing",
            label,
            actor,
            "PATCH",
            "useCases/{uc}/sharedRoles/",
            status,
            {"operation": "updateRoles", "roles": roles},
        )
        for label, actor, roles, status in by_role
    ]
    cases += [
        Case(
            "sharing",
            "a CONSUMER renaming",
            "carol",
            "PATCH",
            "useCases/{uc}/",
            403,
            {"name": "mine"},
        ),
        Case(
            "sharing",
            "a CONSUMER removing an asset",
            "carol",
            "DELETE",
            "useCases/{uc}/datasets/{dataset}/",
            403,
        ),
        Case("sharing", "an EDITOR deleting the use case", "bob", "DELETE", "useCases/{uc}/", 403),
        Case(
            "sharing",
            "a non-member reading members",
            "dave",
            "GET",
            "useCases/{uc}/sharedRoles/",
            404,
        ),
        Case("sharing", "a non-member reading events", "dave", "GET", "useCases/{uc}/events/", 404),
    ]
    return cases


# -- uploads -------------------------------------------------------------------------------------
def _multipart(content: bytes, name: str = "file", end: bool = True) -> dict[str, Any]:
    body = (
        b'--BB\r\nContent-Disposition: form-data; name="'
        + name.encode()
        + b'"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\n'
        + content
        + (b"\r\n--BB--\r\n" if end else b"")
    )
    return {"data": body, "headers": {"Content-Type": "multipart/form-data; boundary=BB"}}


CSV = b"a,b\n1,2\n3,4\n"
UPLOADS = {
    "empty file": (_multipart(b""), 422),
    "header only": (_multipart(b"a,b,c\n"), 422),
    "ragged rows": (_multipart(b"a,b\n1,2\n3,4,5\n"), 422),
    "undecodable bytes": (_multipart(b"a,b\n1,\xff\xfe\n"), 422),
    "UTF-16": (_multipart("a,b\n1,2\n".encode("utf-16")), 422),
    "no closing boundary": (_multipart(CSV, end=False), 400),
    "cut mid-row": (_multipart(CSV[:7], end=False), 400),
    "no file part": (_multipart(CSV, name="other"), 422),
    "garbage body": ({"data": b"--BB\r\ngarbage", "headers": _multipart(b"")["headers"]}, 400),
    "text/csv body": ({"data": CSV, "headers": {"Content-Type": "text/csv"}}, 415),
    "no boundary": ({"data": CSV, "headers": {"Content-Type": "multipart/form-data"}}, 415),
    "file name with a control character": (
        {"files": {"file": ("a\x07b.csv", CSV)}},
        422,
    ),
    "file name with a bidi override": ({"files": {"file": ("x\u202evsc.exe", CSV)}}, 422),
}


def _uploads() -> list[Case]:
    return [
        Case("uploads", f"{route} {label}", "alice", "POST", route, status, **kwargs)
        for route in ("datasets/fromFile/", "projects/")
        for label, (kwargs, status) in UPLOADS.items()
    ]


# -- notebook paths ------------------------------------------------------------------------------
def _notebooks() -> list[Case]:
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


# -- transport and headers -----------------------------------------------------------------------
def _transport() -> list[Case]:
    head = b"Host: x\r\nAuthorization: Token {token}\r\n"
    raw = {
        "Content-Length with Transfer-Encoding": (
            b"POST /api/v2/useCases/ HTTP/1.1\r\n"
            + head
            + b"Content-Type: application/json\r\nContent-Length: 13\r\n"
            b'Transfer-Encoding: chunked\r\n\r\n{"name":"x"}',
            400,
        ),
        "two different lengths": (
            b"POST /api/v2/useCases/ HTTP/1.1\r\n"
            + head
            + b'Content-Type: application/json\r\nContent-Length: 13, 2\r\n\r\n{"name":"x"}',
            400,
        ),
        "gzip transfer coding": (
            b"POST /api/v2/useCases/ HTTP/1.1\r\n" + head + b"Transfer-Encoding: gzip\r\n\r\n",
            400,
        ),
        "bad chunk": (
            b"POST /api/v2/useCases/ HTTP/1.1\r\n"
            + head
            + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            400,
        ),
        "200 KB URL": (
            b"GET /api/v2/useCases/?q=" + b"a" * 200_000 + b" HTTP/1.1\r\n" + head + b"\r\n",
            414,
        ),
        "200 KB header": (
            b"GET /api/v2/useCases/ HTTP/1.1\r\n"
            + head
            + b"X-Pad: "
            + b"p" * 200_000
            + b"\r\n\r\n",
            431,
        ),
        "broken request line": (b"NOT HTTP\r\n\r\n", 400),
    }
    cases = [
        Case("transport", label, "alice", "RAW", "", status, raw=request)
        for label, (request, status) in raw.items()
    ]
    headers = {
        "no token": ("anon", {}, 401),
        "wrong token": ("anon", {"Authorization": "Token ucw_wrong"}, 401),
        "basic auth": ("anon", {"Authorization": "Basic YWxpY2U6cHc="}, 401),
        "empty bearer": ("anon", {"Authorization": "Bearer "}, 401),
        "control character in a header": ("anon", {"Authorization": "Token ucw_\x01x"}, 400),
    }
    cases += [
        Case("headers", label, actor, "POST", "useCases/", status, {"name": "x"}, headers=h)
        for label, (actor, h, status) in headers.items()
    ]
    cases += [
        Case(
            "headers",
            "token only in the query string",
            "anon",
            "GET",
            "useCases/",
            401,
            params={"token": "{alice_token}"},
        ),
        Case(
            "headers",
            "JSON body sent as form",
            "alice",
            "POST",
            "useCases/",
            400,
            data=b"name=x",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        Case(
            "headers",
            "NUL in a query value",
            "alice",
            "GET",
            "useCases/",
            400,
            params={"search": "a\x00b"},
        ),
        Case("headers", "undecodable query value", "alice", "GET", "useCases/?search=%ff", 400),
        Case("headers", "unknown method", "alice", "PUT", "useCases/{uc}/", 405, {"name": "x"}),
        Case("headers", "malformed JSON", "alice", "POST", "useCases/", 400, **_json(b"{")),
        Case(
            "headers",
            "lone surrogate",
            "alice",
            "POST",
            "useCases/",
            400,
            **_json(b'{"name": "\\ud800"}'),
        ),
        Case(
            "headers",
            "body over the JSON limit",
            "alice",
            "POST",
            "useCases/",
            413,
            **_json(b'{"name": "' + b"x" * (3 * 1024 * 1024) + b'"}'),
        ),
    ]
    return cases


# -- asset sharing -------------------------------------------------------------------------------
def _access(**fields: Any) -> dict[str, Any]:
    return {"role": "CONSUMER", "canShare": False, "canUseData": True, **fields}


ROLE_ROUTES = {
    "dataset": "datasets/{dataset}/sharedRoles/",
    "application": "applications/{application}/sharedRoles/",
    "notebook": "notebooks/{notebook}/sharedRoles/",
}
ACCESS_ROUTES = {
    "dataset": "datasets/{dataset}/accessControl/",
    "project": "projects/{project}/accessControl/",
}


def _asset_sharing() -> list[Case]:
    roles = {
        "unknown id": ([role_entry(id="0" * 24)], 422),
        "lower-case role": ([role_entry(id="{dave_id}", role="consumer")], 422),
        "canShare as a string": ([role_entry(id="{dave_id}", canShare="yes")], 422),
        "same recipient twice": ([role_entry(id="{dave_id}"), role_entry(id="{dave_id}")], 422),
        "101 recipients": ([role_entry(id="{dave_id}")] * 101, 422),
        "username with a NUL": ([role_entry(username="dave\x00@example.com")], 422),
        "revoking the last owner": ([role_entry(id="{alice_id}", role="NO_ROLE")], 409),
    }
    cases = [
        Case(
            "asset sharing",
            f"{kind} roles, {label}",
            "alice",
            "PATCH",
            path,
            status,
            {"operation": "updateRoles", "roles": entries},
        )
        for kind, path in ROLE_ROUTES.items()
        for label, (entries, status) in roles.items()
    ]
    access = {
        "unknown username": ([_access(username="nobody@example.com")], 422),
        "username in another case": ([_access(username="DAVE@example.com")], 422),
        "no username": ([_access()], 422),
        "lower-case role": ([_access(username="dave@example.com", role="owner")], 422),
        "canShare as a string": ([_access(username="dave@example.com", canShare="1")], 422),
        "101 entries": ([_access(username="dave@example.com")] * 101, 422),
        "data not a list": ({"username": "dave@example.com"}, 422),
    }
    cases += [
        Case(
            "asset sharing",
            f"{kind} access, {label}",
            "alice",
            "PATCH",
            path,
            status,
            {"data": entries},
        )
        for kind, path in ACCESS_ROUTES.items()
        for label, (entries, status) in access.items()
    ]
    by_actor = [
        (
            "a CONSUMER through the use case sharing a dataset",
            "carol",
            "PATCH",
            ROLE_ROUTES["dataset"],
            403,
        ),
        ("a non-member sharing a dataset", "dave", "PATCH", ROLE_ROUTES["dataset"], 404),
        ("a non-member reading a dataset's roles", "dave", "GET", ROLE_ROUTES["dataset"], 404),
        ("a non-member reading a project's access", "dave", "GET", ACCESS_ROUTES["project"], 404),
        ("no token on a notebook's roles", "anon", "GET", ROLE_ROUTES["notebook"], 401),
        ("a deleted dataset's roles", "alice", "GET", "datasets/{gone_dataset}/sharedRoles/", 404),
        ("NUL as an application id", "alice", "GET", "applications/%00/sharedRoles/", 404),
    ]
    cases += [
        Case(
            "asset sharing",
            label,
            actor,
            method,
            path,
            status,
            {"operation": "updateRoles", "roles": [role_entry(id="{dave_id}")]}
            if method == "PATCH"
            else None,
        )
        for label, actor, method, path, status in by_actor
    ]
    return cases


def corpus() -> list[Case]:
    """Every case, in a stable order."""
    from hostile_batches import batches, tags
    from hostile_trash import trash_cases

    return [
        *_names(),
        *_ids(),
        *_numbers(),
        *_paging(),
        *_sharing(),
        *_uploads(),
        *_notebooks(),
        *_transport(),
        *_asset_sharing(),
        *batches(),
        *tags(),
        *trash_cases(),
    ]
