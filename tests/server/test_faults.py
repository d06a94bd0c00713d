"""Faults an operator meets: the database held locked by someone else, a full disk, a read-only
or damaged database at start, and a migration killed halfway.

Each fault gets a clear answer (503 with ``Retry-After``, 507, a one-line refusal) and leaves
nothing half-done: the database's rows are compared before and after, and the service goes on
working once the fault is gone. The full-disk and read-only cases mount a small tmpfs, so they
need root (they are skipped, saying so, where mounting is not allowed).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from http_checks import assert_refused
from service_api import RISK_CSV, Api
from sqlalchemy import event, inspect

from ucwidgets.errors import ServiceUnavailable
from ucwidgets.server.app import ServerThread
from ucwidgets.server.store import Store
from ucwidgets.server.store.db import Database, migrate
from ucwidgets.server.store.schema import metadata


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, read beside the service (the proof that nothing was applied)."""
    db = Database(url)
    try:
        with db.read() as conn:
            return {
                t.name: sorted(map(tuple, conn.execute(t.select()).all()), key=repr)
                for t in metadata.sorted_tables
            }
    finally:
        db.dispose()


def start(data_dir: Path, database_url: str | None = None, **limits) -> ServerThread:
    root = data_dir.parent / "jupyter-root"
    root.mkdir(exist_ok=True)
    return ServerThread(data_dir, database_url, notebook_root=str(root), **limits).start()


def actor(srv: ServerThread, name: str) -> Api:
    user, token = srv.store.users.create(f"{name}@example.com", full_name=name)
    return Api(srv.url, token, user)


# -- the database locked by another connection ----------------------------------------------
def writes_on(uc: str, ds: str, bob: Api) -> list[tuple[str, str, dict]]:
    """Writes that all need the lock on use case ``uc``."""
    share = {"role": "EDITOR", "shareRecipientType": "user", "id": bob.id}
    return [
        ("PATCH", f"useCases/{uc}/", {"json": {"name": "Renamed"}}),
        ("POST", f"useCases/{uc}/datasets/{ds}/", {}),
        ("PATCH", f"useCases/{uc}/sharedRoles/", {"json": {"operation": "x", "roles": [share]}}),
        ("DELETE", f"useCases/{uc}/", {}),
    ]


def refused_while_locked(srv: ServerThread, url: str, hold, extra: list) -> None:
    """Seed, let ``hold(uc)`` take the lock, and check that every write waits its timeout,
    gets a 503 with ``Retry-After``, and changes nothing; reads go on."""
    alice, bob = actor(srv, "alice"), actor(srv, "bob")
    uc = alice.create_use_case("Before")["id"]
    ds = alice.upload_dataset(RISK_CSV)["id"]
    before = snapshot(url)
    with hold(uc):
        for method, path, kw in writes_on(uc, ds, bob) + extra:
            if "roles" in kw.get("json", {}):
                kw["json"]["operation"] = "updateRoles"
            r = alice.request(method, path, **kw)
            assert_refused(r, 503, "nothing was applied")
            assert r.headers["Retry-After"].isdigit()
        assert alice.get(f"useCases/{uc}/").status_code == 200
        assert snapshot(url) == before
    assert snapshot(url) == before
    alice.create_use_case("After")  # and the service goes on once the lock is gone


def test_sqlite_locked_past_the_timeout_gets_503_and_nothing_applied(tmp_path: Path) -> None:
    srv = start(tmp_path / "data", busy_timeout_s=0.2, max_upload_bytes=1024 * 1024)
    path = tmp_path / "data" / "ucwidgets.db"

    @contextlib.contextmanager
    def hold(_uc: str) -> Iterator[None]:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the write lock, held by another program
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()

    extra = [
        ("POST", "useCases/", {"json": {"name": "During"}}),
        ("POST", "datasets/fromFile/", {"files": {"file": ("during.csv", RISK_CSV)}}),
    ]
    try:
        refused_while_locked(srv, f"sqlite:///{path}", hold, extra)
    finally:
        srv.stop()


def test_postgresql_locked_past_the_timeout_gets_503_and_nothing_applied(
    tmp_path: Path, pg_cluster
) -> None:
    import psycopg

    url = pg_cluster.create_database("ucw_locked")
    srv = start(tmp_path / "data", url, busy_timeout_s=0.2)

    @contextlib.contextmanager
    def hold(uc: str) -> Iterator[None]:
        dsn = url.replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(dsn) as holder:
            holder.execute("SELECT id FROM use_cases WHERE id = %s FOR UPDATE", (uc,))
            yield
            holder.rollback()

    try:
        refused_while_locked(srv, url, hold, [])
    finally:
        srv.stop()


# -- a full disk -----------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs of this test's own, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


