"""The trash through the API, on SQLite and PostgreSQL: deleting hides a use case or an asset
everywhere, restoring brings back its members or its use cases, purging (on demand or by the
sweep) removes it and the files nothing else uses, and every step is in the feed."""

from __future__ import annotations

import os
import time

import pytest
from http_checks import assert_error
from service_api import Api, new_user
from sqlalchemy import select, update

from ucwidgets.server.app import ServerThread
from ucwidgets.server.store.schema import datasets, trash, use_cases
from ucwidgets.server.store.trash import shift

ROUTES = {
    "dataset": "datasets",
    "project": "projects",
    "application": "applications",
    "notebook": "notebooks",
}
LOOKUP = {"dataset": "datasetId", "project": "projectId", "application": "applicationId"}


def _asset(owner: Api, etype: str, csv: bytes, n: int = 0) -> str:
    if etype == "dataset":
        return owner.upload_dataset(csv)["id"]
    if etype == "project":
        return owner.create_project(owner.upload_dataset(csv)["id"])["id"]
    body = {"name": f"{etype} {n}"}
    if etype == "notebook":
        body["path"] = f"nb{n}.ipynb"
    r = owner.post(f"{ROUTES[etype]}/", json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _trash_ids(who: Api) -> list[tuple[str, str]]:
    r = who.get("trash/")
    assert r.status_code == 200, r.text
    return [(t["entityType"], t["entityId"]) for t in r.json()["data"]]


def _verbs(who: Api, uc: str) -> list[str]:
    return [e["verb"] for e in who.get(f"useCases/{uc}/events/").json()["data"]]


def test_a_deleted_use_case_is_hidden_then_restored_whole(
    any_service, people, risk_csv, database_invariants
):
    srv = any_service

    def invariants(*actors: Api) -> None:
        database_invariants(srv, *actors)

    ann, ben, cat = people
    uc = ann.create_use_case("Risk", description="credit risk")["id"]
    ds = ann.upload_dataset(risk_csv)["id"]
    assert ann.post(f"useCases/{uc}/datasets/{ds}/").status_code == 201
    ann.grant(uc, ben, "EDITOR", can_share=True)
    before = ann.get(f"useCases/{uc}/").json()

    assert ben.delete(f"useCases/{uc}/").status_code == 403  # OWNERs only
    assert ann.delete(f"useCases/{uc}/").status_code == 204
    missing = ann.get(f"useCases/{'a' * 24}/")
    for who in (ann, ben, cat):  # members and outsiders alike: the 404 of a missing one
        got = who.get(f"useCases/{uc}/")
        assert_error(got, 404)
        assert got.content == missing.content
        for path in (f"useCases/{uc}/events/", f"useCases/{uc}/sharedRoles/"):
            assert_error(who.get(path), 404)
        assert who.get("useCases/").json()["totalCount"] == 0
        assert who.get("useCases/", params={"search": "risk"}).json()["data"] == []
        assert who.get("useCases/", params={"datasetId": ds}).json()["data"] == []
        assert who.get("search/", params={"q": "risk", "types": "useCase"}).json()["data"] == []
    assert_error(ann.patch(f"useCases/{uc}/", json={"name": "x"}), 404)
    assert_error(ann.delete(f"useCases/{uc}/"), 404)
    assert_error(ann.post(f"useCases/{uc}/datasets/{ds}/"), 404)
    assert ann.get(f"datasets/{ds}/").json()["useCases"] == []  # its asset stays, unlinked
    # A name is never blocked by the trash.
    assert ann.create_use_case("Risk")["name"] == "Risk"
    (entry,) = [t for t in ann.get("trash/").json()["data"] if t["entityId"] == uc]
    assert entry["entityType"] == "useCase" and entry["name"] == "Risk"
    assert entry["deletedBy"]["username"] == "ann@example.com"
    assert entry["purgeAt"] == shift(entry["deletedAt"], 30)
    assert _trash_ids(ben) == _trash_ids(cat) == []  # an EDITOR may not restore: not listed
    notices = ben.get("events/", params={"after": 0}).json()["data"]
    assert ("deleted", uc) in [(e["verb"], e["entityId"]) for e in notices]
    invariants(ann, ben, cat)

    assert_error(ben.patch(f"useCases/{uc}/deleted/"), 403)
    assert_error(cat.patch(f"useCases/{uc}/deleted/"), 404)
    assert ann.patch(f"useCases/{uc}/deleted/").status_code == 204
    after = ann.get(f"useCases/{uc}/").json()
    keep = ("name", "description", "datasetsCount", "members", "createdAt", "updatedAt")
    assert {k: after[k] for k in keep} == {k: before[k] for k in keep}
    assert ben.get(f"useCases/{uc}/").json()["canEdit"] is True
    assert [u["id"] for u in ben.get("useCases/", params={"datasetId": ds}).json()["data"]] == [uc]
    assert _verbs(ben, uc)[-1] == "restored"
    assert ann.patch(f"useCases/{uc}/deleted/").status_code == 204  # not deleted: a no-op
    assert _verbs(ben, uc)[-1] == "restored"
    invariants(ann, ben, cat)


@pytest.mark.parametrize("etype", ["project", "application"])
def test_a_one_home_asset_stays_with_its_use_case_in_the_trash(
    any_service, people, risk_csv, database_invariants, etype
):
    ann, ben, cat = people
    old, new = ann.create_use_case("Old")["id"], ann.create_use_case("New")["id"]
    asset = _asset(ann, etype, risk_csv)
    segment = ROUTES[etype]
    assert ann.post(f"useCases/{old}/{segment}/{asset}/").status_code == 201
    assert ann.delete(f"useCases/{old}/").status_code == 204
    # Kept for the use case's restore, and the refusal says where it is.
    refused = ann.post(f"useCases/{new}/{segment}/{asset}/")
    assert_error(refused, 409)
    assert "a use case in the trash" in refused.json()["message"]
    assert ann.patch(f"useCases/{old}/deleted/").status_code == 204
    holders = ann.get("useCases/", params={LOOKUP[etype]: asset}).json()["data"]
    assert [uc["id"] for uc in holders] == [old]
    # Purged, the use case lets it go.
    assert ann.delete(f"useCases/{old}/").status_code == 204
    assert ann.delete(f"trash/useCase/{old}/").status_code == 204
    assert ann.post(f"useCases/{new}/{segment}/{asset}/").status_code == 201
    database_invariants(any_service, ann, ben, cat)


@pytest.mark.parametrize("etype", list(ROUTES))
def test_a_deleted_asset_leaves_its_use_cases_until_restored(
    make_user, risk_csv, invariants, etype
):
    ann, ben = make_user("ann@example.com", "Ann"), make_user("ben@example.com", "Ben")
    uc = ann.create_use_case("Risk")["id"]
    asset = _asset(ann, etype, risk_csv)
    route = ROUTES[etype]
    if etype == "project":  # a project in set-up brings its dataset along
        assert ann.post(f"useCases/{uc}/projects/{asset}/").status_code == 201
    else:
        assert ann.post(f"useCases/{uc}/{route}/{asset}/").status_code == 201
    ann.grant(uc, ben, "EDITOR")
    count = f"{etype}sCount"
    assert ann.get(f"useCases/{uc}/").json()[count] == 1
    got = ann.get(f"{route}/{asset}/").json()
    found = {"q": got.get("name", got.get("projectName")), "types": etype}
    assert [h["id"] for h in ben.get("search/", params=found).json()["data"]] == [asset]

    assert_error(ben.delete(f"{route}/{asset}/"), 403)  # a lent role stops at EDITOR
    assert ann.delete(f"{route}/{asset}/").status_code == 204
    for who in (ann, ben):
        assert_error(who.get(f"{route}/{asset}/"), 404)
        assert who.get(f"useCases/{uc}/").json()[count] == 0
        listed = who.get(f"{route}/", params={"useCaseIds": uc}).json()
        listed = listed if isinstance(listed, list) else listed["data"]  # projects: bare array
        assert asset not in [a.get("id", a.get("datasetId")) for a in listed]
        assert who.get("search/", params=found).json()["data"] == []
        if etype in LOOKUP:
            assert who.get("useCases/", params={LOOKUP[etype]: asset}).json()["data"] == []
    assert_error(ben.get(f"{route}/{asset}/sharedRoles/"), 404)
    assert_error(ben.patch(f"{route}/{asset}/deleted/"), 404)  # no role of their own on it
    grant = {"role": "CONSUMER", "shareRecipientType": "user", "id": ben.id}
    assert_error(ann.patch(f"{route}/{asset}/sharedRoles/", json={"roles": [grant]}), 404)
    assert_error(ann.delete(f"{route}/{asset}/"), 404)
    assert_error(ann.post(f"useCases/{uc}/{route}/{asset}/"), 404)
    assert _trash_ids(ann) == [(etype, asset)] and _trash_ids(ben) == []
    assert _verbs(ben, uc)[-1] == "deleted"
    invariants(ann, ben)

    assert ann.patch(f"{route}/{asset}/deleted/").status_code == 204
    assert ben.get(f"useCases/{uc}/").json()[count] == 1
    assert ben.get(f"{route}/{asset}/").status_code == 200  # lent again through the use case
    assert _verbs(ben, uc)[-1] == "restored"
    assert _trash_ids(ann) == []
    invariants(ann, ben)


def test_purge_removes_the_object_and_the_files_nothing_else_uses(any_service, people, risk_csv):
    srv = any_service
    ann, ben, _ = people
    uc = ann.create_use_case("Risk")["id"]
    ann.grant(uc, ben, "EDITOR")
    alone = ann.upload_dataset(risk_csv + b"99,1,east,1\n")["id"]
    shared, twin = (ann.upload_dataset(risk_csv)["id"] for _ in range(2))  # one file, two rows
    assert ann.post(f"useCases/{uc}/datasets/{alone}/").status_code == 201
    with srv.store.db.read() as conn:
        blobs = dict(conn.execute(select(datasets.c.id, datasets.c.blob)).all())
    for digest in set(blobs.values()):  # older than an upload in progress could be
        os.utime(srv.store.blobs.path(digest), (time.time() - 7200,) * 2)
    for ds in (alone, shared):
        assert ann.delete(f"datasets/{ds}/").status_code == 204
    assert_error(ben.delete(f"trash/dataset/{alone}/"), 404)  # not theirs: no trace of it
    assert_error(ann.delete(f"trash/dataset/{twin}/"), 404)  # not in the trash
    assert ann.delete(f"trash/dataset/{alone}/").status_code == 204
    assert ann.delete(f"trash/dataset/{shared}/").status_code == 204
    assert not srv.store.blobs.path(blobs[alone]).exists()
    assert srv.store.blobs.path(blobs[shared]).exists()  # the twin still reads it
    assert ann.get(f"datasets/{twin}/file/").content == risk_csv
    assert_error(ann.patch(f"datasets/{alone}/deleted/"), 404)
    assert_error(ann.delete(f"trash/dataset/{alone}/"), 404)
    assert _trash_ids(ann) == []
    assert _verbs(ben, uc)[-2:] == ["deleted", "purged"]

    assert ann.delete(f"useCases/{uc}/").status_code == 204
    assert ann.delete(f"trash/useCase/{uc}/").status_code == 204
    with srv.store.db.read() as conn:
        assert conn.execute(select(use_cases.c.id).where(use_cases.c.id == uc)).all() == []
    notices = [(e["verb"], e["entityId"]) for e in ben.get("events/?after=0").json()["data"]]
    assert notices[-2:] == [("deleted", uc), ("purged", uc)]
    assert ann.create_use_case("Risk")["name"] == "Risk"  # the name was never held


def _age(srv: ServerThread, days: float) -> None:
    """Move every deletion ``days`` into the past (as if that much time had gone by)."""
    with srv.store.db.write() as conn:
        for row in conn.execute(select(trash)).all():
            conn.execute(
                update(trash)
                .where(trash.c.entity_type == row.entity_type, trash.c.entity_id == row.entity_id)
                .values(deleted_at=shift(row.deleted_at, -days))
            )


def test_the_sweep_purges_what_outlived_the_trash_days(any_service, people, risk_csv):
    srv = any_service
    ann = people[0]
    old_uc, new_uc = (ann.create_use_case(n)["id"] for n in ("Old", "New"))
    ds = ann.upload_dataset(risk_csv)["id"]
    assert ann.delete(f"useCases/{old_uc}/").status_code == 204
    assert ann.delete(f"datasets/{ds}/").status_code == 204
    _age(srv, 31)
    assert ann.delete(f"useCases/{new_uc}/").status_code == 204
    assert srv.service.sweep()[0] == 2
    assert _trash_ids(ann) == [("useCase", new_uc)]
    assert_error(ann.patch(f"useCases/{old_uc}/deleted/"), 404)
    notices = [(e["verb"], e["entityId"]) for e in ann.get("events/?after=0").json()["data"]]
    assert ("purged", old_uc) in notices  # recorded as done by whoever deleted it


def test_the_sweep_runs_at_start_up_and_then_periodically(tmp_path):
    data = tmp_path / "data"
    srv = ServerThread(data_dir=data).start()
    try:
        ann = new_user(srv, "ann@example.com", "Ann")
        ucs = [ann.create_use_case(f"Risk {i}")["id"] for i in range(2)]
        assert ann.delete(f"useCases/{ucs[0]}/").status_code == 204
        _age(srv, 2)
    finally:
        srv.stop()
    srv = ServerThread(data_dir=data, trash_days=1, sweep_interval_s=0.05).start()
    try:
        ann = Api(srv.url, ann.token, ann.user)
        assert _trash_ids(ann) == []  # purged at start-up
        assert ann.delete(f"useCases/{ucs[1]}/").status_code == 204
        _age(srv, 2)
        deadline = time.monotonic() + 60
        while _trash_ids(ann) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _trash_ids(ann) == []
    finally:
        srv.stop()


def test_orphaned_files_go_but_never_a_young_one_or_an_upload_in_progress(
    service, make_user, risk_csv
):
    ann = make_user("ann@example.com", "Ann")
    kept = ann.upload_dataset(risk_csv)["id"]
    blobs = service.store.blobs
    orphan, young = blobs.put_bytes(b"cut off\n").digest, blobs.put_bytes(b"on its way\n").digest
    writer = blobs.writer()  # an upload still streaming in
    writer.write(b"half")
    with service.store.db.read() as conn:
        used = conn.execute(select(datasets.c.blob).where(datasets.c.id == kept)).scalar_one()
    for digest in (orphan, used):
        os.utime(blobs.path(digest), (time.time() - 7200,) * 2)
    assert service.service.sweep() == (0, 1)
    assert not blobs.path(orphan).exists()
    assert blobs.path(young).exists() and blobs.path(used).exists()
    assert writer.temp_path.exists()
    writer.write(b" done")
    assert blobs.path(writer.commit()).read_bytes() == b"half done"
    assert ann.get(f"datasets/{kept}/file/").content == risk_csv


def test_whoever_takes_over_a_deactivated_owner_gets_their_trash(
    service, make_user, risk_csv, invariants
):
    ann, ben = make_user("ann@example.com", "Ann"), make_user("ben@example.com", "Ben")
    uc = ann.create_use_case("Risk")["id"]
    ds = ann.upload_dataset(risk_csv)["id"]
    ann.grant(uc, ben, "CONSUMER")
    for path in (f"useCases/{uc}/", f"datasets/{ds}/"):
        assert ann.delete(path).status_code == 204
    service.store.sharing.deactivate_user(ann.username, transfer_to=ben.username)
    assert sorted(_trash_ids(ben)) == sorted([("useCase", uc), ("dataset", ds)])
    invariants(ben)
    for path in (f"useCases/{uc}/deleted/", f"datasets/{ds}/deleted/"):
        assert ben.patch(path).status_code == 204
    assert ben.get(f"useCases/{uc}/").json()["role"] == "OWNER"
    assert ben.get(f"datasets/{ds}/").json()["canDelete"] is True
    invariants(ben)
