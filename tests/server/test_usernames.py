"""Usernames cannot impersonate each other: unique after NFKC casefolding, one script each.

Sharing by username must reach the person meant, so ``Bob`` cannot be created beside ``bob``,
nor ``bob`` spelt with a Cyrillic ``o`` (ACCESS.md, "usernames"). Existing databases get the key by
migration, keeping users who already collide working.
"""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from ucwidgets.errors import Conflict, ValidationError
from ucwidgets.server.store import Store
from ucwidgets.server.store.db import Database, migrate
from ucwidgets.server.store.schema import users

_databases = itertools.count()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'users.db'}"
    cluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(f"ucw_users_{next(_databases)}")


@pytest.fixture
def store(db_url: str, tmp_path: Path):
    store = Store.open(tmp_path, db_url)
    yield store
    store.close()


SAME_AS_BOB = ["Bob", "BOB", "bob", "\uff42\uff4f\uff42", "\u1d2e\u1d3c\u1d2e"]


@pytest.mark.parametrize("other", SAME_AS_BOB)
def test_a_username_that_folds_to_an_existing_one_is_409(store, other):
    store.users.create("bob")
    with pytest.raises(Conflict, match="'bob' already exists"):
        store.users.create(other)
    assert [u["username"] for u in store.users.list()] == ["bob"]


@pytest.mark.parametrize(
    "mixed",
    [
        "b\u043eb",
        "\u0430lice",
        "\u03a9mega",
        "b\u043eb@example.com",
        "x\u0628",
    ],
)
def test_mixed_script_usernames_are_422(store, mixed):
    with pytest.raises(ValidationError, match="scripts"):
        store.users.create(mixed)
    assert store.users.list() == []


@pytest.mark.parametrize(
    "name",
    [
        "ann.o'neil+test@example.com",
        "\u5c71\u7530\u305f\u308d\u3046",  # Han with Hiragana
        "\u03b5\u03bb\u03bb\u03ac\u03b4\u03b1",  # Greek only
        "\u0438\u0432\u0430\u043d@example.com",  # Cyrillic with Common symbols
        "Jos\u00e9",
        "dmitry.\u0438\u0432\u0430\u043d\u043e\u0432",
        "e\u0301mile",  # a combining mark inherits the script of its letter
    ],
)
def test_single_script_usernames_are_accepted(store, name):
    user, _ = store.users.create(name)
    assert user["username"] == name


@pytest.mark.parametrize("name", ["bob\u202e", "\u200b", "a\x00b"])
def test_disguised_usernames_are_422(store, name):
    with pytest.raises(ValidationError):
        store.users.create(name)


def test_two_creations_racing_on_one_key_leave_one_user(store):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def create(name: str) -> None:
        barrier.wait()
        try:
            store.users.create(name)
            outcomes.append("created")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=create, args=(n,)) for n in ("carol", "CAROL")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "created"]
    assert len(store.users.list()) == 1


def test_the_migration_keys_existing_users_and_keeps_old_collisions_working(db_url, tmp_path):
    from alembic import command
    from alembic.config import Config

    db = Database(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", "ucwidgets.server.store:migrations")
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
    old = [("a" * 24, "Bob", "2020-01-01"), ("b" * 24, "bob", "2021-01-01"), ("c" * 24, "ann", "x")]
    with db.engine.begin() as conn:
        for uid, name, at in old:
            conn.exec_driver_sql(
                "INSERT INTO users (id, username, full_name, active, created_at, read_upto) "
                f"VALUES ('{uid}', '{name}', '', true, '{at}', 0)"
            )
    migrate(db)
    with db.read() as conn:
        keys = dict(conn.execute(select(users.c.username, users.c.username_key)).all())
    assert keys == {"Bob": "bob", "bob": f"bob#{'b' * 24}", "ann": "ann"}
    db.dispose()
    store = Store.open(tmp_path, db_url)
    try:
        assert store.users.create_token("bob")[0]["username"] == "bob"
        with pytest.raises(Conflict):
            store.users.create("BOB")
    finally:
        store.close()
