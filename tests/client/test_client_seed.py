"""Every example of SEED.md (DataRobot's Use Case docs), run with ``import ucwidgets as dr``.

The examples are kept as close to the documentation as possible; only the token, the endpoint
and the file path are the test's own. Each prints what the documentation shows.
"""

from __future__ import annotations

import re
from typing import Any

import ucwidgets as dr
from ucwidgets.client import client_configuration
from ucwidgets.enums import SHARING_RECIPIENT_TYPE, SHARING_ROLE
from ucwidgets.models.sharing import SharingRole
from ucwidgets.models.use_cases.use_case import UseCase

ID = r"'[0-9a-f]{24}'"
DATASET_LIST = rf"\[Dataset\(name='risk_data.csv', id={ID}\)\]"


def printed(capsys: Any) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_documented_imports_are_the_top_level_objects() -> None:
    import ucwidgets.client
    import ucwidgets.enums

    assert dr.client_configuration is client_configuration is ucwidgets.client.client_configuration
    assert dr.SHARING_ROLE is SHARING_ROLE is ucwidgets.enums.SHARING_ROLE
    assert dr.SHARING_RECIPIENT_TYPE is SHARING_RECIPIENT_TYPE
    assert dr.SharingRole is SharingRole
    assert dr.UseCase is UseCase


def test_add_a_dataset(service, make_user, risk_file, capsys) -> None:
    user = make_user("ann")
    dr.Client(token=user.token, endpoint=service.url)

    risk_use_case = dr.UseCase.create(
        name="Financial Risk Experimentation Environment",
        description="For running experiments on modeling financial risks to our business.",
    )
    new_dataset = dr.Dataset.create_from_file(file_path=str(risk_file))
    risk_use_case.add(entity=new_dataset)
    print(risk_use_case.list_datasets())

    assert re.fullmatch(DATASET_LIST, *printed(capsys))


def test_add_an_application(service, make_user, capsys) -> None:
    user = make_user("ann")
    dr.Client(token=user.token, endpoint=service.url)
    # DataRobot's client cannot create applications; ours registers one on our service.
    dr.Application.create(name="Financial Risk Detection", url="https://apps.example.com/risk")

    risk_use_case = dr.UseCase.create(
        name="Financial Risk Experimentation Environment",
        description="For running experiments on modeling financial risks to our business.",
    )
    existing_application = dr.Application.list()[0]
    risk_use_case.add(entity=existing_application)
    print(risk_use_case.list_applications())

    assert printed(capsys) == ["[Application(name='Financial Risk Detection')]"]


def test_share_an_entity_through_its_reference(service, make_user, risk_file, capsys) -> None:
    user = make_user("ann")
    dr.Client(token=user.token, endpoint=service.url)

    risk_use_case_1 = dr.UseCase.create(
        name="Financial Risk Experimentation Environment",
        description="For running experiments on modeling financial risks to our business.",
    )
    risk_use_case_2 = dr.UseCase.create(
        name="Financial Risk Experimentation Environment 2",
        description="For running experiments on modeling financial risks to our business.",
    )
    new_dataset = dr.Dataset.create_from_file(file_path=str(risk_file))
    dataset_entity = risk_use_case_1.add(entity=new_dataset)
    risk_use_case_2.add(entity=dataset_entity)
    print(risk_use_case_2.list_datasets())

    assert re.fullmatch(DATASET_LIST, *printed(capsys))
    assert risk_use_case_2.list_datasets()[0].id == new_dataset.id


