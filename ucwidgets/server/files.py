"""The service's own files: private to its user whatever the umask, and set up one process at
a time.

The data dir holds names, memberships and token hashes, so its folders are 0700 and its files
0600 even when the data dir was made beforehand with looser modes (they are tightened when the
service opens it). SQLite gives its ``-wal`` and ``-shm`` files the database file's mode, so a
database created 0600 keeps them 0600 too.

Two processes starting on one empty data dir at once (two kernels calling ``dr.Client()``) would
otherwise both migrate, and both create the local user: ``startup_lock`` makes them take turns.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> folder = private_dir(Path(tempfile.mkdtemp()) / "data")
>>> oct(folder.stat().st_mode & 0o777)
'0o700'
>>> with startup_lock(folder):
...     oct(private_file(folder / "x.db").stat().st_mode & 0o777)
'0o600'
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from filelock import FileLock

#: How long a starting process waits for another one's migrations and set-up.
STARTUP_TIMEOUT_S = 300


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) 0700 if needed; an existing one loses its group and
    other bits."""
    if path.is_dir():
        tighten(path)
    else:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty and 0600 if it does not exist; an existing one loses its group and
    other bits."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        tighten(path)
        return path
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    return path


def tighten(path: Path) -> None:
    """Take the group and other bits off an existing file or folder (one an older version or
    another tool created looser). The owner's bits stay: a file made read-only stays so, and a
    file already private is not touched (it may sit on a read-only mount)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & 0o077:
        os.chmod(path, mode & 0o700)


def startup_lock(data_dir: Path) -> FileLock:
    """The lock a process holds while it migrates the database or sets up the local user."""
    return FileLock(data_dir / "startup.lock", mode=0o600, timeout=STARTUP_TIMEOUT_S)
