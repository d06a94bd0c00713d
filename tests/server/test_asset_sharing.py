"""Sharing a single asset, the cross-link hole, and the last active OWNER.

The cross-link sequence is the attack found on the first wave's service: each step followed
the old rules, and together they defeated ``canShare`` and revocation. Every step is now
refused or cut off.
"""

from __future__ import annotations

import pytest
from http_checks import assert_error
from service_api import RISK_CSV

from ucwidgets import cli


def _roles(*entries: tuple) -> dict:
    return {
        "operation": "updateRoles",
        "roles": [
            {"role": role, "shareRecipientType": "user", "id": who.id, **extra}
            for role, who, extra in entries
        ],
    }


def test_the_cross_link_sequence_is_refused_or_cut_off(alice, bob, carol, make_user, invariants):
    eve = make_user("eve@example.com")
    team = alice.create_use_case("Alice's team")["id"]
    dataset = alice.upload_dataset(RISK_CSV)["id"]
    notebook = alice.post("notebooks/", json={"name": "EDA", "path": "eda.ipynb"}).json()["id"]
    for kind, aid in (("datasets", dataset), ("notebooks", notebook)):
        assert alice.post(f"useCases/{team}/{kind}/{aid}/").status_code == 201
    alice.grant(team, carol, "CONSUMER", can_share=False)
    assert carol.get(f"datasets/{dataset}/file/").status_code == 200  # she may use it

    # Carol links Alice's dataset into a use case of her own: linking is sharing, refused.
    own = carol.create_use_case("Carol's")["id"]
    assert_error(carol.post(f"useCases/{own}/datasets/{dataset}/"), 403)
    # ... so Eve, whom Carol shares her use case with, never sees it.
    carol.grant(own, eve, "OWNER", can_share=True)
    assert_error(eve.get(f"datasets/{dataset}/file/"), 404)
    assert_error(eve.get(f"datasets/{dataset}/"), 404)
    # Carol, a CONSUMER, can neither rename the dataset nor repoint the notebook...
    assert_error(carol.patch(f"datasets/{dataset}/", json={"name": "mine.csv"}), 403)
    assert_error(carol.patch(f"notebooks/{notebook}/", json={"path": "elsewhere.ipynb"}), 403)
    # ... nor share it on by itself.
    assert_error(
        carol.patch(f"datasets/{dataset}/sharedRoles/", json=_roles(("CONSUMER", eve, {}))), 403
    )
    # Revoked, she loses it at once, file included.
    assert (
        alice.share(
            team, {"role": "NO_ROLE", "shareRecipientType": "user", "id": carol.id}
        ).status_code
        == 204
    )
    assert_error(carol.get(f"datasets/{dataset}/file/"), 404)
    assert_error(carol.get(f"notebooks/{notebook}/"), 404)
    assert alice.get(f"datasets/{dataset}/").json()["name"] == "risk_data.csv"
    invariants(alice, carol, eve)


def test_an_editor_with_can_share_links_and_the_link_outlives_their_revocation(alice, bob, carol):
    team = alice.create_use_case("Team")["id"]
    dataset = alice.upload_dataset(RISK_CSV)["id"]
    assert alice.post(f"useCases/{team}/datasets/{dataset}/").status_code == 201
    alice.grant(team, bob, "EDITOR", can_share=True)
    own = bob.create_use_case("Bob's")["id"]
    assert bob.post(f"useCases/{own}/datasets/{dataset}/").status_code == 201
    bob.grant(own, carol, "CONSUMER")
    assert carol.get(f"datasets/{dataset}/file/").status_code == 200
    alice.share(team, {"role": "NO_ROLE", "shareRecipientType": "user", "id": bob.id})
    # A grant made while the right was held stays (ACCESS.md), and the feed says who did it.
    assert carol.get(f"datasets/{dataset}/file/").status_code == 200
    verbs = [
        (e["verb"], e["actor"]["id"]) for e in bob.get(f"useCases/{own}/events/").json()["data"]
    ]
    assert ("added", bob.id) in verbs


def test_a_dataset_shared_alone_reveals_nothing_around_it(alice, bob, invariants):
    team = alice.create_use_case("Secret team", description="private")["id"]
    dataset = alice.upload_dataset(RISK_CSV)["id"]
    other = alice.post("applications/", json={"name": "Other"}).json()["id"]
    for kind, aid in (("datasets", dataset), ("applications", other)):
        alice.post(f"useCases/{team}/{kind}/{aid}/")
    r = alice.patch(f"datasets/{dataset}/sharedRoles/", json=_roles(("CONSUMER", bob, {})))
    assert r.status_code == 204, r.text
    seen = bob.get(f"datasets/{dataset}/").json()
    assert seen["useCaseIds"] == [] and seen["useCases"] == []
    assert (seen["canEdit"], seen["canShare"], seen["canDelete"]) == (False, False, False)
    assert bob.get("useCases/", params={"datasetId": dataset}).json()["data"] == []
    assert [
        d["id"] for d in bob.get("datasets/", params={"sharedWithMe": "true"}).json()["data"]
    ] == [dataset]
    assert alice.get("datasets/", params={"sharedWithMe": "true"}).json()["data"] == []
    assert_error(bob.get(f"applications/{other}/"), 404)
    assert_error(bob.get(f"useCases/{team}/"), 404)
    invariants(alice, bob)


