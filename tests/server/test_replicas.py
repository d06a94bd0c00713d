"""Several services on one PostgreSQL database behave as one: a write through one replica is
pushed to the clients of another (``LISTEN``/``NOTIFY``) and read through it at once, and
replicas starting together migrate the database once (an advisory lock). A write through one
replica reaches a widget connected to another."""

from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import websocket
from service_api import Api, new_user
from sqlalchemy import select, text
from widgets._helpers import until

import ucwidgets as dr
from ucwidgets.models.events import list_events
from ucwidgets.models.sharing import SharingRole
from ucwidgets.rest import RESTClientObject
from ucwidgets.server.app import ServerThread
from ucwidgets.server.modeling.jobs import TrainedModel
from ucwidgets.server.push import EventHub
from ucwidgets.server.store import Store
from ucwidgets.server.store.db import EVENTS_WRITTEN, READY, Database, migrate, readiness
from ucwidgets.server.store.modeling import Target
from ucwidgets.server.store.schema import modeling_jobs, models, projects, use_cases
from ucwidgets.widgets.activity import ActivityFeed

#: The demo's credit-risk data: enough rows to train every blueprint.
RISK_DATA = Path(__file__).resolve().parents[2] / "notebooks" / "risk_data.csv"


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
        user, token = a.store.users.create("ann@example.com", full_name="Ann")
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


def test_the_walkthrough_through_alternating_replicas(pg_url, tmp_path):
    # Two services on one database and one shared data dir (dataset files on a shared volume).
    shared = tmp_path / "shared"
    replicas = [ServerThread(data_dir=shared, database_url=pg_url).start() for _ in "ab"]
    try:
        _, token = replicas[0].store.users.create("ann@example.com", full_name="Ann")
        replicas[1].store.users.create("bob@example.com", full_name="Bob")
        turn = iter(range(1_000))

        def via_next_replica() -> None:  # every step goes to the other replica
            dr.Client(token=token, endpoint=replicas[next(turn) % 2].url)

        via_next_replica()
        risk = dr.UseCase.create(name="Financial Risk")
        via_next_replica()
        dataset = dr.Dataset.create_from_file(file_path=str(RISK_DATA), use_case=risk)
        via_next_replica()
        second = dr.UseCase.create(name="Financial Risk 2")
        via_next_replica()
        second.add(entity=dataset)
        via_next_replica()
        project = dr.Project.create_from_dataset(
            dataset_id=dataset.id, project_name="Risk v1", use_case=risk
        )
        via_next_replica()
        project.analyze_and_model(target="credit_risk")
        via_next_replica()
        project.wait_for_autopilot(check_interval=0.5, timeout=300, verbosity=0)
        via_next_replica()
        app = dr.Application.create(name="Scorer", url="https://apps.example.com/scorer")
        via_next_replica()
        risk.add(entity=app)
        via_next_replica()
        with risk:
            dr.Dataset.create_from_file(file_path=str(RISK_DATA))
        for role in ("CONSUMER", "NO_ROLE"):
            via_next_replica()
            risk.share(
                [SharingRole(role=role, share_recipient_type="user", username="bob@example.com")]
            )
        via_next_replica()
        assert len(risk.list_datasets()) == 2
        assert [p.id for p in risk.list_projects()] == [project.id]
        assert [a.id for a in risk.list_applications()] == [app.id]
        assert [m.username for m in risk.get_shared_roles()] == ["ann@example.com"]

        # One feed, one order: both replicas list the same events, ids rising with the steps.
        feeds = []
        for replica in replicas:
            dr.Client(token=token, endpoint=replica.url)
            feeds.append([(e.id, e.verb, e.entity_type) for e in list_events(risk)])
        assert feeds[0] == feeds[1]
        ids, changes = [event_id for event_id, *_ in feeds[0]], [c for _, *c in feeds[0]]
        assert ids == sorted(set(ids))
        steps = [c for c in changes if c != ["modified", "project"]]  # modeling's own events
        assert steps == [
            ["created", "useCase"],
            ["added", "dataset"],
            ["added", "project"],
            ["added", "application"],
            ["added", "dataset"],
            ["shared", "user"],
            ["unshared", "user"],
        ]
        trained = changes.index(["added", "application"]) - changes.index(["added", "project"])
        assert trained > 1  # the modeling events came between, where they happened

        # Both replicas' engines took jobs from one queue: each blueprint trained exactly once.
        with replicas[0].store.db.read() as conn:
            jobs = conn.execute(
                select(
                    modeling_jobs.c.blueprint, modeling_jobs.c.status, modeling_jobs.c.attempts
                ).where(modeling_jobs.c.project_id == project.id)
            ).all()
            assert jobs and all((status, tries) == ("done", 1) for _, status, tries in jobs)
            trained = conn.execute(
                select(models.c.blueprint).where(models.c.project_id == project.id)
            ).scalars()
            assert sorted(trained) == sorted(blueprint for blueprint, *_ in jobs)
    finally:
        for replica in replicas:
            replica.stop()


