"""Sharing single assets through the API layer: share, roles, rights flags, reverse lookup and
"shared with me", for every asset type, against the real service."""

from __future__ import annotations

import pytest

import ucwidgets as dr
from ucwidgets.errors import Forbidden, NotFound, NotSupported
from ucwidgets.models.sharing import SharingAccess, SharingRole


@pytest.mark.parametrize("kind", ["dataset", "project", "application", "notebook"])
def test_share_an_asset_alone_and_read_its_roles(alice, as_alice, make_user, make_asset, kind):
    bob = make_user("bob")
    asset = make_asset(kind, "eda-sharing.ipynb")
    assert (asset.role, asset.can_edit, asset.can_share, asset.can_delete) == (
        "OWNER",
        True,
        True,
        True,
    )
    asset.share([SharingRole(role="EDITOR", username=bob.username)])
    frame = asset.get_shared_roles().to_frame()
    assert list(frame["username"]) == sorted([alice.username, bob.username])
    assert dict(zip(frame["username"], frame["role"], strict=True))[bob.username] == "EDITOR"
    # DataRobot's access-list form works for every type, as does the use case's.
    asset.share([SharingAccess(bob.username, "CONSUMER", can_share=True)])

    bob.sign_in()
    type_ = type(asset)
    mine = type_.get(asset.id)
    assert (mine.role, mine.can_edit, mine.can_share, mine.can_delete) == (
        "CONSUMER",
        False,
        True,
        False,
    )
    assert [a.id for a in type_.list(shared_with_me=True)] == [asset.id]
    assert list(mine.list_use_cases()) == []
    with pytest.raises(Forbidden):
        mine.share([SharingRole(role="EDITOR", username=bob.username)])
    access = mine.get_access_list().to_frame()
    assert set(access["username"]) == {alice.username, bob.username}
    alice.sign_in()
    assert list(type_.list(shared_with_me=True)) == []


def test_datarobot_access_list_keyword_and_options(alice, as_alice, make_user, risk_file):
    bob = make_user("bob")
    dataset = dr.Dataset.create_from_file(file_path=risk_file)
    access = [SharingAccess(bob.username, "CONSUMER")]
    # DataRobot's options are refused when set, before anything is granted.
    with pytest.raises(NotSupported, match="apply_grant_to_linked_objects"):
        dataset.share(access_list=access, apply_grant_to_linked_objects=True)
    with pytest.raises(TypeError, match="notify"):
        dataset.share(access_list=access, notify=False)
    assert [r.username for r in dataset.get_shared_roles()] == [alice.username]
    dataset.share(access_list=access, apply_grant_to_linked_objects=False)
    project = dr.Project.create_from_dataset(dataset.id, project_name="Shared alone")
    project.share(access_list=access, send_notification=None)
    for asset in (dataset, project):
        roles = {r.username: r.role for r in asset.get_shared_roles()}
        assert roles == {alice.username: "OWNER", bob.username: "CONSUMER"}


def test_list_use_cases_is_the_reverse_lookup(alice, as_alice, make_user, risk_file):
    bob = make_user("bob")
    dataset = dr.Dataset.create_from_file(file_path=risk_file)
    hers = dr.UseCase.create(name="Hers")
    shared = dr.UseCase.create(name="Shared")
    hers.add(dataset)
    shared.add(dataset)
    shared.share([SharingRole(role="CONSUMER", username=bob.username)])
    assert {uc.id for uc in dataset.list_use_cases()} == {hers.id, shared.id}
    assert (shared.role, shared.can_edit, shared.can_delete) == ("OWNER", True, True)
    bob.sign_in()
    assert [uc.id for uc in dr.Dataset.get(dataset.id).list_use_cases()] == [shared.id]
    mine = dr.UseCase.get(shared.id)
    assert (mine.role, mine.can_edit, mine.can_share, mine.grantable_roles) == (
        "CONSUMER",
        False,
        False,
        [],
    )
    alice.sign_in()
    dataset.share([SharingAccess(bob.username, None)])  # a None role revokes his own role
    bob.sign_in()
    assert dr.Dataset.get(dataset.id).role == "CONSUMER"  # still lent by the shared use case
    alice.sign_in()
    shared.remove(dataset)
    bob.sign_in()
    with pytest.raises(NotFound):
        dr.Dataset.get(dataset.id)
