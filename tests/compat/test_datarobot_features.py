"""What a data scientist calls after the seed's flow, run by the real ``datarobot`` client:
dataset details and features, project features and metrics, and the "in no use case" filter.

Every value the client gets back is checked against pandas run on the same CSV.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from feature_data import FEATURES_CSV, TYPES, pandas_features

dr = pytest.importorskip("datarobot")

if TYPE_CHECKING:
    from conftest import Recorder
    from service_api import Api

pytestmark = [
    pytest.mark.compat,
    # Dataset.create_from_file(file_path=...) never closes the file it opens.
    pytest.mark.filterwarnings(r"ignore:unclosed file <_io\.BufferedReader:ResourceWarning"),
]
STATS = ("min", "max", "mean", "median", "std_dev")


@pytest.fixture
def uploaded(datarobot_client: Recorder, tmp_path: Path) -> Any:
    path = tmp_path / "loans.csv"
    path.write_bytes(FEATURES_CSV)
    datarobot_client.connect()
    return dr.Dataset.create_from_file(file_path=str(path))


def assert_matches_pandas(features: list[Any]) -> None:
    """Each feature's type, counts and statistics equal pandas' on the same file."""
    expected = pandas_features()
    assert [f.name for f in features] == list(TYPES)
    for f in features:
        want = expected[f.name]
        assert f.feature_type == TYPES[f.name], f.name
        assert (f.na_count, f.unique_count) == (want["naCount"], want["uniqueCount"]), f.name
        assert f.low_information is (want["uniqueCount"] < 2), f.name
        for stat in STATS:
            key = "stdDev" if stat == "std_dev" else stat
            value = getattr(f, stat)
            if key not in want:
                assert value is None, (f.name, stat)
            elif isinstance(want[key], str):
                assert value == want[key], (f.name, stat)
            else:
                assert value == pytest.approx(want[key], rel=1e-12), (f.name, stat)


def test_dataset_details(uploaded: Any, alice: Api) -> None:
    details = uploaded.get_details()
    assert isinstance(details, dr.DatasetDetails)
    assert (details.dataset_id, details.name, details.uri) == (
        uploaded.id,
        "loans.csv",
        "loans.csv",
    )
    assert (details.row_count, details.size) == (90, len(FEATURES_CSV))
    assert (details.data_source_type, details.error) == ("", "")
    assert details.last_modification_date == uploaded.created_at
    assert details.last_modifier_full_name == alice.user["full_name"]
    assert details.feature_count == len(TYPES)
    by_type = {c.feature_type: c.count for c in details.feature_count_by_type}
    assert by_type == {t: list(TYPES.values()).count(t) for t in TYPES.values()}
    assert details.to_dataset().id == uploaded.id
    uploaded.modify(name="loans, checked.csv")
    renamed = uploaded.get_details()
    assert renamed.last_modification_date > details.last_modification_date
    assert (renamed.name, renamed.created_at) == ("loans, checked.csv", details.created_at)


def test_dataset_features_match_pandas(uploaded: Any) -> None:
    features = uploaded.get_all_features()
    assert all(f.dataset_id == uploaded.id for f in features)
    assert_matches_pandas(sorted(features, key=lambda f: list(TYPES).index(f.name)))
    assert [f.name for f in features] == sorted(TYPES)  # the server's default order: name
    by_type = [(f.feature_type, f.name) for f in uploaded.get_all_features(order_by="-featureType")]
    assert by_type == sorted(((TYPES[n], n) for n in TYPES), reverse=True)
    # a page at a time, as iterate_all_features asks for them
    assert [f.name for f in uploaded.iterate_all_features(limit=3)] == sorted(TYPES)


def test_project_features_and_metrics(uploaded: Any) -> None:
    project = dr.Project.create_from_dataset(uploaded.id, project_name="Loans")
    features = project.get_features()
    assert all(f.project_id == project.id for f in features)
    assert [f.id for f in features] == list(range(len(TYPES)))
    assert_matches_pandas(features)

    binary = project.get_metrics("defaulted")
    assert binary["feature_name"] == "defaulted"
    assert binary["available_metrics"] == ["LogLoss", "AUC", "Accuracy"]
    assert {m["metric_name"]: m["ascending"] for m in binary["metric_details"]} == {
        "LogLoss": True,
        "AUC": False,
        "Accuracy": False,
    }
    assert all(m["supports_binary"] for m in binary["metric_details"])
    regression = project.get_metrics("income")
    assert regression["available_metrics"] == ["RMSE", "R Squared", "MAE"]
    assert [m["ascending"] for m in regression["metric_details"]] == [True, False, True]
    for not_a_target in ("region", "comment", "constant"):  # multiclass, text, one value
        assert project.get_metrics(not_a_target)["available_metrics"] == []
    # the metrics offered are the ones aim accepts
    project.analyze_and_model(target="defaulted", metric=binary["available_metrics"][1])
    assert project.metric == "AUC"
    with pytest.raises(dr.errors.ClientError) as refused:
        project.get_metrics("no such column")
    assert refused.value.status_code == 422


def test_in_no_use_case(datarobot_client: Recorder, alice: Api, tmp_path: Path) -> None:
    path = tmp_path / "loans.csv"
    path.write_bytes(FEATURES_CSV)
    datarobot_client.connect()
    filed = dr.UseCase.create(name="Filed")
    inside = dr.Dataset.create_from_file(file_path=str(path), use_cases=filed)
    loose = dr.Dataset.create_from_file(file_path=str(path))
    project = dr.Project.create_from_dataset(loose.id, project_name="Loose")
    filed_project = dr.Project.create_from_dataset(inside.id, project_name="Filed", use_case=filed)

    # `use_cases="null"` sends useCaseIds=null, the service's "in no use case".
    assert [d.id for d in dr.Dataset.list(use_cases="null")] == [loose.id]
    assert [p.id for p in dr.Project.list(use_cases="null")] == [project.id]
    both = {d.id for d in dr.Dataset.list(use_cases=["null", filed.id])}
    assert both == {loose.id, inside.id}
    assert [p.id for p in dr.Project.list(use_cases=filed)] == [filed_project.id]

    # The documented `use_cases=[None]` cannot reach any server: requests drops None from a
    # list of query values, so the client sends no filter at all and gets every dataset.
    calls = len(datarobot_client.calls)
    assert {d.id for d in dr.Dataset.list(use_cases=[None])} == {inside.id, loose.id}
    method, url, status = datarobot_client.calls[calls]
    assert (method, status) == ("GET", 200)
    assert url == f"{datarobot_client.service.url}/datasets/"