@pytest.mark.parametrize("kind", ["datasets", "projects", "applications", "notebooks"])
def test_reverse_lookup_lists_only_the_callers_use_cases(alice, bob, kind):
    dataset = alice.upload_dataset(RISK_CSV)["id"]
    if kind == "datasets":
        asset = dataset
    elif kind == "projects":
        asset = alice.create_project(dataset)["id"]
    else:
        body = {"name": "A", **({"path": "a.ipynb"} if kind == "notebooks" else {})}
        asset = alice.post(f"{kind}/", json=body).json()["id"]
    hers = alice.create_use_case("Hers")["id"]
    shared = alice.create_use_case("Shared")["id"]
    target = shared if kind in ("projects", "applications") else hers
    assert alice.post(f"useCases/{target}/{kind}/{asset}/").status_code == 201
    if kind not in ("projects", "applications"):
        assert alice.post(f"useCases/{shared}/{kind}/{asset}/").status_code == 201
    alice.grant(shared, bob, "CONSUMER")
    param = {f"{kind[:-1]}Id": asset}
    assert [u["id"] for u in bob.get("useCases/", params=param).json()["data"]] == [shared]
    expected = {hers, shared} if kind not in ("projects", "applications") else {shared}
    assert {u["id"] for u in alice.get("useCases/", params=param).json()["data"]} == expected


def test_the_last_active_owner_cannot_leave_and_a_deactivated_member_can_be_revoked(
    alice, bob, service, invariants
):
    uc = alice.create_use_case("Two owners")["id"]
    alice.grant(uc, bob, "OWNER", can_share=True)
    # Bob, the other OWNER, is deactivated (allowed: Alice still owns it) and no longer counts.
    service.store.sharing.deactivate_user(bob.username)
    leave = {"role": "NO_ROLE", "shareRecipientType": "user", "id": alice.id}
    assert_error(alice.share(uc, leave), 409)
    demote = {"role": "EDITOR", "shareRecipientType": "user", "id": alice.id}
    assert_error(alice.share(uc, demote), 409)
    revoke = {"role": "NO_ROLE", "shareRecipientType": "user", "id": bob.id}
    assert alice.share(uc, revoke).status_code == 204
    members = alice.get(f"useCases/{uc}/sharedRoles/").json()["data"]
    assert [m["id"] for m in members] == [alice.id]
    invariants(alice)


def test_an_asset_keeps_an_active_owner(alice, bob):
    dataset = alice.upload_dataset(RISK_CSV)["id"]
    path = f"datasets/{dataset}/sharedRoles/"
    assert_error(alice.patch(path, json=_roles(("NO_ROLE", alice, {}))), 409)
    # Handing over and leaving in one request is refused, as for a use case: the grant would
    # exceed the role its grantor ends with. In two requests it works.
    both = _roles(("OWNER", bob, {}), ("NO_ROLE", alice, {}))
    assert_error(alice.patch(path, json=both), 403)
    assert alice.patch(path, json=_roles(("OWNER", bob, {}))).status_code == 204
    assert alice.patch(path, json=_roles(("NO_ROLE", alice, {}))).status_code == 204
    assert_error(alice.get(f"datasets/{dataset}/"), 404)
    assert bob.get(f"datasets/{dataset}/").json()["canDelete"] is True


def test_deactivate_refuses_the_last_active_owner_and_can_transfer(
    service, tmp_path, alice, bob, capsys
):
    uc = alice.create_use_case("Only Alice")["id"]
    dataset = alice.upload_dataset(RISK_CSV)["id"]
    store_args = ["--data-dir", str(tmp_path / "data")]  # the service fixture's data dir
    assert cli.main(["user", "deactivate", alice.username, *store_args]) == 1
    err = capsys.readouterr().err
    assert "Only Alice" in err and "risk_data.csv" in err and "--transfer-to" in err
    assert alice.get("users/me/").status_code == 200  # nothing changed
    code = cli.main(
        ["user", "deactivate", alice.username, "--transfer-to", bob.username, *store_args]
    )
    assert code == 0
    assert_error(alice.get("users/me/"), 401)
    assert bob.get(f"useCases/{uc}/").json()["role"] == "OWNER"
    assert bob.get(f"datasets/{dataset}/").json()["role"] == "OWNER"
    owners = [m["id"] for m in bob.get(f"datasets/{dataset}/sharedRoles/").json()["data"]]
    assert owners == [bob.id]


def test_registering_a_notebook_path_again_never_hands_back_one_you_left(alice, bob):
    first = alice.post("notebooks/", json={"name": "EDA", "path": "eda.ipynb"}).json()
    again = alice.post("notebooks/", json={"name": "EDA", "path": "eda.ipynb"}).json()
    assert again["id"] == first["id"]  # the same registration while she has it
    path = f"notebooks/{first['id']}/sharedRoles/"
    assert alice.patch(path, json=_roles(("OWNER", bob, {}))).status_code == 204
    assert alice.patch(path, json=_roles(("NO_ROLE", alice, {}))).status_code == 204
    assert bob.patch(f"notebooks/{first['id']}/", json={"name": "Bob's"}).status_code == 200
    assert_error(alice.get(f"notebooks/{first['id']}/"), 404)
    fresh = alice.post("notebooks/", json={"name": "EDA", "path": "eda.ipynb"})
    assert fresh.status_code == 201
    assert fresh.json()["id"] != first["id"] and fresh.json()["name"] == "EDA"
