"""Dataset, Project, Application and Notebook against the real service."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import ucwidgets as dr
from ucwidgets.errors import NotFound

FRAME = pd.DataFrame({"x": [1, 2, 3, 4], "label": ["a", "b", "a", "b"]})


def test_dataset_from_path_filelike_and_memory(as_alice, risk_file) -> None:
    from_path = dr.Dataset.create_from_file(file_path=risk_file, categories=["TRAINING"])
    assert repr(from_path) == f"Dataset(name='risk_data.csv', id={from_path.id!r})"
    assert from_path.dataset_id == from_path.id
    assert (from_path.row_count, from_path.categories) == (7, ["TRAINING"])
    assert from_path.created_at.tzinfo is not None

    with open(risk_file, "rb") as handle:
        from_handle = dr.Dataset.create_from_file(filelike=handle)
    assert from_handle.name.endswith("risk_data.csv")
    unnamed = dr.Dataset.create_from_file(filelike=io.BytesIO(risk_file.read_bytes()))
    assert unnamed.name == "data.csv"

    from_frame = dr.Dataset.create_from_in_memory_data(FRAME, fname="frame.csv")
    assert (from_frame.name, from_frame.row_count) == ("frame.csv", 4)
    pd.testing.assert_frame_equal(from_frame.get_as_dataframe(), FRAME)
    from_records = dr.Dataset.create_from_in_memory_data(records=FRAME.to_dict("records"))
    assert from_records.name == "data.csv"

    assert dr.Dataset.get(from_path.id).name == "risk_data.csv"
    assert {d.id for d in dr.Dataset.list()} == {
        from_path.id,
        from_handle.id,
        unnamed.id,
        from_frame.id,
        from_records.id,
    }
    newest = dr.Dataset.list(limit=2)  # one page only, and how many there are in all
    assert [d.id for d in newest] == [from_records.id, from_frame.id]
    assert newest.total_count == 5
    assert [d.id for d in dr.Dataset.list(offset=4, limit=2)] == [from_path.id]
    with pytest.raises(ValueError):
        dr.Dataset.create_from_file()


def test_dataset_upload_streams_a_larger_file(as_alice, tmp_path) -> None:
    big = pd.DataFrame({"i": range(200_000), "s": ["text"] * 200_000})
    path = tmp_path / "big.csv"
    big.to_csv(path, index=False)
    dataset = dr.Dataset.create_from_file(file_path=path)
    assert dataset.row_count == 200_000
    assert dataset.size == path.stat().st_size


def test_dataset_delete_both_forms(as_alice, risk_file) -> None:
    first = dr.Dataset.create_from_file(file_path=risk_file)
    second = dr.Dataset.create_from_file(file_path=risk_file)
    dr.Dataset.delete(first.id)
    second.delete()
    for dataset in (first, second):
        with pytest.raises(NotFound):
            dr.Dataset.get(dataset.id)


def test_project_lifecycle(as_alice, risk_file) -> None:
    uc = dr.UseCase.create(name="Models")
    from_path = dr.Project.create(sourcedata=str(risk_file), project_name="From path")
    assert repr(from_path) == "Project(From path)"
    assert from_path.file_name == "risk_data.csv"
    from_frame = dr.Project.create(sourcedata=FRAME, project_name="From frame")
    assert from_frame.file_name == "data.csv"

    dataset = dr.Dataset.create_from_file(file_path=risk_file, use_case=uc)
    project = dr.Project.create_from_dataset(dataset.id, project_name="Risk", use_case=uc)
    assert project.use_case_id == uc.id
    assert project.analyze_and_model(target="credit_risk", worker_count=-1) is project
    assert (project.stage, project.target, project.target_type) == (
        "modeling",
        "credit_risk",
        "Binary",
    )
    project.rename("Risk v2")
    assert dr.Project.get(project.id).project_name == "Risk v2"
    assert [p.id for p in dr.Project.list(use_case=uc)] == [project.id]
    assert [p.id for p in dr.Project.list(search_params={"project_name": "From frame"})] == [
        from_frame.id
    ]

    dr.Project.delete(from_path.id)
    from_frame.delete()
    with pytest.raises(NotFound):
        dr.Project.get(from_frame.id)


def test_application_create_get_list(as_alice) -> None:
    app = dr.Application.create(
        name="Financial Risk Detection", description="Scores", url="https://apps.example.com/r"
    )
    assert repr(app) == "Application(name='Financial Risk Detection')"
    assert dr.Application.get(app.id).url == "https://apps.example.com/r"
    assert [a.id for a in dr.Application.list()] == [app.id]


def test_notebook_create_get_list(as_alice, notebook_root) -> None:
    (notebook_root / "risk").mkdir(exist_ok=True)
    (notebook_root / "risk" / "eda.ipynb").write_text("{}", encoding="utf-8")
    uc = dr.UseCase.create(name="Notebooks")
    notebook = dr.Notebook.create(name="EDA", path="risk/eda.ipynb", use_case=uc)
    assert repr(notebook) == f"Notebook(name='EDA', id={notebook.id!r}, path='risk/eda.ipynb')"
    assert dr.Notebook.get(notebook.id).path == "risk/eda.ipynb"
    assert [n.id for n in dr.Notebook.list(use_case=uc)] == [notebook.id]
    assert [n.id for n in uc.list_notebooks()] == [notebook.id]


def test_html_cards_escape_names(as_alice) -> None:
    name = "<img src=x onerror=alert(1)>"
    uc = dr.UseCase.create(name=name)
    app = dr.Application.create(name=name)
    for obj in (uc, app):
        card = obj._repr_html_()
        assert "<img" not in card and "&lt;img src=x onerror=alert(1)&gt;" in card


def test_dataset_create_project_and_users(alice, as_alice, make_user, risk_file) -> None:
    dataset = dr.Dataset.create_from_file(file_path=risk_file)
    project = dataset.create_project(project_name="From the dataset")
    assert repr(project) == "Project(From the dataset)"
    assert project.catalog_id == dataset.id

    me = dr.UseCaseUser.me()
    assert (me.id, me.username) == (alice.id, alice.username)
    bob = make_user("bobsearch")
    assert bob.username in [user.username for user in dr.UseCaseUser.search("bobsearch")]
