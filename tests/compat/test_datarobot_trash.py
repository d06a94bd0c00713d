"""The real ``datarobot`` client's ``Dataset.delete`` and ``Dataset.un_delete``: the dataset goes
to the trash and comes back into the use case it was in, through DataRobot's own route
(``PATCH datasets/{id}/deleted/`` with no body)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from service_api import RISK_CSV

dr = pytest.importorskip("datarobot")

if TYPE_CHECKING:
    from service_api import Api

pytestmark = pytest.mark.compat


def test_dataset_un_delete_brings_it_back_into_its_use_case(
    datarobot_client, alice: Api, bob: Api
) -> None:
    datarobot_client.connect()
    uc = dr.UseCase.create(name="Risk")
    dataset = dr.Dataset.create_from_file(filelike=_csv(), use_cases=uc)
    alice.grant(uc.id, bob, "CONSUMER")
    dr.Dataset.delete(dataset.id)
    assert bob.get(f"datasets/{dataset.id}/").status_code == 404
    assert dr.UseCase.get(uc.id).datasets_count == 0
    with pytest.raises(dr.errors.ClientError) as refused:
        dr.Dataset.get(dataset.id)
    assert refused.value.status_code == 404

    assert dr.Dataset.un_delete(dataset.id) is None
    assert ("PATCH", f"{datarobot_client.service.url}/datasets/{dataset.id}/deleted/", 204) in (
        datarobot_client.calls
    )
    back = dr.Dataset.get(dataset.id)
    assert (back.name, back.row_count) == (dataset.name, dataset.row_count)
    assert [d.id for d in dr.UseCase.get(uc.id).list_datasets()] == [dataset.id]
    assert bob.get(f"datasets/{dataset.id}/file/").content == RISK_CSV  # lent again
    dr.Dataset.un_delete(dataset.id)  # not deleted: nothing happens, as DataRobot documents
    assert dr.Dataset.get(dataset.id).id == dataset.id


def test_un_delete_of_someone_elses_dataset_is_a_404(datarobot_as, service, alice, bob) -> None:
    theirs = bob.upload_dataset(RISK_CSV)["id"]
    assert bob.delete(f"datasets/{theirs}/").status_code == 204
    datarobot_as(service, alice.token).connect()
    with pytest.raises(dr.errors.ClientError) as refused:
        dr.Dataset.un_delete(theirs)
    assert refused.value.status_code == 404
    assert bob.get("trash/").json()["data"][0]["entityId"] == theirs


def _csv():
    import io

    buf = io.BytesIO(RISK_CSV)
    buf.name = "risk_data.csv"
    return buf