def fill(disk: Path) -> Path:
    """Fill ``disk`` to the last byte with one file; remove it to free the space."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as e:
                assert e.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_gets_507_and_nothing_half_written(small_disk: Path) -> None:
    data = small_disk / "data"
    srv = start(data, max_upload_bytes=4 * 1024 * 1024)
    url = f"sqlite:///{data / 'ucwidgets.db'}"
    try:
        alice = actor(srv, "alice")
        uc = alice.create_use_case("Before")["id"]
        big = b"a,b,c\n" + b"1,2,3\n" * 100_000
        before = snapshot(url)
        filler = fill(small_disk)
        upload = alice.post("datasets/fromFile/", files={"file": ("big.csv", big)})
        assert_refused(upload, 507, "disk is full")
        write = alice.patch(f"useCases/{uc}/", json={"description": "x" * 10_000})
        assert_refused(write, 507, "disk is full")
        assert list((data / "blobs" / "tmp").iterdir()) == []
        assert snapshot(url) == before
        filler.unlink()
        assert alice.post("datasets/fromFile/", files={"file": ("big.csv", big)}).ok
        assert alice.patch(f"useCases/{uc}/", json={"description": "x" * 10_000}).ok
        with sqlite3.connect(data / "ucwidgets.db") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        srv.stop()


# -- a database the service must not start on ------------------------------------------------
def seeded(data: Path) -> Path:
    store = Store.open(data)
    ann, _ = store.users.create("ann@example.com")
    for i in range(40):
        store.use_cases.create(ann, {"name": f"Use case {i}", "description": "d" * 500})
    store.close()
    return data / "ucwidgets.db"


def damage(path: Path) -> None:
    """Overwrite the first page of the use cases' table with noise."""
    with sqlite3.connect(path) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='use_cases'").fetchone()
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek((root[0] - 1) * page_size)
        f.write(os.urandom(page_size))


@pytest.mark.parametrize("fault", ["not a database", "a damaged page"])
def test_a_damaged_database_is_refused_at_start_and_left_as_it_was(
    tmp_path: Path, fault: str
) -> None:
    data = tmp_path / "data"
    if fault == "not a database":
        data.mkdir()
        path = data / "ucwidgets.db"
        path.write_bytes(b"these are not the bytes of a database\n" * 200)
    else:
        path = seeded(data)
        damage(path)
    damaged = path.read_bytes()
    with pytest.raises(ServiceUnavailable, match="does not repair it"):
        start(data)
    served = subprocess.run(
        [sys.executable, "-m", "ucwidgets.cli", "serve", "--port", "0", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert served.returncode == 1
    assert served.stderr.startswith(f"ucwidgets: The database {path}")
    assert "Traceback" not in served.stderr
    assert path.read_bytes() == damaged


def test_a_read_only_database_is_refused_at_start(small_disk: Path) -> None:
    data = small_disk / "data"
    path = seeded(data)
    kept = path.read_bytes()
    (small_disk / "jupyter-root").mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        with pytest.raises(ServiceUnavailable, match="is read-only"):
            start(data)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert path.read_bytes() == kept


# -- a migration killed halfway --------------------------------------------------------------
KILLED_MIGRATION = """
import os, signal, sys
from sqlalchemy import event
from ucwidgets.server.store.db import Database, migrate

db, stop_at, seen = Database(sys.argv[1]), int(sys.argv[2]), 0

@event.listens_for(db.engine, "before_cursor_execute")
def _count(*_):
    global seen
    seen += 1
    if seen == stop_at:
        os.kill(os.getpid(), signal.SIGKILL)

migrate(db)
print(seen)
"""


def migrate_until(url: str, stop_at: int) -> subprocess.CompletedProcess[str]:
    """Migrate ``url`` in a process that kills itself at its ``stop_at``-th statement."""
    cmd = [sys.executable, "-c", KILLED_MIGRATION, url, str(stop_at)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def migrated(url: str) -> int:
    """Migrate ``url`` to the head, check that it is there, and return how many statements
    that took."""
    db = Database(url)
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    cfg = Config()
    cfg.set_main_option("script_location", "ucwidgets.server.store:migrations")
    try:
        migrate(db)
        count = len(statements)
        with db.read() as conn:
            versions = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
            tables = set(inspect(conn).get_table_names())
    finally:
        db.dispose()
    assert versions == [(ScriptDirectory.from_config(cfg).get_current_head(),)]
    assert set(metadata.tables) <= tables, set(metadata.tables) - tables
    return count


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_migration_killed_halfway_succeeds_when_run_again(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        urls = (f"sqlite:///{tmp_path / f'db{i}.sqlite'}" for i in range(100))
    else:
        cluster = request.getfixturevalue("pg_cluster")
        urls = (cluster.create_database(f"ucw_migrate_{i}") for i in range(100))
    statements = migrated(next(urls))
    for stop_at in (statements // 2, statements):  # halfway, and at its very last statement
        url = next(urls)
        killed = migrate_until(url, stop_at)
        assert killed.returncode == -9, (stop_at, killed.stderr)
        migrated(url)
