"""Bulk links (WIRE.md C.4): ``PATCH useCases/{id}/assets/`` and ``POST .../assets/move/``.

Each batch is applied whole or not at all: a refusal names its entry (``add[2]``) with the
status the single operation would have answered, and leaves every table as it was.
"""

from __future__ import annotations

import pytest
from http_checks import assert_error, events, ref
from service_api import table_rows

from ucwidgets.server.store import bulk
from ucwidgets.server.store.assets import grant_owner
from ucwidgets.server.store.db import new_id, now
from ucwidgets.server.store.schema import applications


def app(api, name: str = "App") -> str:
    r = api.post("applications/", json={"name": name})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def counts(api, uc: str) -> tuple[int, int]:
    got = api.get(f"useCases/{uc}/").json()
    return got["datasetsCount"], got["applicationsCount"]


def test_add_and_remove_many_in_one_batch(any_service, people, risk_csv):
    ann = people[0]
    uc = ann.create_use_case("Risk")["id"]
    apps = [app(ann, f"App {i}") for i in range(3)]
    ds = ann.upload_dataset(risk_csv)["id"]
    assert ann.post(f"useCases/{uc}/applications/{apps[0]}/").status_code == 201
    body = {"add": [ref("application", apps[1]), ref("dataset", ds), ref("application", apps[2])]}
    body["remove"] = [ref("application", apps[0])]
    r = ann.patch(f"useCases/{uc}/assets/", json=body)
    assert r.status_code == 200, r.text
    got = r.json()
    assert {(a["entityType"], a["entityId"]) for a in got["added"]} == {
        ("application", apps[1]),
        ("application", apps[2]),
        ("dataset", ds),
    }
    assert all(
        a["experimentContainerId"] == uc and a["created"]["id"] == ann.id for a in got["added"]
    )
    assert got["removed"] == [ref("application", apps[0])]
    assert counts(ann, uc) == (1, 2)
    feed = events(ann, uc)
    assert feed[-4:].count(("removed", "application", "App 0")) == 1
    assert sorted(feed[-3:]) == sorted(
        [
            ("added", "application", "App 1"),
            ("added", "dataset", "risk_data.csv"),
            ("added", "application", "App 2"),
        ]
    )
    # Adding again is no error: the existing links come back, and nothing is announced twice.
    again = ann.patch(f"useCases/{uc}/assets/", json={"add": body["add"]})
    assert again.status_code == 200, again.text
    assert {a["id"] for a in again.json()["added"]} == {a["id"] for a in got["added"]}
    assert events(ann, uc) == feed


def test_one_refusal_rejects_the_batch_with_its_index(any_service, people):
    ann, ben, _ = people
    uc = ann.create_use_case("Risk")["id"]
    mine = [app(ann, f"Mine {i}") for i in range(2)]
    theirs = app(ben, "Theirs")  # ann cannot see it: the single link is a 404
    before = table_rows(any_service)
    r = ann.patch(
        f"useCases/{uc}/assets/",
        json={
            "add": [
                ref("application", mine[0]),
                ref("application", mine[1]),
                ref("application", theirs),
            ]
        },
    )
    body = assert_error(r, 404)
    assert list(body["errors"]) == ["add[2]"]
    assert body["message"].startswith("add[2]: ")
    assert table_rows(any_service) == before

    # A removal of what is not there is the single unlink's 404, named too.
    r = ann.patch(
        f"useCases/{uc}/assets/",
        json={"add": [ref("application", mine[0])], "remove": [ref("application", mine[1])]},
    )
    assert list(assert_error(r, 404)["errors"]) == ["remove[0]"]
    assert table_rows(any_service) == before


