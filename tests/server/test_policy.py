"""Every route makes an explicit authorization decision, and a 404 is no existence oracle.

Invariant 7: each HTTP verb of each handler carries a policy (``@authenticated`` or
``@public``), a token-less call to every authenticated verb is a 401, and a verb without a
policy is refused by default. Invariant 9: for a non-member, a resource that does not exist and
one that exists but is hidden answer byte-identical 404s.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from typing import TYPE_CHECKING, Any

import pytest
import requests
import tornado.web
from http_checks import defined_verbs
from service_api import concrete
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from ucwidgets.server.app import ROUTES, handlers
from ucwidgets.server.handlers.base import ApiHandler, NotFoundHandler, authenticated

if TYPE_CHECKING:
    from service_api import Api

ALL_ROUTES = [*ROUTES, ("(.*)", NotFoundHandler)]


@pytest.mark.parametrize(("pattern", "handler"), ALL_ROUTES, ids=[p for p, _ in ALL_ROUTES])
def test_every_verb_of_every_route_has_a_policy(pattern: str, handler: type) -> None:
    assert issubclass(handler, ApiHandler), "only ApiHandler applies the default deny"
    verbs = defined_verbs(handler)
    assert verbs, f"{handler.__name__} serves no verb"
    for verb in verbs:
        policy = getattr(getattr(handler, verb), "policy", None)
        assert policy in ("token", "public"), f"{handler.__name__}.{verb} has no policy"


@pytest.mark.parametrize(("pattern", "handler"), ALL_ROUTES, ids=[p for p, _ in ALL_ROUTES])
def test_every_authenticated_verb_refuses_a_missing_token(
    anonymous: Api, pattern: str, handler: type
) -> None:
    """The decision is made before anything else: no body, lookup or validation comes first."""
    for verb in defined_verbs(handler):
        r = anonymous.request(
            verb.upper(),
            concrete(pattern) + "/",
            data=b"{}",
            headers={"Content-Type": "application/json"},
        )
        if getattr(handler, verb).policy == "token":
            assert r.status_code == 401, f"{verb.upper()} {pattern}: {r.status_code} {r.text}"
            assert r.headers["Content-Type"] == "application/json"
            assert r.headers["WWW-Authenticate"].startswith("Token")
        else:
            assert r.status_code != 401, f"{verb.upper()} {pattern} is public"


# -- default deny ------------------------------------------------------------------------------
class Bare(ApiHandler):
    """A handler someone forgot to decorate."""

    def get(self) -> None:
        self.send({"leaked": True})


class HalfMarked(ApiHandler):
    """One verb decorated, the other forgotten."""

    @authenticated
    def get(self) -> None:
        self.send({"user": self.user["username"]})

    def delete(self) -> None:
        self.send({"leaked": True})


async def _fetch_all(ctx: Any, requests_: list[tuple[str, str, str | None]]) -> list[Any]:
    """Serve ``handlers(ctx)`` plus the two handlers above on port 0; fetch each request."""
    root = ctx.api_root
    app = tornado.web.Application(
        [
            (f"{root}bare/?", Bare, {"ctx": ctx}),
            (f"{root}half/?", HalfMarked, {"ctx": ctx}),
            *handlers(ctx),
        ]
    )
    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(app)
    server.add_sockets(sockets)
    base = f"http://127.0.0.1:{sockets[0].getsockname()[1]}{root}"
    client = AsyncHTTPClient(force_instance=True)
    try:
        return [
            await client.fetch(
                base + path,
                method=method,
                raise_error=False,
                headers={"Authorization": f"Token {token}"} if token else {},
            )
            for method, path, token in requests_
        ]
    finally:
        client.close()
        server.stop()
        await server.close_all_connections()


def test_a_verb_without_a_policy_is_refused(
    service, alice: Api, caplog: pytest.LogCaptureFixture
) -> None:
    token = alice.token
    with caplog.at_level(logging.ERROR, logger="ucwidgets.server"):
        bare, bare_anon, half_get, half_delete, real = asyncio.run(
            _fetch_all(
                service.service.ctx,
                [
                    ("GET", "bare/", token),
                    ("GET", "bare/", None),
                    ("GET", "half/", token),
                    ("DELETE", "half/", token),
                    ("GET", "useCases/", token),
                ],
            )
        )
    for refused in (bare, bare_anon, half_delete):
        assert refused.code == 403
        assert refused.headers["Content-Type"] == "application/json"
        assert b"leaked" not in refused.body
        assert b"no authorization decision" in refused.body
    assert half_get.code == 200 and b"alice@example.com" in half_get.body
    assert real.code == 200  # the real routes work in the same app
    assert sum("has no authorization policy" in m for m in caplog.messages) == 3


# -- identical 404s ----------------------------------------------------------------------------
def _seed_hidden(alice: Api, csv: bytes) -> dict[str, str]:
    """alice's use case and one of each asset, all linked to it; none visible to others."""
    uc = alice.create_use_case("Secret", description="hidden")["id"]
    upload = alice.post("datasets/fromFile/", files={"file": ("secret.csv", csv)})
    job = upload.headers["Location"].rstrip("/").rsplit("/", 1)[1]
    dataset = upload.json()["catalogId"]
    assert alice.get(f"status/{job}/").status_code == 303
    project = alice.create_project(dataset)["id"]
    app = alice.post("applications/", json={"name": "Secret app"}).json()["id"]
    nb = alice.post("notebooks/", json={"name": "Secret", "path": "secret.ipynb"}).json()["id"]
    for segment, eid in (
        ("datasets", dataset),
        ("projects", project),
        ("applications", app),
        ("notebooks", nb),
    ):
        assert alice.post(f"useCases/{uc}/{segment}/{eid}/").status_code in (200, 201)
    return {
        "uc": uc,
        "dataset": dataset,
        "project": project,
        "application": app,
        "notebook": nb,
        "job": job,
    }


