"""The crash loop: ``ucwidgets serve`` killed with SIGKILL at random moments under 8 writers.

Each cycle starts the service, lets the writers (``crash_ledger.Writer``) and one stalled upload
run for a random fraction of a second, checks the database while they write (SQLite's
``PRAGMA integrity_check`` and ACCESS.md's invariants), and kills the service. After each restart
the temporary files the kill left must be gone, every request cut off by the kill must turn out
applied whole or not at all, and every acknowledged write must still be there; at the end every
object is checked against the writers' ledgers, file contents included.

50 cycles by default; ``pytest tests/server/test_crash.py --crash-cycles=1000`` is the long run.
The PostgreSQL runs do a fifth as many. One of them runs two replicas on the database and a shared
data dir and kills only one: the writers of the other must never be cut off.
"""

from __future__ import annotations

import fcntl
import random
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

from crash_ledger import Live, ServeProcess, Writer, stall_upload
from service_api import Api

from ucwidgets.server.blobs import BlobStore
from ucwidgets.server.store import Store
from ucwidgets.server.store.db import Database

WRITERS = 8
#: After a restart the writers first settle (resolve, check); then, once they have written again
#: (about one acknowledged write each), the kill comes within this many seconds, drawn per cycle.
KILL_WITHIN_S = 0.3


def _actors(data_dir: Path, database_url: str | None) -> list[tuple[dict, str]]:
    store = Store.open(data_dir, database_url)
    try:
        return [
            store.users.create(f"writer{i}@example.com", full_name=f"Writer {i}")
            for i in range(WRITERS + 1)  # the last one stalls an upload each cycle
        ]
    finally:
        store.close()


def _wait_for(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.005)


Invariants = Callable[..., None]


def _check_database(url: str, check_invariants: Invariants, *actors: Api) -> None:
    """Integrity (SQLite) and ACCESS.md's invariants, read beside the running service (and,
    with ``actors``, each one's listing through it)."""
    db = Database(url)
    try:
        if url.startswith("sqlite"):
            with db.read() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        check_invariants(db, *actors)
    finally:
        db.dispose()  # closed before the kill, so the restart recovers the database alone


def _abandoned(temp: Path) -> set[str]:
    """The temporary upload files no live upload holds (a live one keeps its file locked)."""
    names = set()
    for path in temp.iterdir():
        try:
            with open(path, "rb") as f:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, FileNotFoundError):
            continue
        names.add(path.name)
    return names


def crash_loop(
    tmp_path: Path,
    cycles: int,
    check_invariants: Invariants,
    database_url: str | None = None,
    steady: bool = False,
) -> tuple[Counter[str], Counter[str]]:
    """Run ``cycles`` kill-and-restart cycles; return what the writers counted, and what the
    writers of a ``steady`` second replica (never killed; PostgreSQL only) counted."""
    data = tmp_path / "data"
    url = database_url or f"sqlite:///{data / 'ucwidgets.db'}"
    users = _actors(data, database_url)
    server = ServeProcess(data, database_url, tmp_path / "serve.log")
    other = ServeProcess(data, database_url, tmp_path / "steady.log") if steady else None
    live, calm, rng = Live(), Live(), random.Random(20261201)
    writers = [
        Writer(i, token, user["id"], users[(i + 1) % WRITERS][0]["id"], live, seed=i)
        for i, (user, token) in enumerate(users[:WRITERS])
    ]
    if other is not None:  # every other writer on the replica that is never killed
        calm.publish(other.start())
        for w in writers[1::2]:
            w.live = calm
    for w in writers:
        w.start()

    def acknowledged() -> int:  # by the writers of the replica that is killed
        return sum(w.counts["acknowledged"] for w in writers if w.live is live)

    def written_since(floor: int) -> bool:
        return acknowledged() >= floor or any(w.failures for w in writers)

    temp = data / "blobs" / "tmp"
    left: set[str] = set()
    counts: Counter[str] = Counter()
    stalled = None
    try:
        for cycle in range(cycles + 1):
            base = server.start()
            assert not {p.name for p in temp.iterdir()} & left, "temporary files were not swept"
            live.publish(base, final=cycle == cycles)
            if cycle == cycles:
                if other is not None:
                    calm.publish(calm.base, final=True)
                break
            floor = acknowledged() + sum(w.live is live for w in writers)
            stalled = stall_upload(live.base, users[WRITERS][1])
            _wait_for(lambda: any(temp.iterdir()), "the stalled upload's temporary file")
            _check_database(url, check_invariants)
            _wait_for(partial(written_since, floor), "the writers to write")
            time.sleep(rng.uniform(0, KILL_WITHIN_S))
            server.kill()
            stalled.close()
            left = _abandoned(temp)
            counts["temporary files left by kills"] += len(left)
            if (cycle + 1) % 50 == 0:  # progress, for the long run
                print(f"after {cycle + 1} cycles: {acknowledged()} acknowledged writes", flush=True)
        for w in writers:
            w.join(timeout=120)
        assert [f for w in writers for f in w.failures] == []
        assert not any(w.is_alive() for w in writers)
        actors = [Api(live.base, token, user) for user, token in users]
        _check_database(url, check_invariants, *actors)
    finally:
        live.abandon()
        calm.abandon()
        server.kill()
        if other is not None:
            other.kill()
        if stalled is not None:
            stalled.close()
    steady_counts: Counter[str] = Counter()
    for w in writers:
        (steady_counts if w.live is calm else counts).update(w.counts)
    counts["cycles"] = cycles
    return counts, steady_counts


def test_kill_9_loses_no_acknowledged_write(
    tmp_path: Path, crash_cycles: int, database_invariants: Invariants
) -> None:
    counts, _ = crash_loop(tmp_path, crash_cycles, database_invariants)
    print(dict(counts))
    assert counts["acknowledged"] > 0
    assert counts["temporary files left by kills"] >= crash_cycles  # the stalled uploads' at least


def test_kill_9_on_postgresql_loses_no_acknowledged_write(
    tmp_path: Path, crash_cycles: int, database_invariants: Invariants, pg_cluster
) -> None:
    url = pg_cluster.create_database("ucw_crash")
    counts, _ = crash_loop(tmp_path, max(crash_cycles // 5, 1), database_invariants, url)
    print(dict(counts))
    assert counts["acknowledged"] > 0


def test_killing_one_replica_leaves_the_other_serving(
    tmp_path: Path, crash_cycles: int, database_invariants: Invariants, pg_cluster
) -> None:
    url = pg_cluster.create_database("ucw_crash_replicas")
    cycles = max(crash_cycles // 5, 1)
    killed, steady = crash_loop(tmp_path, cycles, database_invariants, url, steady=True)
    print("killed replica:", dict(killed), "steady replica:", dict(steady))
    assert killed["cut off"] >= 1 and killed["acknowledged"] > 0
    # The other replica's writers wrote all along and no request of theirs was ever cut off.
    assert steady["acknowledged"] > 0 and steady["cut off"] == 0


def test_a_sweep_spares_uploads_in_progress(tmp_path: Path) -> None:
    """Another service on the same data dir starting mid-upload must not take the file."""
    blobs = BlobStore(tmp_path)
    running = blobs.writer()
    running.write(b"a,b\n1,2\n")
    abandoned = blobs.tmp_dir / "upload-abandoned"
    abandoned.write_bytes(b"a,b\n")
    assert BlobStore(tmp_path).sweep() == 1
    assert not abandoned.exists()
    assert running.temp_path.exists()
    digest = running.commit()
    assert blobs.path(digest).read_bytes() == b"a,b\n1,2\n"
    assert list(blobs.tmp_dir.iterdir()) == []
