"""Request bodies are validated against the schemas ``openapi.json`` serves (one text for both).

Every route that reads a JSON body has a schema for it in the document, each schema holds at
least the limits the store is built on, and a violation is a 422 naming its field.
"""

from __future__ import annotations

import re

import pytest
from http_checks import defined_verbs

from ucwidgets.errors import ValidationError
from ucwidgets.server.app import ROUTES
from ucwidgets.server.handlers import bodies
from ucwidgets.server.store import bulk, tags, validate
from ucwidgets.server.store.schema import events, projects, users

DOC = bodies.openapi_document()
SCHEMAS = DOC["components"]["schemas"]
#: DataRobot's own bodies, whose other keys its clients send and the service ignores.
OPEN_BODIES = {"ProjectFromDataset", "ProjectPatch", "Aim"}
ID = "65f0c0ffee0000000000aa01"


def concrete(template: str) -> str:
    return re.sub(r"\{\w+\}", ID, template).lstrip("/")


BODY_ROUTES = [
    (pattern, handler, verb)
    for pattern, handler in ROUTES
    for verb in defined_verbs(handler)
    if "json_body" in getattr(handler, verb).__code__.co_names
]


def documented_paths(pattern: str) -> list[str]:
    """The document's paths tornado dispatches to the route ``pattern`` (the first match)."""
    return [
        path
        for path in DOC["paths"]
        if next(p for p, _ in ROUTES if re.fullmatch(f"{p}/?", path.lstrip("/"))) == pattern
    ]


def test_the_walk_finds_the_routes_with_bodies() -> None:
    assert len(BODY_ROUTES) >= 20


@pytest.mark.parametrize(
    ("pattern", "handler", "verb"), BODY_ROUTES, ids=[f"{v} {p}" for p, _, v in BODY_ROUTES]
)
def test_every_route_that_reads_a_body_has_its_schema(pattern: str, handler: type, verb: str):
    paths = documented_paths(pattern)
    assert paths, pattern
    for path in paths:
        body = DOC["paths"][path][verb].get("requestBody", {})
        assert "schema" in body.get("content", {}).get(bodies.JSON_TYPE, {}), (verb, path)
        # ... and a request to it is checked against exactly that operation's schema.
        assert bodies.operation_path(verb, concrete(path)) == path
        assert bodies.operation_path(verb, concrete(path).rstrip("/")) == path
        bodies.validator(verb, path).check_schema(bodies.validator(verb, path).schema)


def test_an_undocumented_body_is_a_fault_not_a_pass() -> None:
    with pytest.raises(LookupError):
        bodies.check_body("post", "nowhere/", {})


def test_every_body_but_datarobots_refuses_unknown_fields() -> None:
    for path, item in DOC["paths"].items():
        for verb, operation in item.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            ref = content.get(bodies.JSON_TYPE, {}).get("schema", {}).get("$ref")
            if ref is None:
                continue
            name = ref.rsplit("/", 1)[1]
            if name not in OPEN_BODIES:
                assert SCHEMAS[name].get("additionalProperties") is False, (verb, path, name)


def test_the_schemas_hold_the_stores_limits() -> None:
    """The document states the bounds the store and its columns are built on."""
    create = SCHEMAS["UseCaseCreate"]["properties"]
    assert create["name"]["maxLength"] == validate.NAME_MAX
    assert create["description"]["maxLength"] == validate.DESCRIPTION_MAX
    assert create["tags"]["maxItems"] == tags.TAGS_MAX
    assert create["tags"]["items"]["maxLength"] == tags.TAG_MAX
    for name in ("add", "remove"):
        assert SCHEMAS["AssetsPatch"]["properties"][name]["maxItems"] == bulk.BATCH_MAX
    assert SCHEMAS["AssetsMove"]["properties"]["entities"]["maxItems"] == bulk.BATCH_MAX
    count = SCHEMAS["ProjectPatch"]["properties"]["workerCount"]
    assert count["maximum"] == validate.column_max(projects.c.worker_count)
    read = SCHEMAS["MarkRead"]["properties"]
    assert read["ids"]["items"]["maximum"] == validate.column_max(events.c.id)
    assert read["upTo"]["maximum"] == validate.column_max(users.c.read_upto)
    assert SCHEMAS["AssetEntry"]["properties"]["entityId"]["pattern"] == validate.ID_RE.pattern
    assert SCHEMAS["ShareRoleEntry"]["properties"]["id"]["pattern"] == validate.ID_RE.pattern


