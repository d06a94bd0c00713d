"""Project routes: create (file, dataset), read, list (bare array), change, options, aim, and
the project rules of ACCESS.md."""

from __future__ import annotations

import pytest
from http_checks import (
    assert_camel_case,
    assert_error,
    assert_no_content,
    events,
    follow_job,
    unchanged,
)

MIXED_CSV = (
    b"flag,amount,colour,const\nyes,1.5,red,1\nno,2.5,green,1\nyes,3.5,blue,1\nno,4.5,red,1\n"
)


def test_create_from_dataset_is_202_then_303_then_the_project(alice, risk_csv):
    ds = alice.upload_dataset(risk_csv)
    r = alice.post("projects/", json={"datasetId": ds["datasetId"], "projectName": "Risk v1"})
    assert "pid" in r.json()
    project = follow_job(alice, r, "projects")
    assert project["id"] == r.json()["pid"]
    assert_camel_case(project)
    assert (project["projectName"], project["stage"], project["datasetId"]) == (
        "Risk v1",
        "aim",
        ds["datasetId"],
    )
    assert "useCase" not in project and "target" not in project


def test_create_from_a_file_also_catalogs_the_dataset(alice, risk_csv):
    r = alice.post(
        "projects/", files={"projectName": (None, "From file"), "file": ("risk_data.csv", risk_csv)}
    )
    project = follow_job(alice, r, "projects")
    assert (project["projectName"], project["fileName"]) == ("From file", "risk_data.csv")
    ds = alice.get(f"datasets/{project['datasetId']}/").json()
    assert ds["rowCount"] == 7


def test_create_from_a_url_is_refused(alice):
    with unchanged(alice):
        assert_error(
            alice.post("projects/", json={"url": "http://example.com/x.csv", "projectName": "p"}),
            422,
        )


def test_list_is_a_bare_array_filtered_by_name_and_use_case(alice, bob, risk_csv):
    ds = alice.upload_dataset(risk_csv)
    p1 = alice.create_project(ds["datasetId"], "One")
    alice.create_project(ds["datasetId"], "Two")
    bob.create_project(bob.upload_dataset(risk_csv)["datasetId"], "Bob's")
    r = alice.get("projects/")
    assert r.status_code == 200 and isinstance(r.json(), list)
    assert sorted(p["projectName"] for p in r.json()) == ["One", "Two"]
    assert [p["id"] for p in alice.get("projects/", params={"projectName": "One"}).json()] == [
        p1["id"]
    ]
    assert len(alice.get("projects/", params={"limit": 1}).json()) == 1
    uc = alice.create_use_case("Risk")
    alice.post(f"useCases/{uc['id']}/projects/{p1['id']}/")
    linked = alice.get("projects/", params={"useCaseIds": uc["id"]}).json()
    assert [p["id"] for p in linked] == [p1["id"]]
    assert linked[0]["useCase"] == {"id": uc["id"], "name": "Risk"}


def test_patch_renames_and_announces(alice, risk_csv):
    uc = alice.create_use_case("Risk")
    project = alice.create_project(alice.upload_dataset(risk_csv)["datasetId"], "P")
    alice.post(f"useCases/{uc['id']}/projects/{project['id']}/")
    r = alice.patch(
        f"projects/{project['id']}/",
        json={"projectName": "P2", "projectDescription": "desc", "workerCount": -1},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["projectName"], r.json()["projectDescription"]) == ("P2", "desc")
    assert events(alice, uc["id"])[-1] == ("modified", "project", "P2")


def test_delete_is_204(alice, risk_csv):
    uc = alice.create_use_case("Risk")
    project = alice.create_project(alice.upload_dataset(risk_csv)["datasetId"], "P")
    alice.post(f"useCases/{uc['id']}/projects/{project['id']}/")
    assert_no_content(alice.delete(f"projects/{project['id']}/"))
    assert_error(alice.get(f"projects/{project['id']}/"), 404)
    assert events(alice, uc["id"])[-1] == ("deleted", "project", "P")


