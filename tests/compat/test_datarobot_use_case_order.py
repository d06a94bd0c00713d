"""Every ``orderBy`` option that ``UseCase.list``'s docstring documents, run by the real
``datarobot`` client in its snake_case and over HTTP in camelCase, on use cases seeded so that
the options give different orders; and the query plan of each: an index read, never a sort.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from service_api import RISK_CSV
from sqlalchemy import event

dr = pytest.importorskip("datarobot")

if TYPE_CHECKING:
    from service_api import Api

pytestmark = pytest.mark.compat

#: The options of ``UseCase.list``'s docstring -> the listing's field they sort by.
OPTIONS = {
    "id": lambda uc: uc["id"],
    "name": lambda uc: uc["name"],
    "description": lambda uc: uc["description"],
    "projects_count": lambda uc: uc["projectsCount"],
    "datasets_count": lambda uc: uc["datasetsCount"],
    "files_count": lambda uc: uc["filesCount"],
    "notebooks_count": lambda uc: uc["notebooksCount"],
    "applications_count": lambda uc: uc["applicationsCount"],
    "created_at": lambda uc: uc["createdAt"],
    "created_by": lambda uc: uc["created"]["username"],
    "updated_at": lambda uc: uc["updatedAt"],
    "updated_by": lambda uc: uc["updated"]["username"],
}
#: Four use cases, listed by their index, in the order they are created. Each row: name,
#: description, creator, projects, datasets, notebooks, applications, last updater.
SEED = [
    ("Birch", "b: second", "lee", 3, 1, 1, 3, "zoe"),
    ("Dune", "a: first", "amy", 1, 2, 3, 2, "kim"),
    ("Cobalt", "c: third", "kim", 2, 3, 0, 1, "amy"),
    ("Amber", "d: fourth", "zoe", 0, 0, 2, 0, "lee"),
]
#: The order in which the last updaters touch them.
UPDATE_ORDER = [2, 3, 0, 1]
#: Ascending order (indexes into SEED) each option must give; every one differs from the rest.
DESIGNED = {
    "name": [3, 0, 2, 1],
    "description": [1, 0, 2, 3],
    "projects_count": [3, 1, 2, 0],
    "datasets_count": [3, 0, 1, 2],
    "notebooks_count": [2, 0, 3, 1],
    "applications_count": [3, 2, 1, 0],
    "created_at": [0, 1, 2, 3],
    "created_by": [1, 2, 0, 3],
    "updated_at": [2, 3, 0, 1],
    "updated_by": [2, 1, 3, 0],
}
assert len({tuple(order) for order in DESIGNED.values()}) == len(DESIGNED)


def camel(option: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), option)


def seed_one(row: tuple, people: dict[str, Api], viewer: Api) -> str:
    name, description, creator, projects, datasets, notebooks, apps, updater = row
    owner = people[creator]
    uc = owner.create_use_case(name, description=description)
    owner.grant(uc["id"], viewer, "CONSUMER")
    owner.grant(uc["id"], people[updater], "EDITOR")
    dataset_ids = [owner.upload_dataset(RISK_CSV)["datasetId"] for _ in range(datasets)]
    linked = [f"datasets/{d}" for d in dataset_ids]
    for _ in range(projects):  # a project in set-up brings its dataset, already linked here
        linked.append(f"projects/{owner.create_project(dataset_ids[0])['id']}")
    for i in range(notebooks):
        nb = owner.post("notebooks/", json={"path": f"{name}-{i}.ipynb"}).json()
        linked.append(f"notebooks/{nb['id']}")
    for i in range(apps):
        app = owner.post("applications/", json={"name": f"{name} app {i}"}).json()
        linked.append(f"applications/{app['id']}")
    for path in linked:
        assert owner.post(f"useCases/{uc['id']}/{path}/").status_code == 201
    return uc["id"]


@pytest.fixture(scope="module")
def seeded(module_service: Any, make_module_user: Any) -> tuple[Api, list[str]]:
    """The viewer (a CONSUMER of all four use cases, creator of none) and the ids in SEED's
    order."""
    viewer = make_module_user("viewer@example.com")
    people = {n: make_module_user(f"{n}@example.com") for n in ("amy", "kim", "lee", "zoe")}
    ids = [seed_one(row, people, viewer) for row in SEED]
    for i in UPDATE_ORDER:
        name, updater = SEED[i][0], SEED[i][7]
        assert people[updater].patch(f"useCases/{ids[i]}/", json={"name": name}).ok
    return viewer, ids


def listed(viewer: Api, order_by: str) -> list[dict]:
    r = viewer.get("useCases/", params={"orderBy": order_by})
    assert r.status_code == 200, r.text
    return r.json()["data"]


@pytest.fixture
def datarobot_as_viewer(
    seeded: tuple[Api, list[str]], module_service: Any, datarobot_as: Any
) -> Api:
    viewer, _ = seeded
    datarobot_as(module_service, viewer.token).connect()
    return viewer


@pytest.mark.parametrize("option", OPTIONS)
def test_every_documented_order(option: str, datarobot_as_viewer: Api, seeded: Any) -> None:
    _, ids = seeded
    items = listed(datarobot_as_viewer, "id")
    assert {uc["id"] for uc in items} == set(ids)
    key = OPTIONS[option]
    if option in DESIGNED:  # the seed gives this option its own order
        by_field = [ids.index(uc["id"]) for uc in sorted(items, key=key)]
        assert by_field == DESIGNED[option]
    for descending in (False, True):
        expected = [
            uc["id"] for uc in sorted(items, key=lambda u: (key(u), u["id"]), reverse=descending)
        ]
        sign = "-" if descending else ""
        by_client = dr.UseCase.list(search_params={"orderBy": f"{sign}{option}"})
        assert [uc.id for uc in by_client] == expected, f"{sign}{option}"
        by_camel = listed(datarobot_as_viewer, f"{sign}{camel(option)}")
        assert [uc["id"] for uc in by_camel] == expected, f"{sign}{camel(option)}"


@pytest.mark.parametrize("search", ["th", "fourth"])  # a scan, and the trigram index
def test_every_order_holds_within_a_search(search: str, seeded: Any) -> None:
    viewer, _ = seeded
    r = viewer.get("useCases/", params={"search": search})
    matches = r.json()["data"]
    assert 0 < len(matches) < len(SEED)
    for option, key in OPTIONS.items():
        for descending in (False, True):
            expected = sorted(matches, key=lambda u: (key(u), u["id"]), reverse=descending)
            order_by = f"{'-' if descending else ''}{camel(option)}"
            r = viewer.get("useCases/", params={"search": search, "orderBy": order_by})
            got = [uc["id"] for uc in r.json()["data"]]
            assert got == [uc["id"] for uc in expected], order_by


def test_an_unknown_order_is_refused(datarobot_as_viewer: Api) -> None:
    for bad in ("size", "--name", "projects-count", "Name", "-"):
        r = datarobot_as_viewer.get("useCases/", params={"orderBy": bad})
        assert r.status_code == 422, bad
        assert r.json()["errors"] == {"orderBy": "unknown sort key"}


@pytest.fixture
def statements(module_service: Any) -> Iterator[list[tuple[str, Any]]]:
    """The SQL the service runs while the test does, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    engine = module_service.store.db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


#: The index each option's page is read from (``filesCount`` is 0 throughout: the id's order).
INDEXES = {
    **{o: f"ix_memberships_user_{o.removesuffix('_count')}" for o in OPTIONS},
    "id": "ix_memberships_user",
    "files_count": "ix_memberships_user",
    "created_at": "ix_memberships_user_created",
    "updated_at": "ix_memberships_user_updated",
}


@pytest.mark.parametrize("option", OPTIONS)
def test_each_order_reads_an_index_and_sorts_nothing(
    option: str, seeded: Any, statements: list, module_service: Any
) -> None:
    viewer, _ = seeded
    for order_by in (option, f"-{camel(option)}"):
        statements.clear()
        listed(viewer, order_by)
        pages = [(s, p) for s, p in statements if "memberships" in s and "LIMIT" in s]
        assert len(pages) == 1, statements
        sql, parameters = pages[0]
        with module_service.store.db.engine.connect() as conn:
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters).all()
        details = " | ".join(row[-1] for row in plan)
        assert f"INDEX {INDEXES[option]} (user_id=?)" in details, details
        assert "TEMP B-TREE" not in details, details
