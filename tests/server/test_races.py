"""Races on the last OWNER and on a single-home asset: the database, not luck, decides.

Each race releases two threads at a barrier, each with its own HTTP session, and repeats a few
times; whatever the interleaving, no 5xx, the invariants hold, and exactly the allowed outcome
happens. Who won each round is tallied and printed at the end (``pytest -s``). Every race runs
on SQLite and on PostgreSQL, where writers overlap and only the database's locks decide.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

import pytest
import requests
from sqlalchemy import select

from ucwidgets.server.store.schema import memberships

if TYPE_CHECKING:
    from service_api import Api

ROUNDS = 8


@pytest.fixture
def service(any_service):
    """Each race on SQLite (one writer at a time) and on PostgreSQL (writers overlap)."""
    return any_service


@pytest.fixture(scope="module")
def tally() -> Iterator[Counter[str]]:
    """Who won each round, printed at the end: a race one side always wins is not racing."""
    seen: Counter[str] = Counter()
    yield seen
    for outcome, rounds in sorted(seen.items()):
        print(f"race outcome: {outcome}: {rounds} of {ROUNDS}")


def race(*calls: Callable[[], requests.Response]) -> list[requests.Response]:
    """Run ``calls`` on their own threads, released together; return their responses."""
    barrier = threading.Barrier(len(calls))
    results: list[requests.Response | BaseException | None] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except BaseException as e:  # re-raised below, on the test's thread
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for r in results:
        if not isinstance(r, requests.Response):
            raise AssertionError(f"a racer failed: {r!r}")
    return results  # type: ignore[return-value]


def entry(who: Api, role: str) -> dict:
    return {"role": role, "shareRecipientType": "user", "id": who.id}


def owners(service, uc: str) -> list[str]:
    m = memberships.c
    with service.store.db.read() as conn:
        return list(
            conn.execute(select(m.user_id).where(m.use_case_id == uc, m.role == "OWNER")).scalars()
        )


#: Who each of the two owners demotes, to what, and the loser's status: 403 when the winner
#: demoted the loser below OWNER first, 409 when the loser would leave no OWNER, 404 when the
#: winner revoked the loser first.
RACES = {
    "each demotes the other": (lambda a, b: ((b, "EDITOR"), (a, "EDITOR")), 403),
    "each demotes themselves": (lambda a, b: ((a, "EDITOR"), (b, "EDITOR")), 409),
    "each leaves": (lambda a, b: ((a, "NO_ROLE"), (b, "NO_ROLE")), 409),
    "each revokes the other": (lambda a, b: ((b, "NO_ROLE"), (a, "NO_ROLE")), 404),
}


@pytest.mark.parametrize("moves", RACES)
def test_racing_to_demote_the_last_two_owners_keeps_one(
    service, alice: Api, bob: Api, moves: str, invariants, tally: Counter[str]
) -> None:
    plan, loser = RACES[moves]
    for _ in range(ROUNDS):
        uc = alice.create_use_case("Contested")["id"]
        alice.grant(uc, bob, "OWNER")
        (t1, r1), (t2, r2) = plan(alice, bob)
        first, second = race(
            partial(alice.share, uc, entry(t1, r1)), partial(bob.share, uc, entry(t2, r2))
        )
        assert sorted([first.status_code, second.status_code]) == [204, loser]
        tally[f"{moves}: {'alice' if first.status_code == 204 else 'bob'} won"] += 1
        assert len(owners(service, uc)) == 1
        invariants(alice, bob)


@pytest.mark.parametrize("etype", ["project", "application"])
def test_racing_links_of_a_single_home_asset_one_wins(
    alice: Api, risk_csv: bytes, etype: str, invariants, tally: Counter[str]
) -> None:
    dataset = alice.upload_dataset(risk_csv)["id"] if etype == "project" else None
    for _ in range(ROUNDS):
        one, two = (alice.create_use_case(name)["id"] for name in ("One", "Two"))
        if etype == "project":
            eid = alice.create_project(dataset)["id"]
        else:
            eid = alice.post("applications/", json={"name": "App"}).json()["id"]
        a, b = alice, second_session(alice)
        first, second = race(
            partial(a.post, f"useCases/{one}/{etype}s/{eid}/"),
            partial(b.post, f"useCases/{two}/{etype}s/{eid}/"),
        )
        assert sorted([first.status_code, second.status_code]) == [201, 409]
        loser = first if first.status_code == 409 else second
        tally[f"{etype} linked twice: {'first' if loser is second else 'second'} link won"] += 1
        assert loser.headers["Content-Type"] == "application/json"
        assert "already belongs to" in loser.json()["message"]
        homes = alice.get(f"{etype}s/{eid}/").json()["useCaseIds"]
        assert len(homes) == 1
        invariants(alice)


def second_session(api: Api) -> Api:
    """The same user on a connection of its own (a ``requests.Session`` is not thread-safe)."""
    return type(api)(api.base, api.token, api.user)


def test_a_grant_racing_the_grantors_demotion_never_outranks_them(
    alice: Api, bob: Api, carol: Api, invariants, tally: Counter[str]
) -> None:
    """Invariant 5: bob (EDITOR, can share) grants carol EDITOR while alice demotes bob to
    CONSUMER. Either bob's grant commits first, or it is refused: never granted by a CONSUMER."""
    for _ in range(ROUNDS):
        uc = alice.create_use_case("Contested")["id"]
        alice.grant(uc, bob, "EDITOR", can_share=True)
        grant, demote = race(
            partial(bob.share, uc, entry(carol, "EDITOR")),
            partial(alice.share, uc, entry(bob, "CONSUMER")),
        )
        assert demote.status_code == 204, demote.text
        won = "the grant" if grant.status_code == 204 else "the demotion (grant refused)"
        tally[f"grant against the grantor's demotion: {won} first"] += 1
        feed = alice.get(f"useCases/{uc}/events/").json()["data"]
        shared = {e["entityId"]: e["id"] for e in feed if e["verb"] == "shared"}
        if grant.status_code == 204:
            assert shared[carol.id] < shared[bob.id]  # the grant committed before the demotion
        else:
            assert grant.status_code == 403, grant.text
            assert carol.id not in shared
        invariants(alice, bob, carol)
