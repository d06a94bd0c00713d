"""What tests in every folder share: an HTTP client per user, making users, the small data file.

Kept out of ``conftest.py`` so that test modules can import it by a unique name
(``from service_api import Api``) whichever conftest pytest loaded last. The fixtures built on
it, and the names they go by, are in ``tests/README.md``.
"""

from __future__ import annotations

import itertools
import re
from contextlib import AbstractContextManager
from typing import Any

import requests


class Api:
    """A tiny HTTP client for one actor: paths are relative to the API root.

    >>> api.get("useCases/").json()["totalCount"]  # doctest: +SKIP
    """

    def __init__(self, base: str, token: str | None, user: dict | None = None) -> None:
        self.base = base.rstrip("/") + "/"
        self.token = token
        self.user = user or {}
        self.session = requests.Session()
        if token is not None:
            self.session.headers["Authorization"] = f"Token {token}"

    @property
    def id(self) -> str:
        return self.user["id"]

    @property
    def username(self) -> str:
        return self.user["username"]

    @property
    def full_name(self) -> str:
        return self.user["full_name"]

    @property
    def endpoint(self) -> str:
        """The API root, as ``ucwidgets.Client(endpoint=...)`` takes it."""
        return self.base.rstrip("/")

    def sign_in(self) -> Any:
        """Make the API layer's global client act as this user (``ucwidgets.Client``)."""
        import ucwidgets

        return ucwidgets.Client(token=self.token, endpoint=self.endpoint)

    def signed_in(self, **kwargs: Any) -> AbstractContextManager[Any]:
        """The API layer acts as this user inside a ``with`` block (``client_configuration``)."""
        from ucwidgets.client import client_configuration

        return client_configuration(token=self.token, endpoint=self.endpoint, **kwargs)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.base + path, **kwargs)

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return self.request("POST", path, **kw)

    def patch(self, path: str, **kw: Any) -> requests.Response:
        return self.request("PATCH", path, **kw)

    def delete(self, path: str, **kw: Any) -> requests.Response:
        return self.request("DELETE", path, **kw)

    # -- seeding helpers (each asserts success, so a broken seed fails loudly) -------------
    def create_use_case(self, name: str = "Risk", **body: Any) -> dict:
        r = self.post("useCases/", json={"name": name, **body})
        assert r.status_code == 201, r.text
        return r.json()

    def upload_dataset(self, content: bytes, filename: str = "risk_data.csv") -> dict:
        r = self.post("datasets/fromFile/", files={"file": (filename, content)})
        assert r.status_code == 202, r.text
        done = self.session.get(r.headers["Location"], allow_redirects=False, timeout=30)
        assert done.status_code == 303, done.text
        return self.session.get(done.headers["Location"], timeout=30).json()

    def create_project(self, dataset_id: str, name: str = "Risk Assessment v1") -> dict:
        r = self.post("projects/", json={"datasetId": dataset_id, "projectName": name})
        assert r.status_code == 202, r.text
        done = self.session.get(r.headers["Location"], allow_redirects=False, timeout=30)
        assert done.status_code == 303, done.text
        return self.session.get(done.headers["Location"], timeout=30).json()

    def share(self, use_case_id: str, *roles: dict) -> requests.Response:
        return self.patch(
            f"useCases/{use_case_id}/sharedRoles/",
            json={"operation": "updateRoles", "roles": list(roles)},
        )

    def grant(self, use_case_id: str, other: Api, role: str, can_share: bool = False) -> None:
        r = self.share(
            use_case_id,
            {"role": role, "shareRecipientType": "user", "id": other.id, "canShare": can_share},
        )
        assert r.status_code == 204, r.text


_serial = itertools.count()


def new_user(service: Any, name: str | None = None, full_name: str | None = None) -> Api:
    """A new user of ``service`` (a running ``ServerThread``), made through the store's admin
    path, as an ``Api`` acting as them.

    ``name`` with an ``@`` is the username as given (and the full name unless one is given); a
    bare name is made unique, for a service that many tests share (``"ann"`` gives
    ``ann7@example.com``, full name ``Ann``); no name gives ``user7@example.com``.

    Examples
    --------
    >>> ann = new_user(service, "ann")  # doctest: +SKIP
    >>> ann.full_name  # doctest: +SKIP
    'Ann'
    """
    if name is None or "@" not in name:
        username = f"{name or 'user'}{next(_serial)}@example.com"
        full_name = full_name or (name.title() if name else username)
    else:
        username = name
    user, token = service.store.users.create(username, full_name=full_name or username)
    return Api(service.url, token, user)


def table_rows(service: Any) -> dict[str, list[str]]:
    """Every row of every table of a running service, sorted: what a refused request must leave
    exactly as it was."""
    from sqlalchemy import select

    from ucwidgets.server.store.schema import metadata

    with service.store.db.read() as conn:
        return {t.name: sorted(map(repr, conn.execute(select(t)))) for t in metadata.sorted_tables}


RISK_CSV = (
    b"age,income,region,credit_risk\n"
    b"25,40000,north,0\n40,85000,south,1\n33,52000,north,0\n51,99000,east,1\n"
    b"29,31000,west,0\n45,72000,south,1\n38,61000,east,0\n"
)


def risk_frame(rows: int = 600, seed: int = 7) -> Any:
    """A synthetic credit-risk table: numeric and categorical columns, some missing values, and
    a binary target ``credit_risk`` that depends on them (so models have something to learn).

    Examples
    --------
    >>> frame = risk_frame(rows=50)
    >>> sorted(frame["credit_risk"].unique())
    [0, 1]
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    age = rng.integers(21, 70, rows)
    income = rng.lognormal(10.8, 0.45, rows).round(-2)
    debt = (income * rng.uniform(0, 0.9, rows)).round(-2)
    region = rng.choice(["north", "south", "east", "west"], rows, p=[0.3, 0.3, 0.2, 0.2])
    years = rng.integers(0, 30, rows).astype(float)
    logit = (
        -1.0
        + 2.8 * debt / income
        - 0.025 * (age - 40)
        - 0.05 * years
        + np.where(region == "south", 0.6, 0.0)
    )
    risk = (rng.uniform(0, 1, rows) < 1 / (1 + np.exp(-logit))).astype(int)
    years[rng.uniform(0, 1, rows) < 0.05] = np.nan  # real data has gaps
    return pd.DataFrame(
        {
            "age": age,
            "income": income,
            "debt": debt,
            "region": region,
            "employment_years": years,
            "credit_risk": risk,
        }
    )


def concrete(pattern: str) -> str:
    """A path matching ``pattern``: ids become a well-formed id, segments ``datasets``, a choice
    of words (``(useCases|datasets)``) its first."""
    path = pattern.replace("([a-zA-Z]+)", "datasets").replace("([^/]+)", "0" * 24)
    path = re.sub(r"\(([\w]+)(?:\|[\w]+)+\)", r"\1", path)
    path = path.replace("\\.", ".")
    return "nowhere" if path == "(.*)" else path
