"""ActivityFeed driven through its traits against a real service: runs grouped, "you", the role
of a share, one item marked read, filters, load more, one unread count for every feed of a
client, and live updates by push (no refresh, no click)."""

from __future__ import annotations

import pytest

from ucwidgets.widgets.activity import ActivityFeed
from widgets._helpers import HOSTILE, until


@pytest.fixture
def feeds():
    """Feeds made in a test, closed at its end (each holds the stream of its client)."""
    made: list[ActivityFeed] = []

    def make(**kwargs) -> ActivityFeed:
        feed = ActivityFeed(**kwargs)
        made.append(feed)
        feed.wait()
        assert feed.errors == {}, feed.errors
        return feed

    yield make
    for feed in made:
        feed.close()


@pytest.fixture
def fraud(alice, bob, risk_csv):
    """alice's use case shared with bob, with a dataset she renamed three times."""
    uc = alice.create_use_case("Fraud")
    alice.grant(uc["id"], bob, "EDITOR")
    ds = alice.upload_dataset(risk_csv, "cnp.csv")
    assert alice.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/").status_code == 201
    for n in (1, 2, 3):
        assert alice.patch(f"datasets/{ds['datasetId']}/", json={"name": f"Fraud CNP v{n}"}).ok
    return uc


def texts(feed: ActivityFeed) -> list[str]:
    return [item["text"] for item in feed.items]


def test_runs_are_grouped_with_you_and_the_role(alice, bob, fraud, client_of, feeds):
    bobs = feeds(client=client_of(bob))
    assert bobs.me == "bob@example.com"
    assert texts(bobs) == [
        "alice@example.com modified dataset Fraud CNP v3 · 3 changes",
        "alice@example.com added dataset cnp.csv to Fraud",
        "alice@example.com shared Fraud with you as EDITOR",
        "alice@example.com created Fraud",
    ]
    assert bobs.unread_count == 6 and all(item["unread"] for item in bobs.items)
    alices = feeds(client=client_of(alice))
    assert texts(alices)[2] == "you shared Fraud with bob@example.com as EDITOR"
    assert alices.unread_count == 0 and not any(item["unread"] for item in alices.items)


def test_one_item_read_and_one_count_for_every_feed_of_a_client(bob, fraud, client_of, feeds):
    client = client_of(bob)
    first, second = feeds(client=client), feeds(client=client, use_case=fraud["id"])
    run = first.items[0]
    first.dispatch("mark_read", key=run["key"])  # what its ✓ button sends
    first.wait()
    assert first.unread_count == second.unread_count == 3  # the run's three changes
    assert not first.items[0]["unread"] and not second.items[0]["unread"]
    assert [i["unread"] for i in first.items[1:]] == [True, True, True]
    opened = []
    second.on_open(opened.append)
    second.dispatch("open_item", key=second.items[1]["key"])
    second.wait()
    assert opened[0]["entity_type"] == "dataset" and opened[0]["use_case_id"] == fraud["id"]
    assert second.opened == opened[0] and first.unread_count == 2
    first.dispatch("mark_all_read")
    first.wait()
    assert second.unread_count == 0 and not any(i["unread"] for i in second.items)


def test_filters_and_load_more(alice, bob, fraud, client_of, feeds):
    other = alice.create_use_case("Other")
    alice.grant(other["id"], bob, "CONSUMER")
    feed = feeds(client=client_of(bob), page_size=3, notifications=True)
    assert feed.has_more and len(feed.events) == 3
    feed.dispatch("load_more")
    feed.wait()
    assert len(feed.events) == 6 and feed.events[-1].id < feed.events[2].id
    assert {u["name"] for u in feed.use_cases} == {"Fraud", "Other"}
    feed.kind = "user"  # sharing only, as the front end's select sets it
    feed.wait()
    assert texts(feed) == [
        "alice@example.com shared Other with you as CONSUMER",
        "alice@example.com shared Fraud with you as EDITOR",
    ]
    feed.kind, feed.use_case_id = "", fraud["id"]
    feed.wait()
    assert {e.use_case_id for e in feed.events} == {fraud["id"]}
    feed.person = bob.id
    feed.wait()
    assert feed.items == []


def test_a_teammates_change_and_a_deletion_arrive_by_push(alice, bob, client_of, feeds):
    uc = alice.create_use_case(HOSTILE)
    alice.grant(uc["id"], bob, "EDITOR")
    feed = feeds(client=client_of(bob))
    until(lambda: feed.live == "live", "the feed going live")
    before = feed.unread_count
    alice.patch(f"useCases/{uc['id']}/", json={"description": "new"})
    until(lambda: feed.items[0]["verb"] == "updated", "alice's change in bob's open feed")
    assert feed.unread_count == before + 1
    assert alice.delete(f"useCases/{uc['id']}/").status_code == 204
    until(lambda: feed.items[0]["verb"] == "deleted", "the deletion in bob's open feed")
    assert feed.items[0]["text"] == f"alice@example.com deleted {HOSTILE}"  # text, not markup
    assert feed.items[0]["use_case_id"] == uc["id"]