def test_add_a_project(service, make_user, risk_file, capsys) -> None:
    user = make_user("ann")
    dr.Client(token=user.token, endpoint=service.url)

    risk_use_case = dr.UseCase.create(
        name="Financial Risk Experimentation Environment",
        description="For running experiments on modeling financial risks to our business.",
    )
    new_dataset = dr.Dataset.create_from_file(
        file_path=str(risk_file),
        use_case=risk_use_case,  # DataRobot's client only takes use_cases= here
    )
    risk_use_case.add(entity=new_dataset)
    new_project = dr.Project.create_from_dataset(
        dataset_id=new_dataset.dataset_id,  # DataRobot's Dataset has only .id
        project_name="Risk Assessment v1",
        use_case=risk_use_case,
    )
    new_project.analyze_and_model(target="credit_risk")
    risk_use_case.add(entity=new_project)
    print(risk_use_case.list_projects())
    print(risk_use_case.list_datasets())

    projects, datasets = printed(capsys)
    assert projects == "[Project(Risk Assessment v1)]"
    assert re.fullmatch(DATASET_LIST, datasets)
    assert new_project.stage == "modeling"
    assert new_project.target_type == "Binary"


def test_configuration_pass_the_use_case(service, make_user, risk_file, capsys) -> None:
    user = make_user("ann")
    dr.Client(token=user.token, endpoint=service.url)

    risk_use_case = dr.UseCase.create(
        name="Financial Risk Experimentation Environment",
        description="For running experiments on modeling financial risks to our business.",
    )
    dr.Project.create(
        sourcedata=str(risk_file),
        project_name="Risk Assessment v1",
        use_case=risk_use_case,
    )
    print(risk_use_case.list_projects())

    assert printed(capsys) == ["[Project(Risk Assessment v1)]"]


def test_configuration_context_manager(service, make_user, risk_file, capsys) -> None:
    user = make_user("ann")
    dr.Client(token=user.token, endpoint=service.url)

    risk_use_case = dr.UseCase.create(
        name="Financial Risk Experimentation Environment",
        description="For running experiments on modeling financial risks to our business.",
    )
    with risk_use_case:
        dr.Dataset.create_from_file(
            file_path=str(risk_file),
        )
    print(risk_use_case.list_datasets())

    assert re.fullmatch(DATASET_LIST, *printed(capsys))


def test_configuration_default_use_case(service, make_user, risk_file, capsys) -> None:
    user = make_user("ann")
    with client_configuration(token=user.token, endpoint=service.url):
        use_case_id = dr.UseCase.create(name="Financial Risk").id

    dr.Client(token=user.token, endpoint=service.url, default_use_case=use_case_id)
    dr.Dataset.create_from_file(file_path=str(risk_file))
    risk_use_case = dr.UseCase.get(id=use_case_id)
    print(risk_use_case.list_datasets())

    assert re.fullmatch(DATASET_LIST, *printed(capsys))


def test_sharing_grant_then_revoke(service, make_user) -> None:
    owner = make_user("ann")
    teammates = [make_user(name) for name in ("bob", "carol", "dave")]
    dr.Client(token=owner.token, endpoint=service.url)
    created = dr.UseCase.create(name="Shared risk")

    user_ids = [teammate.id for teammate in teammates]
    sharing_roles = []
    for user_id in user_ids:
        new_sharing_role = SharingRole(
            role=SHARING_ROLE.CONSUMER,
            share_recipient_type=SHARING_RECIPIENT_TYPE.USER,
            id=user_id,
            can_share=True,
        )
        sharing_roles.append(new_sharing_role)
    use_case = UseCase.get(use_case_id=created.id)
    use_case.share(roles=sharing_roles)

    roles = {role.id: role for role in use_case.get_shared_roles()}
    assert roles[owner.id].role == SHARING_ROLE.OWNER
    for teammate in teammates:
        assert roles[teammate.id].role == SHARING_ROLE.CONSUMER
        assert roles[teammate.id].can_share is True
        assert roles[teammate.id].username == teammate.username

    user_to_remove = teammates[1].username
    remove_sharing_role = SharingRole(
        role=SHARING_ROLE.NO_ROLE,
        share_recipient_type=SHARING_RECIPIENT_TYPE.USER,
        username=user_to_remove,
        can_share=False,
    )
    use_case = UseCase.get(use_case_id=created.id)
    use_case.share(roles=[remove_sharing_role])

    remaining = {role.username for role in use_case.get_shared_roles()}
    assert remaining == {owner.username, teammates[0].username, teammates[2].username}
