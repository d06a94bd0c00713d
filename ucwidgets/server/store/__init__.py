"""The store: the service's domain, on SQLAlchemy Core.

A ``Store`` is one repository per aggregate (``store.users``, ``store.use_cases``,
``store.catalog``, ...). Every operation takes the acting user (a ``User`` record), checks
access with ``ucwidgets.roles`` inside its transaction, writes its change-feed event in the
same transaction, and raises the errors of ``ucwidgets.errors``. The store never imports
tornado; the handlers never touch tables.

The examples of the store's parts (its repositories and helpers) start from two names: ``store``, a
``Store.scratch()``, and ``ann``, its user ``store.users.create("ann@example.com")[0]``, as the
example below makes them (``tests/test_docstrings.py`` gives each example a fresh pair).

Examples
--------
>>> import tempfile
>>> store = Store.open(data_dir=tempfile.mkdtemp())
>>> ann, _token = store.users.create("ann@example.com", full_name="Ann")
>>> store.use_cases.create(ann, {"name": "Risk"})["name"]
'Risk'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..blobs import BlobStore
from ..files import private_dir, private_file, startup_lock, tighten
from .assets import Assets
from .bulk import Bulk
from .catalog import Catalog
from .db import BUSY_TIMEOUT_S, Database, migrate
from .features import Features
from .feed import Feed
from .modeling import Modeling
from .sharing import Sharing
from .tags import Tags
from .trash import TRASH_DAYS, Trash
from .use_cases import UseCases
from .users import Users


class Store:
    """The whole domain over one database and one blob directory: one repository per
    aggregate, each a named attribute.

    ``users``, ``use_cases``, ``sharing`` (roles on use cases and assets), ``tags``,
    ``assets`` (visibility, rights and links of every asset type), ``bulk`` (batches of
    links), ``catalog`` (what differs between the asset types), ``features``, ``feed``,
    ``modeling`` and ``trash``. The repositories that build on the asset rules are handed
    ``assets`` here, and nowhere else do they meet.
    """

    def __init__(self, db: Database, blobs: BlobStore, trash_days: float = TRASH_DAYS) -> None:
        self.db = db
        self.blobs = blobs
        self.users = Users(db)
        self.use_cases = UseCases(db)
        self.sharing = Sharing(db)
        self.tags = Tags(db)
        self.assets = Assets(db)
        self.bulk = Bulk(db, self.assets)
        self.catalog = Catalog(db, blobs, self.assets)
        self.features = Features(db, blobs, self.assets)
        self.feed = Feed(db)
        self.modeling = Modeling(db, blobs, self.assets)
        #: Deleted objects stay ``trash.days`` days in the trash before the sweep purges them.
        self.trash = Trash(db, blobs, self.assets, trash_days)

    @classmethod
    def scratch(cls) -> Store:
        """A store of its own in a new temporary folder, for examples and experiments.

        Examples
        --------
        >>> store = Store.scratch()
        >>> store.users.create("ann@example.com")[0]["username"]
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