def test_a_consumer_shares_nothing_and_a_borrowed_right_stays_checked(any_service, people):
    ann, ben, _ = people
    home = ann.create_use_case("Home")["id"]
    apps = [app(ann, f"App {i}") for i in range(2)]
    assert (
        ann.patch(
            f"useCases/{home}/assets/", json={"add": [ref("application", a) for a in apps]}
        ).status_code
        == 200
    )
    ann.grant(home, ben, "EDITOR")  # the use of ann's apps, without the right to share them
    other = ben.create_use_case("Ben's")["id"]
    before = table_rows(any_service)
    r = ben.post(
        f"useCases/{home}/assets/move/",
        json={"to": other, "entities": [ref("application", a) for a in apps]},
    )
    body = assert_error(r, 403)
    assert list(body["errors"]) == ["entities[0]"]
    assert table_rows(any_service) == before


def test_move_carries_assets_and_a_lent_right_to_share(any_service, people, risk_csv):
    ann, ben, _ = people
    source = ann.create_use_case("Source")["id"]
    ds = ann.upload_dataset(risk_csv)["id"]
    apps = [app(ann, f"App {i}") for i in range(2)]
    batch = [ref("application", apps[0]), ref("dataset", ds), ref("application", apps[1])]
    assert ann.patch(f"useCases/{source}/assets/", json={"add": batch}).status_code == 200
    # ben may share what the source holds (EDITOR with can_share there) and edits his own.
    ann.grant(source, ben, "EDITOR", can_share=True)
    target = ben.create_use_case("Target")["id"]
    r = ben.post(f"useCases/{source}/assets/move/", json={"to": target, "entities": batch})
    assert r.status_code == 200, r.text
    assert {a["experimentContainerId"] for a in r.json()["added"]} == {target}
    assert r.json()["removed"] == batch
    assert counts(ann, source) == (0, 0)
    assert counts(ben, target) == (1, 2)
    assert [e[0] for e in events(ann, source)[-3:]] == ["removed"] * 3
    assert [e[0] for e in events(ben, target)[-3:]] == ["added"] * 3
    # A project or an application lives in one use case: moved, it has left the other.
    got = ben.get(f"useCases/?applicationId={apps[0]}").json()["data"]
    assert [u["id"] for u in got] == [target]


@pytest.mark.parametrize(
    ("setup", "status", "key"),
    [
        ("hidden target", 404, "to"),
        ("consumer of the target", 403, "to"),
        ("not in the source", 404, "entities[1]"),
    ],
)
def test_move_refusals_change_nothing(any_service, people, setup, status, key):
    ann, ben, _ = people
    source = ann.create_use_case("Source")["id"]
    apps = [app(ann, f"App {i}") for i in range(2)]
    target = ben.create_use_case("Target")["id"]
    entities = [ref("application", a) for a in apps]
    add = entities[:1] if setup == "not in the source" else entities
    assert ann.patch(f"useCases/{source}/assets/", json={"add": add}).status_code == 200
    if setup == "consumer of the target":
        ben.grant(target, ann, "CONSUMER")
    elif setup == "not in the source":
        ben.grant(target, ann, "EDITOR")
    before = table_rows(any_service)
    r = ann.post(f"useCases/{source}/assets/move/", json={"to": target, "entities": entities})
    assert list(assert_error(r, status)["errors"]) == [key]
    assert table_rows(any_service) == before


def _seed_apps(any_service, owner: dict, n: int) -> list[str]:
    """``n`` applications of ``owner`` in one transaction (seeding 500 one request each would
    be most of this test's time)."""
    ids = [new_id() for _ in range(n)]
    with any_service.store.db.write() as conn:
        conn.execute(
            applications.insert(),
            [
                {
                    "id": i,
                    "name": f"App {k}",
                    "created_by": owner["id"],
                    "created_at": now(),
                    "updated_at": now(),
                }
                for k, i in enumerate(ids)
            ],
        )
        for i in ids:
            grant_owner(conn, "application", i, owner["id"])
    return ids


