"""UseCaseBrowser driven as a person would: type, pick, click; then ask the service."""

from __future__ import annotations

import pytest

from ucwidgets import context
from ucwidgets.rest import RESTClientObject
from ucwidgets.widgets.browser import UseCaseBrowser, browse
from widgets._helpers import ESCAPED, HOSTILE, assert_no_markup, by_class, html_values


def _seed(api, names):
    return {
        name: api.create_use_case(name, description=f"about {name.lower()}")["id"] for name in names
    }


def test_pages_search_and_sort_run_in_the_service(alice, client_of):
    _seed(alice, ["Risk A", "Risk B", "Churn", "Fraud", "Risk C", "Demand", "Pricing"])
    browser = UseCaseBrowser(client=client_of(alice), page_size=3)
    assert browser.error == ""
    assert len(browser.list_select.options) == 3 and browser.has_more
    assert browser.page_label.value.startswith("1-3")
    assert browser.prev_button.disabled and not browser.next_button.disabled

    browser.next_button.click()
    browser.next_button.click()
    assert browser.offset == 6 and len(browser.items) == 1 and not browser.has_more
    assert browser.next_button.disabled

    browser.search_input.value = "risk"  # continuous_update=False: Enter or blur sends it
    assert browser.offset == 0
    assert sorted(uc.name for uc in browser.items) == ["Risk A", "Risk B", "Risk C"]

    browser.order_dropdown.value = "-name"
    assert [uc.name for uc in browser.items] == ["Risk C", "Risk B", "Risk A"]
    browser.search_input.value = "nothing like this"
    assert browser.items == [] and "No use case matches" in browser.empty_html.value


def test_selecting_shows_detail_members_and_assets(alice, bob, client_of, risk_csv):
    ids = _seed(alice, ["Risk", "Churn"])
    ds = alice.upload_dataset(risk_csv)
    assert alice.post(f"useCases/{ids['Risk']}/datasets/{ds['datasetId']}/").status_code == 201
    alice.grant(ids["Risk"], bob, "EDITOR")
    browser = UseCaseBrowser(client=client_of(alice))
    assert browser.selected is None and browser.detail_box.layout.display == "none"

    browser.list_select.value = ids["Risk"]
    assert browser.selected == ids["Risk"]
    assert browser.name_input.value == "Risk" and not browser.name_input.disabled
    assert "<b>1</b> dataset" in browser.counts_html.value
    assert (
        "bob@example.com" in browser.members_html.value and "EDITOR" in browser.members_html.value
    )
    names = [c.value for c in by_class(browser, "ucw-asset-name")]
    assert names == ["risk_data.csv"]
    assert len(by_class(browser, "ucw-browser-remove")) == 1
    assert browser.delete_button.layout.display == ""


def test_editor_renames_and_the_service_has_it(alice, bob, client_of):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "EDITOR")
    browser = UseCaseBrowser(client=client_of(bob), use_case=uc["id"])
    assert browser.my_role == "EDITOR"
    assert browser.delete_button.layout.display == "none"  # only owners delete
    browser.name_input.value = "Credit risk"
    browser.description_input.value = "Who repays"
    browser.save_button.click()
    assert browser.error == "" and browser.notice == "Saved."
    got = alice.get(f"useCases/{uc['id']}/").json()
    assert (got["name"], got["description"]) == ("Credit risk", "Who repays")
    assert browser.items[0].name == "Credit risk"


