"""DataRobot's own sharing calls on single assets, run by the real ``datarobot`` client.

``Dataset.share``, ``Dataset.get_shared_roles``, ``Dataset.modify_shared_roles``,
``Project.share`` and ``Project.get_access_list`` are the client's public API, unmodified.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from service_api import RISK_CSV

dr = pytest.importorskip("datarobot")
from datarobot.enums import SHARING_RECIPIENT_TYPE, TARGET_SHARING_ROLE  # noqa: E402
from datarobot.models.sharing import CatalogSharedRoleRequest, SharingAccess  # noqa: E402

if TYPE_CHECKING:
    from conftest import Recorder
    from service_api import Api

pytestmark = pytest.mark.compat


@pytest.fixture
def datarobot_as_alice(datarobot_client: Recorder) -> None:
    """The real ``datarobot`` client acting as alice (``datarobot_as`` resets it after)."""
    datarobot_client.connect()


def test_dataset_share_and_shared_roles(
    datarobot_as_alice, alice: Api, bob: Api, carol: Api
) -> None:
    dataset = dr.Dataset.get(alice.upload_dataset(RISK_CSV)["id"])
    dataset.share([SharingAccess(bob.username, "CONSUMER", can_share=False)])
    roles = {r.name: (r.role, r.can_share) for r in dataset.get_shared_roles()}
    assert roles == {alice.username: ("OWNER", True), bob.username: ("CONSUMER", False)}
    assert bob.get(f"datasets/{dataset.id}/file/").content == RISK_CSV
    dataset.modify_shared_roles(
        [
            CatalogSharedRoleRequest(
                role=TARGET_SHARING_ROLE.EDITOR,
                share_recipient_type=SHARING_RECIPIENT_TYPE.USER,
                name=carol.username,
                can_share=True,
            )
        ]
    )
    mine = dataset.get_shared_roles(id=carol.id)
    assert [(r.name, r.role, r.can_share) for r in mine] == [(carol.username, "EDITOR", True)]
    # A None role revokes, as DataRobot's documentation shows.
    dataset.share([SharingAccess(bob.username, None)])
    assert bob.get(f"datasets/{dataset.id}/").status_code == 404


def test_project_share_and_access_list(datarobot_as_alice, alice: Api, bob: Api) -> None:
    dataset = alice.upload_dataset(RISK_CSV)["id"]
    project = dr.Project.get(alice.create_project(dataset)["id"])
    project.share([SharingAccess(bob.username, "USER", can_share=True)])  # DataRobot's EDITOR
    access = {a.username: (a.role, a.can_share, a.user_id) for a in project.get_access_list()}
    assert access == {
        alice.username: ("OWNER", True, alice.id),
        bob.username: ("EDITOR", True, bob.id),
    }
    assert bob.patch(f"projects/{project.id}/", json={"projectName": "Renamed"}).status_code == 200
    # An EDITOR cannot make an OWNER: the client raises the service's 403.
    dr.Client(token=bob.token, endpoint=alice.base.rstrip("/"))
    with pytest.raises(dr.errors.ClientError) as caught:
        dr.Project.get(project.id).share([SharingAccess(bob.username, "OWNER")])
    assert caught.value.status_code == 403
