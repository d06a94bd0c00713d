"""Use case routes: CRUD, listing, links, sharing and the change feed (WIRE.md 3, part B)."""

from __future__ import annotations

import pytest
from http_checks import (
    REFERENCE_FIELDS,
    SHARED_ROLE_FIELDS,
    USE_CASE_FIELDS,
    assert_camel_case,
    assert_error,
    assert_fields,
    assert_no_content,
    assert_page,
    events,
)


def test_create_returns_201_the_full_object_and_an_absolute_location(alice):
    r = alice.post("useCases/", json={"name": "Risk", "description": "Credit risk"})
    assert r.status_code == 201, r.text
    assert r.headers["Content-Type"] == "application/json"
    uc = r.json()
    assert r.headers["Location"] == f"{alice.base}useCases/{uc['id']}/"
    assert_fields(uc, USE_CASE_FIELDS)
    assert_camel_case(uc)
    assert (uc["name"], uc["description"]) == ("Risk", "Credit risk")
    assert uc["created"]["id"] == uc["updated"]["id"] == alice.id
    assert [(m["id"], m["role"]) for m in uc["members"]] == [(alice.id, "OWNER")]
    assert [o["id"] for o in uc["owners"]] == [alice.id]
    assert events(alice, uc["id"]) == [("created", "useCase", "Risk")]


def test_create_with_an_empty_body_names_the_use_case(alice):
    # DataRobot's UseCase.create() with no arguments sends {}.
    r = alice.post("useCases/", json={})
    assert r.status_code == 201, r.text
    assert r.json()["name"]


def test_get_returns_what_create_returned(alice):
    uc = alice.create_use_case("Risk", description="")
    r = alice.get(f"useCases/{uc['id']}/")
    assert r.status_code == 200
    assert r.json() == uc
    # The route also answers without its trailing slash.
    assert alice.get(f"useCases/{uc['id']}").json() == uc


