"""Fixtures shared by every test: a real service on port 0 and an ``Api`` per user.

Tests seed data through the public API; nothing of ucwidgets is mocked. What each fixture
name means, in every folder, is in ``tests/README.md``.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ucwidgets import context
from ucwidgets.client import set_client
from ucwidgets.server.app import ServerThread
from ucwidgets.server.store.db import Database

sys.path.insert(0, str(Path(__file__).parent))
from service_api import RISK_CSV, Api, new_user

_names = itertools.count()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--crash-cycles",
        type=int,
        default=50,
        help="kill -9 cycles of the crash loop (tests/server/test_crash.py); 1000 for the long run",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The crash loop's length is set on the command line, so is its time limit: a guard against
    # a hang, generous because a cycle on a loaded machine takes ten times one on a quiet one.
    limit = 120 + 30 * config.getoption("--crash-cycles")
    for item in items:
        if "crash_cycles" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.timeout(limit))


@pytest.fixture
def crash_cycles(request: pytest.FixtureRequest) -> int:
    """How many times the crash loop kills the service (``--crash-cycles``)."""
    return request.config.getoption("--crash-cycles")


def pytest_collectstart(collector: pytest.Collector) -> None:
    """Without a terminal pytest says nothing until every test is collected, which takes a
    while (notebook, fuzzing and browser tooling load as it goes); name each folder it enters."""
    reporter = collector.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or reporter.isatty or not isinstance(collector, pytest.File):
        return
    folder = collector.path.parent
    if folder not in _folders_collected:
        _folders_collected.add(folder)
        reporter.write_line(f"collecting {folder.relative_to(collector.config.rootpath)}/")


_folders_collected: set[Path] = set()


@pytest.fixture(autouse=True)
def _fresh_client_state() -> Iterator[None]:
    """Every test starts and ends with no global client and no current use case."""
    set_client(None)
    context.set_current_use_case(None)
    yield
    set_client(None)
    context.set_current_use_case(None)


@pytest.fixture
def risk_csv() -> bytes:
    """A small binary-classification CSV (target ``credit_risk``)."""
    return RISK_CSV


@pytest.fixture
def risk_file(tmp_path: Path, risk_csv: bytes) -> Path:
    """``risk_csv`` saved as ``risk_data.csv``, for what takes a path."""
    path = tmp_path / "risk_data.csv"
    path.write_bytes(risk_csv)
    return path


@pytest.fixture
def service(sqlite_service: ServerThread) -> ServerThread:
    """A real Use Case service on 127.0.0.1, port 0, with its own data dir."""
    return sqlite_service


@pytest.fixture
def sqlite_service(tmp_path: Path) -> Iterator[ServerThread]:
    """The service on SQLite in its data dir (what ``service`` is unless a module overrides it)."""
    root = tmp_path / "jupyter-root"
    root.mkdir()
    srv = ServerThread(
        data_dir=tmp_path / "data", notebook_root=str(root), max_upload_bytes=1024 * 1024
    ).start()
    yield srv
    srv.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def any_service(request: pytest.FixtureRequest) -> ServerThread:
    """The service on SQLite, then (a second run of the test) on PostgreSQL."""
    return request.getfixturevalue("sqlite_service" if request.param == "sqlite" else "pg_service")


@pytest.fixture
def make_user(service: ServerThread):
    """``make_user(name=None, full_name=None)``: a new user of ``service``, as an ``Api``
    (see ``service_api.new_user`` for the names)."""
    return lambda name=None, full_name=None: new_user(service, name, full_name)


@pytest.fixture
def alice(make_user) -> Api:
    return make_user("alice@example.com", "Alice Owner")


@pytest.fixture
def bob(make_user) -> Api:
    return make_user("bob@example.com", "Bob Editor")


@pytest.fixture
def carol(make_user) -> Api:
    return make_user("carol@example.com", "Carol Consumer")


@pytest.fixture
def anonymous(service: ServerThread) -> Api:
    return Api(service.url, None)


@pytest.fixture
def as_alice(service: ServerThread, alice: Api) -> Api:
    """``alice``, with the API layer's global client acting as her (``ucwidgets.Client``), as
    in a notebook after ``dr.Client(token=...)``; ``_fresh_client_state`` clears it after."""
    alice.sign_in()
    return alice


@pytest.fixture(scope="module")
def module_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    """One service for a whole module, for tests whose requests must change nothing (bad
    input): each such test asserts that it left no trace, so sharing costs no isolation."""
    tmp = tmp_path_factory.mktemp("service")
    (tmp / "jupyter-root").mkdir()
    srv = ServerThread(
        data_dir=tmp / "data",
        notebook_root=str(tmp / "jupyter-root"),
        max_upload_bytes=1024 * 1024,
    ).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def make_module_user(module_service: ServerThread):
    """``make_user`` for ``module_service``."""

    return lambda name=None, full_name=None: new_user(module_service, name, full_name)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """A PostgreSQL cluster for the whole session (skipped where none is installed, but an
    error in CI, so a missing install step cannot hide behind a skip)."""
    import os

    from pg import PostgresCluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not installed on this CI machine")
        pytest.skip("PostgreSQL is not installed")
    cluster = PostgresCluster(bindir).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_service(pg_cluster, tmp_path: Path) -> Iterator[ServerThread]:
    """The service on a fresh PostgreSQL database (dataset files still in a data dir)."""
    url = pg_cluster.create_database(f"ucw_{next(_names)}")
    root = tmp_path / "jupyter-root"
    root.mkdir()
    srv = ServerThread(
        data_dir=tmp_path / "data",
        database_url=url,
        notebook_root=str(root),
        max_upload_bytes=1024 * 1024,
    ).start()
    yield srv
    srv.stop()


# -- invariants --------------------------------------------------------------------------------
def check_invariants(service: ServerThread | Database, *actors: Api) -> None:
    """Assert ACCESS.md's invariants on the live database, and invariant 6 through listings.

    Reads the tables directly (SQLAlchemy Core on ``service.store.db``, or on ``service`` when
    it is the ``Database`` of a service running elsewhere): 1 every use case and every asset
    has an active OWNER; 2 one membership per (use case, user), with a stored role; 3 OWNER
    implies can_share; 4 nothing refers to a deleted use case (and no link to a deleted
    asset; a deletion notice names one only as text); 10 links are unique,
    and a project or an application is in at most one use case; each user's use_cases_count
    is their number of memberships; every membership holds its use case's current sort keys
    (``orderBy``'s counts among them); a trashed object has an OWNER to restore it and nothing
    outside the trash (memberships, roles, an asset's links) that would show it. Then, for
    every actor with a token, ``GET useCases/`` lists exactly the use cases they belong to,
    and its counts agree.
    """
    from sqlalchemy import func, select, tuple_

    from ucwidgets.server.store.assets import TABLES
    from ucwidgets.server.store.schema import (
        asset_roles,
        events,
        links,
        memberships,
        trash,
        trashed_grants,
        use_cases,
        users,
    )
    from ucwidgets.server.store.use_cases import sort_keys

    m, a = memberships.c, asset_roles.c
    active = select(users.c.id).where(users.c.active)
    db = service if isinstance(service, Database) else service.store.db
    with db.read() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1

        def trashed(etype: str):
            return select(trash.c.entity_id).where(trash.c.entity_type == etype)

        owned = select(m.use_case_id).where(m.role == "OWNER", m.user_id.in_(active))
        no_owner = conn.execute(
            select(use_cases.c.id).where(
                use_cases.c.id.not_in(owned), use_cases.c.id.not_in(trashed("useCase"))
            )
        )
        assert no_owner.all() == [], "invariant 1: a use case without an active OWNER"
        for etype, table in TABLES.items():
            owners = select(a.entity_id).where(
                a.entity_type == etype, a.role == "OWNER", a.user_id.in_(active)
            )
            orphan = conn.execute(
                select(table.c.id).where(
                    table.c.id.not_in(owners), table.c.id.not_in(trashed(etype))
                )
            ).all()
            assert orphan == [], f"invariant 1: a {etype} without an active OWNER"
            for held in (asset_roles, links):
                shown = select(held.c.entity_id).where(
                    held.c.entity_type == etype, held.c.entity_id.in_(trashed(etype))
                )
                assert conn.execute(shown).all() == [], f"a trashed {etype} in {held.name}"
            stale = select(a.entity_id).where(
                a.entity_type == etype, a.entity_id.not_in(select(table.c.id))
            )
            assert conn.execute(stale).all() == [], f"a role on a deleted {etype}"
        in_use = select(m.use_case_id).where(m.use_case_id.in_(trashed("useCase")))
        assert conn.execute(in_use).all() == [], "a trashed use case with members"
        restorable = select(trashed_grants.c.entity_type, trashed_grants.c.entity_id).where(
            trashed_grants.c.role == "OWNER"
        )
        unowned = select(trash.c.entity_id).where(
            tuple_(trash.c.entity_type, trash.c.entity_id).not_in(restorable)
        )
        assert conn.execute(unowned).all() == [], "a trashed object nobody may restore"
        unshared = select(a.entity_id).where(a.role == "OWNER", a.can_share.is_not(True))
        assert conn.execute(unshared).all() == [], "invariant 3: an asset OWNER without can_share"
        stored = set(conn.execute(select(a.role).distinct()).scalars())
        assert stored <= {"OWNER", "EDITOR", "CONSUMER"}, f"invariant 2: asset roles {stored}"
        twice = select(m.use_case_id, m.user_id).group_by(m.use_case_id, m.user_id)
        assert conn.execute(twice.having(func.count() > 1)).all() == [], "invariant 2"
        roles = set(conn.execute(select(m.role).distinct()).scalars())
        assert roles <= {"OWNER", "EDITOR", "CONSUMER"}, f"invariant 2: stored roles {roles}"
        unshared = select(m.use_case_id).where(m.role == "OWNER", m.can_share.is_not(True))
        assert conn.execute(unshared).all() == [], "invariant 3: an OWNER without can_share"
        live = select(use_cases.c.id)
        for table in (memberships, links, events):
            # A deletion notice (an event with no use case) names a deleted one only as text.
            orphans = select(table.c.use_case_id).where(
                table.c.use_case_id.is_not(None), table.c.use_case_id.not_in(live)
            )
            assert conn.execute(orphans).all() == [], f"invariant 4: {table.name} orphaned"
        for etype, table in TABLES.items():
            dangling = select(links.c.id).where(
                links.c.entity_type == etype, links.c.entity_id.not_in(select(table.c.id))
            )
            assert conn.execute(dangling).all() == [], f"a link to a deleted {etype}"
        key = (links.c.use_case_id, links.c.entity_type, links.c.entity_id)
        doubled = select(*key).group_by(*key).having(func.count() > 1)
        assert conn.execute(doubled).all() == [], "invariant 10: a link stored twice"
        homes = (
            select(links.c.entity_id)
            .where(links.c.entity_type.in_(("project", "application")))
            .group_by(links.c.entity_type, links.c.entity_id)
            .having(func.count() > 1)
        )
        assert conn.execute(homes).all() == [], "a project or application in two use cases"
        counted = select(func.count()).where(m.user_id == users.c.id).scalar_subquery()
        drift = select(users.c.username).where(users.c.use_cases_count != counted)
        assert conn.execute(drift).all() == [], "a user's use_cases_count out of step"
        for row in conn.execute(select(memberships)).mappings():
            keys = sort_keys(conn, row["use_case_id"])
            assert {k: row[k] for k in keys} == keys, "a membership's copy of its sort keys"
        member_of = {
            a.id: set(conn.execute(select(m.use_case_id).where(m.user_id == a.id)).scalars())
            for a in actors
            if a.token is not None
        }
    for actor in actors:
        if actor.token is None:
            continue
        listed = actor.get("useCases/", params={"limit": 1000})
        assert listed.status_code == 200, listed.text
        page = listed.json()
        ids = {uc["id"] for uc in page["data"]}
        expected = member_of[actor.id]
        assert ids == expected, f"invariant 6: {actor.username} lists {ids}, belongs to {expected}"
        assert page["totalCount"] == page["count"] == len(expected), "invariant 6: counts"


@pytest.fixture
def invariants(service: ServerThread):
    """``invariants(*actors)`` checks every invariant now (see ``check_invariants``)."""
    return lambda *actors: check_invariants(service, *actors)


@pytest.fixture
def database_invariants():
    """``database_invariants(db, *actors)``: ``check_invariants`` on the ``Database`` of a
    service that runs elsewhere (a subprocess)."""
    return check_invariants
