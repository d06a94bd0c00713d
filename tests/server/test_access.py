"""The role table of ACCESS.md, cell by cell, against the real service.

``access_table.TABLE`` is ACCESS.md's table with each cell spelt out as the sub-cases it covers;
the test runs every (operation, role) pair on a fresh use case seeded through the HTTP API
(``access_world``), then checks the outcome of the operation (``access_ops``): a success must
show its effect, a refusal must carry the error shape and leave the database exactly as it was,
and the invariants must hold before and after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from access_ops import OPS, trashed
from access_table import EMPTY, GRANT, MINE, NA, ROLES, TABLE
from access_world import World, to
from http_checks import assert_error

from ucwidgets.server.app import ServerThread

if TYPE_CHECKING:
    from service_api import Api


@pytest.fixture
def service(module_service: ServerThread) -> ServerThread:
    """One service for the module (the table has some 240 cells): each test seeds its own users
    and use case, so none sees another's."""
    return module_service


@pytest.fixture
def world(role: str, service, make_user, anonymous: Api, invariants, risk_csv: bytes) -> World:
    alice, editor, consumer, outsider, me = (make_user() for _ in range(5))
    uc = alice.create_use_case("Risk", description="credit risk")["id"]
    app = alice.post("applications/", json={"name": "Risk app"}).json()["id"]
    assert alice.post(f"useCases/{uc}/applications/{app}/").status_code == 201
    members = [to(editor, "EDITOR"), to(consumer, "CONSUMER")]
    if GRANT[role] is not None:
        members.append(to(me, *GRANT[role]))
    assert alice.share(uc, *members).status_code == 204
    actor = me
    if role == "no token":
        actor, anonymous.user = anonymous, me.user
    invariants()
    return World(
        service,
        invariants,
        alice,
        actor,
        me,
        editor,
        consumer,
        outsider,
        uc,
        app,
        risk_csv,
        role=role,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", list(TABLE))
def test_role_table(world: World, operation: str, role: str) -> None:
    expected = TABLE[operation][ROLES.index(role)]
    op = OPS[operation]
    op.prepare(world)
    world.invariants()
    before, quiet = world.snapshot(), world.snapshot(stamps=False)
    r = op.act(world)
    if isinstance(expected, int):
        assert_error(r, expected)
        assert world.snapshot() == before, "a refused request changed the database"
    else:
        assert 200 <= r.status_code < 300, f"{r.status_code} {r.text}"
        if expected == NA:
            assert world.snapshot(stamps=False) == quiet
        else:
            op.effect(world, r)
            if expected in (MINE, EMPTY):
                assert (world.uc in {uc["id"] for uc in r.json()["data"]}) == (expected == MINE)
    w = world
    w.invariants(w.alice, w.editor, w.consumer, w.outsider, w.me)


@pytest.mark.parametrize("role", ROLES)
def test_a_trashed_use_case_is_the_404_of_a_missing_one(world: World, role: str) -> None:
    """Byte for byte, for every caller, its OWNERs included: nothing tells it from one that
    never existed, on any route but restoring and purging."""
    trashed(world)
    missing = "0123456789abcdef01234567"
    for path in ("useCases/{}/", "useCases/{}/events/", "useCases/{}/sharedRoles/"):
        got, none = world.actor.get(path.format(world.uc)), world.actor.get(path.format(missing))
        assert got.status_code == (401 if role == "no token" else 404)
        assert (got.content, got.headers["Content-Type"]) == (
            none.content,
            none.headers["Content-Type"],
        )


def test_table_covers_every_operation() -> None:
    assert set(TABLE) == set(OPS)
    assert all(len(row) == len(ROLES) for row in TABLE.values())
