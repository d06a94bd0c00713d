"""``to_frame()``: fixed columns and real dtypes, the same for empty listings."""

from __future__ import annotations

import pytest

import ucwidgets as dr

UTC = "datetime64[ns, UTC]"
EXPECTED = {
    "use_cases": {
        "id": "string",
        "name": "string",
        "description": "string",
        "created_by": "string",
        "created_at": UTC,
        "updated_at": UTC,
        "datasets_count": "int64",
        "projects_count": "int64",
        "applications_count": "int64",
        "notebooks_count": "int64",
        "models_count": "int64",
        "members_count": "int64",
        "tags": "object",
    },
    "datasets": {
        "id": "string",
        "name": "string",
        "row_count": "Int64",
        "size": "Int64",
        "categories": "string",
        "created_at": UTC,
        "created_by": "string",
        "processing_state": "string",
    },
    "projects": {
        "id": "string",
        "project_name": "string",
        "stage": "string",
        "target": "string",
        "target_type": "string",
        "metric": "string",
        "file_name": "string",
        "created": UTC,
        "use_case_id": "string",
    },
    "applications": {
        "id": "string",
        "name": "string",
        "description": "string",
        "url": "string",
        "created_by": "string",
        "created_at": UTC,
        "updated_at": UTC,
    },
    "notebooks": {
        "id": "string",
        "name": "string",
        "path": "string",
        "description": "string",
        "created_by": "string",
        "created_at": UTC,
        "use_case_id": "string",
    },
    "shared_roles": {
        "id": "string",
        "username": "string",
        "user_full_name": "string",
        "role": "string",
        "share_recipient_type": "string",
        "can_share": "boolean",
        "granted_by": "string",
        "granted_at": UTC,
    },
    "events": {
        "id": "int64",
        "at": UTC,
        "use_case_id": "string",
        "use_case_name": "string",
        "actor": "string",
        "verb": "string",
        "entity_type": "string",
        "entity_id": "string",
        "entity_name": "string",
        "read": "boolean",
    },
    "assets": {
        "entity_type": "string",
        "id": "string",
        "name": "string",
        "created_by": "string",
        "created_at": UTC,
    },
}


def dtypes(frame) -> dict[str, str]:
    return {name: str(dtype) for name, dtype in frame.dtypes.items()}


def listings(uc):
    return {
        "use_cases": lambda: dr.UseCase.list().to_frame(),
        "datasets": lambda: uc.list_datasets().to_frame(),
        "projects": lambda: uc.list_projects().to_frame(),
        "applications": lambda: uc.list_applications().to_frame(),
        "notebooks": lambda: uc.list_notebooks().to_frame(),
        "shared_roles": lambda: uc.get_shared_roles(id="0" * 24).to_frame(),
        "events": lambda: uc.events(after=10**9).to_frame(),
        "assets": uc.assets_frame,
    }


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_empty_listing_has_the_columns(as_alice, kind) -> None:
    uc = dr.UseCase.create(name="Empty")
    if kind == "use_cases":
        dr.UseCase.delete(uc.id)
    frame = listings(uc)[kind]()
    assert frame.empty
    assert dtypes(frame) == EXPECTED[kind]


def test_full_listings_have_the_same_columns(as_alice, risk_file, notebook_root) -> None:
    (notebook_root / "frames.ipynb").write_text("{}", encoding="utf-8")
    uc = dr.UseCase.create(name="Full", description="all kinds")
    with uc:
        dataset = dr.Dataset.create_from_file(file_path=risk_file)
        dr.Project.create_from_dataset(dataset.id, project_name="P")
        dr.Application.create(name="A")
        dr.Notebook.create(name="N", path="frames.ipynb")
    uc = uc.refresh()
    frames = {kind: make() for kind, make in listings(uc).items()}
    frames["events"] = uc.events().to_frame()
    frames["shared_roles"] = uc.get_shared_roles().to_frame()
    for kind, frame in frames.items():
        assert len(frame) >= 1, kind
        assert dtypes(frame) == EXPECTED[kind], kind

    use_cases = frames["use_cases"].set_index("id")
    assert use_cases.loc[uc.id, "datasets_count"] == 1
    assert use_cases.loc[uc.id, "members_count"] == 1
    assert set(frames["assets"]["entity_type"]) == {"dataset", "project", "application", "notebook"}
    assert frames["datasets"].loc[0, "row_count"] == 7


def test_list_use_cases_is_a_frame(as_alice) -> None:
    dr.UseCase.create(name="alpha")
    dr.UseCase.create(name="beta")
    frame = dr.list_use_cases(order_by="name")
    assert list(frame["name"]) == ["alpha", "beta"]
    assert dtypes(frame) == EXPECTED["use_cases"]
    assert repr(dr.UseCase.list(order_by="name")).startswith("[UseCase(id=")


def test_reading_a_listing_leaves_the_garbage_collector_as_it_was(as_alice) -> None:
    import gc

    from ucwidgets.models import Listing

    dr.UseCase.create(name="collected")

    def failing():
        yield from dr.UseCase.list()
        raise RuntimeError("the service went away mid-listing")

    assert gc.isenabled()
    assert [uc.name for uc in dr.UseCase.list()] == ["collected"]
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        Listing(failing(), dr.UseCase)
    assert gc.isenabled()
    gc.disable()
    try:
        dr.UseCase.list()
        assert not gc.isenabled()  # a caller's choice to keep it off is kept
    finally:
        gc.enable()
