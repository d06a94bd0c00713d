"""The role table of ACCESS.md, cell by cell, against the real service.

``TABLE`` below is ACCESS.md's table with each cell spelt out as the sub-cases it covers; the
test runs every (operation, role) pair on a fresh use case seeded through the HTTP API, then
checks the outcome: a success must show its effect, a refusal must carry the error shape and
leave the database exactly as it was, and the invariants must hold before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
import requests
from http_checks import assert_error
from sqlalchemy import select

from ucwidgets.server.app import ServerThread
from ucwidgets.server.store.schema import (
    events,
    links,
    memberships,
    trash,
    trashed_grants,
    use_cases,
)

if TYPE_CHECKING:
    from service_api import Api

ROLES = (
    "OWNER",
    "EDITOR+can_share",
    "EDITOR",
    "CONSUMER+can_share",
    "CONSUMER",
    "not a member",
    "no token",
)
#: The membership each column's caller holds; "no token" is an OWNER who sends no token.
GRANT = {
    "OWNER": ("OWNER", True),
    "EDITOR+can_share": ("EDITOR", True),
    "EDITOR": ("EDITOR", False),
    "CONSUMER+can_share": ("CONSUMER", True),
    "CONSUMER": ("CONSUMER", False),
    "not a member": None,
    "no token": ("OWNER", True),
}

Y = "yes"  # 2xx, and the effect is visible
NA = "n/a"  # 2xx, and nothing changes (there is nothing to do)
MINE = "its memberships"  # the listing holds exactly the caller's use cases, this one included
EMPTY = "sees nothing"  # the listing holds none of this use case

# fmt: off
TABLE: dict[str, tuple[Any, ...]] = {
    # operation (E+sh, C+sh: with can_share; non: not a member; none: no token)
    #                                              OWNER E+sh  EDIT  C+sh  CONS  non   none
    "list use cases":                             (MINE, MINE, MINE, MINE, MINE, EMPTY, 401),
    "get the use case":                           (Y,    Y,    Y,    Y,    Y,    404,  401),
    "get its members":                            (Y,    Y,    Y,    Y,    Y,    404,  401),
    "get its assets":                             (Y,    Y,    Y,    Y,    Y,    404,  401),
    "get its events":                             (Y,    Y,    Y,    Y,    Y,    404,  401),
    "create a use case":                          (Y,    Y,    Y,    Y,    Y,    Y,    401),
    "rename":                                     (Y,    Y,    Y,    403,  403,  404,  401),
    "set its tags":                               (Y,    Y,    Y,    403,  403,  404,  401),
    "list use cases by tag":                      (MINE, MINE, MINE, MINE, MINE, EMPTY, 401),
    "suggest tags (only its members see its own)": (Y,   Y,    Y,    Y,    Y,    Y,    401),
    "edit the description":                       (Y,    Y,    Y,    403,  403,  404,  401),
    "add a dataset":                              (Y,    Y,    Y,    403,  403,  404,  401),
    "add an application":                         (Y,    Y,    Y,    403,  403,  404,  401),
    "add an asset the caller cannot see":         (404,  404,  404,  403,  403,  404,  401),
    "remove an asset":                            (Y,    Y,    Y,    403,  403,  404,  401),
    "add assets in bulk":                         (Y,    Y,    Y,    403,  403,  404,  401),
    "remove assets in bulk":                      (Y,    Y,    Y,    403,  403,  404,  401),
    # the use case lends its OWNER and EDITOR+can_share the right to share its assets onwards
    "move an asset to a use case of one's own":   (Y,    Y,    403,  403,  403,  404,  401),
    "grant OWNER to a non-member":                (Y,    403,  403,  403,  403,  404,  401),
    "grant EDITOR to a non-member":               (Y,    Y,    403,  403,  403,  404,  401),
    "grant CONSUMER to a non-member":             (Y,    Y,    403,  Y,    403,  404,  401),
    "change an OWNER to EDITOR":                  (Y,    403,  403,  403,  403,  404,  401),
    "change an EDITOR to OWNER":                  (Y,    403,  403,  403,  403,  404,  401),
    "change an EDITOR to CONSUMER":               (Y,    Y,    403,  403,  403,  404,  401),
    "change a CONSUMER to EDITOR":                (Y,    Y,    403,  403,  403,  404,  401),
    "change a CONSUMER to OWNER":                 (Y,    403,  403,  403,  403,  404,  401),
    "revoke an OWNER":                            (Y,    403,  403,  403,  403,  404,  401),
    "revoke the last other OWNER, stepping down": (409,  403,  403,  403,  403,  404,  401),
    "revoke an EDITOR":                           (Y,    Y,    403,  403,  403,  404,  401),
    "revoke a CONSUMER":                          (Y,    Y,    403,  Y,    403,  404,  401),
    "give can_share to an EDITOR":                (Y,    Y,    403,  403,  403,  404,  401),
    "give can_share to a CONSUMER":               (Y,    Y,    403,  Y,    403,  404,  401),
    "grant CONSUMER + can_share to a non-member": (Y,    Y,    403,  Y,    403,  404,  401),
    "leave":                                      (Y,    Y,    Y,    Y,    Y,    404,  401),
    "leave as the last OWNER":                    (409,  Y,    Y,    Y,    Y,    404,  401),
    "demote oneself":                             (Y,    Y,    Y,    Y,    NA,   404,  401),
    "demote oneself as the last OWNER":           (409,  Y,    Y,    Y,    NA,   404,  401),
    "promote oneself one role":                   (NA,   403,  403,  403,  403,  404,  401),
    "promote oneself to OWNER":                   (NA,   403,  403,  403,  403,  404,  401),
    "give oneself can_share":                     (NA,   NA,   403,  NA,   403,  404,  401),
    "delete the use case":                        (Y,    403,  403,  403,  403,  404,  401),
    # in the trash (alice deletes it first): no member any more, restorable by its OWNERs
    "get the use case in the trash":              (404,  404,  404,  404,  404,  404,  401),
    "list the trash":                             (Y,    Y,    Y,    Y,    Y,    Y,    401),
    "restore the use case":                       (Y,    403,  403,  403,  403,  404,  401),
    "purge the use case":                         (Y,    403,  403,  403,  403,  404,  401),
}
# fmt: on

UP = {"OWNER": "OWNER", "EDITOR": "OWNER", "CONSUMER": "EDITOR"}
DOWN = {"OWNER": "EDITOR", "EDITOR": "CONSUMER", "CONSUMER": "CONSUMER"}


@dataclass
class World:
    """One use case seeded by ``alice`` (OWNER) with an EDITOR, a CONSUMER, an outsider, one
    linked application (the cheapest asset to make), and the column's caller."""

    service: Any
    invariants: Callable[..., None]
    alice: Api
    actor: Api  # the caller of the column under test (without a token in the last column)
    me: Api  # the same user as ``actor``, always with a token: seeds what the caller owns
    editor: Api
    consumer: Api
    outsider: Api
    uc: str
    app: str  # alice's, linked to the use case
    csv: bytes
    made: dict[str, Any] = field(default_factory=dict)  # what an operation's set-up made
    role: str = ""  # the column under test

    def role_of(self, who: Api, uc: str | None = None) -> tuple[str, bool] | None:
        with self.service.store.db.read() as conn:
            row = conn.execute(
                select(memberships.c.role, memberships.c.can_share).where(
                    memberships.c.use_case_id == (uc or self.uc), memberships.c.user_id == who.id
                )
            ).first()
        return None if row is None else (row.role, bool(row.can_share))

    def linked(self, etype: str, entity_id: str) -> bool:
        with self.service.store.db.read() as conn:
            return (
                conn.execute(
                    select(links.c.id).where(
                        links.c.use_case_id == self.uc,
                        links.c.entity_type == etype,
                        links.c.entity_id == entity_id,
                    )
                ).first()
                is not None
            )

    def snapshot(self, stamps: bool = True) -> dict[str, list]:
        """Every row that an access decision could change; ``stamps=False`` drops updated_*."""
        with self.service.store.db.read() as conn:
            snap = {
                t.name: sorted(tuple(r) for r in conn.execute(select(t)))
                for t in (memberships, links, events, trash, trashed_grants)
            }
            cols = [c for c in use_cases.c if stamps or not c.name.startswith("updated")]
            snap["use_cases"] = sorted(tuple(r) for r in conn.execute(select(*cols)))
        return snap

    def share(self, *entries: dict) -> requests.Response:
        return self.actor.share(self.uc, *entries)

    def make_me_last_owner(self) -> None:
        """If the caller is an OWNER, alice leaves, so the caller is the only OWNER."""
        if (self.role_of(self.me) or ("",))[0] == "OWNER":
            assert self.alice.share(self.uc, to(self.alice, "NO_ROLE")).status_code == 204