UC = f"useCases/{ID}/"
REFUSALS = [
    ("post", "useCases/", {"name": "x", "nme": "y"}, {"nme": "unknown field"}),
    ("post", "useCases/", {"name": 7}, {"name": "must be a string."}),
    ("post", "useCases/", {"name": ""}, {"name": "must not be empty."}),
    ("post", "useCases/", {"tags": ["a"] * 51}, {"tags": "must hold at most 50 items."}),
    ("post", "useCases/", {"tags": [3]}, {"tags[0]": "must be a string."}),
    ("patch", f"{UC}assets/", {"add": [{"entityType": "file", "entityId": ID}]}, "add[0]"),
    ("patch", f"{UC}assets/", {"add": [{"entityType": "dataset", "entityId": "x"}]}, "add[0]"),
    ("post", f"{UC}assets/move/", {"entities": []}, {"to": "is required."}),
    ("patch", f"{UC}sharedRoles/", {"roles": []}, {"roles": "must not be empty."}),
    ("patch", f"{UC}sharedRoles/", {"roles": [{"role": "OWNER"}]}, "roles[0]"),
    (
        "patch",
        f"datasets/{ID}/accessControl/",
        {},
        {"body": "must give exactly one of roles or data."},
    ),
    (
        "patch",
        f"projects/{ID}/",
        {"workerCount": True},
        {"workerCount": "must be an integer from -1 to 2147483647."},
    ),
    ("patch", f"projects/{ID}/aim/", {"unsupervisedMode": True}, "unsupervisedMode"),
    ("post", "projects/", {"url": "http://x", "projectName": "p"}, "url"),
    ("patch", f"notebooks/{ID}/deleted/", {"x": 1}, {"x": "unknown field"}),
    ("post", "notifications/read/", {"ids": [1.5]}, "ids[0]"),
    (
        "post",
        f"admin/users/{ID}/deactivate/",
        {"transferTo": 3},
        {"transferTo": "must be a string or null."},
    ),
    ("post", f"projects/{ID}/models/{ID}/predictions/", {"rows": []}, "body"),
    ("post", f"projects/{ID}/models/{ID}/predictions/", {"data": [1]}, "body"),
]


@pytest.mark.parametrize(("verb", "path", "body", "named"), REFUSALS)
def test_a_violation_is_a_422_naming_its_field(verb, path, body, named) -> None:
    with pytest.raises(ValidationError) as raised:
        bodies.check_body(verb, path, body)
    error = raised.value
    assert error.status_code == 422 and error.message
    if isinstance(named, dict):
        assert error.errors == named
    else:
        assert list(error.errors) == [named]
    key = next(iter(error.errors))
    if key not in ("unsupervisedMode", "url"):  # refusals in the schema's own words
        assert key in error.message or key == "body" or "Unknown field" in error.message


def test_null_stands_for_absent_where_the_store_takes_it() -> None:
    """WIRE.md 1.4: a client may send null for an optional field the store defaults."""
    bodies.check_body("post", "useCases/", {"name": "Risk", "description": None})
    bodies.check_body("post", "notifications/read/", {"upTo": None, "ids": None})
    bodies.check_body("patch", f"projects/{ID}/aim/", {"target": "y", "metric": None})
    for rows in ([], [{"age": None}], {"data": [{"age": 1}]}):  # prediction rows, both shapes
        bodies.check_body("post", f"projects/{ID}/models/{ID}/predictions/", rows)


def test_each_operations_validator_is_built_once() -> None:
    first = bodies.validator("post", "/useCases/")
    bodies.check_body("post", "useCases/", {"name": "Risk"})
    assert bodies.validator("post", "/useCases/") is first
