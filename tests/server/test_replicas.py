"""Several services on one PostgreSQL database behave as one: a write through one replica is
pushed to the clients of another (``LISTEN``/``NOTIFY``) and read through it at once, and
replicas starting together migrate the database once (an advisory lock)."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import websocket
from service_api import Api

from ucwidgets.server.app import ServerThread
from ucwidgets.server.push import EventHub
from ucwidgets.server.store import Store
from ucwidgets.server.store.db import EVENTS_WRITTEN, READY, Database, migrate, readiness


@pytest.fixture
def pg_url(pg_cluster, request) -> str:
    return pg_cluster.create_database(f"ucw_replicas_{request.node.name[-40:].lower()}")


def test_a_commit_through_one_database_wakes_the_hub_of_another(pg_url):
    writer, reader = Database(pg_url), Database(pg_url)
    migrate(writer)
    hub = EventHub(reader)

    async def main() -> None:
        # The listener wakes everyone once it listens (for what it may have missed): wait for that.
        await asyncio.wait_for(hub.waiter(), 10)
        woken = hub.waiter()
        with writer.write() as conn:  # what a write that records an event does
            conn.info[EVENTS_WRITTEN] = True
        # Nothing polls here: only the NOTIFY sent at that commit can resolve the future.
        await asyncio.wait_for(woken, 10)

    try:
        asyncio.run(main())
    finally:
        hub.close()
        writer.dispose()
        reader.dispose()


def test_a_write_through_one_replica_reaches_a_client_of_the_other(pg_url, tmp_path):
    replicas = [
        ServerThread(data_dir=tmp_path / name, database_url=pg_url).start() for name in "ab"
    ]
    try:
        a, b = replicas
        user, token = a.store.create_user("ann@example.com", full_name="Ann")
        ws = websocket.create_connection(
            "ws" + b.url.removeprefix("http") + "/events/ws/",
            header=[f"Authorization: Token {token}"],
            timeout=20,
        )
        try:
            ws.send("{}")
            json.loads(ws.recv())  # the cursor
            created = Api(a.url, token, user).create_use_case("Across replicas")
            pushed = json.loads(ws.recv())
        finally:
            ws.close()
        assert (pushed["entityId"], pushed["entityName"]) == (created["id"], "Across replicas")
        assert Api(b.url, token, user).get(f"useCases/{created['id']}/").json()["name"] == (
            "Across replicas"
        )
    finally:
        for replica in replicas:
            replica.stop()


def test_replicas_starting_at_once_on_an_empty_database_migrate_it_once(pg_url, tmp_path):
    # Different data dirs (different hosts): no shared start-up file lock, only the database's.
    with ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(lambda i: Store.open(tmp_path / f"host{i}", pg_url), range(4)))
    try:
        assert all(readiness(store.db) == READY for store in stores)
    finally:
        for store in stores:
            store.close()
