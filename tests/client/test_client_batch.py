"""UseCase.add_many, remove_many and move: one request each, all or nothing."""

from __future__ import annotations

import pytest

import ucwidgets as dr
from ucwidgets.client import client_configuration
from ucwidgets.enums import UseCaseEntityType
from ucwidgets.errors import Forbidden, NotFound, ValidationError
from ucwidgets.models.use_cases.use_case import UseCaseReferenceEntity


def test_add_many_remove_many_and_move(as_alice, risk_file) -> None:
    risk, churn = dr.UseCase.create(name="Risk"), dr.UseCase.create(name="Churn")
    dataset = dr.Dataset.create_from_file(file_path=risk_file)
    apps = [dr.Application.create(name=f"App {i}") for i in range(3)]
    refs = risk.add_many(
        [apps[0], dataset, (UseCaseEntityType.APPLICATION, apps[1].id), ("APPLICATION", apps[2].id)]
    )
    assert all(isinstance(r, UseCaseReferenceEntity) for r in refs)
    assert refs[0].entity_type == "dataset"  # datasets first
    assert {r.entity_id for r in refs} == {dataset.id, *(a.id for a in apps)}
    assert (risk.refresh().datasets_count, risk.applications_count) == (1, 3)

    moved = risk.move([dataset, refs[1]], to=churn)
    assert {r.use_case_id for r in moved} == {churn.id}
    assert (risk.refresh().datasets_count, risk.applications_count) == (0, 2)
    assert (churn.refresh().datasets_count, churn.applications_count) == (1, 1)

    risk.remove_many([apps[1], apps[2]])
    assert risk.list_applications() == []
    with pytest.raises(NotFound) as caught:  # no longer there: nothing removed
        churn.remove_many([dataset, apps[2]])
    assert list(caught.value.errors) == ["remove[1]"]
    assert churn.refresh().datasets_count == 1


def test_bad_entities_are_refused(as_alice) -> None:
    uc = dr.UseCase.create(name="Risk")
    with pytest.raises(TypeError):
        uc.add_many("not a list")
    with pytest.raises(TypeError):
        uc.add_many([object()])
    with pytest.raises(ValidationError, match="Unsupported entity type"):
        uc.add_many([("model", "65f0c0ffee0000000000aa01")])
    with pytest.raises(ValidationError) as caught:  # DataRobot's kind, not one this service holds
        uc.add_many([("recipe", "65f0c0ffee0000000000aa01")])
    assert list(caught.value.errors) == ["add[0]"]
    with pytest.raises(TypeError):
        uc.move([], to=3)
    with pytest.raises(ValidationError) as caught:
        uc.add_many([])
    assert caught.value.errors == {"entities": "empty"}


def test_a_refused_entry_raises_the_single_operations_error(service, make_user) -> None:
    ann, bob = make_user("ann"), make_user("bob")
    dr.Client(token=ann.token, endpoint=service.url)
    uc = dr.UseCase.create(name="Shared")
    app = dr.Application.create(name="App")
    uc.share([dr.SharingRole(role="CONSUMER", id=bob.id)])
    uc.add_many([app])
    with client_configuration(token=bob.token, endpoint=service.url):
        theirs = dr.UseCase.create(name="Bob's")
        with pytest.raises(Forbidden):
            dr.UseCase.get(uc.id).move([app], to=theirs)
    assert uc.refresh().applications_count == 1
