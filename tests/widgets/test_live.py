"""The browser and the sharing editor follow the live events: a teammate's change shows with no
click, unsaved edits and staged shares survive it, a deletion elsewhere says who did it and
turns the actions off; every panel of a client shares one subscription."""

from __future__ import annotations

import pytest

from ucwidgets.models.stream import EventStream
from ucwidgets.widgets.activity import ActivityFeed
from ucwidgets.widgets.browser import UseCaseBrowser
from ucwidgets.widgets.live import LiveHub
from ucwidgets.widgets.sharing import SharingEditor
from widgets._helpers import HOSTILE, press, typed, until


@pytest.fixture
def panels():
    """Panels made in a test, closed at its end (each follows its client's live events)."""
    made: list = []

    def make(cls, **kwargs):
        panel = cls(**kwargs)
        made.append(panel)
        panel.wait()
        return panel

    yield make
    for panel in made:
        panel.close()


def _live(client) -> None:
    until(lambda: LiveHub.of(client).state == "live", "the subscription going live")


def test_a_teammates_change_reaches_an_open_browser_with_drafts_kept(alice, bob, client_of, panels):
    uc = alice.create_use_case("Fraud", description="cards")
    alice.grant(uc["id"], bob, "EDITOR")
    client = client_of(bob)
    browser = panels(UseCaseBrowser, client=client, use_case=uc["id"])
    detail = browser.detail_view
    typed(detail, drafts={"description": "bob's unsaved words"})
    _live(client)

    alice.patch(f"useCases/{uc['id']}/", json={"name": "Fraud CNP"})
    until(lambda: detail.info.get("name") == "Fraud CNP", "the rename in bob's detail")
    until(lambda: [r["name"] for r in browser.list_view.rows] == ["Fraud CNP"], "in his list")
    other = alice.create_use_case("Churn")
    alice.grant(other["id"], bob, "CONSUMER")
    until(lambda: len(browser.list_view.rows) == 2, "the use case shared with bob, listed")
    assert detail.drafts == {"description": "bob's unsaved words"}  # no reload touched them
    assert detail.gone == "" and browser.error == ""


def test_a_use_case_deleted_elsewhere_says_by_whom_and_keeps_the_edits(
    alice, bob, client_of, panels
):
    uc = alice.create_use_case(HOSTILE)
    alice.grant(uc["id"], bob, "OWNER")
    client = client_of(bob)
    browser = panels(UseCaseBrowser, client=client, use_case=uc["id"])
    detail = browser.detail_view
    press(detail, "open_picker")
    picker = browser.picker
    typed(detail, drafts={"name": "bob's rename"})
    _live(client)

    assert alice.delete(f"useCases/{uc['id']}/").status_code == 204
    until(lambda: detail.gone == "Deleted by alice@example.com", "who deleted it, in the detail")
    until(lambda: picker.gone == "Deleted by alice@example.com", "and in the open picker")
    until(lambda: browser.list_view.rows == [], "the list without it")
    assert detail.drafts == {"name": "bob's rename"} and detail.info["name"] == HOSTILE
    for action in ("save", "open_sharing", "open_picker", "delete"):
        press(detail, action)  # what a click would send if the front end did not block it
        assert detail.errors[{"open_sharing": "share", "open_picker": "add"}.get(action, action)]
    assert detail.drafts == {"name": "bob's rename"}  # a refused save keeps them too
    press(picker, "add", values=["dataset:x"])
    assert "Deleted by alice@example.com" in picker.errors["add"]["message"]

    assert alice.patch(f"useCases/{uc['id']}/deleted/").ok  # restored from the trash
    until(lambda: detail.gone == picker.gone == "", "the use case back, in both")
    assert detail.drafts == {"name": "bob's rename"}
    until(lambda: len(browser.list_view.rows) == 1, "back in the list")


def test_an_open_sharing_editor_follows_a_teammate_and_keeps_what_is_staged(
    alice, bob, carol, client_of, panels
):
    uc = alice.create_use_case("Fraud")
    alice.grant(uc["id"], bob, "OWNER")
    client = client_of(bob)
    editor = panels(SharingEditor, client=client, use_case=uc["id"])
    press(editor, "add_member", username="carol@example.com", role="EDITOR")
    _live(client)

    alice.grant(uc["id"], carol, "CONSUMER")  # a teammate adds carol as the editor is open
    until(
        lambda: any(r["username"] == "carol@example.com" and not r["new"] for r in editor.rows),
        "carol's membership, in bob's open editor",
    )
    assert editor.pending == ["carol@example.com: CONSUMER → EDITOR"]  # still what bob meant
    assert [r["username"] for r in editor.rows].count("carol@example.com") == 1
    assert alice.delete(f"useCases/{uc['id']}/").status_code == 204
    until(lambda: editor.gone == "Deleted by alice@example.com", "the deletion in the editor")
    press(editor, "share")
    assert "Deleted by alice@example.com" in editor.errors["apply"]["message"]


def test_every_panel_of_a_client_shares_one_subscription(alice, client_of, panels):
    uc = alice.create_use_case("Risk")
    client = client_of(alice)
    browser = panels(UseCaseBrowser, client=client, use_case=uc["id"])
    press(browser.detail_view, "open_sharing")
    feed = panels(ActivityFeed, client=client)
    _live(client)
    hub = LiveHub.of(client)
    every = {"UseCaseList", "UseCaseDetail", "SharingEditor", "FeedState"}
    # Each follows once its first load is done (the editor's may still run).
    until(lambda: every <= {type(f).__name__ for f in hub.followers}, "every panel following")
    assert len(EventStream.of(client)._subs) == 1  # one subscription, one connection
    browser.close()  # its parts and their inline editor too
    feed.close()
    until(lambda: hub.subscription is None, "the last follower leaving stops the stream")