def test_options_and_models(alice, bob, risk_csv):
    project = alice.create_project(alice.upload_dataset(risk_csv)["datasetId"])
    r = alice.get(f"projects/{project['id']}/options/")
    assert (r.status_code, r.json()) == (200, {})
    assert alice.get(f"projects/{project['id']}/models/").json() == []
    assert_error(bob.get(f"projects/{project['id']}/options/"), 404)
    assert_error(bob.get(f"projects/{project['id']}/models/"), 404)


def _aim(api, project_id, **body):
    return api.patch(f"projects/{project_id}/aim/", json={"mode": "quick", **body})


@pytest.mark.parametrize(
    ("target", "target_type", "metric"),
    [
        ("flag", "Binary", "LogLoss"),
        ("amount", "Regression", "RMSE"),
    ],
)
def test_aim_infers_the_target_type(alice, target, target_type, metric):
    project = alice.create_project(alice.upload_dataset(MIXED_CSV)["datasetId"])
    done = follow_job(alice, _aim(alice, project["id"], target=target), "projects")
    assert done["id"] == project["id"]
    assert (done["stage"], done["target"], done["targetType"], done["metric"]) == (
        "modeling",
        target,
        target_type,
        metric,
    )
    assert_error(_aim(alice, project["id"], target=target), 422)  # a target is set once


def test_aim_binary_positive_class_and_metric(alice, risk_csv):
    project = alice.create_project(alice.upload_dataset(risk_csv)["datasetId"])
    done = follow_job(
        alice,
        _aim(alice, project["id"], target="credit_risk", metric="AUC", positiveClass=1),
        "projects",
    )
    assert (done["metric"], done["positiveClass"], done["autopilotMode"]) == ("AUC", "1", 4)


def test_aim_on_a_constant_target_is_refused(alice):
    project = alice.create_project(alice.upload_dataset(MIXED_CSV)["datasetId"])
    with unchanged(alice):
        assert_error(_aim(alice, project["id"], target="const"), 422)


def test_linking_a_project_in_set_up_brings_its_dataset(alice, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    project = alice.create_project(ds["datasetId"], "P")
    assert alice.post(f"useCases/{uc['id']}/projects/{project['id']}/").status_code == 201
    body = alice.get(f"useCases/{uc['id']}/").json()
    assert (body["projectsCount"], body["datasetsCount"]) == (1, 1)
    assert alice.get(f"datasets/{ds['datasetId']}/").json()["useCaseIds"] == [uc["id"]]
    assert {("added", "dataset", "risk_data.csv"), ("added", "project", "P")} <= set(
        events(alice, uc["id"])
    )
    # From then on, aim must make it binary or regression.
    with unchanged(alice):
        assert_error(_aim(alice, project["id"], target="region"), 422)
    follow_job(alice, _aim(alice, project["id"], target="credit_risk"), "projects")
    assert events(alice, uc["id"])[-1] == ("modified", "project", "P")


def test_a_project_is_in_one_use_case_only(alice, risk_csv):
    first, second = alice.create_use_case("One"), alice.create_use_case("Two")
    project = alice.create_project(alice.upload_dataset(risk_csv)["datasetId"])
    alice.post(f"useCases/{first['id']}/projects/{project['id']}/")
    with unchanged(alice):
        body = assert_error(alice.post(f"useCases/{second['id']}/projects/{project['id']}/"), 409)
    assert first["id"] in body["message"]


def test_a_project_with_a_target_needs_its_dataset_linked_and_modeling(alice, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    project = alice.create_project(ds["datasetId"])
    follow_job(alice, _aim(alice, project["id"], target="credit_risk"), "projects")
    link = f"useCases/{uc['id']}/projects/{project['id']}/"
    with unchanged(alice):
        assert "dataset" in assert_error(alice.post(link), 422)["message"]
    alice.post(f"useCases/{uc['id']}/datasets/{ds['datasetId']}/")
    assert alice.post(link).status_code == 201


def test_a_multiclass_target_is_inferred_and_refused(alice):
    # Like DataRobot's Use Cases, the service models binary and regression targets only, so a
    # project with a Multiclass target can never be added to a use case.
    project = alice.create_project(alice.upload_dataset(MIXED_CSV)["datasetId"])
    with unchanged(alice):
        body = assert_error(_aim(alice, project["id"], target="colour"), 422)
    assert "Multiclass" in body["message"]
    assert "target" not in alice.get(f"projects/{project['id']}/").json()
