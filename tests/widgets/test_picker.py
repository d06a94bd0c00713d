"""AssetPicker: choose, upload, register; the service's links are what counts."""

from __future__ import annotations

from ucwidgets.widgets.picker import PROJECT_RULES, AssetPicker
from widgets._helpers import ESCAPED, HOSTILE, assert_no_markup, html_values


def _linked(api, use_case_id, kind):
    if kind == "project":
        return [p["id"] for p in api.get(f"projects/?useCaseIds={use_case_id}").json()]
    body = api.get(f"{kind}s/?useCaseIds={use_case_id}").json()
    return [item["id"] for item in body["data"]]


def _aim(api, project_id, target):
    r = api.patch(f"projects/{project_id}/aim/", json={"target": target, "mode": "quick"})
    assert r.status_code == 202, r.text
    assert api.session.get(r.headers["Location"], allow_redirects=False).status_code == 303


def test_lists_what_can_be_added_and_adds_it(alice, bob, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    mine = alice.upload_dataset(risk_csv, "mine.csv")
    here = alice.upload_dataset(risk_csv, "here.csv")
    alice.post(f"useCases/{uc['id']}/datasets/{here['datasetId']}/")
    bob.upload_dataset(risk_csv, "bobs.csv")  # invisible to alice
    picker = AssetPicker(client=client_of(alice), use_case=uc["id"])
    labels = [label for label, _ in picker.assets_select.options]
    assert len(labels) == 1 and labels[0].startswith("mine.csv")
    assert picker.add_button.disabled  # nothing chosen yet

    picker.assets_select.value = (f"dataset:{mine['datasetId']}",)
    assert not picker.add_button.disabled
    closed = []
    picker.on_close(closed.append)
    picker.add_button.click()
    assert picker.error == ""
    assert picker.added == [{"entity_type": "dataset", "id": mine["datasetId"], "name": "mine.csv"}]
    assert closed == [picker]
    assert set(_linked(alice, uc["id"], "dataset")) == {mine["datasetId"], here["datasetId"]}
    assert picker.assets_select.options == ()  # nothing left to add


def test_filter_narrows_the_list(alice, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    for name in ("north.csv", "south.csv", "northeast.csv"):
        alice.upload_dataset(risk_csv, name)
    picker = AssetPicker(client=client_of(alice), use_case=uc["id"])
    picker.search_input.value = "NORTH"
    assert sorted(label.split()[0] for label, _ in picker.assets_select.options) == [
        "north.csv",
        "northeast.csv",
    ]


def test_upload_creates_a_dataset_in_the_use_case(alice, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    picker = AssetPicker(client=client_of(alice), use_case=uc["id"])
    seen = []
    picker.observe(lambda c: seen.append(c["new"]), "progress")
    # What the front end sends when a file is chosen (last_modified in ms since the epoch).
    picker.upload.set_state(
        {
            "value": [
                {
                    "name": "upload.csv",
                    "type": "text/csv",
                    "size": len(risk_csv),
                    "content": memoryview(risk_csv),
                    "last_modified": 0,
                }
            ]
        }
    )
    assert picker.error == "" and "Uploaded upload.csv (7 rows)" in picker.notice
    assert picker.upload.value == ()  # ready for the next file
    assert seen[-1] == 1.0 and 0 < seen[0] < 1  # progress moved while the bytes were sent
    (added,) = picker.added
    assert _linked(alice, uc["id"], "dataset") == [added["id"]]
    assert alice.get(f"datasets/{added['id']}/").json()["name"] == "upload.csv"


def test_projects_follow_the_rules_and_explain_them(alice, client_of, risk_csv):
    uc, other = alice.create_use_case("Risk"), alice.create_use_case("Other")
    ds = alice.upload_dataset(risk_csv)
    in_setup = alice.create_project(ds["datasetId"], "In set-up")
    elsewhere = alice.create_project(ds["datasetId"], "Elsewhere")
    alice.post(f"useCases/{other['id']}/projects/{elsewhere['id']}/")
    binary = alice.create_project(ds["datasetId"], "Binary, dataset not here")
    _aim(alice, binary["id"], "credit_risk")

    picker = AssetPicker(client=client_of(alice), use_case=uc["id"])
    picker.type_toggle.value = "project"
    assert PROJECT_RULES.split(".")[0] in picker.hint_html.value
    values = [v for _, v in picker.assets_select.options]
    assert set(values) == {f"project:{in_setup['id']}", f"project:{binary['id']}"}
    assert picker.blocked == [{"name": "Elsewhere", "reason": "already in another use case"}]
    assert "Elsewhere: already in another use case" in picker.hint_html.value

    # The service refuses the binary project (its dataset is not in the use case): the widget
    # says why, with the rules, and the other project is still added.
    picker.assets_select.value = tuple(values)
    picker.add_button.click()
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
    picker = AssetPicker(client=client_of(alice), use_case=uc["id"], notebook_root=root)
    picker.type_toggle.value = "notebook"
    assert [v for _, v in picker.assets_select.options] == ["notebook:analysis/explore.ipynb"]
    picker.assets_select.value = ("notebook:analysis/explore.ipynb",)
    picker.add_button.click()
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
    picker = AssetPicker(client=client_of(carol), use_case=uc["id"])
    picker.assets_select.value = (f"dataset:{ds['datasetId']}",)
    picker.add_button.click()
    assert "CONSUMER" in picker.error and picker.added == []
    assert _linked(alice, uc["id"], "dataset") == []


def test_cancel_clears_and_closes(alice, client_of, risk_csv):
    uc = alice.create_use_case("Risk")
    ds = alice.upload_dataset(risk_csv)
    picker = AssetPicker(client=client_of(alice), use_case=uc["id"])
    closed = []
    picker.on_close(closed.append)
    picker.assets_select.value = (f"dataset:{ds['datasetId']}",)
    picker.cancel_button.click()
    assert picker.assets_select.value == () and closed == [picker]
    assert _linked(alice, uc["id"], "dataset") == []


def test_without_a_use_case_it_says_so_and_follows_the_current_one(alice, client_of):
    from ucwidgets import context

    picker = AssetPicker(client=client_of(alice))
    assert "No use case" in picker.error
    uc = alice.create_use_case("Risk")
    context.set_current_use_case(uc["id"])
    picker.retry_button.click()
    assert picker.error == "" and picker.use_case_id == uc["id"]


def test_hostile_asset_names_are_text(make_user, client_of, risk_csv):
    evil = make_user("evil2@example.com", HOSTILE)
    uc = evil.create_use_case(HOSTILE)
    evil.upload_dataset(risk_csv, f"{HOSTILE}.csv")
    project = evil.create_project(evil.upload_dataset(risk_csv)["datasetId"], HOSTILE)
    evil.post(f"useCases/{evil.create_use_case('x')['id']}/projects/{project['id']}/")
    picker = AssetPicker(client=client_of(evil), use_case=uc["id"])
    assert any(label.startswith(HOSTILE) for label, _ in picker.assets_select.options)
    picker.type_toggle.value = "project"  # blocked: its name appears in the hint's HTML
    assert_no_markup(picker)
    assert any(ESCAPED in v for v in html_values(picker))
