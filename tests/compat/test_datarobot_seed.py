"""The seed walk-through of issue 2, run by the real ``datarobot`` client against the service.

Every step is the client's own public API, unmodified; the only help from outside is
registering an application (DataRobot's client cannot) and creating the users to share with.
A response hook on the client's session records every request, so the test can show that no
async job made the client sleep through a 5-second poll: every status poll answered 303.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

dr = pytest.importorskip("datarobot")
from datarobot.enums import SHARING_RECIPIENT_TYPE, SHARING_ROLE  # noqa: E402
from datarobot.models.sharing import SharingRole  # noqa: E402

if TYPE_CHECKING:
    from conftest import Recorder
    from service_api import Api

pytestmark = pytest.mark.compat


def share(use_case: Any, role: str, **recipient: Any) -> None:
    use_case.share(
        [SharingRole(role=role, share_recipient_type=SHARING_RECIPIENT_TYPE.USER, **recipient)]
    )


def roles(use_case: Any) -> dict[str, tuple[str, bool]]:
    return {r.username: (str(r.role), bool(r.can_share)) for r in use_case.get_shared_roles()}


def ids(items: list[Any]) -> list[str]:
    return [item.id for item in items]


# ``Dataset.create_from_file(file_path=...)`` opens the file and, as its docstring says, never
# closes it; only that file's warning is silenced.
@pytest.mark.filterwarnings(
    r"ignore:unclosed file <_io\.BufferedReader name='[^']*risk_data\.csv'>:ResourceWarning"
)
def test_seed_walk_through(
    datarobot_client: Recorder, alice: Api, make_user, risk_file: Path, invariants
) -> None:
    datarobot_client.connect()

    use_case = dr.UseCase.create(name="Credit risk", description="Who repays")
    dataset = dr.Dataset.create_from_file(file_path=str(risk_file), use_cases=use_case)
    reference = use_case.add(entity=dataset)
    assert reference.entity_id == dataset.id
    assert repr(use_case.list_datasets()) == f"[Dataset(name='risk_data.csv', id='{dataset.id}')]"

    second = dr.UseCase.create(name="Credit risk, audit")
    second.add(entity=reference)
    assert ids(second.list_datasets()) == [dataset.id]

    draft = dr.Project.create(
        sourcedata=str(risk_file), project_name="Risk Assessment v0", use_case=second
    )
    assert ids(second.list_projects()) == [draft.id]

    project = dr.Project.create_from_dataset(dataset.id, project_name="Risk Assessment v1")
    project.analyze_and_model(target="credit_risk")
    assert (project.target, project.stage) == ("credit_risk", "modeling")
    use_case.add(entity=project)
    assert repr(use_case.list_projects()) == "[Project(Risk Assessment v1)]"

    registered = alice.post("applications/", json={"name": "Financial Risk Detection"})
    assert registered.status_code == 201, registered.text
    applications = dr.Application.list()
    assert [(a.id, a.name) for a in applications] == [
        (registered.json()["id"], "Financial Risk Detection")
    ]
    use_case.add(entity=applications[0])
    assert ids(use_case.list_applications()) == [applications[0].id]

    with use_case:
        inside = dr.Dataset.create_from_file(file_path=str(risk_file))
    outside = dr.Dataset.create_from_file(file_path=str(risk_file))
    assert set(ids(use_case.list_datasets())) == {dataset.id, inside.id}
    assert alice.get(f"datasets/{outside.id}/").json()["useCaseIds"] == []

    datarobot_client.connect(default_use_case=second.id)
    later = dr.Dataset.create_from_file(file_path=str(risk_file))
    assert later.id in ids(dr.UseCase.get(second.id).list_datasets())

    bob, carol, dave = make_user(), make_user(), make_user()
    expected = {alice.username: ("OWNER", True)}
    assert roles(use_case) == expected
    for who in (bob, carol, dave):
        share(use_case, SHARING_ROLE.CONSUMER, id=who.id, can_share=True)
        expected[who.username] = ("CONSUMER", True)
        assert roles(use_case) == expected
    share(use_case, SHARING_ROLE.NO_ROLE, username=bob.username)
    del expected[bob.username]
    assert roles(use_case) == expected

    polls = datarobot_client.status_polls()
    assert len(polls) >= 6 and set(polls) == {303}, polls  # a 200 would mean a 5 s sleep
    assert all(code < 500 for _, _, code in datarobot_client.calls)
    invariants(alice, bob, carol, dave)
