"""Engine set-up, transactions and migrations for the store.

SQLite runs in WAL mode with ``synchronous=FULL`` and foreign keys on; write transactions start
with ``BEGIN IMMEDIATE`` so that two writers queue at the start instead of failing on upgrade,
and reads use a plain deferred ``BEGIN`` so they never wait for a writer. Within one process the
writers of a SQLite store take turns on a lock before ``BEGIN IMMEDIATE``: SQLite's busy handler
sleeps in steps of up to 100 ms while another connection writes, which was the tail latency of
concurrent writes; a waiter on the lock starts the moment the writer before it commits. Writers
in other processes (the command line) still meet the busy timeout. Database failures that
mean "try again" (busy past the timeout, unreachable) become ``ServiceUnavailable``, a full
disk ``InsufficientStorage``. PostgreSQL waits for a lock no longer than SQLite waits for its
write lock. A SQLite file the service cannot write, or one that is damaged, is refused at start
and never repaired (``Database.verify``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ...errors import Conflict, InsufficientStorage, MissingExtra, ServiceUnavailable

BUSY_TIMEOUT_S = 10
SQLITE_FULL = 13
PG_DISK_FULL = "53100"
#: Set in a connection's ``info`` by a write that recorded a change-feed event.
EVENTS_WRITTEN = "ucw_events_written"
#: The PostgreSQL channel that a commit which recorded events notifies: every replica listens.
EVENTS_CHANNEL = "ucwidgets_events"
#: The PostgreSQL advisory lock key that serialises migrations across replicas.
MIGRATION_LOCK = 0x75637769  # "ucwi"


def new_id() -> str:
    """A fresh 24-hex-character id, like DataRobot's object ids."""
    return secrets.token_hex(12)


def now() -> str:
    """The current UTC time as the wire's ISO-8601 string."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def escape_like(value: str) -> str:
    """``value`` matched literally inside a ``LIKE`` pattern (with ``escape="\\"``).

    Examples
    --------
    >>> escape_like("50%_off")
    '50\\\\%\\\\_off'
    """
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def make_engine(url: str, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Engine:
    """Create the engine for ``url`` with the settings each backend needs; a write waits for
    the database's lock at most ``busy_timeout_s`` seconds."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": busy_timeout_s, "check_same_thread": False}
        )
        _configure_sqlite(engine, busy_timeout_s)
        return engine
    lock_timeout = f"-c lock_timeout={int(busy_timeout_s * 1000)}"
    try:
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_size=10,
            max_overflow=10,
            connect_args={"options": lock_timeout},
        )
    except ModuleNotFoundError as e:
        if e.name != "psycopg":
            raise
        raise MissingExtra.naming("A PostgreSQL database", psycopg="postgres") from e


