"""Operations: the command line on any store, health that tells live from ready, JSON logs with
request ids and no tokens, and one clear line for each missing extra."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

from http_checks import assert_error
from service_api import RISK_CSV, Api
from sqlalchemy import text

from ucwidgets.cli import main
from ucwidgets.server.store.db import head_revision


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


class Serve:
    """``ucwidgets serve`` in a process of its own, on a free port, stopped with SIGTERM."""

    def __init__(self, *options: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ucwidgets.cli", "serve", "--port", "0", *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline()  # "serving at http://HOST:PORT/api/v2"
        assert line.startswith("serving at "), self.stop()
        self.url = line.split()[-1]

    def stop(self) -> str:
        """Stop the service; return what it logged."""
        self.proc.send_signal(signal.SIGTERM)
        _, err = self.proc.communicate(timeout=60)
        return err


def test_every_command_takes_a_database_url_with_a_data_dir(pg_cluster, tmp_path, capsys):
    where = ["--database-url", pg_cluster.create_database("ucw_cli"), "--data-dir", str(tmp_path)]
    status, out, _ = _cli(capsys, "db", "upgrade", *where)
    assert (status, out) == (0, f"database at revision {head_revision()}: current\n")
    status, out, _ = _cli(capsys, "user", "add", "ann@example.com", "--json", *where)
    assert status == 0
    ann = json.loads(out)
    status, out, _ = _cli(capsys, "token", "create", "ann@example.com", "--json", *where)
    assert status == 0 and json.loads(out)["token"] != ann["token"]
    assert not (tmp_path / "ucwidgets.db").exists()  # the data dir holds no database

    serve = Serve(*where)
    try:
        me = Api(serve.url, ann["token"]).get("users/me/")
        assert me.status_code == 200 and me.json()["username"] == "ann@example.com"
        assert (tmp_path / "token").stat().st_mode & 0o777 == 0o600  # the local user's token
    finally:
        serve.stop()
    status, out, _ = _cli(capsys, "user", "list", "--json", *where)
    assert sorted(u["username"] for u in json.loads(out))[0] == "ann@example.com"


def test_json_logs_carry_request_ids_and_no_token(tmp_path):
    serve = Serve("--data-dir", str(tmp_path), "--log-format", "json")
    token = (tmp_path / "token").read_text().strip()
    api = Api(serve.url, token)
    try:
        given = api.get("useCases/", headers={"X-Request-Id": "trace-42"})
        made = api.get("useCases/", params={"token": token})  # a token pasted in the query
        odd = api.get("useCases/", headers={"X-Request-Id": "<script>"})
        refused = Api(serve.url, None).get(
            "useCases/", headers={"Authorization": f"Token {token}x"}
        )
    finally:
        logged = serve.stop()
    assert given.headers["X-Request-Id"] == "trace-42"
    assert len(made.headers["X-Request-Id"]) == 32  # made here, not taken from the caller
    assert odd.headers["X-Request-Id"] not in ("<script>", made.headers["X-Request-Id"])
    assert refused.status_code == 401 and refused.headers["X-Request-Id"]
    assert token not in logged
    lines = [json.loads(line) for line in logged.splitlines()]  # every line is one object
    by_id = {line.get("request_id"): line for line in lines if "status" in line}
    for response in (given, made, odd, refused):
        line = by_id[response.headers["X-Request-Id"]]
        assert (line["status"], line["method"], line["path"]) == (
            response.status_code,
            "GET",
            "/api/v2/useCases/",
        )
        assert line["level"] == "INFO" and line["duration_ms"] >= 0


def test_health_tells_live_from_ready(service, anonymous):
    ready = anonymous.get("health/")
    assert ready.status_code == 200
    assert ready.json() | {"version": "-"} == {
        "status": "ok",
        "live": True,
        "ready": True,
        "database": "ok",
        "migrations": "current",
        "version": "-",
    }
    # A newer version of the service migrated the database: this one is live, not ready.
    with service.store.db.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    try:
        stale = anonymous.get("health/")
        assert_error(stale, 503)
        assert stale.headers["Retry-After"] == "5"
        migrations = f"at 9999, expected {head_revision()}"
        assert stale.json() == {
            "message": f"Live but not ready: migrations {migrations}.",
            "errors": {"live": True, "ready": False, "database": "ok", "migrations": migrations},
        }
    finally:
        with service.store.db.write() as conn:
            conn.execute(
                text("UPDATE alembic_version SET version_num = :v"), {"v": head_revision()}
            )
    assert anonymous.get("health/").status_code == 200


def test_without_psycopg_the_command_names_the_extra(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    url = "postgresql+psycopg://ucw@127.0.0.1:1/ucw"
    status, out, err = _cli(
        capsys, "user", "list", "--database-url", url, "--data-dir", str(tmp_path)
    )
    assert (status, out) == (1, "")
    assert err == (
        "ucwidgets: A PostgreSQL database needs psycopg, which is not installed: "
        "pip install 'ucwidgets[postgres]'\n"
    )


def test_without_scikit_learn_a_project_is_refused_before_its_job(alice, monkeypatch):
    project = alice.create_project(alice.upload_dataset(RISK_CSV)["datasetId"])
    path = f"projects/{project['id']}/"
    with monkeypatch.context() as patched:
        patched.setitem(sys.modules, "sklearn", None)  # as if it were not installed
        refused = alice.patch(path + "aim/", json={"target": "credit_risk"})
    assert_error(refused, 501)
    assert refused.json()["message"] == (
        "Training models on this service needs sklearn, which is not installed: "
        "pip install 'ucwidgets[modeling]'"
    )
    assert alice.get(path + "modelJobs/").json() == []
    assert "target" not in alice.get(path).json()  # not aimed
    assert alice.patch(path + "aim/", json={"target": "credit_risk"}).status_code == 202


def test_help_is_plain_text():
    for argv in (["--help"], ["serve", "--help"], ["db", "upgrade", "--help"]):
        shown = subprocess.run(
            [sys.executable, "-m", "ucwidgets.cli", *argv], capture_output=True, text=True
        ).stdout
        assert shown.startswith("usage: ucwidgets") and "``" not in shown and ":func:" not in shown


def test_without_s3fs_serve_names_the_extra(tmp_path):
    # A process of its own: once s3fs is imported, fsspec keeps its class.
    blocked = (
        "import sys; sys.modules['s3fs'] = None; from ucwidgets.cli import main; sys.exit(main())"
    )
    serve = ["serve", "--port", "0", "--data-dir", str(tmp_path), "--blob-url", "s3://b/p"]
    run = subprocess.run(
        [sys.executable, "-c", blocked, *serve],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == (
        "ucwidgets: Dataset storage at s3://b/p needs s3fs, which is not installed: "
        "pip install 'ucwidgets[s3]'\n"
    )
