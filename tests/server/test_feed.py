"""Notifications, search, users, health and version (part B and WIRE.md 1.10)."""

from __future__ import annotations

import pytest
from http_checks import assert_error, assert_page


@pytest.fixture
def shared(alice, bob, risk_csv):
    """A use case of alice's shared with bob, where alice then changes things."""
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "EDITOR")
    ds = alice.upload_dataset(risk_csv)
    alice.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    alice.patch(f"useCases/{uc['id']}/", json={"description": "now described"})
    return uc


def test_notifications_show_changes_by_others(alice, bob, shared):
    page = assert_page(bob.get("notifications/"), bob.base)
    # newest first; the grant to bob is a change in his use case made by alice
    assert [(n["verb"], n["entityType"]) for n in page["data"]] == [
        ("updated", "useCase"),
        ("added", "dataset"),
        ("shared", "user"),
        ("created", "useCase"),
    ]
    assert page["unreadCount"] == 4 and not any(n["read"] for n in page["data"])
    assert all(
        n["useCaseId"] == shared["id"] and n["actor"]["id"] == alice.id for n in page["data"]
    )
    # The actor is not notified of their own changes.
    assert alice.get("notifications/").json()["totalCount"] == 0


def test_mark_read_all_and_up_to(alice, bob, shared):
    ids = [n["id"] for n in bob.get("notifications/").json()["data"]]
    r = bob.post("notifications/read/", json={"upTo": ids[2]})
    assert (r.status_code, r.json()) == (200, {"readUpTo": ids[2], "unreadCount": 2})
    unread = bob.get("notifications/", params={"unread": "true"}).json()
    assert [n["id"] for n in unread["data"]] == ids[:2] and unread["unreadCount"] == 2
    r = bob.post("notifications/read/")  # no body: everything so far
    assert r.status_code == 200 and r.json()["readUpTo"] >= ids[0]
    assert bob.get("notifications/", params={"unread": "true"}).json()["data"] == []
    assert bob.get("notifications/").json()["unreadCount"] == 0
    # Marking read never moves backwards.
    bob.post("notifications/read/", json={"upTo": 0})
    assert bob.get("notifications/").json()["unreadCount"] == 0


def test_search_finds_visible_use_cases_and_assets(alice, bob, carol, shared):
    carol.create_use_case("Carol's risk")
    page = assert_page(bob.get("search/", params={"q": "RISK"}), bob.base)
    assert [(i["type"], i["name"]) for i in page["data"]] == [
        ("useCase", "Risk"),
        ("dataset", "risk_data.csv"),
    ]
    only = bob.get("search/", params={"q": "risk", "types": "dataset"}).json()["data"]
    assert [i["type"] for i in only] == ["dataset"]
    assert bob.get("search/", params={"q": "described"}).json()["data"][0]["id"] == shared["id"]
    assert assert_page(bob.get("search/", params={"q": "nothing"}), bob.base)["data"] == []


def test_users_me_and_search(alice, bob, anonymous):
    me = alice.get("users/me/")
    assert me.status_code == 200
    assert (me.json()["id"], me.json()["username"], me.json()["fullName"]) == (
        alice.id,
        "alice@example.com",
        "Alice Owner",
    )
    found = assert_page(alice.get("users/", params={"search": "BOB"}), alice.base)
    assert [u["id"] for u in found["data"]] == [bob.id]
    everyone = alice.get("users/", params={"limit": 1}).json()
    assert everyone["count"] == 1 and everyone["next"] is not None
    assert_error(anonymous.get("users/", params={"search": "bob"}), 401)
    assert_error(anonymous.get("users/me/"), 401)


def test_health_needs_no_token_and_version_needs_one(alice, anonymous):
    health = anonymous.get("health/")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    # version/ is authenticated, as every DataRobot route: a bad token fails at Client().
    assert_error(anonymous.get("version/"), 401)
    version = alice.get("version/").json()
    major, minor = version["versionString"].split(".")[:2]
    assert (int(major), int(minor)) == (version["major"], version["minor"])
    assert version["major"] == 2 and version["minor"] >= 49


def test_bearer_and_token_schemes_are_both_accepted(alice):
    token = alice.session.headers["Authorization"].split()[1]
    r = alice.get("users/me/", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json()["id"] == alice.id


def test_unknown_paths_and_methods_are_json_errors(alice):
    assert_error(alice.get("nope/"), 404)
    assert_error(alice.session.get(alice.base.replace("/api/v2/", "/elsewhere"), timeout=30), 404)
    assert_error(alice.request("PUT", "useCases/"), 405)
    assert_error(alice.delete("useCases/"), 405)
