"""UseCaseBrowser driven as a person would: type, pick, click; then ask the service.

The front end sets synced traits (``search``, ``selected``, ``drafts``) and sends actions
(``press``); the tests do the same and wait for the panel's worker threads.
"""

from __future__ import annotations

import pytest

from ucwidgets import context
from ucwidgets.rest import RESTClientObject
from ucwidgets.widgets.browser import UseCaseBrowser, browse
from widgets._helpers import HOSTILE, press, synced_text, typed


def _seed(api, names):
    return {
        name: api.create_use_case(name, description=f"about {name.lower()}")["id"] for name in names
    }


def _open(client, **kwargs):
    browser = UseCaseBrowser(client=client, **kwargs)
    browser.wait()
    return browser


def test_pages_search_and_sort_run_in_the_service(alice, client_of):
    _seed(alice, ["Risk A", "Risk B", "Churn", "Fraud", "Risk C", "Demand", "Pricing"])
    browser = _open(client_of(alice), page_size=3)
    table = browser.list_view
    assert browser.error == ""
    assert len(table.rows) == 3 and browser.has_more and table.total == 7
    assert table.cursor == table.rows[0]["id"]  # the highlight starts on the first row

    press(table, "next_page", within=browser)
    press(table, "next_page", within=browser)
    assert browser.offset == 6 and len(browser.items) == 1 and not browser.has_more

    typed(
        table, within=browser, search="risk"
    )  # what typing does (the front end debounces, no Enter)
    assert browser.offset == 0
    assert sorted(r["name"] for r in table.rows) == ["Risk A", "Risk B", "Risk C"]

    typed(table, within=browser, order_by="-name")  # a click on the Name column, twice
    assert [uc.name for uc in browser.items] == ["Risk C", "Risk B", "Risk A"]
    typed(table, within=browser, search="nothing like this")
    assert browser.items == [] and table.rows == [] and table.total == 0


def test_the_table_says_owner_role_assets_and_members(alice, bob, client_of, risk_csv):
    ids = _seed(alice, ["Risk"])
    ds = alice.upload_dataset(risk_csv)
    assert alice.post(f"useCases/{ids['Risk']}/datasets/{ds['datasetId']}/").status_code == 201
    alice.grant(ids["Risk"], bob, "EDITOR")
    bob.create_use_case("Bob's own")
    browser = _open(client_of(bob))
    rows = {r["name"]: r for r in browser.list_view.rows}
    assert rows["Risk"]["owner"] == "alice@example.com" and rows["Risk"]["role"] == "EDITOR"
    assert (rows["Risk"]["assets"], rows["Risk"]["members"]) == (1, 2)
    assert rows["Bob's own"]["role"] == "OWNER"

    typed(browser.list_view, within=browser, filter="mine")
    assert [r["name"] for r in browser.list_view.rows] == ["Bob's own"]
    typed(browser.list_view, within=browser, filter="shared")
    assert [r["name"] for r in browser.list_view.rows] == ["Risk"]


def test_selecting_shows_detail_members_and_assets(alice, bob, client_of, risk_csv):
    ids = _seed(alice, ["Risk", "Churn"])
    ds = alice.upload_dataset(risk_csv)
    assert alice.post(f"useCases/{ids['Risk']}/datasets/{ds['datasetId']}/").status_code == 201
    alice.grant(ids["Risk"], bob, "EDITOR")
    browser = _open(client_of(alice))
    detail = browser.detail_view
    assert browser.selected is None and detail.info == {}

    typed(browser.list_view, within=browser, selected=ids["Risk"])  # Enter, or a click on the row
    assert browser.selected == ids["Risk"] and browser.detail.name == "Risk"
    assert detail.info["name"] == "Risk" and detail.info["datasets"] == 1
    assert detail.can_edit and detail.can_share and detail.can_delete
    members = {m["username"]: m["role"] for m in detail.member_rows}
    assert members == {"alice@example.com": "OWNER", "bob@example.com": "EDITOR"}
    assert [a["name"] for a in detail.asset_rows] == ["risk_data.csv"]
    assert detail.asset_rows[0]["can_share"] and browser.signed_in_as.startswith("alice@")


def test_editor_renames_and_the_service_has_it(alice, bob, client_of):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "EDITOR")
    browser = _open(client_of(bob), use_case=uc["id"])
    detail = browser.detail_view
    assert browser.my_role == "EDITOR" and detail.can_edit and not detail.can_delete
    typed(detail, within=browser, drafts={"name": "Credit risk", "description": "Who repays"})
    press(detail, "save", within=browser)
    assert browser.error == "" and detail.notice == "Saved." and detail.drafts == {}
    got = alice.get(f"useCases/{uc['id']}/").json()
    assert (got["name"], got["description"]) == ("Credit risk", "Who repays")
    assert browser.items[0].name == "Credit risk"


