"""Dataset routes: upload (202 -> 303 -> resource), read, list, change, delete, download."""

from __future__ import annotations

import dateutil.parser
from http_checks import (
    DATASET_FIELDS,
    assert_camel_case,
    assert_error,
    assert_fields,
    assert_no_content,
    assert_page,
    events,
    follow_job,
)


def test_upload_is_202_then_303_then_the_dataset(alice, risk_csv):
    r = alice.post("datasets/fromFile/", files={"file": ("risk_data.csv", risk_csv)})
    assert r.headers["Content-Type"] == "application/json"
    assert {"catalogId", "catalogVersionId", "statusId"} <= set(r.json())
    ds = follow_job(alice, r, "datasets")
    assert_fields(ds, DATASET_FIELDS)
    assert_camel_case(ds)
    assert ds["datasetId"] == r.json()["catalogId"]
    assert (ds["name"], ds["rowCount"], ds["datasetSize"]) == ("risk_data.csv", 7, len(risk_csv))
    assert ds["processingState"] == "COMPLETED" and ds["categories"] == []
    assert [c["name"] for c in ds["columns"]] == ["age", "income", "region", "credit_risk"]
    dateutil.parser.isoparse(ds["creationDate"])


def test_status_of_someone_elses_job_is_404(alice, bob, risk_csv):
    r = alice.post("datasets/fromFile/", files={"file": ("risk_data.csv", risk_csv)})
    assert_error(bob.session.get(r.headers["Location"], allow_redirects=False), 404)
    assert_error(alice.get(f"status/{'0' * 24}/"), 404)


def test_get_by_id_and_visibility(alice, bob, risk_csv):
    ds = alice.upload_dataset(risk_csv)
    assert alice.get(f"datasets/{ds['datasetId']}/").json() == ds
    assert_error(bob.get(f"datasets/{ds['datasetId']}/"), 404)
    uc = alice.create_use_case("Risk")
    alice.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    alice.grant(uc["id"], bob, "CONSUMER")
    assert bob.get(f"datasets/{ds['datasetId']}/").status_code == 200


def test_list_pages_and_filters_by_use_case(alice, risk_csv):
    uc = alice.create_use_case("Risk")
    ids = [alice.upload_dataset(risk_csv, f"d{i}.csv")["datasetId"] for i in range(3)]
    alice.post(f"useCases/{uc['id']}/datasets/{ids[0]}/")
    page = assert_page(alice.get("datasets/", params={"limit": 2}), alice.base)
    assert (page["count"], page["totalCount"]) == (2, 3)
    rest = assert_page(alice.session.get(page["next"], timeout=30), alice.base)
    assert rest["next"] is None
    assert sorted(d["datasetId"] for d in page["data"] + rest["data"]) == sorted(ids)
    for d in page["data"]:
        assert_fields(d, DATASET_FIELDS)
    linked = alice.get("datasets/", params={"useCaseIds": uc["id"]}).json()
    assert [d["datasetId"] for d in linked["data"]] == [ids[0]]
    by_name = alice.get("datasets/", params={"orderBy": "name", "filterFailed": "true"}).json()
    assert [d["name"] for d in by_name["data"]] == ["d0.csv", "d1.csv", "d2.csv"]


def test_patch_name_and_categories_writes_modified(alice, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    alice.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    r = alice.patch(
        f"datasets/{ds['datasetId']}/", json={"name": "renamed.csv", "categories": ["TRAINING"]}
    )
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["categories"]) == ("renamed.csv", ["TRAINING"])
    assert events(alice, uc["id"])[-1] == ("modified", "dataset", "renamed.csv")
    listed = alice.get("datasets/", params={"category": "TRAINING"}).json()["data"]
    assert [d["datasetId"] for d in listed] == [ds["datasetId"]]


def test_only_the_creator_or_an_editor_may_patch(alice, bob, carol, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    alice.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    alice.grant(uc["id"], bob, "EDITOR")
    alice.grant(uc["id"], carol, "CONSUMER")
    assert bob.patch(f"datasets/{ds['datasetId']}/", json={"name": "b.csv"}).status_code == 200
    assert_error(carol.patch(f"datasets/{ds['datasetId']}/", json={"name": "c.csv"}), 403)
    assert_error(bob.delete(f"datasets/{ds['datasetId']}/"), 403)


def test_delete_is_204_and_announced_to_its_use_cases(alice, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    alice.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    assert_no_content(alice.delete(f"datasets/{ds['datasetId']}/"))
    assert_error(alice.get(f"datasets/{ds['datasetId']}/"), 404)
    assert events(alice, uc["id"])[-1] == ("deleted", "dataset", "risk_data.csv")
    assert alice.get(f"useCases/{uc['id']}/").json()["datasetsCount"] == 0


def test_file_download_returns_the_uploaded_bytes(alice, bob, risk_csv):
    ds = alice.upload_dataset(risk_csv)
    r = alice.get(f"datasets/{ds['datasetId']}/file/")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/csv")
    assert r.content == risk_csv
    assert_error(bob.get(f"datasets/{ds['datasetId']}/file/"), 404)


def test_uploading_the_same_bytes_twice_makes_two_datasets(alice, risk_csv):
    a, b = alice.upload_dataset(risk_csv), alice.upload_dataset(risk_csv)
    assert a["datasetId"] != b["datasetId"]
    assert_no_content(alice.delete(f"datasets/{a['datasetId']}/"))
    assert alice.get(f"datasets/{b['datasetId']}/file/").content == risk_csv
