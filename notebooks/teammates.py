"""Teammates for the notebooks: what an admin's ``ucwidgets user add`` does on a team service,
done here on the local store (the one of ``UCWIDGETS_DATA_DIR``, or the per-user data dir).

Examples
--------
>>> from teammates import add_teammates  # doctest: +SKIP
>>> add_teammates(["bob@example.com"])  # doctest: +SKIP
['bob@example.com']
"""

from __future__ import annotations

from ucwidgets.paths import data_dir
from ucwidgets.server.store import Store


def add_teammates(usernames: list[str]) -> list[str]:
    """Add users to the local store (an admin's ``ucwidgets user add`` on a team service).

    Users that already exist are left as they are; returns the usernames.
    """
    store = Store.open(data_dir())
    try:
        known = {u["username"] for u in store.users.list()}
        for name in usernames:
            if name not in known:
                store.users.create(name, full_name=name.split("@")[0].title())
    finally:
        store.close()
    return usernames
