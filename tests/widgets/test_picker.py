"""AssetPicker: choose, check and upload, register; the service's links are what counts."""

from __future__ import annotations

from ucwidgets.widgets.picker import PROJECT_RULES, AssetPicker
from widgets._helpers import HOSTILE, press, synced_text, typed


def _linked(api, use_case_id, kind):
    if kind == "project":
        return [p["id"] for p in api.get(f"projects/?useCaseIds={use_case_id}").json()]
    body = api.get(f"{kind}s/?useCaseIds={use_case_id}").json()
    return [item["id"] for item in body["data"]]


def _aim(api, project_id, target):
    r = api.patch(f"projects/{project_id}/aim/", json={"target": target, "mode": "quick"})
    assert r.status_code == 202, r.text
    assert api.session.get(r.headers["Location"], allow_redirects=False).status_code == 303


def _picker(client, **kwargs):
    picker = AssetPicker(client=client, **kwargs)
    picker.wait()
    return picker


def test_lists_what_can_be_added_and_adds_it(alice, bob, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    mine = alice.upload_dataset(risk_csv, "mine.csv")
    here = alice.upload_dataset(risk_csv, "here.csv")
    alice.post(f"useCases/{uc['id']}/datasets/{here['datasetId']}/")
    bob.upload_dataset(risk_csv, "bobs.csv")  # invisible to alice
    picker = _picker(client_of(alice), use_case=uc["id"])
    assert picker.use_case_name == "Risk"  # it names where things go
    (only,) = picker.visible
    assert only["name"] == "mine.csv" and only["owner"] == "alice@example.com"
    assert only["detail"] == "7 rows" and only["created_at"]  # what tells look-alikes apart

    closed = []
    picker.on_close(closed.append)
    typed(picker, chosen=[f"dataset:{mine['datasetId']}"])
    press(picker, "add")
    assert picker.error == ""
    assert picker.added == [{"entity_type": "dataset", "id": mine["datasetId"], "name": "mine.csv"}]
    assert closed == [picker] and picker.chosen == []
    assert set(_linked(alice, uc["id"], "dataset")) == {mine["datasetId"], here["datasetId"]}
    assert picker.visible == []  # nothing left to add


def test_filter_narrows_the_list(alice, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    for name in ("north.csv", "south.csv", "northeast.csv"):
        alice.upload_dataset(risk_csv, name)
    picker = _picker(client_of(alice), use_case=uc["id"])
    typed(picker, filter_text="NORTH")
    assert sorted(c["name"] for c in picker.visible) == ["north.csv", "northeast.csv"]


def test_a_csv_is_checked_and_shown_before_it_is_uploaded(alice, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    picker = _picker(client_of(alice), use_case=uc["id"])
    seen = []
    picker.observe(lambda c: seen.append(c["new"]), "upload_sent")
    # What the front end sends when a file is chosen: its name, and its bytes as a buffer.
    press(picker, "stage_file", buffers=[risk_csv], filename="upload.csv")
    staged = picker.staged
    assert staged["problem"] == "" and staged["row_count"] == 7 and staged["size"] == len(risk_csv)
    assert [c["name"] for c in staged["columns"]] == ["age", "income", "region", "credit_risk"]
    assert staged["columns"][0]["dtype"] == "int64" and staged["rows"][0][:2] == [25, 40000]
    assert _linked(alice, uc["id"], "dataset") == []  # nothing uploaded yet

    press(picker, "upload_staged")
    assert picker.error == "" and "Uploaded upload.csv (7 rows)" in picker.notice
    assert picker.staged == {} and picker.upload_name == "upload.csv"
    assert picker.upload_total == len(risk_csv) and seen[-1] == len(risk_csv)
    assert picker.progress == 1.0
    (added,) = picker.added
    assert _linked(alice, uc["id"], "dataset") == [added["id"]]
    assert alice.get(f"datasets/{added['id']}/").json()["name"] == "upload.csv"


def test_a_file_that_is_not_a_table_is_refused_before_upload(alice, client_of):
    uc = alice.create_use_case("Risk")
    picker = _picker(client_of(alice), use_case=uc["id"])
    press(picker, "stage_file", buffers=[b"a,b\n1,2,3,4\n\x00\xff"], filename="broken.csv")
    assert picker.staged["problem"]
    press(picker, "upload_staged")
    assert "Choose a CSV" in picker.errors["upload"]["message"]
    assert _linked(alice, uc["id"], "dataset") == []


def test_projects_follow_the_rules_and_explain_them(alice, client_of, risk_csv):
    uc, other = alice.create_use_case("Risk"), alice.create_use_case("Other")
    ds = alice.upload_dataset(risk_csv)
    in_setup = alice.create_project(ds["datasetId"], "In set-up")
    elsewhere = alice.create_project(ds["datasetId"], "Elsewhere")
    alice.post(f"useCases/{other['id']}/projects/{elsewhere['id']}/")
    binary = alice.create_project(ds["datasetId"], "Binary, dataset not here")
    _aim(alice, binary["id"], "credit_risk")

    picker = _picker(client_of(alice), use_case=uc["id"])
    typed(picker, asset_type="project")
    assert PROJECT_RULES in picker.hints
    values = [c["value"] for c in picker.visible]
    assert set(values) == {f"project:{in_setup['id']}", f"project:{binary['id']}"}
    assert picker.blocked == [{"name": "Elsewhere", "reason": "already in another use case"}]

    # The service refuses the binary project (its dataset is not in the use case): the widget
    # says why, with the rules, and the other project is still added.
    typed(picker, chosen=values)
    press(picker, "add")
    assert "Binary, dataset not here" in picker.error and "Binary or Regression" in picker.error
    assert picker.added == [{"entity_type": "project", "id": in_setup["id"], "name": "In set-up"}]
    assert _linked(alice, uc["id"], "project") == [in_setup["id"]]


def test_notebooks_under_the_root_are_registered_and_added(alice, client_of, service, tmp_path):
    root = tmp_path / "jupyter-root"  # the service's notebook root (tests/conftest.py)
    (root / "analysis").mkdir()
    (root / "analysis" / "explore.ipynb").write_text("{}")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "secret.ipynb").write_text("{}")
    uc = alice.create_use_case("Risk")
    picker = _picker(client_of(alice), use_case=uc["id"], notebook_root=root)
    typed(picker, asset_type="notebook")
    assert [c["value"] for c in picker.visible] == ["notebook:analysis/explore.ipynb"]
    typed(picker, chosen=["notebook:analysis/explore.ipynb"])
    press(picker, "add")
    assert picker.error == ""
    (added,) = picker.added
    notebooks = alice.get(f"notebooks/?useCaseId={uc['id']}").json()["data"]
    assert [(n["id"], n["path"], n["name"]) for n in notebooks] == [
        (added["id"], "analysis/explore.ipynb", "explore")
    ]


def test_a_consumer_is_told_no(alice, carol, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], carol, "CONSUMER")
    ds = carol.upload_dataset(risk_csv)
    picker = _picker(client_of(carol), use_case=uc["id"])
    typed(picker, chosen=[f"dataset:{ds['datasetId']}"])
    press(picker, "add")
    assert "CONSUMER" in picker.errors["add"]["message"] and picker.added == []
    assert _linked(alice, uc["id"], "dataset") == []


def test_cancel_clears_and_closes(alice, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    picker = _picker(client_of(alice), use_case=uc["id"])
    closed = []
    picker.on_close(closed.append)
    typed(picker, chosen=[f"dataset:{ds['datasetId']}"])
    press(picker, "cancel")
    assert picker.chosen == [] and closed == [picker]
    assert _linked(alice, uc["id"], "dataset") == []


def test_without_a_use_case_it_says_so_and_follows_the_current_one(alice, client_of):
    from ucwidgets import context

    picker = _picker(client_of(alice))
    assert "No use case" in picker.error
    uc = alice.create_use_case("Risk")
    context.set_current_use_case(uc["id"])
    picker.load()
    assert picker.use_case_id == uc["id"] and picker.use_case_name == "Risk"


def test_hostile_asset_names_are_data(make_user, client_of, risk_csv):
    evil = make_user("evil2@example.com", HOSTILE)
    uc = evil.create_use_case(HOSTILE)
    evil.upload_dataset(risk_csv, f"{HOSTILE}.csv")
    project = evil.create_project(evil.upload_dataset(risk_csv)["datasetId"], HOSTILE)
    evil.post(f"useCases/{evil.create_use_case('x')['id']}/projects/{project['id']}/")
    picker = _picker(client_of(evil), use_case=uc["id"])
    assert picker.use_case_name == HOSTILE
    assert any(c["name"] == f"{HOSTILE}.csv" for c in picker.visible)
    typed(picker, asset_type="project")  # blocked: its name is in the blocked list
    assert picker.blocked[0]["name"] == HOSTILE and HOSTILE in synced_text(picker)
