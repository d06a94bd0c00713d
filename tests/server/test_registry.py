"""Applications and notebooks, which the service registers (part B), and their links."""

from __future__ import annotations

from http_checks import (
    APPLICATION_FIELDS,
    NOTEBOOK_FIELDS,
    assert_error,
    assert_fields,
    assert_no_content,
    assert_page,
    events,
    unchanged,
)

APP_PERMISSIONS = {"CAN_VIEW", "CAN_UPDATE", "CAN_DELETE", "CAN_SHARE"}
NOTEBOOK_PERMISSIONS = {
    "CAN_READ",
    "CAN_UPDATE",
    "CAN_DELETE",
    "CAN_SHARE",
    "CAN_COPY",
    "CAN_EXECUTE",
}


def test_register_list_get_an_application(alice, bob):
    r = alice.post(
        "applications/",
        json={
            "name": "Financial Risk Detection",
            "description": "",
            "url": "https://apps.example/x",
        },
    )
    assert r.status_code == 201, r.text
    app = r.json()
    assert r.headers["Location"] == f"{alice.base}applications/{app['id']}/"
    assert_fields(app, APPLICATION_FIELDS)
    assert set(app["permissions"]) <= APP_PERMISSIONS
    assert all(isinstance(d, str) for d in app["deploymentIds"] + app["datasets"])
    assert alice.get(f"applications/{app['id']}/").json() == app
    page = assert_page(alice.get("applications/"), alice.base)
    assert [a["id"] for a in page["data"]] == [app["id"]]
    assert_error(bob.get(f"applications/{app['id']}/"), 404)
    assert bob.get("applications/").json()["data"] == []


def test_link_patch_delete_an_application(alice):
    uc = alice.create_use_case("Risk")
    app = alice.post("applications/", json={"name": "App"}).json()
    assert alice.post(f"useCases/{uc['id']}/applications/{app['id']}/").status_code == 201
    listed = alice.get("applications/", params={"useCaseIds": uc["id"]}).json()["data"]
    assert [a["id"] for a in listed] == [app["id"]]
    r = alice.patch(f"applications/{app['id']}/", json={"name": "App 2", "url": "http://a"})
    assert r.status_code == 200 and r.json()["name"] == "App 2"
    assert_no_content(alice.delete(f"applications/{app['id']}/"))
    assert_error(alice.get(f"applications/{app['id']}/"), 404)
    verbs = [e[:2] for e in events(alice, uc["id"])]
    assert verbs[-3:] == [
        ("added", "application"),
        ("modified", "application"),
        ("deleted", "application"),
    ]


def test_an_application_is_in_one_use_case_only(alice):
    first, second = alice.create_use_case("One"), alice.create_use_case("Two")
    app = alice.post("applications/", json={"name": "App"}).json()
    alice.post(f"useCases/{first['id']}/applications/{app['id']}/")
    with unchanged(alice):
        assert_error(alice.post(f"useCases/{second['id']}/applications/{app['id']}/"), 409)


def test_register_a_notebook_with_a_relative_path(alice, service):
    r = alice.post(
        "notebooks/",
        json={"name": "Exploration", "path": "work/./a/../eda.ipynb", "description": "first look"},
    )
    assert r.status_code == 201, r.text
    nb = r.json()
    assert r.headers["Location"] == f"{alice.base}notebooks/{nb['id']}/"
    assert_fields(nb, NOTEBOOK_FIELDS)
    assert set(nb["permissions"]) <= NOTEBOOK_PERMISSIONS
    assert (nb["name"], nb["path"], nb["type"]) == ("Exploration", "work/eda.ipynb", "plain")
    assert alice.get(f"notebooks/{nb['id']}/").json() == nb
    unnamed = alice.post("notebooks/", json={"path": "b.ipynb"}).json()
    assert unnamed["name"] == "b.ipynb"


def test_notebooks_link_and_list_by_use_case(alice):
    uc = alice.create_use_case("Risk")
    inside = alice.post("notebooks/", json={"path": "in.ipynb", "useCaseId": uc["id"]}).json()
    assert (inside["useCaseId"], inside["useCaseName"]) == (uc["id"], "Risk")
    other = alice.post("notebooks/", json={"path": "out.ipynb"}).json()
    page = assert_page(alice.get("notebooks/", params={"useCaseId": uc["id"]}), alice.base)
    assert [n["id"] for n in page["data"]] == [inside["id"]]
    assert alice.post(f"useCases/{uc['id']}/notebooks/{other['id']}/").status_code == 201
    assert alice.get(f"useCases/{uc['id']}/").json()["notebooksCount"] == 2
    assert_no_content(alice.delete(f"useCases/{uc['id']}/notebooks/{other['id']}/"))
    assert [e[:2] for e in events(alice, uc["id"])][1:] == [
        ("added", "notebook"),
        ("added", "notebook"),
        ("removed", "notebook"),
    ]
    # A malformed id is refused, as in every other listing's useCaseIds filter.
    assert_error(alice.get("notebooks/", params={"useCaseId": "nonsense"}), 422)


def test_patch_and_delete_a_notebook(alice):
    nb = alice.post("notebooks/", json={"path": "a.ipynb"}).json()
    r = alice.patch(f"notebooks/{nb['id']}/", json={"name": "A", "path": "dir/a.ipynb"})
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["path"]) == ("A", "dir/a.ipynb")
    with unchanged(alice):
        assert_error(alice.patch(f"notebooks/{nb['id']}/", json={"path": "../a.ipynb"}), 422)
    assert_no_content(alice.delete(f"notebooks/{nb['id']}/"))
    assert_error(alice.get(f"notebooks/{nb['id']}/"), 404)