def to(who: Api, role: str, can_share: bool | None = False) -> dict:
    entry = {"role": role, "shareRecipientType": "user", "id": who.id}
    if can_share is not None:
        entry["canShare"] = can_share
    return entry


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


# -- the operations: set-up (optional), the request, and the effect a success must show -------
@dataclass(frozen=True)
class Op:
    act: Callable[[World], requests.Response]
    effect: Callable[[World, requests.Response], None] = lambda w, r: None
    prepare: Callable[[World], None] = lambda w: None


def _listing(w: World, r: requests.Response) -> None:
    ids = {uc["id"] for uc in r.json()["data"]}
    with w.service.store.db.read() as conn:
        mine = set(
            conn.execute(
                select(memberships.c.use_case_id).where(memberships.c.user_id == w.me.id)
            ).scalars()
        )
    assert ids == mine
    assert r.json()["totalCount"] == len(mine)


def _assets_listed(w: World, r: requests.Response) -> None:
    assert r.json()["id"] == w.app
    listed = w.actor.get("applications/", params={"useCaseIds": w.uc}).json()["data"]
    assert [a["id"] for a in listed] == [w.app]


def _created(w: World, r: requests.Response) -> None:
    assert w.role_of(w.me, r.json()["id"]) == ("OWNER", True)


