"""The OpenAPI document (``ucwidgets/server/openapi.json``) describes exactly the routes served.

Every route of ``ROUTES`` and every verb its handler defines appears in the document, and every
path and method of the document is served by the route tornado would pick for it (first match,
in table order), so neither can drift from the other.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from http_checks import VERBS, defined_verbs

from ucwidgets.server.app import ROUTES
from ucwidgets.server.handlers.meta import openapi_document
from ucwidgets.server.handlers.use_cases import SEGMENTS

if TYPE_CHECKING:
    from service_api import Api

DOC = openapi_document()
OPERATIONS = [
    (path, method) for path, item in DOC["paths"].items() for method in item if method in VERBS
]


def route_of(path: str) -> tuple[str, type] | None:
    """The ROUTES entry tornado dispatches the document's ``path`` to (its ``{name}`` templates
    stand for one segment each)."""
    for pattern, handler in ROUTES:
        if re.fullmatch(f"{pattern}/?", path.lstrip("/")):
            return pattern, handler
    return None


def test_the_document_is_valid_openapi_3() -> None:
    schemathesis = pytest.importorskip("schemathesis")
    from schemathesis.specs.openapi.definitions import OPENAPI_30_VALIDATOR

    assert DOC["openapi"].startswith("3.0.")
    errors = [str(e) for e in OPENAPI_30_VALIDATOR.iter_errors(DOC)]
    assert errors == []
    schemathesis.openapi.from_dict(DOC).validate()


@pytest.mark.parametrize(
    ("path", "method"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS]
)
def test_every_documented_operation_is_served(path: str, method: str) -> None:
    route = route_of(path)
    assert route is not None, f"{path} matches no route"
    _, handler = route
    assert method in defined_verbs(handler), f"{handler.__name__} has no {method}"


@pytest.mark.parametrize(("pattern", "handler"), ROUTES, ids=[p for p, _ in ROUTES])
def test_every_served_verb_is_documented(pattern: str, handler: type) -> None:
    documented: set[str] = set()
    for path, item in DOC["paths"].items():
        if route_of(path) == (pattern, handler):
            documented |= {m for m in item if m in VERBS}
    assert documented == set(defined_verbs(handler)), f"{pattern}: {documented}"


def test_every_link_segment_is_documented() -> None:
    """``useCases/{id}/{segment}/{eid}/`` is documented once per segment the handler knows."""
    documented = {
        m.group(1)
        for path in DOC["paths"]
        if (m := re.fullmatch(r"/useCases/\{useCaseId\}/(\w+)/\{\w+\}/", path))
    }
    assert documented == set(SEGMENTS)


@pytest.mark.parametrize(
    ("path", "method"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS]
)
def test_every_operation_documents_its_security_and_errors(path: str, method: str) -> None:
    operation = DOC["paths"][path][method]
    _, handler = route_of(path)  # type: ignore[misc]
    public = getattr(handler, method).policy == "public"
    assert (operation.get("security") == []) == public
    responses = operation["responses"]
    assert any(code.startswith("2") for code in responses)
    if not public:
        assert responses["401"] == {"$ref": "#/components/responses/Unauthorized"}
    for code, response in responses.items():
        if code.startswith(("4", "5")):
            target = response["$ref"].rsplit("/", 1)[1]
            body = DOC["components"]["responses"][target]["content"]["application/json"]
            assert body["schema"] == {"$ref": "#/components/schemas/Error"}
    for parameter in operation.get("parameters", []):
        if "$ref" in parameter:
            parameter = DOC["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
        if parameter["in"] == "path":
            assert "{" + parameter["name"] + "}" in path


def test_the_document_bounds_paging_and_ids() -> None:
    params = DOC["components"]["parameters"]
    assert params["offset"]["schema"]["minimum"] == 0
    assert (params["limit"]["schema"]["minimum"], params["limit"]["schema"]["maximum"]) == (1, 1000)
    assert params["useCaseId"]["schema"]["pattern"] == "^[0-9a-f]{24}$"


def test_the_service_serves_its_document_publicly(anonymous: Api) -> None:
    r = anonymous.get("openapi.json")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert body["paths"] == DOC["paths"]
    # servers names the API root the request came through, so tools can call it as is.
    assert body["servers"] == [{"url": anonymous.base.rstrip("/")}]
    assert anonymous.get("openapi.json/").json() == body
