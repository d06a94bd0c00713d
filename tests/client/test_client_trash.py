"""The trash through the API layer: ``delete()`` then ``restore()`` on every kind,
``UseCase.list_trash()`` and its DataFrame, ``Dataset.un_delete``, ``purge()``."""

from __future__ import annotations

import pandas as pd
import pytest

import ucwidgets as dr
from ucwidgets.errors import Forbidden, NotFound
from ucwidgets.models.sharing import SharingRole

KINDS = {
    "dataset": dr.Dataset,
    "project": dr.Project,
    "application": dr.Application,
    "notebook": dr.Notebook,
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_delete_and_restore_an_asset_into_its_use_case(alice, as_alice, make_asset, kind):
    uc = dr.UseCase.create(name="Risk")
    with uc:  # what is made inside is linked to uc
        asset = make_asset(kind, "eda-trash.ipynb")
    asset.delete()
    with pytest.raises(NotFound):
        KINDS[kind].get(asset.id)
    trashed = dr.UseCase.list_trash()
    assert [(t.entity_type, t.id) for t in trashed] == [(kind, asset.id)]
    assert trashed[0].deleted_by == alice.username
    assert trashed[0].purge_at > trashed[0].deleted_at
    asset.restore()
    assert KINDS[kind].get(asset.id).id == asset.id
    assert dr.UseCase.list_trash() == []
    counts = dr.UseCase.get(uc.id)
    assert getattr(counts, f"{kind}s_count") == 1


def test_a_use_case_comes_back_with_its_members_and_assets(alice, as_alice, make_user, risk_file):
    bob = make_user("bob")
    uc = dr.UseCase.create(name="Risk", description="credit")
    uc.add(entity=dr.Dataset.create_from_file(file_path=risk_file))
    uc.share([SharingRole(role="EDITOR", username=bob.username)])
    dr.UseCase.delete(uc.id)
    bob.sign_in()
    assert dr.UseCase.list_trash() == []  # an EDITOR may not restore it
    with pytest.raises(Forbidden):
        dr.UseCase.restore(uc.id)
    with pytest.raises(NotFound):
        dr.UseCase.get(uc.id)
    alice.sign_in()
    frame = dr.UseCase.list_trash().to_frame()
    assert list(frame.columns) == [
        "entity_type",
        "entity_id",
        "name",
        "deleted_by",
        "deleted_at",
        "purge_at",
    ]
    assert frame.loc[0, ["entity_type", "entity_id", "name"]].tolist() == ["useCase", uc.id, "Risk"]
    assert str(frame["purge_at"].dtype) == "datetime64[ns, UTC]"
    assert (frame["purge_at"] - frame["deleted_at"]).iloc[0] == pd.Timedelta(days=30)
    dr.UseCase.list_trash()[0].restore()
    bob.sign_in()
    back = dr.UseCase.get(uc.id)
    assert (back.name, back.datasets_count, back.can_edit) == ("Risk", 1, True)
    assert [e.verb for e in back.events()][-1] == "restored"


def test_un_delete_purge_and_an_empty_frame(as_alice, risk_file):
    empty = dr.UseCase.list_trash().to_frame()
    assert empty.empty and list(empty.columns)[:2] == ["entity_type", "entity_id"]
    dataset = dr.Dataset.create_from_file(file_path=risk_file)
    dr.Dataset.delete(dataset.id)
    assert dr.Dataset.un_delete(dataset.id) is None
    assert dr.Dataset.get(dataset.id).name == dataset.name
    dataset.delete()
    dataset.purge()
    with pytest.raises(NotFound):
        dr.Dataset.un_delete(dataset.id)
    uc = dr.UseCase.create(name="Gone")
    uc.delete()
    dr.UseCase.list_trash()[0].purge()
    assert dr.UseCase.list_trash() == []
    with pytest.raises(TypeError):
        dr.UseCase.restore()
