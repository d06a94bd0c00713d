"""The query plans of the hot paths on SQLite: no scan that grows with the whole store.

Every statement the store runs for a hot operation is captured as it executes, then explained
with ``EXPLAIN QUERY PLAN``: a plan may search an index or the trigram index, never scan a
table, and a page of the caller's use cases is read in index order (no sort of all of them).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from ucwidgets.server.store import Store
from ucwidgets.server.store.assets import Listing

# A full pass over a table. Passes over a statement's own intermediate results ("CONSTANT ROW",
# "(subquery-1)") are bounded by what their own plan lines read. The trigram index is a virtual
# table: "INDEX 0:M..." is a search (the postings of the term's trigrams), "INDEX 0:=" a lookup
# by rowid; "INDEX 0:" alone would be a full pass. The index's vocabulary (fts5vocab) at "INDEX
# 1:" is a lookup of one term: it reads that trigram's postings to count them, once per process
# (``text_search._rarest`` keeps the counts).
FULL_SCAN = re.compile(
    r"\bSCAN (?!CONSTANT ROW|\(subquery|.*VIRTUAL TABLE INDEX \d+:[M=]"
    r"|temp\.use_cases_search_vocab VIRTUAL TABLE INDEX 1:$)"
)
# An index searched on a column of a few values only (a type, a role, a status) reads a fixed
# share of the table: a scan by another name.
WIDE_SEARCH = re.compile(
    r"\bSEARCH \w+ USING .*INDEX \w+ \((entity_type|role|status|verb)[=><]\?\)"
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("plans"))
    ann, token = store.users.create("ann@example.com", full_name="Ann")
    ann["token"] = token
    ben, _ = store.users.create("ben@example.com", full_name="Ben")
    cases = [store.use_cases.create(ann, {"name": f"Churn model {i}"}) for i in range(5)]
    blob = store.blobs.put_bytes(b"a\n1\n")
    described = {"row_count": 1, "columns": [{"name": "a", "dtype": "int64"}]}
    datasets = [
        store.catalog.create_dataset(ann, f"d{i}.csv", blob, described)[0] for i in range(3)
    ]
    store.assets.add_link(ann, cases[1]["id"], "dataset", datasets[0]["id"])  # so listings list one
    for case, tags in ((cases[1], ["risk", "Q3"]), (cases[2], ["risk"])):
        store.use_cases.update(ann, case["id"], {"tags": tags})
    yield store, ann, ben, cases, datasets
    store.close()


def plans(store: Store, operation) -> list[tuple[str, list[str]]]:
    """Each statement ``operation`` ran, with its plan (one string per plan line)."""
    statements: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        if not executemany and statement.lstrip().upper().startswith(
            ("SELECT", "UPDATE", "DELETE")
        ):
            statements.append((statement, parameters))

    event.listen(store.db.engine, "before_cursor_execute", capture)
    try:
        operation()
    finally:
        event.remove(store.db.engine, "before_cursor_execute", capture)
    assert statements, "the operation ran no query"
    raw = store.db.engine.raw_connection()
    try:
        return [
            (sql, [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params)])
            for sql, params in statements
        ]
    finally:
        raw.close()


def hot_operations(store, ann, ben, cases, datasets):
    uc = cases[1]["id"]
    share = {
        "operation": "updateRoles",
        "roles": [{"role": "CONSUMER", "shareRecipientType": "user", "id": ben["id"]}],
    }
    return {
        "authenticate": lambda: store.users.authenticate(ann["token"]),
        "get one": lambda: store.use_cases.get(ann, uc),
        "first page": lambda: store.use_cases.list(ann, limit=100),
        "first page by name": lambda: store.use_cases.list(ann, order_by="name", limit=100),
        "search": lambda: store.use_cases.list(ann, search="model 3", limit=100),
        "create": lambda: store.use_cases.create(ann, {"name": "Fresh"}),
        "update": lambda: store.use_cases.update(ann, uc, {"name": "Renamed"}),
        "link": lambda: store.assets.add_link(ann, uc, "dataset", datasets[1]["id"]),
        "assets of one use case": lambda: store.catalog.list_datasets(
            ann, Listing(use_case_ids=[uc]), category=None, order_by=None
        ),
        "share": lambda: store.sharing.share(ann, uc, share),
        "members": lambda: store.sharing.shared_roles(ann, uc, 0, 100),
        "by tags": lambda: store.use_cases.list(ann, filters={"tag": ["RISK", "q3"]}),
        "by role, owner, kind and date": lambda: store.use_cases.list(
            ann,
            order_by="-role",
            filters={
                "role": ["OWNER"],
                "owner": [ann["id"]],
                "assetType": ["dataset"],
                "createdAfter": ["2020-01-01"],
            },
        ),
        "set tags": lambda: store.use_cases.update(ann, uc, {"tags": ["risk", "Q4"]}),
        "tag suggestions": lambda: store.tags.suggest(ann, "ri"),
        "bulk links": lambda: store.bulk.update_links(
            ann,
            uc,
            {
                "add": [{"entityType": "dataset", "entityId": datasets[2]["id"]}],
                "remove": [{"entityType": "dataset", "entityId": datasets[0]["id"]}],
            },
        ),
    }


OPERATIONS = [
    "authenticate",
    "get one",
    "first page",
    "first page by name",
    "search",
    "create",
    "update",
    "link",
    "assets of one use case",
    "share",
    "members",
    "by tags",
    "by role, owner, kind and date",
    "set tags",
    "tag suggestions",
    "bulk links",
]


@pytest.mark.parametrize("name", OPERATIONS)
def test_hot_queries_scan_no_table(seeded, name):
    store = seeded[0]
    for sql, plan in plans(store, hot_operations(*seeded)[name]):
        scans = [line for line in plan if FULL_SCAN.search(line) or WIDE_SEARCH.search(line)]
        assert not scans, f"{name}: {sql}\n{plan}"


def test_a_page_is_read_in_index_order(seeded):
    store, ann = seeded[0], seeded[1]
    for order in ("-updatedAt", "name", "createdAt", "role", "-role", "owner", "-owner"):
        page = [
            (sql, plan)
            for sql, plan in plans(store, lambda o=order: store.use_cases.list(ann, order_by=o))
            if "LIMIT" in sql
        ]
        assert page, "no paged query ran"
        for sql, plan in page:
            assert not any("TEMP B-TREE" in line for line in plan), f"{order}: {sql}\n{plan}"


def test_the_live_stream_reads_only_the_events_after_its_cursor(seeded):
    """Not one search of the event index per use case of the caller (100,000 for a member of
    100,000): the events after the cursor by id, each checked for the caller's membership."""
    store, ann = seeded[0], seeded[1]
    after = store.feed.latest_event_id(ann) - 3
    [(sql, plan)] = plans(store, lambda: store.feed.events_after(ann, after, 100))
    assert plan[0].startswith("SEARCH events USING INTEGER PRIMARY KEY (rowid>?)"), f"{sql}\n{plan}"
    assert not any("TEMP B-TREE" in line or FULL_SCAN.search(line) for line in plan), plan
