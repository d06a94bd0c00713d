"""Edges of the access rules that a single row of the role table does not show: a batch that
changes the caller's own role, and an asset coming back through a link after a removal."""

from __future__ import annotations

from http_checks import assert_error


def _share(api, uc, *entries):
    return api.share(uc, *[{"shareRecipientType": "user", **e} for e in entries])


def test_an_editor_cannot_give_themselves_can_share_even_while_demoting(alice, bob, invariants):
    uc = alice.create_use_case("Risk")["id"]
    alice.grant(uc, bob, "EDITOR")
    r = _share(bob, uc, {"role": "CONSUMER", "id": bob.id, "canShare": True})
    assert_error(r, 403)
    (me,) = [
        m for m in alice.get(f"useCases/{uc}/sharedRoles/").json()["data"] if m["id"] == bob.id
    ]
    assert (me["role"], me["canShare"]) == ("EDITOR", False)
    invariants(alice, bob)


def test_a_batch_cannot_grant_above_the_role_the_grantor_ends_with(alice, bob, carol, invariants):
    uc = alice.create_use_case("Risk")["id"]
    alice.grant(uc, bob, "EDITOR", can_share=True)
    before = alice.get(f"useCases/{uc}/sharedRoles/").json()["data"]
    r = _share(
        bob,
        uc,
        {"role": "CONSUMER", "id": bob.id},
        {"role": "EDITOR", "id": carol.id, "canShare": True},
    )
    assert_error(r, 403)
    assert "separate request" in r.json()["message"]
    assert alice.get(f"useCases/{uc}/sharedRoles/").json()["data"] == before
    # Each step on its own is fine, in that order.
    assert _share(bob, uc, {"role": "EDITOR", "id": carol.id}).status_code == 204
    assert _share(bob, uc, {"role": "CONSUMER", "id": bob.id}).status_code == 204
    invariants(alice, bob, carol)


def test_leaving_and_sharing_in_one_batch_is_refused(alice, bob, carol):
    uc = alice.create_use_case("Risk")["id"]
    alice.grant(uc, bob, "EDITOR", can_share=True)
    r = _share(bob, uc, {"role": "CONSUMER", "id": carol.id}, {"role": "NO_ROLE", "id": bob.id})
    assert_error(r, 403)
    assert len(alice.get(f"useCases/{uc}/sharedRoles/").json()["data"]) == 2


def test_a_project_cannot_bring_back_a_dataset_its_creator_lost(alice, bob, risk_csv, invariants):
    shared = alice.create_use_case("Shared")["id"]
    dataset = alice.upload_dataset(risk_csv)["datasetId"]
    assert alice.post(f"useCases/{shared}/datasets/{dataset}/").status_code == 201
    alice.grant(shared, bob, "EDITOR")
    project = bob.create_project(dataset)["id"]  # bob could see the dataset then
    alice.share(shared, {"role": "NO_ROLE", "shareRecipientType": "user", "id": bob.id})
    assert_error(bob.get(f"datasets/{dataset}/"), 404)
    mine = bob.create_use_case("Mine")["id"]
    r = bob.post(f"useCases/{mine}/projects/{project}/")
    assert_error(r, 422)
    assert_error(bob.get(f"datasets/{dataset}/"), 404)
    assert_error(bob.get(f"datasets/{dataset}/file/"), 404)
    assert bob.get(f"useCases/{mine}/").json()["datasetsCount"] == 0
    invariants(alice, bob)