def test_patch_returns_the_full_object_and_writes_updated(alice):
    uc = alice.create_use_case("Risk")
    r = alice.patch(f"useCases/{uc['id']}/", json={"name": "Risk 2", "description": "d"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert_fields(body, USE_CASE_FIELDS)
    assert (body["name"], body["description"]) == ("Risk 2", "d")
    assert body["updatedAt"] >= uc["updatedAt"]
    assert alice.get(f"useCases/{uc['id']}/").json() == body
    assert events(alice, uc["id"])[-1] == ("updated", "useCase", "Risk 2")


def test_patch_with_nothing_to_change_writes_no_event(alice):
    uc = alice.create_use_case("Risk")
    assert alice.patch(f"useCases/{uc['id']}/", json={}).json() == uc
    assert len(events(alice, uc["id"])) == 1


def test_delete_is_204_then_404(alice, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    alice.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    assert_no_content(alice.delete(f"useCases/{uc['id']}/"))
    assert_error(alice.get(f"useCases/{uc['id']}/"), 404)
    assert_error(alice.delete(f"useCases/{uc['id']}/"), 404)
    # Its assets stay.
    assert alice.get(f"datasets/{ds['datasetId']}/").json()["useCaseIds"] == []


def test_list_pages_with_absolute_next_links(alice, bob):
    ids = [alice.create_use_case(f"Case {i}")["id"] for i in range(5)]
    bob.create_use_case("Bob's")
    first = assert_page(alice.get("useCases/", params={"limit": 2}), alice.base)
    assert (first["count"], first["totalCount"], first["previous"]) == (2, 5, None)
    seen, page = [], first
    while True:
        seen += [uc["id"] for uc in page["data"]]
        for uc in page["data"]:
            assert_fields(uc, USE_CASE_FIELDS)
        if page["next"] is None:
            break
        page = assert_page(alice.session.get(page["next"], timeout=30), alice.base)
    assert sorted(seen) == sorted(ids)
    assert page["previous"] is not None


def test_list_defaults_to_offset_0_limit_100(alice):
    for i in range(3):
        alice.create_use_case(f"Case {i}")
    page = assert_page(alice.get("useCases/"), alice.base)
    assert (page["count"], page["totalCount"], page["next"]) == (3, 3, None)


def test_list_searches_and_orders(alice):
    for name in ("beta", "Alpha", "gamma risk"):
        alice.create_use_case(name, description="credit" if name == "beta" else "")
    names = lambda **q: [uc["name"] for uc in alice.get("useCases/", params=q).json()["data"]]  # noqa: E731
    assert names(orderBy="name") == ["Alpha", "beta", "gamma risk"]
    assert names(orderBy="-name") == ["gamma risk", "beta", "Alpha"]
    assert names(search="RISK") == ["gamma risk"]
    assert names(search="credit") == ["beta"]
    assert names(search="%") == []
    assert names()[0] == "gamma risk"  # -updatedAt by default


def test_search_ignores_case_and_accents_in_any_script(alice):
    made = {
        name: alice.create_use_case(name, description=desc)["id"]
        for name, desc in (
            ("Île de Ré", ""),
            ("ΣΊΣΥΦΟΣ", ""),
            ("Straße", "Предсказание оттока"),
            ("50% off_line", ""),
        )
    }
    found = lambda term: {  # noqa: E731
        uc["id"] for uc in alice.get("useCases/", params={"search": term}).json()["data"]
    }
    assert found("Île") == found("île") == found("ILE DE") == found("de re") == {made["Île de Ré"]}
    assert found("σίσυφος") == found("ΣΙΣΥΦ") == {made["ΣΊΣΥΦΟΣ"]}
    assert found("STRASSE") == found("оттока") == found("оттока".upper()) == {made["Straße"]}
    assert found("% o") == found("_l") == {made["50% off_line"]}  # LIKE's wildcards are text
    assert found("Ré") == {made["Île de Ré"]}  # two characters: no trigram, still found
    assert found('"') == found("zzz") == set()
    # A renamed use case is found by its new name only; a deleted one by neither.
    assert alice.patch(f"useCases/{made['Straße']}/", json={"name": "Weg"}).status_code == 200
    assert found("strasse") == set() and found("weg") == {made["Straße"]}
    assert alice.delete(f"useCases/{made['Straße']}/").status_code == 204
    assert found("weg") == found("оттока") == set()


def test_list_filters_by_project(alice, risk_csv):
    uc = alice.create_use_case("Risk")
    alice.create_use_case("Other")
    project = alice.create_project(alice.upload_dataset(risk_csv)["datasetId"])
    alice.post(f"useCases/{uc['id']}/projects/{project['id']}/")
    page = alice.get("useCases/", params={"projectId": project["id"]}).json()
    assert [u["id"] for u in page["data"]] == [uc["id"]]


def test_list_filters_mine_and_shared_with_me(alice, bob):
    mine = alice.create_use_case("Mine")
    theirs = bob.create_use_case("Bob's")
    bob.grant(theirs["id"], alice, "OWNER")  # even as an OWNER: bob created it
    names = lambda **q: [u["name"] for u in alice.get("useCases/", params=q).json()["data"]]  # noqa: E731
    assert names(mine="true") == ["Mine"]
    assert names(sharedWithMe="true") == ["Bob's"]
    page = alice.get("useCases/", params={"sharedWithMe": "true"}).json()
    assert page["totalCount"] == 1 and mine["id"] not in str(page)
    assert_error(alice.get("useCases/", params={"mine": "true", "sharedWithMe": "true"}), 422)
    assert_error(alice.get("useCases/", params={"mine": "yes please"}), 400)


@pytest.mark.parametrize("segment", ["datasets", "projects", "applications", "notebooks"])
def test_link_and_unlink_each_entity_type(alice, risk_csv, segment):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    entity_id, name = {
        "datasets": lambda: (ds["datasetId"], ds["name"]),
        "projects": lambda: (alice.create_project(ds["datasetId"], "P")["id"], "P"),
        "applications": lambda: (
            alice.post("applications/", json={"name": "App"}).json()["id"],
            "App",
        ),
        "notebooks": lambda: (
            alice.post("notebooks/", json={"path": "nb.ipynb"}).json()["id"],
            "nb.ipynb",
        ),
    }[segment]()
    etype = segment[:-1]
    r = alice.post(f"useCases/{uc['id']}/{segment}/{entity_id}/")
    assert r.status_code == 201, r.text
    ref = r.json()
    assert_fields(ref, REFERENCE_FIELDS)
    assert (ref["entityType"], ref["entityId"], ref["experimentContainerId"], ref["isDeleted"]) == (
        etype,
        entity_id,
        uc["id"],
        False,
    )
    assert ref["created"]["id"] == alice.id
    again = alice.post(f"useCases/{uc['id']}/{segment}/{entity_id}/")
    assert again.status_code == 200 and again.json()["id"] == ref["id"]
    count = alice.get(f"useCases/{uc['id']}/").json()[f"{etype}sCount"]
    assert count == 1
    assert_no_content(alice.delete(f"useCases/{uc['id']}/{segment}/{entity_id}/"))
    assert alice.get(f"useCases/{uc['id']}/").json()[f"{etype}sCount"] == 0
    assert_error(alice.delete(f"useCases/{uc['id']}/{segment}/{entity_id}/"), 404)
    feed = events(alice, uc["id"])
    assert ("added", etype, name) in feed and feed[-1] == ("removed", etype, name)


def test_a_dataset_may_be_in_many_use_cases(alice, risk_csv):
    ds = alice.upload_dataset(risk_csv)
    cases = [alice.create_use_case(f"Case {i}")["id"] for i in range(2)]
    for uc in cases:
        assert alice.post(f"useCases/{uc}/datasets/{ds['datasetId']}/").status_code == 201
    assert sorted(alice.get(f"datasets/{ds['datasetId']}/").json()["useCaseIds"]) == sorted(cases)


def test_unknown_entity_segment_is_404(alice):
    uc = alice.create_use_case("Risk")
    assert_error(alice.post(f"useCases/{uc['id']}/recipes/{'0' * 24}/"), 404)
    assert_error(alice.post(f"useCases/{uc['id']}/datasets/{'0' * 24}/"), 404)


def test_shared_roles_round_trip_and_events(alice, bob, carol):
    uc = alice.create_use_case("Risk")
    r = alice.share(
        uc["id"],
        {"role": "EDITOR", "shareRecipientType": "user", "id": bob.id},
        {
            "role": "CONSUMER",
            "shareRecipientType": "user",
            "username": carol.username,
            "canShare": True,
        },
    )
    assert_no_content(r)
    page = assert_page(alice.get(f"useCases/{uc['id']}/sharedRoles/"), alice.base)
    assert page["totalCount"] == 3
    for item in page["data"]:
        assert_fields(item, SHARED_ROLE_FIELDS)
    roles = {i["name"]: (i["role"], i["canShare"], i["id"]) for i in page["data"]}
    assert roles == {
        alice.username: ("OWNER", True, alice.id),
        bob.username: ("EDITOR", False, bob.id),
        carol.username: ("CONSUMER", True, carol.id),
    }
    one = alice.get(f"useCases/{uc['id']}/sharedRoles/", params={"id": bob.id}).json()
    assert [i["id"] for i in one["data"]] == [bob.id]
    paged = alice.get(f"useCases/{uc['id']}/sharedRoles/", params={"limit": 1}).json()
    assert paged["count"] == 1 and paged["next"].startswith(alice.base)
    # Re-sending an unchanged role is a no-op and writes nothing.
    before = events(alice, uc["id"])
    assert_no_content(
        alice.share(uc["id"], {"role": "EDITOR", "shareRecipientType": "user", "id": bob.id})
    )
    assert events(alice, uc["id"]) == before
    assert_no_content(
        alice.share(
            uc["id"], {"role": "NO_ROLE", "shareRecipientType": "user", "username": bob.username}
        )
    )
    assert_error(bob.get(f"useCases/{uc['id']}/"), 404)
    assert [e[0] for e in events(alice, uc["id"])] == ["created", "shared", "shared", "unshared"]
    members = alice.get(f"useCases/{uc['id']}/").json()["members"]
    assert {m["id"] for m in members} == {alice.id, carol.id}


def test_events_page_after_a_cursor(alice):
    uc = alice.create_use_case("Risk")
    for i in range(4):
        alice.patch(f"useCases/{uc['id']}/", json={"name": f"Risk {i}"})
    first = alice.get(f"useCases/{uc['id']}/events/", params={"limit": 2}).json()
    assert first["count"] == 2 and first["next"].startswith(alice.base)
    assert_camel_case(first["data"])
    rest = alice.session.get(first["next"], timeout=30).json()
    ids = [e["id"] for e in first["data"] + rest["data"]]
    assert ids == sorted(ids) and len(ids) == 4
    after = alice.get(f"useCases/{uc['id']}/events/", params={"after": ids[-1]}).json()
    assert [(e["verb"], e["entityName"]) for e in after["data"]] == [("updated", "Risk 3")]
    assert after["next"] is None
    item = first["data"][0]
    assert item["actor"]["id"] == alice.id and item["useCaseId"] == uc["id"]
    assert {"id", "verb", "entityType", "entityId", "entityName", "at"} <= set(item)