def _use_case_field(name: str, value: str) -> Callable[[World, requests.Response], None]:
    def effect(w: World, r: requests.Response) -> None:
        assert r.json()[name] == value
        with w.service.store.db.read() as conn:
            row = conn.execute(select(use_cases).where(use_cases.c.id == w.uc)).one()
        assert getattr(row, name) == value

    return effect


def _made(key: str, create: Callable[[World], str]) -> Callable[[World], None]:
    def prepare(w: World) -> None:
        w.made[key] = create(w)

    return prepare


def _register_app(who: Api) -> str:
    r = who.post("applications/", json={"name": "Risk app"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _linked(etype: str, key: str) -> Op:
    creators = {
        "mine": lambda w: w.me.upload_dataset(w.csv)["id"],
        "app": lambda w: _register_app(w.me),
        "theirs": lambda w: _register_app(w.outsider),
    }
    return Op(
        prepare=_made(key, creators[key]),
        act=lambda w: w.actor.post(f"useCases/{w.uc}/{etype}s/{w.made[key]}/"),
        effect=lambda w, r: _assert(w.linked(etype, w.made[key])),
    )


def _assert(condition: bool) -> None:
    assert condition


def _unlinked(w: World, r: requests.Response) -> None:
    assert not w.linked("application", w.app)
    assert w.alice.get(f"applications/{w.app}/").status_code == 200  # the asset stays


def _ref(etype: str, entity_id: str) -> dict:
    return {"entityType": etype, "entityId": entity_id}


def _bulk_added(w: World, r: requests.Response) -> None:
    assert w.linked("dataset", w.made["mine"]) and w.linked("application", w.made["app"])
    assert {a["entityId"] for a in r.json()["added"]} == {w.made["mine"], w.made["app"]}


def _moved(w: World, r: requests.Response) -> None:
    assert not w.linked("application", w.app)
    assert [a["experimentContainerId"] for a in r.json()["added"]] == [w.made["target"]]


def _tag_it(w: World) -> None:
    r = w.alice.patch(f"useCases/{w.uc}/", json={"tags": [f"Tag-{w.uc}"]})
    assert r.status_code == 200, r.text


def _by_tag(w: World, r: requests.Response) -> None:
    member = w.role_of(w.me) is not None
    assert [uc["id"] for uc in r.json()["data"]] == ([w.uc] if member else [])


def _suggested(w: World, r: requests.Response) -> None:
    member = w.role_of(w.me) is not None
    assert [t["name"] for t in r.json()["data"]] == ([f"Tag-{w.uc}"] if member else [])


def _deleted(w: World, r: requests.Response) -> None:
    assert w.alice.get(f"useCases/{w.uc}/").status_code == 404
    assert w.alice.get(f"applications/{w.app}/").status_code == 200  # assets stay
    assert w.role_of(w.alice) is None  # memberships go (links and events: check_invariants)


def _trashed(w: World) -> None:
    assert w.alice.delete(f"useCases/{w.uc}/").status_code == 204


def _restored(w: World, r: requests.Response) -> None:
    assert w.alice.get(f"useCases/{w.uc}/").json()["applicationsCount"] == 1
    assert w.role_of(w.me) == GRANT["OWNER"] and w.role_of(w.editor) == ("EDITOR", False)


def _purged(w: World, r: requests.Response) -> None:
    with w.service.store.db.read() as conn:
        assert conn.execute(select(use_cases.c.id).where(use_cases.c.id == w.uc)).all() == []
    assert_error(w.alice.patch(f"useCases/{w.uc}/deleted/"), 404)
    assert w.alice.get(f"applications/{w.app}/").status_code == 200  # assets stay


def _trash_listed(w: World, r: requests.Response) -> None:
    """The caller's trash holds this use case exactly when they were one of its OWNERs."""
    listed = {t["entityId"] for t in r.json()["data"]}
    assert (w.uc in listed) == (GRANT[w.role] is not None and GRANT[w.role][0] == "OWNER")


def _share(target: str, role: str, can_share: bool | None = False) -> Op:
    """``target`` (an attribute of ``World``) gets ``role``; a success must show it."""

    def effect(w: World, r: requests.Response) -> None:
        expected = None if role == "NO_ROLE" else (role, role == "OWNER" or bool(can_share))
        assert w.role_of(getattr(w, target)) == expected

    return Op(act=lambda w: w.share(to(getattr(w, target), role, can_share)), effect=effect)


def _current(w: World) -> tuple[str, bool]:
    return w.role_of(w.me) or ("CONSUMER", False)  # a non-member asks as if a CONSUMER


def _self(new: Callable[[tuple[str, bool]], tuple[str, bool]], last_owner: bool = False) -> Op:
    """The caller changes their own membership from its current value to ``new(current)``."""

    def act(w: World) -> requests.Response:
        role, can_share = new(_current(w))
        return w.share(to(w.me, role, can_share))

    def effect(w: World, r: requests.Response) -> None:
        assert w.role_of(w.me) == new(w.made["was"])

    def prepare(w: World) -> None:
        w.made["was"] = _current(w)
        if last_owner:
            w.make_me_last_owner()

    return Op(act=act, effect=effect, prepare=prepare)


def _leave(last_owner: bool = False) -> Op:
    def effect(w: World, r: requests.Response) -> None:
        assert w.role_of(w.me) is None
        assert w.uc not in {uc["id"] for uc in w.me.get("useCases/").json()["data"]}

    def prepare(w: World) -> None:
        if last_owner:
            w.make_me_last_owner()

    return Op(act=lambda w: w.share(to(w.me, "NO_ROLE")), effect=effect, prepare=prepare)


OPS: dict[str, Op] = {
    "list use cases": Op(act=lambda w: w.actor.get("useCases/"), effect=_listing),
    "get the use case": Op(
        act=lambda w: w.actor.get(f"useCases/{w.uc}/"),
        effect=lambda w, r: _assert(r.json()["id"] == w.uc),
    ),
    "get its members": Op(
        act=lambda w: w.actor.get(f"useCases/{w.uc}/sharedRoles/"),
        effect=lambda w, r: _assert(w.alice.id in {m["id"] for m in r.json()["data"]}),
    ),
    "get its assets": Op(
        act=lambda w: w.actor.get(f"applications/{w.app}/"), effect=_assets_listed
    ),
    "get its events": Op(
        act=lambda w: w.actor.get(f"useCases/{w.uc}/events/"),
        effect=lambda w, r: _assert(r.json()["data"][0]["verb"] == "created"),
    ),
    "create a use case": Op(
        act=lambda w: w.actor.post("useCases/", json={"name": "Mine"}), effect=_created
    ),
    "rename": Op(
        act=lambda w: w.actor.patch(f"useCases/{w.uc}/", json={"name": "Renamed"}),
        effect=_use_case_field("name", "Renamed"),
    ),
    "edit the description": Op(
        act=lambda w: w.actor.patch(f"useCases/{w.uc}/", json={"description": "Why"}),
        effect=_use_case_field("description", "Why"),
    ),
    "set its tags": Op(
        act=lambda w: w.actor.patch(f"useCases/{w.uc}/", json={"tags": ["Q3", "risk"]}),
        effect=lambda w, r: _assert(
            w.alice.get(f"useCases/{w.uc}/").json()["tags"] == ["Q3", "risk"]
        ),
    ),
    "list use cases by tag": Op(
        prepare=_tag_it, act=lambda w: w.actor.get(f"useCases/?tag=tag-{w.uc}"), effect=_by_tag
    ),
    "suggest tags (only its members see its own)": Op(
        prepare=_tag_it,
        act=lambda w: w.actor.get(f"useCases/tags/?prefix=tag-{w.uc}"),
        effect=_suggested,
    ),
    "add a dataset": _linked("dataset", "mine"),
    "add an application": _linked("application", "app"),
    "add an asset the caller cannot see": _linked("application", "theirs"),
    "remove an asset": Op(
        act=lambda w: w.actor.delete(f"useCases/{w.uc}/applications/{w.app}/"), effect=_unlinked
    ),
    "add assets in bulk": Op(
        prepare=lambda w: w.made.update(
            mine=w.me.upload_dataset(w.csv)["id"], app=_register_app(w.me)
        ),
        act=lambda w: w.actor.patch(
            f"useCases/{w.uc}/assets/",
            json={"add": [_ref("dataset", w.made["mine"]), _ref("application", w.made["app"])]},
        ),
        effect=_bulk_added,
    ),
    "remove assets in bulk": Op(
        act=lambda w: w.actor.patch(
            f"useCases/{w.uc}/assets/", json={"remove": [_ref("application", w.app)]}
        ),
        effect=_unlinked,
    ),
    "move an asset to a use case of one's own": Op(
        prepare=_made("target", lambda w: w.me.create_use_case("Target")["id"]),
        act=lambda w: w.actor.post(
            f"useCases/{w.uc}/assets/move/",
            json={"to": w.made["target"], "entities": [_ref("application", w.app)]},
        ),
        effect=_moved,
    ),
    "grant OWNER to a non-member": _share("outsider", "OWNER"),
    "grant EDITOR to a non-member": _share("outsider", "EDITOR"),
    "grant CONSUMER to a non-member": _share("outsider", "CONSUMER"),
    "change an OWNER to EDITOR": _share("alice", "EDITOR"),
    "change an EDITOR to OWNER": _share("editor", "OWNER"),
    "change an EDITOR to CONSUMER": _share("editor", "CONSUMER"),
    "change a CONSUMER to EDITOR": _share("consumer", "EDITOR"),
    "change a CONSUMER to OWNER": _share("consumer", "OWNER"),
    "revoke an OWNER": _share("alice", "NO_ROLE"),
    "revoke the last other OWNER, stepping down": Op(
        act=lambda w: w.share(to(w.alice, "NO_ROLE"), to(w.me, "EDITOR"))
    ),
    "revoke an EDITOR": _share("editor", "NO_ROLE"),
    "revoke a CONSUMER": _share("consumer", "NO_ROLE"),
    "give can_share to an EDITOR": _share("editor", "EDITOR", can_share=True),
    "give can_share to a CONSUMER": _share("consumer", "CONSUMER", can_share=True),
    "grant CONSUMER + can_share to a non-member": _share("outsider", "CONSUMER", True),
    "leave": _leave(),
    "leave as the last OWNER": _leave(last_owner=True),
    "demote oneself": _self(lambda cur: (DOWN[cur[0]], False)),
    "demote oneself as the last OWNER": _self(lambda cur: (DOWN[cur[0]], False), True),
    "promote oneself one role": _self(lambda cur: (UP[cur[0]], cur[1])),
    "promote oneself to OWNER": _self(lambda cur: ("OWNER", cur[1])),
    "give oneself can_share": _self(lambda cur: (cur[0], True)),
    "delete the use case": Op(act=lambda w: w.actor.delete(f"useCases/{w.uc}/"), effect=_deleted),
    "get the use case in the trash": Op(
        prepare=_trashed, act=lambda w: w.actor.get(f"useCases/{w.uc}/")
    ),
    "list the trash": Op(
        prepare=_trashed, act=lambda w: w.actor.get("trash/"), effect=_trash_listed
    ),
    "restore the use case": Op(
        prepare=_trashed, act=lambda w: w.actor.patch(f"useCases/{w.uc}/deleted/"), effect=_restored
    ),
    "purge the use case": Op(
        prepare=_trashed, act=lambda w: w.actor.delete(f"trash/useCase/{w.uc}/"), effect=_purged
    ),
}


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
    _trashed(world)
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
