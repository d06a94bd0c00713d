"""Tags in the browser driven as a person would: add with Enter, remove with a chip's close
button, suggestions as one types, a click on a chip filters the list; then ask the service."""

from __future__ import annotations

from widgets._helpers import press, typed
from widgets.test_browser import _open


def _tags(api, uc):
    return api.get(f"useCases/{uc}/").json()["tags"]


def test_add_remove_suggest_and_filter_by_a_tag(alice, client_of):
    risk = alice.create_use_case("Risk")["id"]
    cards = alice.create_use_case("Cards")["id"]
    alice.create_use_case("Churn")
    assert alice.patch(f"useCases/{cards}/", json={"tags": ["credit card", "crm"]}).ok
    browser = _open(client_of(alice), use_case=risk)
    detail = browser.detail_view

    press(detail, "add_tag", tag="credit", within=browser)
    press(detail, "add_tag", tag="retail", within=browser)
    assert detail.error == "" and detail.info["tags"] == ["credit", "retail"]
    press(detail, "remove_tag", tag="credit", within=browser)
    assert _tags(alice, risk) == ["retail"] and detail.info["tags"] == ["retail"]

    press(detail, "suggest_tags", prefix="cr", within=browser)  # typing "cr" in the tag field
    assert sorted(detail.tag_suggestions) == ["credit card", "crm"]

    press(detail, "filter_by_tag", tag="retail", within=browser)  # a click on the chip
    assert browser.list_view.tags == ["retail"]
    assert [r["name"] for r in browser.list_view.rows] == ["Risk"]
    assert browser.list_view.rows[0]["tags"] == ["retail"]
    typed(browser.list_view, within=browser, tags=["crm"])  # the list's own tag filter
    assert [r["name"] for r in browser.list_view.rows] == ["Cards"]
    typed(browser.list_view, within=browser, tags=[])
    assert len(browser.list_view.rows) == 3


def test_a_refused_tag_shows_beside_the_field_and_nothing_changes(alice, bob, client_of):
    risk = alice.create_use_case("Risk")["id"]
    assert alice.patch(f"useCases/{risk}/", json={"tags": ["credit"]}).ok
    alice.grant(risk, bob, "CONSUMER")
    browser = _open(client_of(alice), use_case=risk)
    press(browser.detail_view, "add_tag", tag="x" * 500, within=browser)
    assert browser.detail_view.errors["tags"]["message"]
    assert _tags(alice, risk) == ["credit"]

    theirs = _open(client_of(bob), use_case=risk)
    assert theirs.detail_view.can_edit is False  # the front end shows no tag field
    assert theirs.detail_view.info["tags"] == ["credit"]
    press(theirs.detail_view, "remove_tag", tag="credit", within=theirs)
    assert theirs.detail_view.errors["tags"]["message"]
    assert _tags(alice, risk) == ["credit"]
