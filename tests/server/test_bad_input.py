"""Bad input of every kind ACCESS.md lists, on every route that takes it.

Each case checks the status and the error shape (``assert_error``), and that the refused request
changed nothing the actors can see (``unchanged``); no case may ever be answered with a 5xx.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from http_checks import assert_error, assert_page, module_actors, unchanged
from service_api import RISK_CSV

from ucwidgets.server.handlers.base import ServiceContext


@dataclass
class World:
    """One of everything, owned by alice, with bob as an EDITOR of her use case."""

    uc: str
    dataset: str
    project: str
    application: str
    notebook: str


# One service, users and world for the module: every test here asserts it changed nothing.
alice, bob, carol = module_actors()


@pytest.fixture(scope="module")
def world(alice, bob) -> World:
    uc = alice.create_use_case("Risk", description="Credit risk")["id"]
    ds = alice.upload_dataset(RISK_CSV)["datasetId"]
    alice.post(f"useCases/{uc}/datasets/{ds}/")
    project = alice.create_project(ds, "P")["id"]
    app = alice.post("applications/", json={"name": "App"}).json()["id"]
    nb = alice.post("notebooks/", json={"path": "nb.ipynb", "useCaseId": uc}).json()["id"]
    alice.grant(uc, bob, "EDITOR")
    return World(uc, ds, project, app, nb)


#: (method, path template, field) of every route that takes a name in a JSON body.
NAME_ROUTES = {
    "create use case": ("POST", "useCases/", "name"),
    "rename use case": ("PATCH", "useCases/{w.uc}/", "name"),
    "rename dataset": ("PATCH", "datasets/{w.dataset}/", "name"),
    "create project": ("POST", "projects/", "projectName"),
    "rename project": ("PATCH", "projects/{w.project}/", "projectName"),
    "register application": ("POST", "applications/", "name"),
    "rename application": ("PATCH", "applications/{w.application}/", "name"),
    "register notebook": ("POST", "notebooks/", "name"),
    "rename notebook": ("PATCH", "notebooks/{w.notebook}/", "name"),
}
#: What else each creating route needs in its body.
EXTRA = {
    "create project": lambda w: {"datasetId": w.dataset},
    "register notebook": lambda w: {"path": "other.ipynb"},
}

BAD_NAMES = {
    "empty": "",
    "whitespace": " \t ",
    "501 chars": "x" * 501,
    "1 MB": "x" * 1_000_000,
    "NUL": "a\x00b",
    "bell": "a\x07b",
    "newline": "a\nb",
    "escape": "\x1b[31mred",
    "DEL": "a\x7fb",
    "C1 control": "a\x85b",
    "null": None,
    "int": 42,
    "float": 1.5,
    "bool": True,
    "list": ["x"],
    "object": {"name": "x"},
}
GOOD_NAMES = {
    "accents": "Risque de crédit — évaluation",
    "CJK": "信用风险评估",
    "emoji": "👩🏽‍💻 Risk 🇫🇷",
    "RTL": "تقييم المخاطر",
    "combining": "e\u0301te\u0301",
    "html": "<img src=x onerror=alert(1)>",
    "sql": "'; DROP TABLE use_cases;--",
    "500 chars": "x" * 500,
    "500 emoji": "🙂" * 500,
    "percent": "100% _sure_ \\o/",
}


def _name_request(api, w: World, route: str, value, **extra):
    method, template, field = NAME_ROUTES[route]
    body = {**EXTRA.get(route, lambda _: {})(w), **extra, field: value}
    return api.request(method, template.format(w=w), json=body)


@pytest.mark.parametrize("route", NAME_ROUTES)
def test_bad_names_are_422_and_change_nothing(alice, bob, world, route):
    with unchanged(alice, bob):
        for label, value in BAD_NAMES.items():
            body = assert_error(_name_request(alice, world, route, value), 422)
            assert NAME_ROUTES[route][2] in body["message"], label


@pytest.mark.parametrize("route", NAME_ROUTES)
def test_unusual_names_round_trip_exactly(alice, world, route):
    _, template, field = NAME_ROUTES[route]
    for label, value in GOOD_NAMES.items():
        extra = {"path": f"{label}.ipynb"} if route == "register notebook" else {}
        r = _name_request(alice, world, route, value, **extra)
        assert r.status_code in (200, 201, 202), (label, r.text)
        assert r.headers["Content-Type"] == "application/json"
        if r.status_code == 202:
            resource = alice.session.get(r.headers["Location"], timeout=30).json()
        else:
            path = r.headers.get("Location", alice.base + template.format(w=world))
            resource = alice.get(path.removeprefix(alice.base)).json()
        assert resource[field] == value, label


MALFORMED = dict(
    zip(
        [
            "truncated",
            "trailing comma",
            "single quotes",
            "invalid UTF-8",
            "BOM",
            "array",
            "string",
            "null",
            "number",
            "deeply nested",
            "lone high surrogate",
            "lone low surrogate",
            "surrogate in a list",
        ],
        [
            b"{",
            b'{"name": "x",}',
            b"{'name': 'x'}",
            b'{"name": "\xff\xfe"}',
            b"\xef\xbb\xbf{}",
            b"[]",
            b'"name"',
            b"null",
            b"42",
            b"[" * 100_000 + b"]" * 100_000,
            b'{"name": "\\ud800"}',
            b'{"name": "a\\udc00b"}',
            b'{"roles": [{"username": "\\udfff"}]}',
        ],
        strict=True,
    )
)


@pytest.mark.parametrize(
    ("method", "template"),
    [
        ("POST", "useCases/"),
        ("PATCH", "useCases/{w.uc}/"),
        ("PATCH", "useCases/{w.uc}/sharedRoles/"),
        ("PATCH", "datasets/{w.dataset}/"),
        ("POST", "projects/"),
        ("PATCH", "projects/{w.project}/"),
        ("PATCH", "projects/{w.project}/aim/"),
        ("POST", "applications/"),
        ("PATCH", "applications/{w.application}/"),
        ("POST", "notebooks/"),
        ("PATCH", "notebooks/{w.notebook}/"),
        ("POST", "notifications/read/"),
    ],
)
def test_malformed_json_is_400(alice, world, method, template):
    with unchanged(alice):
        for label, body in MALFORMED.items():
            r = alice.request(
                method,
                template.format(w=world),
                data=body,
                headers={"Content-Type": "application/json"},
            )
            assert r.status_code == 400, (label, r.text)
            assert_error(r, 400)


@pytest.fixture(scope="module")
def bad_ids(alice, bob) -> dict[str, dict[str, str]]:
    """For each kind of asset: ids that name nothing alice may see."""
    gone_uc = alice.create_use_case("gone")["id"]
    alice.delete(f"useCases/{gone_uc}/")
    gone_ds = alice.upload_dataset(RISK_CSV)["datasetId"]
    alice.delete(f"datasets/{gone_ds}/")
    theirs = {
        "uc": bob.create_use_case("Bob's")["id"],
        "dataset": bob.upload_dataset(RISK_CSV)["datasetId"],
    }
    theirs["project"] = bob.create_project(theirs["dataset"])["id"]
    theirs["application"] = bob.post("applications/", json={"name": "B"}).json()["id"]
    theirs["notebook"] = bob.post("notebooks/", json={"path": "b.ipynb"}).json()["id"]
    common = {
        "malformed": "not-an-id",
        "huge": "f" * 5000,
        "missing": "0123456789abcdef01234567",
        "NUL": "%00",
        "dots": "..%2e",
    }
    return {
        kind: {
            **common,
            "deleted": gone_uc if kind == "uc" else gone_ds,
            "other user's": theirs[kind],
        }
        for kind in theirs
    }


#: (method, path template with {id} for the bad id, kind of the bad id).
ID_ROUTES = [
    ("GET", "useCases/{id}/", "uc"),
    ("PATCH", "useCases/{id}/", "uc"),
    ("DELETE", "useCases/{id}/", "uc"),
    ("GET", "useCases/{id}/sharedRoles/", "uc"),
    ("PATCH", "useCases/{id}/sharedRoles/", "uc"),
    ("GET", "useCases/{id}/events/", "uc"),
    ("POST", "useCases/{id}/datasets/{w.dataset}/", "uc"),
    ("DELETE", "useCases/{id}/datasets/{w.dataset}/", "uc"),
    ("POST", "useCases/{w.uc}/datasets/{id}/", "dataset"),
    ("DELETE", "useCases/{w.uc}/datasets/{id}/", "dataset"),
    ("POST", "useCases/{w.uc}/projects/{id}/", "project"),
    ("POST", "useCases/{w.uc}/applications/{id}/", "application"),
    ("POST", "useCases/{w.uc}/notebooks/{id}/", "notebook"),
    ("GET", "datasets/{id}/", "dataset"),
    ("PATCH", "datasets/{id}/", "dataset"),
    ("DELETE", "datasets/{id}/", "dataset"),
    ("GET", "datasets/{id}/file/", "dataset"),
    ("GET", "projects/{id}/", "project"),
    ("PATCH", "projects/{id}/", "project"),
    ("DELETE", "projects/{id}/", "project"),
    ("GET", "projects/{id}/options/", "project"),
    ("PATCH", "projects/{id}/aim/", "project"),
    ("GET", "projects/{id}/models/", "project"),
    ("GET", "applications/{id}/", "application"),
    ("PATCH", "applications/{id}/", "application"),
    ("DELETE", "applications/{id}/", "application"),
    ("GET", "notebooks/{id}/", "notebook"),
    ("PATCH", "notebooks/{id}/", "notebook"),
    ("DELETE", "notebooks/{id}/", "notebook"),
]
ID_BODIES = {
    "useCases/{id}/": {"name": "x"},
    "datasets/{id}/": {"name": "x"},
    "projects/{id}/": {"projectName": "x"},
    "projects/{id}/aim/": {"target": "age"},
    "useCases/{id}/sharedRoles/": {
        "roles": [
            {"role": "CONSUMER", "shareRecipientType": "user", "username": "carol@example.com"}
        ]
    },
}


@pytest.mark.parametrize(
    ("method", "template", "kind"), ID_ROUTES, ids=[f"{m} {t}" for m, t, _ in ID_ROUTES]
)
def test_ids_that_name_nothing_visible_are_identical_404s(
    alice, bob, carol, world, bad_ids, method, template, kind
):
    body = ID_BODIES.get(template)
    answers = {}
    with unchanged(alice, bob):
        for label, bad in bad_ids[kind].items():
            r = alice.request(method, template.format(w=world, id=bad), json=body)
            assert_error(r, 404)
            answers[label] = r.content
    # "Does not exist" and "exists but hidden" are byte-identical (ACCESS.md invariant 9).
    assert answers["other user's"] == answers["missing"] == answers["deleted"]


def test_status_ids_that_name_nothing_are_404(alice):
    for bad in ("x", "f" * 5000, "0" * 24, "%00"):
        assert_error(alice.get(f"status/{bad}/"), 404)


PAGED = [
    "useCases/",
    "datasets/",
    "applications/",
    "notebooks/",
    "users/",
    "notifications/",
    "search/",
    "useCases/{w.uc}/sharedRoles/",
]
BAD_PAGING = {
    "negative offset": ({"offset": -1}, 422),
    "negative limit": ({"limit": -5}, 422),
    "zero limit": ({"limit": 0}, 422),
    "over the maximum": ({"limit": 1001}, 422),
    "huge offset": ({"offset": 10**30}, 422),
    "huge limit": ({"limit": 10**30}, 422),
    "word": ({"limit": "ten"}, 400),
    "float": ({"offset": "1.5"}, 400),
    "hex": ({"limit": "0x10"}, 400),
    "exponent": ({"limit": "1e3"}, 400),
}


@pytest.mark.parametrize("template", PAGED)
def test_bad_paging_is_refused(alice, world, template):
    for label, (params, status) in BAD_PAGING.items():
        r = alice.get(template.format(w=world), params=params)
        assert r.status_code == status, (label, r.text)
        assert_error(r, status)


@pytest.mark.parametrize("template", PAGED)
def test_offset_past_the_end_is_an_empty_last_page(alice, world, template):
    page = assert_page(alice.get(template.format(w=world), params={"offset": 10_000}), alice.base)
    assert (page["data"], page["next"]) == ([], None)


@pytest.mark.parametrize(
    ("params", "status"),
    [({"offset": -1}, 422), ({"limit": -1}, 422), ({"limit": "x"}, 400), ({"offset": 10**30}, 422)],
)
def test_bad_paging_of_the_bare_project_list(alice, world, params, status):
    assert_error(alice.get("projects/", params=params), status)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"after": -1}, 422),
        ({"after": "x"}, 400),
        ({"after": 10**30}, 422),
        ({"limit": 0}, 422),
        ({"limit": 1001}, 422),
    ],
)
def test_bad_event_cursors(alice, world, params, status):
    assert_error(alice.get(f"useCases/{world.uc}/events/", params=params), status)


@pytest.mark.parametrize(
    ("route", "params"),
    [
        ("useCases/", {"orderBy": "password"}),
        ("useCases/", {"orderBy": "-"}),
        ("datasets/", {"orderBy": "rowCount; drop"}),
        ("datasets/", {"useCaseIds": "x"}),
        ("projects/", {"useCaseIds": "0" * 25}),
        ("applications/", {"useCaseIds": "'"}),
        ("search/", {"types": "users"}),
        ("datasets/", {"filterFailed": "maybe"}),
        ("notifications/", {"unread": "yes please"}),
    ],
)
def test_bad_filters_are_refused(alice, world, route, params):
    r = alice.get(route, params=params)
    assert r.status_code in (400, 422), r.text
    assert_error(r, r.status_code)


@pytest.mark.parametrize(
    "body",
    [{"upTo": -1}, {"upTo": "5"}, {"upTo": 1.5}, {"upTo": True}, {"upTo": 10**30}, {"upTo": [1]}],
)
def test_bad_read_markers_are_422(alice, world, body):
    assert_error(alice.post("notifications/read/", json=body), 422)


@pytest.mark.parametrize(
    "body",
    [
        {"mode": ["quick"]},
        {"mode": "fast"},
        {"target": ["age"]},
        {"target": None},
        {"target": "nope"},
        {"metric": ["AUC"]},
        {"metric": "RMSE"},
        {"positiveClass": [1]},
        {"positiveClass": "2"},
        {"targetType": "Regression"},
        {"targetType": ["Binary"]},
    ],
)
def test_bad_aim_settings_are_422(alice, world, body):
    with unchanged(alice):
        assert_error(
            alice.patch(f"projects/{world.project}/aim/", json={"target": "credit_risk", **body}),
            422,
        )


@pytest.mark.parametrize(
    "body",
    [
        {"workerCount": 0},
        {"workerCount": "4"},
        {"workerCount": True},
        {"projectDescription": 5},
        {"projectDescription": "a\x00b"},
    ],
)
def test_bad_project_changes_are_422(alice, world, body):
    with unchanged(alice):
        assert_error(alice.patch(f"projects/{world.project}/", json=body), 422)


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("datasets/{w.dataset}/", {"categories": "x" * 65}),
        ("datasets/{w.dataset}/", {"categories": [1]}),
        ("datasets/{w.dataset}/", {"categories": ["ok", ""]}),
        ("datasets/{w.dataset}/", {"categories": ["c"] * 17}),
        ("datasets/{w.dataset}/", {"size": 1}),
        ("useCases/{w.uc}/", {"owner": "me"}),
        ("useCases/{w.uc}/", {"description": "x" * 10_001}),
        ("useCases/{w.uc}/", {"description": ["x"]}),
        ("applications/{w.application}/", {"url": "javascript:alert(1)"}),
        ("applications/{w.application}/", {"url": 5}),
        ("applications/{w.application}/", {"token": "x"}),
        ("notebooks/{w.notebook}/", {"description": "\x00"}),
    ],
)
def test_bad_fields_are_422(alice, world, route, body):
    with unchanged(alice):
        assert_error(alice.patch(route.format(w=world), json=body), 422)


@pytest.mark.parametrize("body", [{}, {"name": "x", "url": "ftp://x"}, {"name": "x", "pid": 1}])
def test_bad_application_registrations_are_422(alice, world, body):
    with unchanged(alice):
        assert_error(alice.post("applications/", json=body), 422)


@pytest.mark.parametrize(
    "body",
    [
        {"datasetId": None},
        {"datasetId": 5},
        {"projectName": "no dataset"},
        {"url": "file:///etc/passwd"},
    ],
)
def test_bad_project_sources_are_422(alice, world, body):
    with unchanged(alice):
        assert_error(alice.post("projects/", json=body), 422)


@pytest.mark.parametrize(
    ("method", "template"),
    [
        ("PATCH", "useCases/{uc}/"),
        ("POST", "useCases/"),
        ("PATCH", "useCases/{uc}/sharedRoles/"),
        ("POST", "projects/"),
    ],
)
def test_json_bodies_over_the_limit_are_413_before_they_are_read(alice, world, method, template):
    body = b'{"name": "' + b"x" * ServiceContext.max_json_bytes + b'"}'
    with unchanged(alice):
        r = alice.request(
            method,
            template.format(uc=world.uc),
            data=body,
            headers={"Content-Type": "application/json"},
        )
    assert_error(r, 413)
    assert r.headers["Connection"] == "close"