def test_an_unsaved_rename_survives_share_and_reload(alice, bob, client_of):
    uc = alice.create_use_case("Risk")
    browser = _open(client_of(alice), use_case=uc["id"])
    detail = browser.detail_view
    typed(detail, drafts={"name": "Risk, renamed"})
    press(detail, "open_sharing")
    assert browser.panel == "sharing" and detail.inline is browser.sharing_editor
    press(detail, "refresh")
    assert detail.drafts == {"name": "Risk, renamed"}  # the reload did not touch it
    assert alice.get(f"useCases/{uc['id']}/").json()["name"] == "Risk"
    press(detail, "save")
    assert alice.get(f"useCases/{uc['id']}/").json()["name"] == "Risk, renamed"


def test_consumer_sees_read_only_detail_and_is_refused_past_it(alice, carol, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    alice.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    alice.grant(uc["id"], carol, "CONSUMER")
    browser = _open(client_of(carol), use_case=uc["id"])
    detail = browser.detail_view
    assert browser.my_role == "CONSUMER"
    assert (detail.can_edit, detail.can_share, detail.can_delete) == (False, False, False)
    assert [a["can_share"] for a in detail.asset_rows] == [False]  # no Share on its row
    typed(detail, within=browser, drafts={"name": "Mine now"})
    press(detail, "save", within=browser)
    assert "CONSUMER" in detail.errors["save"]["message"]
    assert detail.errors["save"]["transient"] is False  # a refusal: no Retry
    assert detail.drafts == {"name": "Mine now"}  # what was typed stays
    assert alice.get(f"useCases/{uc['id']}/").json()["name"] == "Risk"


def test_remove_asset_unlinks_it(alice, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    alice.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    browser = _open(client_of(alice), use_case=uc["id"])
    press(
        browser.detail_view,
        "remove_asset",
        within=browser,
        entity_type="dataset",
        entity_id=ds["datasetId"],
    )
    assert browser.error == "" and browser.assets == []
    assert alice.get(f"datasets/?useCaseIds={uc['id']}").json()["data"] == []
    assert alice.get(f"datasets/{ds['datasetId']}/").status_code == 200  # the asset stays


def test_a_dataset_opens_with_its_first_rows_and_column_types(alice, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    alice.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    browser = _open(client_of(alice), use_case=uc["id"])
    press(
        browser.detail_view,
        "open_asset",
        within=browser,
        entity_type="dataset",
        entity_id=ds["datasetId"],
    )
    preview = browser.detail_view.preview
    assert preview["kind"] == "dataset" and preview["row_count"] == 7
    names = [c["name"] for c in preview["columns"]]
    assert names[:2] == ["age", "income"] and preview["columns"][0]["dtype"].startswith("int")
    assert len(preview["rows"]) == 7 and len(preview["rows"][0]) == len(names)


def test_new_and_delete(alice, client_of):
    browser = _open(client_of(alice))
    assert browser.list_view.rows == []
    press(browser, "create", name="Fresh", description="")
    assert browser.error == "" and browser.notice == "Created Fresh."
    (created,) = alice.get("useCases/").json()["data"]
    assert created["name"] == "Fresh" and browser.selected == created["id"]
    assert [r["name"] for r in browser.list_view.rows] == ["Fresh"]

    typed(browser.detail_view, within=browser, panel="delete")  # Delete asks first
    typed(browser.detail_view, within=browser, panel="")  # "Keep it"
    assert alice.get(f"useCases/{created['id']}/").status_code == 200
    press(browser.detail_view, "delete", within=browser)
    browser.wait()
    assert browser.error == "" and browser.selected is None
    assert alice.get(f"useCases/{created['id']}/").status_code == 404
    browser.list_view.refresh()
    assert browser.items == []


def test_add_and_share_open_inline(alice, bob, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    browser = _open(client_of(alice), use_case=uc["id"])
    press(browser.detail_view, "open_picker", within=browser)
    picker = browser.picker
    picker.wait()
    assert browser.detail_view.inline is picker and picker.use_case_name == "Risk"
    typed(picker, chosen=[f"dataset:{ds['datasetId']}"])
    press(picker, "add")
    browser.wait()
    assert picker.error == "" and browser.panel == "" and browser.detail_view.inline is None
    assert [a["name"] for a in browser.assets] == ["risk_data.csv"]

    press(browser.detail_view, "open_sharing", within=browser)
    editor = browser.sharing_editor
    editor.wait()
    editor.add_member(bob.username, "EDITOR")
    press(editor, "share")
    browser.wait()
    assert editor.error == ""
    assert "bob@example.com" in [m["username"] for m in browser.detail_view.member_rows]


def test_hostile_names_reach_the_front_end_as_data(make_user, client_of, risk_csv):
    evil = make_user("evil@example.com", HOSTILE)
    uc = evil.create_use_case(HOSTILE, description=HOSTILE)
    ds = evil.upload_dataset(risk_csv, filename=f"{HOSTILE}.csv")
    evil.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    browser = _open(client_of(evil), use_case=uc["id"])
    assert browser.error == ""
    assert browser.list_view.rows[0]["name"] == HOSTILE  # a value, drawn as text by the JS
    assert browser.detail_view.info["name"] == HOSTILE
    assert HOSTILE in synced_text(browser.detail_view)


def test_browse_opens_on_a_use_case_and_follows_the_current_one(alice, service):
    import ucwidgets

    a, b = alice.create_use_case("A"), alice.create_use_case("B")
    ucwidgets.Client(token=alice.token, endpoint=service.url)  # the global client, as users do
    opened = browse(a["id"])
    opened.wait()
    assert opened.selected == a["id"]
    context.set_current_use_case(b["id"])
    browser = UseCaseBrowser()
    browser.wait()
    assert browser.selected == b["id"] and browser.detail.name == "B"
    typed(browser.list_view, within=browser, selected=a["id"])
    press(browser, "make_current")
    assert context.get_current_use_case_id() == a["id"] and browser.current == a["id"]


def test_construction_never_raises_and_retry_recovers(alice, service):
    browser = _open(RESTClientObject(service.url, "wrong-token"))
    assert browser.error and "wrong-token" not in browser.error
    assert browser.list_view.errors["panel"]["transient"] is False
    browser.client = RESTClientObject(service.url, alice.token)
    press(browser, "retry", control="panel")
    assert browser.error == "" and browser.signed_in_as.startswith("alice@")


def test_unreachable_service_is_shown_not_raised():
    browser = _open(RESTClientObject("http://127.0.0.1:9/api/v2", "t"))
    assert "unavailable" in browser.error
    assert browser.list_view.errors["panel"]["transient"] is True  # so Retry is offered


@pytest.mark.parametrize("size", [0, 1001])
def test_page_size_is_validated(alice, client_of, size):
    from traitlets import TraitError

    with pytest.raises((ValueError, TraitError)):
        UseCaseBrowser(client=client_of(alice), page_size=size)


def test_leaderboard_of_a_project_shows_its_models_best_first(alice, client_of):
    from service_api import risk_frame

    from ucwidgets.client import client_configuration
    from ucwidgets.models.dataset import Dataset
    from ucwidgets.models.project import Project
    from ucwidgets.models.use_cases.use_case import UseCase

    with client_configuration(token=alice.token, endpoint=alice.base):
        uc = UseCase.create(name="Credit")
        data = Dataset.create_from_in_memory_data(risk_frame(rows=80), use_case=uc)
        project = Project.create_from_dataset(data.id, project_name=HOSTILE, use_case=uc)
        project.analyze_and_model(target="credit_risk", metric="AUC")
        project.wait_for_autopilot(check_interval=0.2, verbosity=0)
        expected = [m.model_type for m in project.get_models()]
        assert UseCase.get(uc.id).models_count == len(expected)  # the use case counts them
    browser = _open(client_of(alice), use_case=uc.id)
    press(
        browser.detail_view,
        "open_asset",
        within=browser,
        entity_type="project",
        entity_id=project.id,
    )
    browser.wait()
    board = browser.leaderboard
    assert board["id"] == project.id and board["status"] == "done"
    assert list(board["models"]["model_type"]) == expected and len(expected) == 3
    auc = list(board["models"]["auc_validation"])
    assert auc == sorted(auc, reverse=True)  # AUC: higher is better, best first
    table = browser.leaderboard_view.table
    assert table["name"] == HOSTILE and table["columns"][:2] == ["Model", "AUC · Validation"]
    assert [r[0] for r in table["rows"]] == expected
    press(browser.leaderboard_view, "close_board", within=browser)
    assert browser.leaderboard is None and browser.leaderboard_view.table == {}
