"""ActivityFeed: who did what, newest first; unread counts; mark read; the timer."""

from __future__ import annotations

import time

from ucwidgets import context
from ucwidgets.widgets.activity import ActivityFeed
from widgets._helpers import ESCAPED, HOSTILE, assert_no_markup, html_values


def _unread(api):
    return api.get("notifications/?unread=true").json()["unreadCount"]


def test_use_case_events_newest_first_with_unread(alice, bob, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "EDITOR")
    ds = bob.upload_dataset(risk_csv, "bobs.csv")
    assert bob.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/").status_code == 201
    feed = ActivityFeed(client=client_of(alice), use_case=uc["id"])
    assert feed.mode == "events" and feed.error == ""
    assert [(e.actor, e.verb) for e in feed.events] == [
        ("bob@example.com", "added"),
        ("alice@example.com", "shared"),
        ("alice@example.com", "created"),
    ]
    assert feed.unread_count == 1 and feed.unread_ids == [feed.events[0].id]
    assert "1 unread" in feed.unread_html.value
    first = feed.events_html.value.split("</li>")[0]
    assert "ucw-unread" in first and "bob@example.com" in first and "“bobs.csv”" in first

    feed.mark_read_button.click()
    assert feed.error == "" and feed.unread_count == 0 and feed.mark_read_button.disabled
    assert _unread(alice) == 0


def test_refresh_fetches_only_what_is_new(alice, bob, client_of):
    uc = alice.create_use_case("Risk")
    feed = ActivityFeed(client=client_of(alice), use_case=uc["id"])
    assert [e.verb for e in feed.events] == ["created"]
    alice.patch(f"useCases/{uc['id']}/", json={"name": "Credit risk"})
    feed.refresh_button.click()
    assert [e.verb for e in feed.events] == ["updated", "created"]
    assert feed._cursor == feed.events[0].id  # the next refresh asks for events after this


def test_notifications_across_use_cases(alice, bob, client_of):
    a, b = alice.create_use_case("A"), alice.create_use_case("B")
    for uc in (a, b):
        alice.grant(uc["id"], bob, "EDITOR")
    bob.patch(f"useCases/{a['id']}/", json={"description": "by bob"})
    bob.patch(f"useCases/{b['id']}/", json={"description": "by bob too"})
    feed = ActivityFeed(client=client_of(alice))  # no current use case: notifications
    assert feed.mode == "notifications"
    assert [e.use_case_name for e in feed.events] == ["B", "A"]
    assert feed.unread_count == 2 and "in B" in feed.events_html.value
    feed.mark_read_button.click()
    assert feed.unread_count == 0 and _unread(alice) == 0
    assert _unread(bob) == 4  # alice's created/shared x2: read state is per user


def test_follows_the_current_use_case(alice, client_of):
    a, b = alice.create_use_case("A"), alice.create_use_case("B")
    context.set_current_use_case(a["id"])
    feed = ActivityFeed(client=client_of(alice))
    assert feed.mode == "events" and feed.events[0].use_case_name == "A"
    context.set_current_use_case(b["id"])
    feed.refresh()
    assert feed.use_case_id == b["id"] and [e.use_case_name for e in feed.events] == ["B"]
    pinned = ActivityFeed(client=client_of(alice), notifications=True)
    assert pinned.mode == "notifications"


def test_timer_refreshes_until_stopped(alice, bob, client_of):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "EDITOR")
    feed = ActivityFeed(client=client_of(alice), use_case=uc["id"], interval=0.1, auto_refresh=True)
    assert feed.auto_toggle.value and "0.1 s" in feed.auto_toggle.description
    bob.patch(f"useCases/{uc['id']}/", json={"description": "new"})
    deadline = time.monotonic() + 10
    while feed.unread_count == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert feed.unread_count == 1 and feed.events[0].actor == "bob@example.com"
    feed.auto_toggle.value = False  # the user stops it
    assert not feed.auto_refresh
    time.sleep(0.3)
    count = feed.refreshed
    time.sleep(0.4)
    assert feed.refreshed == count
    feed.close()


def test_hostile_names_in_the_feed_are_text(make_user, alice, client_of, risk_csv):
    evil = make_user("evil3@example.com", HOSTILE)
    uc = alice.create_use_case(HOSTILE)
    alice.grant(uc["id"], evil, "EDITOR")
    ds = evil.upload_dataset(risk_csv, f"{HOSTILE}.csv")
    evil.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    for feed in (
        ActivityFeed(client=client_of(alice), use_case=uc["id"]),
        ActivityFeed(client=client_of(alice), notifications=True),
    ):
        assert feed.error == ""
        assert_no_markup(feed)
        assert any(ESCAPED in v for v in html_values(feed))


def test_failure_is_shown_with_retry(alice, service):
    from ucwidgets.rest import RESTClientObject

    feed = ActivityFeed(client=RESTClientObject(service.url, "nope"), notifications=True)
    assert feed.error and feed.retry_button.layout.display == ""
    feed.client = RESTClientObject(service.url, alice.token)
    feed.retry_button.click()
    assert feed.error == "" and feed.refreshed == 1
