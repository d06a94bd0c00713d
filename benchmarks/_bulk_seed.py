"""The bulk seed of the service benchmarks (``service.py``, ``replicas.py``, ``scale.py``,
``profiles.py``, ``widgets.py``): a store of many use cases written in one transaction, no HTTP."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

TOPICS = (
    "Churn",
    "Fraud",
    "Risk",
    "Pricing",
    "Demand",
    "Retention",
    "Credit",
    "Claims",
    "Supply",
    "Marketing",
)
SHARE_USERS = 8  # recipients of the share scenario; fresh (use case, user) pairs for 80k requests
LINK_DATASETS = 4  # datasets of the link scenario; fresh (use case, dataset) pairs for 40k requests
CHUNK = 50_000  # use cases built and inserted at a time by the bulk seed
SMALL_MEMBERSHIPS = 100  # a second user sees only this many, to show how listing scales


@dataclass
class Seed:
    token: str
    small_token: str
    use_cases: list[str]
    link_datasets: list[str]
    share_users: list[str]


def seed(
    data_dir: Path,
    n_use_cases: int,
    small_memberships: int = SMALL_MEMBERSHIPS,
    database_url: str | None = None,
) -> Seed:
    """Users and datasets through the store's API, use cases in one bulk transaction (inserted
    in chunks, so that a million fit in memory); the second user is in ``small_memberships``.
    The store is SQLite in ``data_dir``, or the database at ``database_url``."""
    from ucwidgets.server.store import Store, text_search
    from ucwidgets.server.store.db import new_id
    from ucwidgets.server.store.schema import datasets, events, links, memberships, use_cases
    from ucwidgets.server.store.use_cases import DESCRIPTION_KEY, recount_memberships

    store = Store.open(data_dir, database_url)
    bench, token = store.users.create("bench@example.com", full_name="Bench User")
    small, small_token = store.users.create("small@example.com", full_name="Small User")
    share_users = [
        store.users.create(f"user{k:02d}@example.com", full_name=f"User {k}")[0]["id"]
        for k in range(SHARE_USERS)
    ]
    blob = store.blobs.put_bytes(b"a\n1\n")
    described = {"row_count": 1, "columns": [{"name": "a", "dtype": "int64"}]}

    def dataset(name: str) -> str:
        return store.catalog.create_dataset(bench, name, blob, described)[0]["id"]

    link_datasets = [dataset(f"link{k}.csv") for k in range(LINK_DATASETS)]

    base = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    ids = [new_id() for _ in range(n_use_cases)]
    with store.db.write() as conn:
        for first in range(0, n_use_cases, CHUNK):
            ucs: list[dict] = []
            members: list[dict] = []
            refs: list[dict] = []
            evs: list[dict] = []
            files: list[dict] = []
            for i in range(first, min(n_use_cases, first + CHUNK)):
                uc_id = ids[i]
                at = (base + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                topic = TOPICS[i % len(TOPICS)]
                name, description = (
                    f"{topic} model {i:05d}",
                    f"Seeded use case {i} about {topic.lower()}.",
                )
                ucs.append(
                    {
                        "id": uc_id,
                        "name": name,
                        "description": description,
                        "search_text": text_search.search_text(name, description),
                        "created_by": bench["id"],
                        "created_at": at,
                        "updated_by": bench["id"],
                        "updated_at": at,
                    }
                )
                # The use case's sort keys, copied as the store copies them (add_member).
                keys = {
                    "uc_name": name,
                    "uc_description": description[:DESCRIPTION_KEY],
                    "uc_created_at": at,
                    "uc_created_by": bench["username"],
                    "uc_updated_at": at,
                    "uc_updated_by": bench["username"],
                    "uc_owner": bench["username"],
                    "uc_datasets_count": 1,  # the one linked below
                }
                members.append(
                    {
                        "use_case_id": uc_id,
                        "user_id": bench["id"],
                        "role": "OWNER",
                        "can_share": True,
                        "created_at": at,
                        **keys,
                    }
                )
                if i < small_memberships:
                    members.append(
                        {
                            "use_case_id": uc_id,
                            "user_id": small["id"],
                            "role": "EDITOR",
                            "can_share": False,
                            "created_at": at,
                            **keys,
                        }
                    )
                ds = new_id()  # each use case its own dataset, as in use
                files.append(
                    {
                        "id": ds,
                        "version_id": new_id(),
                        "name": f"seed{i}.csv",
                        "categories": [],
                        "created_by": bench["id"],
                        "created_at": at,
                        "updated_by": bench["id"],
                        "updated_at": at,
                        "blob": blob.commit(),
                        "size": blob.size,
                        "row_count": described["row_count"],
                        "columns": described["columns"],
                    }
                )
                refs.append(
                    {
                        "id": new_id(),
                        "use_case_id": uc_id,
                        "entity_type": "dataset",
                        "entity_id": ds,
                        "created_by": bench["id"],
                        "created_at": at,
                    }
                )
                evs.append(
                    {
                        "use_case_id": uc_id,
                        "actor_id": bench["id"],
                        "verb": "created",
                        "entity_type": "useCase",
                        "entity_id": uc_id,
                        "entity_name": ucs[-1]["name"],
                        "at": at,
                    }
                )
                evs.append(
                    {
                        "use_case_id": uc_id,
                        "actor_id": bench["id"],
                        "verb": "added",
                        "entity_type": "dataset",
                        "entity_id": ds,
                        "entity_name": f"seed{i}.csv",
                        "at": at,
                    }
                )
            for table, rows in (
                (datasets, files),
                (use_cases, ucs),
                (memberships, members),
                (links, refs),
                (events, evs),
            ):
                conn.execute(table.insert(), rows)
            text_search.index(conn, ucs)
        recount_memberships(conn)
    store.close()
    return Seed(token, small_token, ids, link_datasets, share_users)
