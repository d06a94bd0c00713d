"""Assertions the service's route tests share: the error shape, the wire shapes, async jobs.

``assert_error`` pins the error contract of ACCESS.md in one place (like datasette's
``test_error_shape.py``): every refusal is a 4xx with exactly ``Content-Type: application/json``
and a body ``{"message": str}``, optionally with ``"errors": {...}``, and nothing else.
``unchanged`` snapshots what an actor can see so a refused request can be shown to have
changed nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

JSON = "application/json"

#: Fields WIRE.md requires non-null, per object.
USE_CASE_FIELDS = (
    "id",
    "name",
    "createdAt",
    "updatedAt",
    "created",
    "updated",
    "modelsCount",
    "projectsCount",
    "datasetsCount",
    "filesCount",
    "notebooksCount",
    "applicationsCount",
    "members",
)
REFERENCE_FIELDS = (
    "id",
    "entityType",
    "entityId",
    "experimentContainerId",
    "createdAt",
    "created",
    "isDeleted",
)
DATASET_FIELDS = (
    "datasetId",
    "versionId",
    "name",
    "categories",
    "creationDate",
    "isDataEngineEligible",
    "isLatestVersion",
    "isSnapshot",
    "processingState",
)
APPLICATION_FIELDS = (
    "id",
    "applicationTypeId",
    "userId",
    "modelDeploymentId",
    "name",
    "createdBy",
    "createdAt",
    "updatedAt",
    "datasets",
    "cloudProvider",
    "deploymentIds",
    "permissions",
    "hasCustomLogo",
    "orgId",
    "poolUsed",
)
NOTEBOOK_FIELDS = (
    "id",
    "name",
    "type",
    "permissions",
    "tags",
    "created",
    "lastViewed",
    "settings",
    "hasSchedule",
    "hasEnabledSchedule",
)
SHARED_ROLE_FIELDS = ("id", "name", "userFullName", "role", "shareRecipientType", "canShare")
PAGE_KEYS = {"count", "totalCount", "next", "previous", "data"}


def assert_error(response: requests.Response, status: int) -> dict[str, Any]:
    """Check a refusal: ``status``, exact JSON content type, ``{"message"[, "errors"]}`` only."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers.get("Content-Type") == JSON, response.headers
    body = response.json()
    assert isinstance(body, dict), body
    assert "message" in body and set(body) <= {"message", "errors"}, body
    assert isinstance(body["message"], str) and body["message"].strip(), body
    if "errors" in body:
        assert isinstance(body["errors"], dict) and body["errors"], body
    return body


def assert_refused(response: requests.Response, status: int, words: str) -> dict[str, Any]:
    """``assert_error``, and the message says ``words``."""
    body = assert_error(response, status)
    assert words in body["message"], body
    return body


def assert_fields(obj: dict[str, Any], fields: tuple[str, ...]) -> None:
    """Every field present and non-null (the DataRobot client drops nulls, then validates)."""
    missing = [f for f in fields if obj.get(f) is None]
    assert not missing, (missing, obj)


def assert_camel_case(obj: Any) -> None:
    """No snake_case key anywhere in a response body."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            assert "_" not in key, (key, obj)
            assert_camel_case(value)
    elif isinstance(obj, list):
        for item in obj:
            assert_camel_case(item)


def assert_page(response: requests.Response, base: str) -> dict[str, Any]:
    """A 200 pagination envelope whose ``next``/``previous`` are absolute API URLs or null."""
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == JSON
    page = response.json()
    assert set(page) >= PAGE_KEYS, page
    assert page["count"] == len(page["data"])
    for link in (page["next"], page["previous"]):
        assert link is None or link.startswith(base.rstrip("/") + "/"), link
    assert_camel_case(page["data"])
    return page


def assert_no_content(response: requests.Response) -> None:
    assert response.status_code == 204, response.text
    assert response.content == b""


def follow_job(api: Any, response: requests.Response, resource: str) -> dict[str, Any]:
    """202 + absolute Location -> the first poll answers 303 -> the finished resource."""
    assert response.status_code == 202, response.text
    location = response.headers["Location"]
    assert location.startswith(api.base + "status/") and location.endswith("/"), location
    done = api.session.get(location, allow_redirects=False, timeout=30)
    assert done.status_code == 303, done.text
    target = done.headers["Location"]
    assert target.startswith(api.base + resource + "/") and target.endswith("/"), target
    got = api.session.get(target, timeout=30)
    assert got.status_code == 200, got.text
    return got.json()


def events(api: Any, use_case_id: str) -> list[tuple[str, str, str]]:
    """``(verb, entityType, entityName)`` of a use case's feed, oldest first."""
    r = api.get(f"useCases/{use_case_id}/events/", params={"limit": 1000})
    assert r.status_code == 200, r.text
    return [(e["verb"], e["entityType"], e["entityName"]) for e in r.json()["data"]]


def snapshot(api: Any, tmp_dir: Path | None = None) -> dict[str, Any]:
    """Everything ``api``'s user can see: use cases with feeds and members, assets, temp files."""
    state: dict[str, Any] = {}
    cases = api.get("useCases/", params={"limit": 1000}).json()["data"]
    state["useCases"] = cases
    for uc in cases:
        state[uc["id"]] = (
            api.get(f"useCases/{uc['id']}/events/", params={"limit": 1000}).json()["data"],
            api.get(f"useCases/{uc['id']}/sharedRoles/").json()["data"],
        )
    for route in ("datasets/", "applications/", "notebooks/"):
        state[route] = api.get(route, params={"limit": 1000}).json()["data"]
    state["projects/"] = api.get("projects/").json()
    if tmp_dir is not None:
        state["tmp"] = sorted(p.name for p in tmp_dir.iterdir())
    return state


@contextlib.contextmanager
def unchanged(*apis: Any, tmp_dir: Path | None = None) -> Iterator[None]:
    """Assert that the block changes nothing any of ``apis`` can see."""
    before = [snapshot(api, tmp_dir) for api in apis]
    yield
    after = [snapshot(api, tmp_dir) for api in apis]
    assert after == before


def module_actors() -> tuple:
    """Module-scoped ``alice``, ``bob`` and ``carol`` on the module's shared service, for
    modules whose every test asserts it changed nothing. Assign them at module level::

        alice, bob, carol = module_actors()
    """
    import pytest

    def actor(name: str, username: str, full_name: str):
        @pytest.fixture(scope="module", name=name)
        def fixture(make_module_user):
            return make_module_user(username, full_name)

        return fixture

    return (
        actor("alice", "alice@example.com", "Alice Owner"),
        actor("bob", "bob@example.com", "Bob Editor"),
        actor("carol", "carol@example.com", "Carol Consumer"),
    )


def ref(etype: str, entity_id: str) -> dict[str, str]:
    """An entity of a bulk body (``add``, ``remove``, a move's ``entities``)."""
    return {"entityType": etype, "entityId": entity_id}


#: The HTTP verbs a tornado handler may implement.
VERBS = ("get", "head", "post", "put", "patch", "delete", "options")


def defined_verbs(handler: type) -> list[str]:
    """The verbs ``handler`` (a tornado ``RequestHandler``) implements; tornado's own stubs
    answer 405."""
    import tornado.web

    base = tornado.web.RequestHandler
    return [v for v in VERBS if getattr(handler, v) is not getattr(base, v)]