def test_two_replicas_finishing_a_projects_last_jobs_at_once_leave_it_done(pg_url, tmp_path):
    # Each finished job settles its project's status by counting the project's jobs. Two
    # replicas finishing its last two jobs at once must not each count the other's as still
    # running (neither has committed yet): the project would say "running" for good, so that
    # wait_for_autopilot never returns, and two of its models would share a number.
    # A transaction holding the use case's row makes the two overlap every time: the first
    # finish waits on it (for its feed event) while the second goes as far as it can.
    service = ServerThread(data_dir=tmp_path, database_url=pg_url).start()
    try:
        ann = new_user(service, "ann@example.com")
        uc = ann.create_use_case("Risk")
        pid = ann.create_project(ann.upload_dataset(RISK_DATA.read_bytes())["datasetId"])["id"]
    finally:
        service.stop()  # no engine takes the jobs: this test plays the two replicas' engines
    store = Store.open(tmp_path, pg_url)
    holder = store.db.engine.connect()
    try:
        store.assets.add_link(ann.user, uc["id"], "project", pid)
        store.modeling.aim(ann.user, pid, Target("credit_risk"))
        model = TrainedModel({}, 0.1, 300, 64.0, "0" * 64, {})
        first = store.modeling.claim("a")
        assert first is not None and store.modeling.finish(first.id, "a", model)
        last = [(store.modeling.claim(worker), worker) for worker in "ab"]
        assert store.modeling.claim("a") is None  # those were the project's last jobs

        def waiting_on_locks() -> int:
            with store.db.read() as conn:
                return conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        " AND datname = current_database()"
                    )
                ).scalar_one()

        holder.begin()
        holder.execute(select(use_cases.c.id).where(use_cases.c.id == uc["id"]).with_for_update())
        finished: list[bool] = []
        finishes = [
            threading.Thread(
                target=lambda j=job, w=worker: finished.append(
                    store.modeling.finish(j.id, w, model)
                )
            )
            for job, worker in last
        ]
        for count, thread in enumerate(finishes, start=1):
            thread.start()
            until(lambda n=count: waiting_on_locks() == n, f"{count} finish(es) waiting")
        holder.rollback()
        for thread in finishes:
            thread.join(timeout=30)
        assert finished == [True, True]
        with store.db.read() as conn:
            status = conn.execute(
                select(projects.c.modeling_status).where(projects.c.id == pid)
            ).scalar_one()
            numbers = conn.execute(
                select(models.c.model_number).where(models.c.project_id == pid)
            ).scalars()
            assert (status, sorted(numbers)) == ("done", [1, 2, 3])
    finally:
        holder.close()
        store.close()


def test_a_feed_connected_to_one_replica_shows_a_write_through_the_other(pg_url, tmp_path):
    replicas = [
        ServerThread(data_dir=tmp_path / name, database_url=pg_url).start() for name in "ab"
    ]
    feed = None
    try:
        a, b = replicas
        ann, ann_token = a.store.users.create("ann@example.com", full_name="Ann")
        bob, bob_token = a.store.users.create("bob@example.com", full_name="Bob")
        ann_api = Api(a.url, ann_token, ann)
        uc = ann_api.create_use_case("Fraud")
        ann_api.grant(uc["id"], Api(a.url, bob_token, bob), "EDITOR")
        feed = ActivityFeed(client=RESTClientObject(b.url, bob_token))
        until(lambda: feed.live == "live", "bob's feed on replica b going live")
        assert ann_api.patch(f"useCases/{uc['id']}/", json={"description": "new"}).ok
        until(lambda: feed.items[0]["verb"] == "updated", "ann's change through a in the feed on b")
    finally:
        if feed is not None:
            feed.close()
        for replica in replicas:
            replica.stop()
