"""The same domain on SQLite and PostgreSQL: schema, a full flow, and write races.

The PostgreSQL cases run against a throwaway cluster (tests/pg.py), so a team's deployment is
exercised by the suite, not only the embedded default.
"""

from __future__ import annotations

import threading

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from service_api import Api

from ucwidgets.server.store import text_search
from ucwidgets.server.store.schema import metadata


def test_migrated_schema_matches_the_tables(any_service):
    # The search index (an FTS5 table and its shadow tables on SQLite, a pg_trgm index on
    # PostgreSQL) is made by its migration alone: SQLAlchemy's metadata cannot describe it.
    def described(name, _type, _parent) -> bool:
        return not (name or "").startswith(text_search.FTS_TABLE)

    with any_service.store.db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": described})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_flow_share_and_feed(any_service, people, risk_csv):
    ann, ben, _ = people
    uc = ann.create_use_case("Risk", description="Credit risk")
    dataset = ann.upload_dataset(risk_csv)
    assert ann.post(f"useCases/{uc['id']}/datasets/{dataset['datasetId']}/").status_code == 201
    project = ann.create_project(dataset["datasetId"])
    assert ann.post(f"useCases/{uc['id']}/projects/{project['id']}/").status_code == 201
    aim = ann.patch(f"projects/{project['id']}/aim/", json={"target": "credit_risk"})
    assert aim.status_code == 202
    assert ann.get(f"projects/{project['id']}/").json()["targetType"] == "Binary"
    ann.grant(uc["id"], ben, "EDITOR")
    assert [u["name"] for u in ben.get("useCases/?search=RISK").json()["data"]] == ["Risk"]
    feed = ben.get("notifications/?unread=true").json()
    assert feed["unreadCount"] == feed["totalCount"] > 0
    verbs = [e["verb"] for e in ann.get(f"useCases/{uc['id']}/events/").json()["data"]]
    assert verbs[0] == "created" and "shared" in verbs and verbs.count("added") == 2
    got = ann.get(f"useCases/{uc['id']}/").json()
    assert (got["datasetsCount"], got["projectsCount"], len(got["members"])) == (1, 1, 2)


def test_racing_owners_keep_one_owner(any_service, people):
    ann, ben, _ = people
    uc = ann.create_use_case("Shared")
    ann.grant(uc["id"], ben, "OWNER")
    barrier = threading.Barrier(2)
    statuses: dict[str, int] = {}

    def leave(actor: Api) -> None:
        barrier.wait()
        statuses[actor.username] = actor.share(
            uc["id"], {"role": "NO_ROLE", "shareRecipientType": "user", "id": actor.id}
        ).status_code

    threads = [threading.Thread(target=leave, args=(a,)) for a in (ann, ben)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses.values()) == [204, 409]
    stayed = ann if statuses[ann.username] == 409 else ben
    members = stayed.get(f"useCases/{uc['id']}/sharedRoles/").json()["data"]
    assert [(m["name"], m["role"]) for m in members] == [(stayed.username, "OWNER")]


def test_racing_links_of_one_application_one_wins(any_service, people):
    """The single-home rule under a race: on PostgreSQL the unique index, not the check, may be
    what stops the second link; either way the loser gets a 409, never a 500."""
    ann = people[0]
    other = Api(ann.base, ann.token, ann.user)  # a second connection for the second thread
    for _ in range(10):
        one, two = (ann.create_use_case(name)["id"] for name in ("One", "Two"))
        app = ann.post("applications/", json={"name": "App"}).json()["id"]
        barrier = threading.Barrier(2)
        statuses: list[int] = []
        calls = ((ann, one, app, barrier, statuses), (other, two, app, barrier, statuses))
        threads = [threading.Thread(target=_link, args=call) for call in calls]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses) == [201, 409]
        assert len(ann.get(f"applications/{app}/").json()["useCaseIds"]) == 1


def _link(api: Api, uc: str, app: str, barrier: threading.Barrier, statuses: list) -> None:
    barrier.wait()
    statuses.append(api.post(f"useCases/{uc}/applications/{app}/").status_code)
