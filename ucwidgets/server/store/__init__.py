"""The store: the service's domain, on SQLAlchemy Core.

Every operation takes the acting user, checks access with ``ucwidgets.server.access`` inside its
transaction, writes its change-feed event in the same transaction, and raises the errors of
``ucwidgets.errors``. The store never imports tornado; the handlers never touch tables.

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
from pathlib import Path

from ..blobs import BlobStore
from .assets import AssetStore
from .catalog import CatalogStore
from .db import BUSY_TIMEOUT_S, Database, migrate
from .features import FeatureStore
from .feed import FeedStore
from .modeling import ModelStore
from .sharing import SharingStore
from .use_cases import UseCaseStore
from .users import UserStore


class Store(
    UserStore,
    UseCaseStore,
    SharingStore,
    AssetStore,
    CatalogStore,
    FeatureStore,
    FeedStore,
    ModelStore,
):
    """The whole domain over one database and one blob directory."""

    def __init__(self, db: Database, blobs: BlobStore) -> None:
        self.db = db
        self.blobs = blobs

    @classmethod
    def open(
        cls,
        data_dir: str | os.PathLike[str],
        database_url: str | None = None,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
    ) -> Store:
        """Open (creating and migrating as needed) the store of ``data_dir``.

        Without ``database_url`` the database is SQLite at ``DATA_DIR/ucwidgets.db``; dataset
        files always live under ``DATA_DIR/blobs``. A read-only or damaged database is refused
        with ``ServiceUnavailable``, untouched; a write waits at most ``busy_timeout_s`` for
        the database's lock, then gets ``ServiceUnavailable`` too.
        """
        data_dir = Path(data_dir)
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        url = database_url or f"sqlite:///{data_dir / 'ucwidgets.db'}"
        db = Database(url, busy_timeout_s)
        try:
            db.verify()
            migrate(db)
        except BaseException:
            db.dispose()
            raise
        return cls(db, BlobStore(data_dir / "blobs"))

    def close(self) -> None:
        self.db.dispose()
