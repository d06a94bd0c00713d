"""The browser's Trash view driven as a person would: open it, Restore, Purge; then ask the
service. The rows and the rights are the service's answer (``GET trash/``)."""

from __future__ import annotations

from widgets._helpers import press
from widgets.test_browser import _open


def _risk_with_a_dataset_and_bob(alice, bob, risk_csv):
    uc = alice.create_use_case("Risk")["id"]
    ds = alice.upload_dataset(risk_csv)["datasetId"]
    assert alice.post(f"useCases/{uc}/datasets/{ds}/").status_code == 201
    alice.grant(uc, bob, "EDITOR")
    return uc, ds


def test_restore_brings_the_use_case_back_with_its_assets_and_members(
    alice, bob, client_of, risk_csv
):
    uc, ds = _risk_with_a_dataset_and_bob(alice, bob, risk_csv)
    browser = _open(client_of(alice))
    assert alice.delete(f"useCases/{uc}/").status_code == 204
    press(browser, "show_view", view="trash")
    trash = browser.trash_view
    assert browser.view == "trash"
    [row] = trash.rows
    assert (row["entity_type"], row["id"], row["name"]) == ("useCase", uc, "Risk")
    assert row["deleted_by"] == alice.username and row["purge_at"] > row["deleted_at"]

    press(trash, "restore", entity_type="useCase", entity_id=uc, within=browser)
    assert trash.error == "" and trash.rows == []
    assert trash.notice == "Restored Risk."
    # Back in the list, and opened beside the trash with its dataset and member.
    assert uc in [r["id"] for r in browser.list_view.rows]
    assert browser.selected == uc
    assert [a["id"] for a in browser.detail_view.asset_rows] == [ds]
    assert {m["username"]: m["role"] for m in browser.detail_view.member_rows} == {
        alice.username: "OWNER",
        bob.username: "EDITOR",
    }
    got = bob.get(f"useCases/{uc}/").json()
    assert got["datasetsCount"] == 1
    press(browser, "show_view", view="use_cases")
    assert browser.view == "use_cases" and browser.filter == "all"


def test_purge_is_final_and_a_refusal_shows_in_its_row(alice, bob, client_of, risk_csv):
    uc, ds = _risk_with_a_dataset_and_bob(alice, bob, risk_csv)
    alice.grant(uc, bob, "OWNER")
    assert alice.delete(f"datasets/{ds}/").status_code == 204
    assert alice.delete(f"useCases/{uc}/").status_code == 204
    mine, bobs = _open(client_of(alice)), _open(client_of(bob))
    press(mine, "show_view", view="trash")
    press(bobs, "show_view", view="trash")
    assert {r["id"] for r in bobs.trash_view.rows} == {uc}  # bob owned the use case only
    assert {r["id"] for r in mine.trash_view.rows} == {uc, ds}

    press(mine.trash_view, "purge", entity_type="useCase", entity_id=uc, within=mine)
    assert [r["id"] for r in mine.trash_view.rows] == [ds]
    assert alice.patch(f"useCases/{uc}/deleted/").status_code == 404

    # Bob's view still shows what alice purged: his Restore is refused, beside that row.
    press(bobs.trash_view, "restore", entity_type="useCase", entity_id=uc, within=bobs)
    assert list(bobs.trash_view.errors) == [f"useCase:{uc}"]
    assert bobs.trash_view.errors[f"useCase:{uc}"]["message"]
    assert bobs.selected is None


def test_a_member_who_is_no_owner_sees_nothing_to_restore(alice, bob, client_of, risk_csv):
    uc, _ = _risk_with_a_dataset_and_bob(alice, bob, risk_csv)
    assert alice.delete(f"useCases/{uc}/").status_code == 204
    browser = _open(client_of(bob))
    press(browser, "show_view", view="trash")
    assert browser.trash_view.rows == [] and browser.error == ""
