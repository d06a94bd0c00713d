"""Many assets at once in the detail, driven as a person would: select rows (the front end sets
``chosen``), then Remove selected or Move selected to…; then ask the service."""

from __future__ import annotations

from ucwidgets.widgets.detail import UseCaseDetail
from widgets._helpers import press, typed


def _linked(api, uc, risk_csv, *names):
    ids = []
    for name in names:
        ds = api.upload_dataset(risk_csv, filename=name)["datasetId"]
        assert api.post(f"useCases/{uc}/datasets/{ds}/").status_code == 201
        ids.append(ds)
    return ids


def _in(api, uc):
    """The datasets the service says are in ``uc`` (of those ``api`` may see)."""
    listed = api.get("datasets/", params={"limit": 100}).json()["data"]
    return {d["id"] for d in listed if uc in d["useCaseIds"]}


def _detail(client, uc):
    detail = UseCaseDetail(client=client, use_case=uc)
    detail.wait()
    return detail


def test_move_three_selected_assets_in_one_request(alice, bob, client_of, risk_csv):
    source = alice.create_use_case("Source")["id"]
    target = alice.create_use_case("Target")["id"]
    looking = bob.create_use_case("Bob's, read only")["id"]
    bob.grant(looking, alice, "CONSUMER")
    ids = _linked(alice, source, risk_csv, "a.csv", "b.csv", "c.csv", "d.csv")
    detail = _detail(client_of(alice), source)

    typed(detail, chosen=[f"dataset:{i}" for i in ids[:3]])  # click, shift-click the third
    press(detail, "load_move_targets")
    # Where it may go is the service's answer: not here, not where alice only looks.
    assert [t["name"] for t in detail.move_targets] == ["Target"]
    press(detail, "move_selected", to=target)
    assert detail.error == "" and detail.notice == "Moved 3 assets to Target."
    assert detail.chosen == []
    assert [a["id"] for a in detail.asset_rows] == [ids[3]]
    assert _in(alice, target) == set(ids[:3]) and _in(alice, source) == {ids[3]}


def test_remove_selected_and_a_refusal_names_the_entry(alice, bob, client_of, risk_csv):
    uc = alice.create_use_case("Risk")["id"]
    mine = _linked(alice, uc, risk_csv, "alice.csv")
    alice.grant(uc, bob, "EDITOR")  # no can_share: bob may not move alice's dataset anywhere
    bobs = _linked(bob, uc, risk_csv, "bob.csv")
    elsewhere = bob.create_use_case("Bob's")["id"]
    detail = _detail(client_of(bob), uc)
    press(detail, "load_move_targets")
    assert [t["name"] for t in detail.move_targets] == ["Bob's"]

    typed(detail, chosen=[f"dataset:{bobs[0]}", f"dataset:{mine[0]}"])
    press(detail, "move_selected", to=elsewhere)
    message = detail.errors["selection"]["message"]
    assert message.startswith("Nothing changed: alice.csv was refused: ")
    assert not detail.errors["selection"]["transient"]
    assert _in(alice, uc) == {mine[0], bobs[0]} and _in(bob, elsewhere) == set()  # all or none
    assert len(detail.chosen) == 2  # the selection stays for another try

    typed(detail, chosen=[f"dataset:{bobs[0]}"])
    press(detail, "remove_selected")
    assert detail.notice == "Removed 1 asset." and "selection" not in detail.errors
    assert _in(alice, uc) == {mine[0]}


def test_the_selection_keeps_to_listed_assets(alice, client_of, risk_csv):
    uc = alice.create_use_case("Risk")["id"]
    ids = _linked(alice, uc, risk_csv, "a.csv", "b.csv")
    detail = _detail(client_of(alice), uc)
    typed(detail, chosen=[f"dataset:{i}" for i in ids])
    assert alice.delete(f"useCases/{uc}/datasets/{ids[0]}/").status_code == 204
    press(detail, "refresh")
    assert detail.chosen == [f"dataset:{ids[1]}"]
    press(detail, "remove_selected")
    press(detail, "remove_selected")  # nothing selected
    assert detail.errors["selection"]["message"] == "Select assets first."
