"""Tokens: wrong, missing, in the query string, of a deactivated user; never in logs or bodies."""

from __future__ import annotations

import logging

import pytest
from http_checks import assert_error

LOGGERS = ("ucwidgets.server", "tornado.access", "tornado.general", "tornado.application")

#: Authenticated routes, one per handler, with a method that needs no body.
ROUTES = [
    ("GET", "useCases/"),
    ("POST", "useCases/"),
    ("GET", "useCases/{uc}/"),
    ("PATCH", "useCases/{uc}/sharedRoles/"),
    ("GET", "useCases/{uc}/events/"),
    ("POST", "useCases/{uc}/datasets/{zero}/"),
    ("GET", "datasets/"),
    ("POST", "datasets/fromFile/"),
    ("GET", "datasets/{zero}/file/"),
    ("GET", "projects/"),
    ("POST", "projects/"),
    ("PATCH", "projects/{zero}/aim/"),
    ("GET", "applications/"),
    ("GET", "notebooks/"),
    ("GET", "notifications/"),
    ("POST", "notifications/read/"),
    ("GET", "search/"),
    ("GET", "users/"),
    ("GET", "users/me/"),
    ("GET", "version/"),
    ("GET", "status/{zero}/"),
]


@pytest.fixture
def uc(alice):
    return alice.create_use_case("Risk")["id"]


@pytest.mark.parametrize(("method", "template"), ROUTES, ids=[f"{m} {t}" for m, t in ROUTES])
def test_every_authenticated_route_refuses_bad_tokens(alice, anonymous, uc, method, template):
    path = template.format(uc=uc, zero="0" * 24)
    token = alice.token
    variants = {
        "no token": {},
        "wrong token": {"Authorization": "Token ucw_not-a-real-token"},
        "empty token": {"Authorization": "Token "},
        "wrong scheme": {"Authorization": f"Basic {token}"},
        "bare token": {"Authorization": token},
    }
    for label, headers in variants.items():
        r = anonymous.request(method, path, headers={"Connection": "close", **headers})
        assert r.status_code == 401, (label, r.text)
        assert_error(r, 401)
        assert r.headers["WWW-Authenticate"].startswith("Token")
    for param in ("token", "api_token", "access_token"):
        r = anonymous.request(method, path, params={param: token}, headers={"Connection": "close"})
        assert_error(r, 401)


def test_a_deactivated_users_token_stops_working(alice, service):
    assert alice.get("users/me/").status_code == 200
    service.store.sharing.deactivate_user(alice.username)
    assert_error(alice.get("users/me/"), 401)


def test_tokens_never_reach_logs_or_error_bodies(alice, bob, anonymous, uc, caplog):
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    token = alice.token
    bodies = []
    requests_made = [
        anonymous.get("users/me/", params={"token": token}),
        anonymous.get("useCases/%FF/", params={"token": token}),  # a tornado-level 400
        alice.get("useCases/%FF/", params={"token": token}),
        alice.get(f"useCases/{uc}/", params={"token": token, "limit": "x"}),
        alice.get("useCases/", params={"limit": "x", "token": token}),
        alice.get("nowhere/", params={"token": token}),
        alice.post("useCases/", data=b"{", params={"token": token}),
        alice.post("useCases/", json={"name": token + "\x00"}),
        anonymous.get("users/me/", headers={"Authorization": f"Token {token}x"}),
        anonymous.get("users/me/", headers={"Authorization": f"Basic {token}"}),
        bob.get(f"useCases/{uc}/", params={"token": token}),
    ]
    for r in requests_made:
        assert r.status_code < 500, r.text
        bodies.append(r.text)
    assert caplog.records, "the loggers were not captured"
    assert token not in caplog.text
    assert not any(token in body for body in bodies)
