"""Dataset and model files in object storage shared by replicas: an S3-compatible server (moto,
started here on 127.0.0.1) and two services on one PostgreSQL, each with its own local cache."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import pytest
from http_checks import assert_error
from service_api import Api
from sqlalchemy import select

from ucwidgets.errors import ServiceUnavailable
from ucwidgets.server.app import ServerThread
from ucwidgets.server.store import Store
from ucwidgets.server.store.schema import datasets, models

s3fs = pytest.importorskip("s3fs", reason="object storage needs s3fs (ucwidgets[s3])")
moto_server = pytest.importorskip("moto.server", reason="the S3 stand-in needs moto[server]")

#: The demo's credit-risk data: enough rows to train every blueprint.
RISK_DATA = (Path(__file__).resolve().parents[2] / "notebooks" / "risk_data.csv").read_bytes()


@pytest.fixture
def bucket(monkeypatch) -> str:
    """A fresh bucket on a local S3-compatible server; the environment points fsspec at it."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    for name, value in {
        "FSSPEC_S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    name = f"ucw-{uuid.uuid4().hex[:12]}"  # moto keeps buckets across servers of one process
    s3fs.S3FileSystem(endpoint_url=endpoint).mkdir(name)
    yield name
    server.stop()


def _keys(bucket: str) -> set[str]:
    fs = s3fs.S3FileSystem(
        endpoint_url=os.environ["FSSPEC_S3_ENDPOINT_URL"], skip_instance_cache=True
    )
    return {key.rsplit("/", 2)[-2] + key.rsplit("/", 1)[-1] for key in fs.find(f"{bucket}/blobs")}


def test_replicas_share_dataset_and_model_files_through_the_bucket(pg_cluster, bucket, tmp_path):
    url = pg_cluster.create_database("ucw_object_storage")
    a, b = (
        ServerThread(
            data_dir=tmp_path / name, database_url=url, blob_url=f"s3://{bucket}/blobs"
        ).start()
        for name in "ab"
    )
    try:
        user, token = a.store.users.create("ann@example.com", full_name="Ann")
        via_a, via_b = Api(a.url, token, user), Api(b.url, token, user)
        content = RISK_DATA
        dataset = via_a.upload_dataset(content)["id"]
        with a.store.db.read() as conn:
            digest = conn.execute(select(datasets.c.blob).where(datasets.c.id == dataset)).scalar()
        assert digest in _keys(bucket)  # in the bucket once the upload was acknowledged
        assert not b.store.blobs.cached(digest).exists()
        assert via_b.get(f"datasets/{dataset}/file/").content == content  # b fetched it

        # b's engine may train from a's upload, and a predicts with the models b stored.
        project = via_b.create_project(dataset)["id"]
        r = via_b.patch(f"projects/{project}/aim/", json={"target": "credit_risk"})
        assert r.status_code == 202, r.text
        deadline = time.monotonic() + 300
        while not via_a.get(f"projects/{project}/status/").json()["autopilotDone"]:
            assert time.monotonic() < deadline, "modeling did not finish"
            time.sleep(0.2)
        with a.store.db.read() as conn:
            trained = set(
                conn.execute(select(models.c.blob).where(models.c.project_id == project)).scalars()
            )
        assert trained and trained <= _keys(bucket)
        model = via_a.get(f"projects/{project}/models/").json()[0]["id"]
        r = via_a.post(
            f"projects/{project}/models/{model}/predictions/",
            data=content[:2000],
            headers={"Content-Type": "text/csv"},
        )
        assert r.status_code in (200, 201), r.text

        # A purge removes the file from the bucket (once old enough), through either replica.
        assert via_a.delete(f"projects/{project}/").status_code == 204
        assert via_b.delete(f"trash/project/{project}/").status_code == 204
        assert via_a.delete(f"datasets/{dataset}/").status_code == 204
        a.store.blobs.grace_s = 0
        assert via_b.delete(f"trash/dataset/{dataset}/").status_code == 204
        a.store.trash.collect_blobs()
        assert digest not in _keys(bucket)
    finally:
        a.stop()
        b.stop()


def test_storage_that_does_not_answer_is_refused_at_start(tmp_path, monkeypatch):
    monkeypatch.setenv("FSSPEC_S3_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with pytest.raises(ServiceUnavailable, match="dataset storage did not answer"):
        Store.open(tmp_path / "data", blob_url="s3://nowhere/blobs")


def test_an_upload_the_bucket_refuses_is_a_503_and_leaves_nothing(bucket, tmp_path):
    srv = ServerThread(data_dir=tmp_path / "data", blob_url=f"s3://{bucket}/blobs").start()
    try:
        user, token = srv.store.users.create("ann@example.com", full_name="Ann")
        ann = Api(srv.url, token, user)
        s3fs.S3FileSystem(endpoint_url=os.environ["FSSPEC_S3_ENDPOINT_URL"]).rm(
            bucket, recursive=True
        )
        r = ann.post("datasets/fromFile/", files={"file": ("risk.csv", RISK_DATA)})
        assert_error(r, 503)
        assert ann.get("datasets/").json()["data"] == []
        assert list(srv.store.blobs.tmp_dir.iterdir()) == []
    finally:
        srv.stop()
