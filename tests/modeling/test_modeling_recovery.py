"""Jobs outlive the service: a clean stop hands running jobs back to the queue, a crashed
service's jobs restart, a result met by a locked database is recorded once it is free, and a
training process that dies fails its job, not the service."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from modeling_data import csv_bytes, make_frame, wait_for_modeling, wait_until
from service_api import Api, new_user
from sqlalchemy import select

from ucwidgets.server.app import ServerThread
from ucwidgets.server.store import Store
from ucwidgets.server.store.schema import modeling_jobs, models

DATA = csv_bytes(make_frame(3000, seed=7))  # big enough that a job is caught running


def _aim(api: Api, target: str = "loss") -> str:
    project = api.create_project(api.upload_dataset(DATA, "loans.csv")["datasetId"])
    assert api.patch(f"projects/{project['id']}/aim/", json={"target": target}).status_code == 202
    return project["id"]


def _running(api: Api, pid: str) -> bool:
    return api.get(f"projects/{pid}/status/").json()["jobCounts"]["running"] > 0


def _job_states(data_dir: Path) -> list[tuple[str, str]]:
    """The jobs' states, read straight from the database while no service runs."""
    store = Store.open(data_dir)
    try:
        with store.db.read() as conn:
            return [
                tuple(r)
                for r in conn.execute(
                    select(modeling_jobs.c.blueprint, modeling_jobs.c.status).order_by(
                        modeling_jobs.c.id
                    )
                )
            ]
    finally:
        store.close()


def test_a_stopped_service_hands_its_jobs_back_and_the_next_one_finishes_them(tmp_path):
    data_dir = tmp_path / "data"
    first = ServerThread(data_dir=data_dir).start()
    ann = new_user(first, "ann@example.com", "Ann")
    pids = [_aim(ann), _aim(ann, "defaulted")]
    wait_until(lambda: _running(ann, pids[0]), what="the first job to run")
    first.stop()

    states = _job_states(data_dir)
    assert ("linear", "queued") in states and not any(s == "running" for _, s in states)
    assert [s for _, s in states].count("queued") >= 5  # stopped mid-queue

    second = ServerThread(data_dir=data_dir).start()
    try:
        ann = Api(second.url, ann.token, ann.user)
        for pid in pids:
            assert wait_for_modeling(ann, pid)["modelingStatus"] == "done"
            board = ann.get(f"projects/{pid}/models/").json()
            assert sorted(m["modelNumber"] for m in board) == [1, 2, 3]  # each trained once
    finally:
        second.stop()


def test_the_jobs_of_a_crashed_service_restart(tmp_path):
    data_dir = tmp_path / "data"
    serve = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from ucwidgets.cli import main; main()",
            "serve",
            "--port",
            "0",
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = serve.stdout.readline().split()[-1]  # "serving at http://HOST:PORT/api/v2"
        ann = Api(url, (data_dir / "token").read_text().strip())
        pid = _aim(ann)
        wait_until(lambda: _running(ann, pid), what="the first job to run")
    finally:
        os.kill(serve.pid, signal.SIGKILL)  # no clean stop: its jobs stay "running"
        serve.wait()
        serve.stdout.close()
    assert ("linear", "running") in _job_states(data_dir)

    restarted = ServerThread(data_dir=data_dir).start()
    try:
        ann = Api(restarted.url, restarted.token)
        assert wait_for_modeling(ann, pid)["modelingStatus"] == "done"
        assert len(ann.get(f"projects/{pid}/models/").json()) == 3
    finally:
        restarted.stop()


def test_a_result_met_by_a_locked_database_is_recorded_once_it_is_free(tmp_path, caplog):
    # Another program holds SQLite's write lock past the service's busy timeout just as a model
    # finishes. The engine tries again: each job trains once, rather than again after the
    # lease runs out minutes later.
    caplog.set_level(logging.WARNING, logger="ucwidgets.server.modeling")
    data_dir = tmp_path / "data"
    service = ServerThread(data_dir=data_dir, busy_timeout_s=0.2).start()
    holder = sqlite3.connect(data_dir / "ucwidgets.db", isolation_level=None)
    running = "SELECT count(*) FROM modeling_jobs WHERE status = 'running'"
    try:
        ann = new_user(service, "ann")
        pid = _aim(ann)
        while True:  # take the lock while a job trains (one may finish between the two looks)
            wait_until(lambda: _running(ann, pid), what="a job to run")
            holder.execute("BEGIN IMMEDIATE")
            if holder.execute(running).fetchone()[0]:
                break
            holder.execute("ROLLBACK")
        wait_until(lambda: "trying again" in caplog.text, what="a refused try to record a result")
        holder.execute("ROLLBACK")

        status = wait_for_modeling(ann, pid)
        assert status["jobCounts"] == {"queued": 0, "running": 0, "done": 3, "failed": 0}
        board = ann.get(f"projects/{pid}/models/").json()
        assert sorted(m["modelNumber"] for m in board) == [1, 2, 3]
        with service.store.db.read() as conn:
            attempts = conn.execute(select(modeling_jobs.c.attempts)).scalars().all()
        assert attempts == [1, 1, 1]
    finally:
        holder.close()
        service.stop()


def test_a_training_process_that_dies_fails_its_job_not_the_service(service, alice):
    pid = _aim(alice)
    engine = service.service.modeling
    wait_until(lambda: engine._busy, what="a training process")
    for process in list(engine._busy):
        process.proc.kill()  # as the kernel's OOM killer would

    status = wait_for_modeling(alice, pid)
    assert status["jobCounts"] == {"queued": 0, "running": 0, "done": 2, "failed": 1}
    assert status["modelingStatus"] == "done" and "stopped unexpectedly" in status["failure"]
    assert len(alice.get(f"projects/{pid}/models/").json()) == 2
    assert alice.get("health/").json()["status"] == "ok"
    failed = alice.get(f"projects/{pid}/modelJobs/?status=error").json()
    assert [j["status"] for j in failed] == ["error"]
    with service.store.db.read() as conn:
        assert conn.execute(select(models.c.id)).all() != []
