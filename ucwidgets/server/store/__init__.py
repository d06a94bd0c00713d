"""The store: the service's domain, on SQLAlchemy Core.

Every operation takes the acting user, checks access with ``ucwidgets.roles`` inside its
transaction, writes its change-feed event in the same transaction, and raises the errors of
``ucwidgets.errors``. The store never imports tornado; the handlers never touch tables.

The examples of the store's parts (its mixins and helpers) start from two names: ``store``, a
``Store.scratch()``, and ``ann``, its user ``store.create_user("ann@example.com")[0]``, as the
example below makes them (``tests/test_docstrings.py`` gives each example a fresh pair).

Examples
--------
>>> import tempfile
>>> store = Store.open(data_dir=tempfile.mkdtemp())
>>> ann, _token = store.create_user("ann@example.com", full_name="Ann")
>>> store.create_use_case(ann, {"name": "Risk"})["name"]
'Risk'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..blobs import BlobStore
from ..files import private_dir, private_file, startup_lock, tighten
from .assets import AssetStore
from .bulk import BulkStore
from .catalog import CatalogStore
from .db import BUSY_TIMEOUT_S, Database, migrate
from .features import FeatureStore
from .feed import FeedStore
from .modeling import ModelStore
from .sharing import SharingStore
from .tags import TagStore
from .trash import TRASH_DAYS, TrashStore
from .use_cases import UseCaseStore
from .users import UserStore


class Store(
    UserStore,
    UseCaseStore,
    SharingStore,
    TagStore,
    AssetStore,
    BulkStore,
    CatalogStore,
    FeatureStore,
    FeedStore,
    ModelStore,
    TrashStore,
):
    """The whole domain over one database and one blob directory."""

    def __init__(self, db: Database, blobs: BlobStore, trash_days: float = TRASH_DAYS) -> None:
        self.db = db
        self.blobs = blobs
        #: Days a deleted object stays in the trash before the sweep purges it.
        self.trash_days = trash_days

    @classmethod
    def scratch(cls) -> Store:
        """A store of its own in a new temporary folder, for examples and experiments.

        Examples
        --------
        >>> store = Store.scratch()
        >>> store.create_user("ann@example.com")[0]["username"]
        'ann@example.com'
        """
        return cls.open(tempfile.mkdtemp(prefix="ucwidgets-scratch-"))

    @classmethod
    def open(
        cls,
        data_dir: str | os.PathLike[str],
        database_url: str | None = None,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
        trash_days: float = TRASH_DAYS,
        blob_url: str | None = None,
    ) -> Store:
        """Open (creating and migrating as needed) the store of ``data_dir``.

        Without ``database_url`` the database is SQLite at ``DATA_DIR/ucwidgets.db``; dataset
        files live under ``DATA_DIR/blobs``, or in object storage at ``blob_url`` (an fsspec
        URL such as ``s3://bucket/prefix``) with ``DATA_DIR/blobs`` as this host's cache.
        Folders are made 0700 and files 0600 (see ``ucwidgets.server.files``). A read-only or
        damaged database, or object storage that does not answer, is refused with
        ``ServiceUnavailable``, untouched; a write waits at most ``busy_timeout_s`` for the
        database's lock, then gets ``ServiceUnavailable`` too. The migration runs under the
        data dir's start-up lock.
        """
        data_dir = private_dir(Path(data_dir))
        if database_url is None:
            database = private_file(data_dir / "ucwidgets.db")
            for journal in ("-wal", "-shm"):
                tighten(database.with_name(database.name + journal))
            database_url = f"sqlite:///{database}"
        db = Database(database_url, busy_timeout_s)
        blobs = BlobStore(data_dir / "blobs", remote=blob_url)
        try:
            blobs.verify()
            db.verify()
            # Another process starting on the same data dir waits here until it has migrated.
            with startup_lock(data_dir):
                migrate(db)
        except BaseException:
            db.dispose()
            raise
        return cls(db, blobs, trash_days)

    def close(self) -> None:
        self.db.dispose()
