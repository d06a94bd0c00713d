"""The operations of the role table (``access_table.py``): for each, its set-up (optional),
the request the column's caller sends, and the effect a success must show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import requests
from access_table import DOWN, GRANT, UP
from access_world import World, to
from http_checks import assert_error, ref
from sqlalchemy import select

from ucwidgets.server.store.schema import memberships, use_cases

if TYPE_CHECKING:
    from service_api import Api


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


def trashed(w: World) -> None:
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
            json={"add": [ref("dataset", w.made["mine"]), ref("application", w.made["app"])]},
        ),
        effect=_bulk_added,
    ),
    "remove assets in bulk": Op(
        act=lambda w: w.actor.patch(
            f"useCases/{w.uc}/assets/", json={"remove": [ref("application", w.app)]}
        ),
        effect=_unlinked,
    ),
    "move an asset to a use case of one's own": Op(
        prepare=_made("target", lambda w: w.me.create_use_case("Target")["id"]),
        act=lambda w: w.actor.post(
            f"useCases/{w.uc}/assets/move/",
            json={"to": w.made["target"], "entities": [ref("application", w.app)]},
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
        prepare=trashed, act=lambda w: w.actor.get(f"useCases/{w.uc}/")
    ),
    "list the trash": Op(
        prepare=trashed, act=lambda w: w.actor.get("trash/"), effect=_trash_listed
    ),
    "restore the use case": Op(
        prepare=trashed, act=lambda w: w.actor.patch(f"useCases/{w.uc}/deleted/"), effect=_restored
    ),
    "purge the use case": Op(
        prepare=trashed, act=lambda w: w.actor.delete(f"trash/useCase/{w.uc}/"), effect=_purged
    ),
}