def _requests_for(bob: Api, bob_uc: str, bob_dataset: str) -> list[tuple[str, str, str, Any]]:
    """(kind of id, method, path with ``{id}``, JSON body) for every route that takes an id."""
    share = {
        "operation": "updateRoles",
        "roles": [{"role": "CONSUMER", "shareRecipientType": "user", "id": bob.id}],
    }
    routes: list[tuple[str, str, str, Any]] = [
        ("uc", "GET", "useCases/{id}/", None),
        ("uc", "PATCH", "useCases/{id}/", {"name": "Mine now"}),
        ("uc", "DELETE", "useCases/{id}/", None),
        ("uc", "GET", "useCases/{id}/sharedRoles/", None),
        ("uc", "PATCH", "useCases/{id}/sharedRoles/", share),
        ("uc", "GET", "useCases/{id}/events/", None),
        ("uc", "POST", f"useCases/{{id}}/datasets/{bob_dataset}/", None),
        ("uc", "DELETE", f"useCases/{{id}}/datasets/{bob_dataset}/", None),
        ("job", "GET", "status/{id}/", None),
    ]
    for etype in ("dataset", "project", "application", "notebook"):
        routes += [
            (etype, "GET", f"{etype}s/{{id}}/", None),
            (etype, "PATCH", f"{etype}s/{{id}}/", {"name": "Mine now"}),
            (etype, "DELETE", f"{etype}s/{{id}}/", None),
            (etype, "POST", f"useCases/{bob_uc}/{etype}s/{{id}}/", None),
            (etype, "DELETE", f"useCases/{bob_uc}/{etype}s/{{id}}/", None),
        ]
    routes += [
        ("dataset", "GET", "datasets/{id}/file/", None),
        ("project", "PATCH", "projects/{id}/", {"projectName": "Mine now"}),
        ("project", "GET", "projects/{id}/options/", None),
        ("project", "PATCH", "projects/{id}/aim/", {"target": "credit_risk"}),
        ("project", "GET", "projects/{id}/models/", None),
    ]
    return routes


def _fingerprint(r: requests.Response) -> tuple[int, dict[str, str], bytes]:
    # The date and the request's own id differ between any two responses.
    varying = ("date", "x-request-id")
    headers = {k.lower(): v for k, v in r.headers.items() if k.lower() not in varying}
    return r.status_code, headers, r.content


def test_missing_and_hidden_are_byte_identical_404s(
    alice: Api, bob: Api, risk_csv: bytes, invariants
) -> None:
    hidden = _seed_hidden(alice, risk_csv)
    gone = alice.create_use_case("Deleted")["id"]
    assert alice.delete(f"useCases/{gone}/").status_code == 204
    bob_uc = bob.create_use_case("Bob's")["id"]
    bob_dataset = bob.upload_dataset(risk_csv)["id"]
    for kind, method, path, body in _requests_for(bob, bob_uc, bob_dataset):
        ids = {"missing": secrets.token_hex(12), "hidden": hidden[kind], "malformed": "x-1"}
        if kind == "uc":
            ids["deleted"] = gone
        answers = {
            name: _fingerprint(bob.request(method, path.format(id=eid), json=body))
            for name, eid in ids.items()
        }
        first = answers["missing"]
        assert first[0] == 404, f"{method} {path}: {first}"
        for name, answer in answers.items():
            assert answer == first, f"{method} {path}: {name} differs from missing"
    invariants(alice, bob)


def test_every_route_pattern_has_a_concrete_path() -> None:
    """``concrete`` fills every group of the route table, so the 401 walk reaches each route."""
    for pattern, _ in ROUTES:
        assert re.fullmatch(pattern, concrete(pattern)), pattern


def test_a_refused_upload_says_it_closes_the_connection(anonymous: Api, risk_csv: bytes) -> None:
    """Tornado drops the connection of an upload refused before its body was read; the response
    says so, so a keep-alive client opens a new one instead of meeting a reset."""
    for _ in range(20):
        r = anonymous.post("datasets/fromFile/", files={"file": ("risk.csv", risk_csv)})
        assert r.status_code == 401
        assert r.headers["Connection"] == "close"
        assert anonymous.get("health/").status_code == 200
