"""The scenarios of ``service.py``: the rows of its table, each a request made fresh per index."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from _bulk_seed import SMALL_MEMBERSHIPS, TOPICS, Seed

API = "/api/v2/"
Request = tuple[str, str, str]  # method, path (with query), body


@dataclass
class Scenario:
    key: str  # a short handle for the notes under the table
    name: str
    target: str  # "service" or "floor"
    make: Callable[[int], Request]  # the i-th request; writes never repeat a pair
    status: int
    token: str = ""
    result: dict = field(default_factory=dict)


def scenarios(s: Seed) -> list[Scenario]:
    """The rows of the table, floors first; the first row is what the ratios compare with."""
    n = len(s.use_cases)

    def uc(i: int) -> str:
        return s.use_cases[(i * 7919) % n]  # spread over the table, not a hot row

    def get(path: str) -> Callable[[int], Request]:
        return lambda i: ("GET", path, "")

    def link(i: int) -> Request:
        ds = s.link_datasets[(i // n) % len(s.link_datasets)]
        return "POST", f"{API}useCases/{s.use_cases[i % n]}/datasets/{ds}/", ""

    def share(i: int) -> Request:
        user = s.share_users[(i + i // n) % len(s.share_users)]  # alternates users, never repeats
        body = {
            "operation": "updateRoles",
            "roles": [{"role": "CONSUMER", "shareRecipientType": "user", "id": user}],
        }
        return "PATCH", f"{API}useCases/{s.use_cases[i % n]}/sharedRoles/", json.dumps(body)

    t, page = s.token, f"{API}useCases/?limit=100"
    return [
        Scenario("floor", "floor: bare tornado, tiny JSON", "floor", get("/floor/json"), 200),
        Scenario("hops", "floor: bare tornado + 2 executor hops", "floor", get("/floor/hops"), 200),
        Scenario(
            "health",
            "`GET health/` (our handler, no token, no DB)",
            "service",
            get(f"{API}health/"),
            200,
        ),
        Scenario(
            "me", "`GET users/me/` (token check only)", "service", get(f"{API}users/me/"), 200, t
        ),
        Scenario(
            "get",
            "`GET useCases/{id}/`",
            "service",
            lambda i: ("GET", f"{API}useCases/{uc(i)}/", ""),
            200,
            t,
        ),
        Scenario("list", "`GET useCases/?limit=100`", "service", get(page), 200, t),
        Scenario(
            "name",
            "`GET useCases/?limit=100&orderBy=name`",
            "service",
            get(f"{page}&orderBy=name"),
            200,
            t,
        ),
        Scenario(
            "search",
            f"`GET useCases/?limit=100&search=churn` ({n // len(TOPICS):,} match)",
            "service",
            get(f"{page}&search=churn"),
            200,
            t,
        ),
        Scenario(
            "last",
            f"`GET useCases/?limit=100&offset={max(0, n - 100)}` (last page)",
            "service",
            get(f"{page}&offset={max(0, n - 100)}"),
            200,
            t,
        ),
        Scenario(
            "small",
            f"`GET useCases/?limit=100`, user in {SMALL_MEMBERSHIPS} use cases",
            "service",
            get(page),
            200,
            s.small_token,
        ),
        Scenario(
            "link", "`POST useCases/{id}/datasets/{dsid}/` (fresh pair)", "service", link, 201, t
        ),
        Scenario(
            "share",
            "`PATCH useCases/{id}/sharedRoles/` (CONSUMER, fresh pair)",
            "service",
            share,
            204,
            t,
        ),
    ]