def test_a_batch_holds_500_entries_and_no_more(service, make_user):
    ann = make_user()
    uc = ann.create_use_case("Big")["id"]
    ids = _seed_apps(service, ann.user, bulk.BATCH_MAX + 1)
    entries = [ref("application", i) for i in ids]
    before = table_rows(service)
    r = ann.patch(f"useCases/{uc}/assets/", json={"add": entries})
    assert assert_error(r, 422)["errors"] == {"add": f"must hold at most {bulk.BATCH_MAX} items."}
    assert table_rows(service) == before
    r = ann.post(f"useCases/{uc}/assets/move/", json={"to": uc, "entities": entries})
    assert_error(r, 422)
    r = ann.patch(f"useCases/{uc}/assets/", json={"add": entries[: bulk.BATCH_MAX]})
    assert r.status_code == 200, r.text
    assert len(r.json()["added"]) == bulk.BATCH_MAX
    assert counts(ann, uc) == (0, bulk.BATCH_MAX)


BAD_PATCH = [
    ([], None),  # not an object: 400
    ({}, "entities"),
    ({"add": []}, "entities"),
    ({"add": {"entityType": "dataset"}}, "add"),
    ({"add": "x"}, "add"),
    ({"remove": None}, "remove"),
    ({"add": [None]}, "add[0]"),
    ({"add": ["dataset"]}, "add[0]"),
    ({"add": [{"entityType": "dataset"}]}, "add[0]"),
    ({"add": [{"entityId": "a" * 24}]}, "add[0]"),
    ({"add": [{"entityType": "DATASET", "entityId": "a" * 24}]}, "add[0]"),
    ({"add": [{"entityType": "file", "entityId": "a" * 24}]}, "add[0]"),
    ({"add": [{"entityType": "dataset", "entityId": "nope"}]}, "add[0]"),
    ({"add": [{"entityType": "dataset", "entityId": 12}]}, "add[0]"),
    ({"add": [{"entityType": "dataset", "entityId": "a" * 24, "x": 1}]}, "add[0]"),
    ({"add": [ref("dataset", "a" * 24)], "remove": [ref("dataset", "a" * 24)]}, "remove[0]"),
    ({"add": [ref("dataset", "a" * 24), ref("dataset", "a" * 24)]}, "add[1]"),
    ({"add": [ref("dataset", "a" * 24)], "entities": []}, "entities"),
]
BAD_MOVE = [
    ({"entities": [ref("dataset", "a" * 24)]}, "to"),
    ({"to": None, "entities": [ref("dataset", "a" * 24)]}, "to"),
    ({"to": "x" * 5000, "entities": [ref("dataset", "a" * 24)]}, "to"),
    ({"to": "b" * 24}, "entities"),
    ({"to": "b" * 24, "entities": []}, "entities"),
    ({"to": "b" * 24, "entities": [ref("notebook", "a" * 24)] * 2}, "entities[1]"),
    ({"to": "b" * 24, "entities": [7]}, "entities[0]"),
    ({"to": "b" * 24, "entities": [ref("dataset", "a" * 24)], "add": []}, "add"),
]


@pytest.mark.parametrize("route", ["assets/", "assets/move/"])
def test_bad_batches_are_refused_whole(service, make_user, route):
    ann = make_user()
    uc = ann.create_use_case("Risk")["id"]
    send = ann.patch if route == "assets/" else ann.post
    before = table_rows(service)
    for body, key in BAD_PATCH if route == "assets/" else BAD_MOVE:
        r = send(f"useCases/{uc}/{route}", json=body)
        if key is None:
            assert_error(r, 400)
        else:
            got = assert_error(r, 422)
            assert key in got["errors"], (body, got)
    assert send(f"useCases/{uc}/{route}", data=b"{").status_code == 400
    assert table_rows(service) == before


def test_the_same_use_case_is_no_move_target(service, make_user):
    ann = make_user()
    uc = ann.create_use_case("Risk")["id"]
    a = app(ann)
    assert ann.post(f"useCases/{uc}/applications/{a}/").status_code == 201
    r = ann.post(
        f"useCases/{uc}/assets/move/", json={"to": uc, "entities": [ref("application", a)]}
    )
    assert assert_error(r, 422)["errors"] == {"to": "the same use case"}