def test_consumer_sees_read_only_detail(alice, carol, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    alice.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    alice.grant(uc["id"], carol, "CONSUMER")
    browser = UseCaseBrowser(client=client_of(carol), use_case=uc["id"])
    assert browser.name_input.disabled and browser.description_input.disabled
    assert browser.save_button.layout.display == "none"
    assert browser.add_button.layout.display == "none"
    assert browser.delete_button.layout.display == "none"
    assert by_class(browser, "ucw-browser-remove") == []


def test_remove_asset_button_unlinks_it(alice, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    alice.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    browser = UseCaseBrowser(client=client_of(alice), use_case=uc["id"])
    (remove,) = by_class(browser, "ucw-browser-remove")
    remove.click()
    assert browser.error == "" and browser.assets == []
    assert alice.get(f"datasets/?useCaseIds={uc['id']}").json()["data"] == []
    assert alice.get(f"datasets/{ds['datasetId']}/").status_code == 200  # the asset stays


def test_new_and_delete_with_confirmation(alice, client_of):
    browser = UseCaseBrowser(client=client_of(alice))
    assert "no use cases yet" in browser.empty_html.value
    browser.new_button.click()
    assert browser.new_box.layout.display == ""
    browser.new_name_input.value = "Fresh"
    browser.create_button.click()
    assert browser.error == "" and browser.new_box.layout.display == "none"
    (created,) = alice.get("useCases/").json()["data"]
    assert created["name"] == "Fresh" and browser.selected == created["id"]

    browser.delete_button.click()
    assert browser.confirm_box.layout.display == ""
    browser.cancel_delete_button.click()  # changed their mind
    assert alice.get(f"useCases/{created['id']}/").status_code == 200
    browser.delete_button.click()
    browser.confirm_delete_button.click()
    assert browser.error == "" and browser.selected is None
    assert alice.get(f"useCases/{created['id']}/").status_code == 404
    assert browser.items == []


def test_add_and_share_open_inline(alice, bob, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    browser = UseCaseBrowser(client=client_of(alice), use_case=uc["id"])
    browser.add_button.click()
    picker = browser.picker
    assert browser.inline_box.children == (picker,)
    picker.assets_select.value = (f"dataset:{ds['datasetId']}",)
    picker.add_button.click()
    assert picker.error == "" and browser.panel == "" and browser.inline_box.children == ()
    assert [a["name"] for a in browser.assets] == ["risk_data.csv"]

    browser.share_button.click()
    editor = browser.sharing_editor
    assert browser.inline_box.children == (editor,)
    editor.add_member(bob.username, "EDITOR")
    editor.apply_button.click()
    assert editor.error == ""
    assert "bob@example.com" in browser.members_html.value


def test_hostile_names_are_text_everywhere(make_user, client_of, risk_csv):
    evil = make_user("evil@example.com", HOSTILE)
    uc = evil.create_use_case(HOSTILE, description=HOSTILE)
    ds = evil.upload_dataset(risk_csv, filename=f"{HOSTILE}.csv")
    evil.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    browser = UseCaseBrowser(client=client_of(evil), use_case=uc["id"])
    browser.delete_button.click()  # the confirmation names it too
    assert browser.error == ""
    assert_no_markup(browser)
    assert any(ESCAPED in v for v in html_values(browser))
    assert browser.list_select.options[0][0].startswith(HOSTILE)  # option labels are text
    assert browser.name_input.value == HOSTILE


def test_browse_opens_on_a_use_case_and_follows_the_current_one(alice, service):
    import ucwidgets

    a, b = alice.create_use_case("A"), alice.create_use_case("B")
    ucwidgets.Client(token=alice.token, endpoint=service.url)  # the global client, as users do
    assert browse(a["id"]).selected == a["id"]
    context.set_current_use_case(b["id"])
    browser = UseCaseBrowser()
    assert browser.selected == b["id"] and browser.detail.name == "B"
    browser.list_select.value = a["id"]
    browser.use_button.click()
    assert context.get_current_use_case_id() == a["id"]


def test_construction_never_raises_and_retry_recovers(alice, service):
    browser = UseCaseBrowser(client=RESTClientObject(service.url, "wrong-token"))
    assert browser.error and browser.retry_button.layout.display == ""
    assert "wrong-token" not in " ".join(html_values(browser))
    browser.client = RESTClientObject(service.url, alice.token)
    browser.retry_button.click()
    assert browser.error == "" and browser.retry_button.layout.display == "none"


def test_unreachable_service_is_shown_not_raised():
    browser = UseCaseBrowser(client=RESTClientObject("http://127.0.0.1:9/api/v2", "t"))
    assert "unavailable" in browser.error
    assert "unavailable" in browser.message_html.value


def test_busy_disables_buttons_during_a_request(alice, client_of):
    alice.create_use_case("Risk")
    browser = UseCaseBrowser(client=client_of(alice))
    seen = []
    browser.observe(lambda c: seen.append((c["new"], browser.refresh_button.disabled)), "busy")
    browser.refresh_button.click()
    assert seen == [(True, True), (False, False)]


@pytest.mark.parametrize("size", [0, 1001])
def test_page_size_is_validated(alice, client_of, size):
    from traitlets import TraitError

    with pytest.raises((ValueError, TraitError)):
        UseCaseBrowser(client=client_of(alice), page_size=size)


def test_leaderboard_of_a_project_shows_its_models_best_first(alice, client_of):
    from ucwidgets.client import client_configuration
    from ucwidgets.demo import risk_frame
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
    browser = UseCaseBrowser(client=client_of(alice), use_case=uc.id)
    (toggle,) = by_class(browser, "ucw-browser-leaderboard-toggle")
    toggle.click()
    board = browser.leaderboard
    assert board["id"] == project.id and board["status"] == "done"
    assert list(board["models"]["model_type"]) == expected and len(expected) == 3
    auc = list(board["models"]["auc_validation"])
    assert auc == sorted(auc, reverse=True)  # AUC: higher is better, best first
    html = browser.leaderboard_html.value
    assert "AUC · Validation" in html and all(m in html for m in expected)
    assert ESCAPED in html
    assert_no_markup(browser)
    toggle.click()  # the same button hides it
    assert browser.leaderboard is None and browser.leaderboard_html.value == ""