def _configure_sqlite(engine: Engine, busy_timeout_s: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        # Take transaction control from pysqlite so that BEGIN IMMEDIATE is ours to emit.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("ucw_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """Transactions over one engine.

    Examples
    --------
    >>> db = Database("sqlite://")
    >>> with db.read() as conn:
    ...     conn.exec_driver_sql("select 1").scalar()
    1
    """

    def __init__(self, url: str, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.url = url
        self.busy_timeout_s = busy_timeout_s
        self.engine = make_engine(url, busy_timeout_s)
        self._writer = self.engine.execution_options(ucw_write=True)
        # PostgreSQL's row locks let writers of different rows overlap; SQLite has one writer.
        self.is_postgres = self.engine.dialect.name == "postgresql"
        self._turn = None if self.is_postgres else threading.RLock()
        #: Called (on the writer's thread) after a transaction that recorded events commits.
        self.on_events: list[Callable[[], None]] = []

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction; it commits when the block ends without an exception."""
        with self._writer_turn(), _unavailable_on_db_failure(), self._writer.begin() as conn:
            try:
                yield conn
                if conn.info.get(EVENTS_WRITTEN) and self.is_postgres:
                    # Delivered to every listening replica at commit, and never on rollback.
                    conn.exec_driver_sql(f"NOTIFY {EVENTS_CHANNEL}")
            finally:  # the flag lives on the pooled connection: never leave it set
                recorded = conn.info.pop(EVENTS_WRITTEN, False)
        if recorded:  # committed: wake whoever waits for events
            for wake in self.on_events:
                wake()

    @contextlib.contextmanager
    def _writer_turn(self) -> Iterator[None]:
        if self._turn is None:
            yield
            return
        if not self._turn.acquire(timeout=self.busy_timeout_s):
            raise ServiceUnavailable(
                "The database is busy; nothing was applied. Try again.", retry_after=1
            )
        try:
            yield
        finally:
            self._turn.release()

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot for several queries.

        SQLite gives every transaction a snapshot; PostgreSQL's default (READ COMMITTED) gives
        each statement its own, so a listing's count and its page, or a row and the rows it
        refers to, could come from different moments. REPEATABLE READ makes it one snapshot
        (a read-only transaction there never fails to serialise).
        """
        with _unavailable_on_db_failure(), self.engine.connect() as conn:
            if self.is_postgres:
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        self.engine.dispose()

    def verify(self) -> None:
        """Refuse, before anything is written, a SQLite file the service cannot write, one that
        is not a database, or a damaged one (``PRAGMA quick_check``). The file is left exactly
        as it was: repairing it could silently drop rows, so that is the operator's call."""
        path = self.engine.url.database
        if not self.url.startswith("sqlite") or not path or path == ":memory:":
            return
        folder = os.path.dirname(os.path.abspath(path))
        if not all(os.access(p, os.W_OK) for p in (path, folder) if os.path.exists(p)):
            raise ServiceUnavailable(
                f"The database {path} is read-only: the service must be able to write it and "
                "its folder (for the -wal and -shm files). Nothing was changed."
            )
        advice = "The service does not repair it: restore a backup, or move it away to start empty."
        deadline = time.monotonic() + self.busy_timeout_s
        while True:
            try:
                with self.engine.connect() as conn:
                    problems = conn.exec_driver_sql("PRAGMA quick_check").scalars().all()
                break
            except DBAPIError as e:
                # Another process creating or migrating the file holds it for a moment.
                if "locked" in str(e.orig) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                raise ServiceUnavailable(
                    f"The database {path} cannot be opened: {e.orig}. {advice}"
                ) from e
        if problems != ["ok"]:
            raise ServiceUnavailable(
                f"The database {path} is damaged ({'; '.join(problems[:3])}). {advice}"
            )


class Repository:
    """The operations on one aggregate, over the database every repository shares.

    A repository that builds on another's rules (most build on ``Assets``) is handed it when
    the ``Store`` is made, so each dependency is a named attribute rather than a method that
    some other part of the store happens to define.
    """

    def __init__(self, db: Database) -> None:
        self.db = db


@contextlib.contextmanager
def _unavailable_on_db_failure() -> Iterator[None]:
    try:
        yield
    except IntegrityError as e:
        # The store checks every rule before it writes; a constraint that still fires means a
        # concurrent request made the same change first (two links of one project at once).
        raise Conflict(
            "Another change to the same thing was applied at the same time; nothing was "
            "applied. Reload and try again."
        ) from e
    except OperationalError as e:
        if _disk_full(e):
            raise InsufficientStorage(
                "The service's disk is full; nothing was applied. Try again once space is freed."
            ) from e
        raise ServiceUnavailable(
            "The database is busy or unreachable; nothing was applied. Try again.", retry_after=1
        ) from e
    except DBAPIError as e:
        if e.connection_invalidated:
            raise ServiceUnavailable(
                "The database connection was lost; nothing was applied. Try again.", retry_after=1
            ) from e
        raise


def _disk_full(e: DBAPIError) -> bool:
    code = getattr(e.orig, "sqlite_errorcode", None)
    return code == SQLITE_FULL or getattr(e.orig, "sqlstate", None) == PG_DISK_FULL


def _alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "ucwidgets.server.store:migrations")
    return cfg


@functools.lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest migration this code knows (what ``migrate`` brings a database to)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def migrate(db: Database) -> str:
    """Bring the database to the newest schema with Alembic; returns its revision."""
    from alembic import command

    cfg = _alembic_config()
    with db.engine.begin() as conn:
        if db.is_postgres:
            # Replicas on other hosts share no start-up file lock: the first to start migrates,
            # the others wait here until it commits, then find nothing to do.
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return head_revision()


#: What :func:`readiness` says of a database this code can serve.
READY = {"database": "ok", "migrations": "current"}


def readiness(db: Database) -> dict[str, str]:
    """Whether ``db`` can serve this code: ``database`` is ``ok`` or why not, ``migrations``
    is ``current`` or names the revision found (another version of the service migrated it,
    or nobody has yet)."""
    from alembic.runtime.migration import MigrationContext

    try:
        with db.read() as conn:
            revision = MigrationContext.configure(conn).get_current_revision()
    except ServiceUnavailable as e:
        return {"database": e.message, "migrations": "unknown"}
    if revision == head_revision():
        return dict(READY)
    return {"database": "ok", "migrations": f"at {revision}, expected {head_revision()}"}
