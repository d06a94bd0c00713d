"""Dataset files, stored once each under the SHA-256 of their bytes.

An upload is streamed into a temporary file in the blob directory while it is hashed; when it is
complete the file is fsynced and renamed to its content address (and the directory fsynced), all
before the database row that points at it commits. A crash can therefore leave an unreferenced
blob, never a row without its file. A temporary file is locked while its upload lives, so the
ones a killed process left behind can be told apart and are swept when the service starts.

Files no row refers to any more (a purged dataset's, an upload cut off between its file and its
row) are collected, but only once they have sat unchanged for a grace period: a file younger
than that may belong to an upload whose row has not committed yet. Storing a file and
collecting one take a lock on ``.collect.lock`` (shared and exclusive), so that a collection
never removes a file that an upload has just stored again under the same address.

With object storage (``remote``: any ``fsspec`` URL, such as ``s3://bucket/prefix``) the bucket
holds the files and is shared by every replica; the blob directory is each host's cache of
them. A commit uploads the finished file (streamed in parts, so memory stays bounded) before it
names it in the cache; a file missing from the cache is fetched on first use. Options of the
storage come from fsspec's configuration, e.g. ``FSSPEC_S3_ENDPOINT_URL`` for an
S3-compatible server, and the usual ``AWS_*`` variables for credentials.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InsufficientStorage, MissingExtra, ServiceUnavailable, ValidationError
from .files import private_dir, tighten

try:
    import fcntl
except ImportError:  # Windows, where a file open in any process cannot be removed anyway
    fcntl = None  # type: ignore[assignment]


#: Seconds a stored file must sit unchanged before a collection may remove it (an hour: far
#: longer than any upload takes from storing its file to committing its row).
COLLECT_GRACE_S = 3600.0
#: How many addresses one look-up of references checks.
_BATCH = 500

#: What a write gets from a full disk, a full quota, or a file-size limit.
NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


@contextlib.contextmanager
def _reachable(missing: bool = False) -> Iterator[None]:
    """Object storage failures (network, credentials, a missing bucket) as a 503; with
    ``missing``, a file that is not there stays ``FileNotFoundError`` for the caller."""
    try:
        yield
    except FileNotFoundError:
        if missing:
            raise
        raise ServiceUnavailable(
            "The dataset storage has no such bucket or folder; nothing was stored.",
            retry_after=5,
        ) from None
    except Exception as e:  # fsspec implementations raise their own kinds
        raise ServiceUnavailable(
            f"The dataset storage did not answer ({type(e).__name__}: {e}); nothing was "
            "stored. Try again.",
            retry_after=5,
        ) from e


@contextlib.contextmanager
def _disk_space() -> Iterator[None]:
    try:
        yield
    except OSError as e:
        if e.errno in NO_SPACE:
            raise InsufficientStorage(
                "The service's disk is full; the upload was not stored. "
                "Try again once space is freed."
            ) from e
        raise


class BlobWriter:
    """One upload in progress: ``write`` chunks, then ``commit`` or ``abort``."""

    def __init__(self, store: BlobStore) -> None:
        self._store = store
        fd, name = tempfile.mkstemp(dir=store.tmp_dir, prefix="upload-")
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # held until the file is renamed or removed
        self._file = os.fdopen(fd, "wb")
        self.temp_path = Path(name)
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        with _disk_space():
            self._file.write(chunk)
        self._hash.update(chunk)
        self.size += len(chunk)

    def flush(self) -> None:
        """Push written bytes to the file, so that it can be read before it is committed."""
        with _disk_space():
            self._file.flush()

    def commit(self) -> str:
        """Make the file durable under its content address and return that address."""
        with _disk_space():
            self._file.flush()
            os.fsync(self._file.fileno())
        digest = self._hash.hexdigest()
        self._store.upload(self.temp_path, digest)
        final = self._store.cached(digest)
        private_dir(final.parent)
        if fcntl is None:
            self._file.close()  # Windows renames no open file
        with self._store.collecting(fcntl.LOCK_SH if fcntl is not None else 0):
            # still locked, so a sweep cannot take it first
            os.replace(self.temp_path, final)
        self._file.close()
        _fsync_dir(final.parent)
        return digest

    def abort(self) -> None:
        with contextlib.suppress(OSError):  # on a full disk the close's last flush fails
            self._file.close()
        self.temp_path.unlink(missing_ok=True)


@dataclass(frozen=True)
class StoredBlob:
    """A file already durable in the blob store (what :meth:`BlobStore.put_bytes` returns)."""

    digest: str
    size: int

    def commit(self) -> str:
        return self.digest


class BlobStore:
    """Content-addressed files under ``root``.

    Examples
    --------
    >>> import tempfile
    >>> blobs = BlobStore(tempfile.mkdtemp())
    >>> stored = blobs.put_bytes(b"a,b\\n1,2\\n")
    >>> blobs.path(stored.digest).read_bytes()
    b'a,b\\n1,2\\n'
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        grace_s: float = COLLECT_GRACE_S,
        remote: str | None = None,
    ) -> None:
        self.root = private_dir(Path(root))
        self.grace_s = grace_s
        self.remote = remote.rstrip("/") if remote else None
        self.tmp_dir = private_dir(self.root / "tmp")
        for shard in self.root.iterdir():  # folders an older version made 0755
            if shard.is_dir():
                tighten(shard)

    def writer(self) -> BlobWriter:
        return BlobWriter(self)

    def sweep(self) -> int:
        """Remove the temporary files no live upload holds (a killed process left them, maybe
        hundreds of MB each); uploads in progress in other processes keep theirs. Returns how
        many went."""
        removed = 0
        for path in self.tmp_dir.iterdir():
            try:
                with open(path, "rb") as f:
                    if fcntl is not None:
                        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    path.unlink()
            except (BlockingIOError, PermissionError, FileNotFoundError):
                continue  # an upload still running elsewhere, or one that just finished
            removed += 1
        return removed

    @contextlib.contextmanager
    def collecting(self, mode: int) -> Iterator[None]:
        """Hold the collection lock: shared (``LOCK_SH``) to store, exclusive to remove."""
        if fcntl is None:
            yield
            return
        fd = os.open(self.root / ".collect.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, mode)
            yield
        finally:
            os.close(fd)  # releases the lock

    def stored(self) -> Iterator[str]:
        """The address of every stored file."""
        if self.remote is not None:
            fs, prefix = self._fs
            with _reachable():
                found = fs.find(prefix)
            yield from ("".join(key.rsplit("/", 2)[-2:]) for key in found)
            return
        for shard in self.root.iterdir():
            if shard.is_dir() and shard != self.tmp_dir:
                yield from (shard.name + f.name for f in shard.iterdir())

    def collect(
        self,
        referenced: Callable[[list[str]], set[str]],
        candidates: list[str] | None = None,
    ) -> int:
        """Remove the stored files (of ``candidates``, or all) that ``referenced`` does not
        claim and that have sat unchanged for ``grace_s``; return how many went.

        ``referenced`` gets a batch of addresses and returns those a row refers to.
        """
        cutoff = time.time() - self.grace_s
        old = [
            d
            for d in (self.stored() if candidates is None else candidates)
            if self._older(d, cutoff)
        ]
        removed = 0
        for start in range(0, len(old), _BATCH):
            batch = old[start : start + _BATCH]
            claimed = referenced(batch)
            for digest in batch:
                if digest in claimed:
                    continue
                with self.collecting(fcntl.LOCK_EX if fcntl is not None else 0):
                    # Stored again since the look-up: an upload's, whose row is on its way.
                    if self._older(digest, cutoff):
                        self._remove(digest)
                        removed += 1
        return removed

    def _older(self, digest: str, cutoff: float) -> bool:
        try:
            if self.remote is not None:
                fs, _ = self._fs
                with _reachable(missing=True):
                    return fs.modified(self._key(digest)).timestamp() < cutoff
            return self.cached(digest).stat().st_mtime < cutoff
        except FileNotFoundError:
            return False

    def _remove(self, digest: str) -> None:
        if self.remote is not None:
            fs, _ = self._fs
            with _reachable(missing=True), contextlib.suppress(FileNotFoundError):
                fs.rm(self._key(digest))
        self.cached(digest).unlink(missing_ok=True)

    def cached(self, digest: str) -> Path:
        """Where the file of ``digest`` is (or goes) on this host."""
        return self.root / digest[:2] / digest[2:]

    def path(self, digest: str) -> Path:
        """The file of ``digest`` on this host; from object storage, fetched first if need be."""
        local = self.cached(digest)
        if self.remote is not None and not local.exists():
            fs, _ = self._fs
            fd, name = tempfile.mkstemp(dir=self.tmp_dir, prefix="fetch-")
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)  # a sweep leaves a fetch in progress alone
            try:
                with _reachable(missing=True):
                    fs.get_file(self._key(digest), name)
                private_dir(local.parent)
                os.replace(name, local)
            finally:
                os.close(fd)
                Path(name).unlink(missing_ok=True)
        return local

    def upload(self, file: Path, digest: str) -> None:
        """Put a finished file into object storage under ``digest`` (nothing without one)."""
        if self.remote is not None:
            fs, _ = self._fs
            with _reachable():
                fs.put_file(str(file), self._key(digest))

    def verify(self) -> None:
        """Refuse, at start, object storage that cannot be used: its library is missing, or it
        does not answer (so a service never accepts an upload it cannot keep)."""
        if self.remote is not None:
            fs, prefix = self._fs
            with _reachable():
                fs.ls(prefix.split("/", 1)[0])

    @functools.cached_property
    def _fs(self) -> tuple[Any, str]:
        """The fsspec file system of ``remote`` and the prefix of the files in it."""
        try:
            from fsspec.config import set_conf_env
            from fsspec.core import split_protocol, url_to_fs

            # The FSSPEC_<PROTOCOL>_<OPTION> variables as they are now (fsspec's own copy is
            # taken when it is first imported).
            options: dict[str, dict[str, Any]] = {}
            set_conf_env(options)
            protocol = split_protocol(self.remote)[0] or "file"
            fs, prefix = url_to_fs(self.remote, **options.get(protocol, {}))
        except ImportError as e:
            raise MissingExtra.naming(f"Dataset storage at {self.remote}", s3fs="s3") from e
        return fs, prefix.rstrip("/")

    def _key(self, digest: str) -> str:
        return f"{self._fs[1]}/{digest[:2]}/{digest[2:]}"

    def put_bytes(self, data: bytes) -> StoredBlob:
        w = self.writer()
        try:
            w.write(data)
            return StoredBlob(w.commit(), len(data))
        except BaseException:
            w.abort()
            raise


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def describe_csv(path: Path) -> dict[str, Any]:
    """Read a CSV once, streamed: its row count and each column's name, dtype, feature type and
    statistics (``ucwidgets.server.profile``).

    Raises ``ValidationError`` (422) with pandas' explanation, including the line number, when
    the file is empty, has no data rows, is ragged or is not UTF-8 text.
    """
    import pandas as pd

    from .profile import profile_csv

    try:
        described = profile_csv(path)
    except pd.errors.EmptyDataError as e:
        raise ValidationError("The file is empty: no header and no rows.") from e
    except pd.errors.ParserError as e:
        raise ValidationError(f"The file is not a well-formed CSV: {e}".strip()) from e
    except UnicodeDecodeError as e:
        raise ValidationError(f"The file is not UTF-8 text: {_first_bad_byte(path)}.") from e
    if described["row_count"] == 0:
        raise ValidationError("The file has a header but no data rows.")
    return described


def _first_bad_byte(path: Path) -> str:
    """Where a file stops being UTF-8, as "byte N (line L)" (pandas reports a chunk offset)."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, lines = 0, 1
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as e:
                lines += chunk.count(b"\n", 0, e.start)
                return f"undecodable byte at offset {offset + e.start} (line {lines})"
            offset += len(chunk)
            lines += chunk.count(b"\n")
    return "undecodable bytes"


def read_column(path: Path, column: str) -> Any:
    """One column of a stored CSV as a pandas Series (for target inference)."""
    import pandas as pd

    return pd.read_csv(path, usecols=[column], encoding="utf-8")[column]
