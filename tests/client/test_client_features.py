"""Our client's feature calls: a dataset's details and features, a project's features and
metrics, as DataFrames whose values match pandas on the same CSV; and ``use_cases=[None]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from feature_data import FEATURES_CSV, TYPES, pandas_features

import ucwidgets as dr

FRAME_DTYPES = {
    "id": "Int64",
    "name": "string",
    "feature_type": "string",
    "na_count": "Int64",
    "unique_count": "Int64",
    "low_information": "boolean",
    "min": "object",
    "max": "object",
    "mean": "float64",
    "median": "float64",
    "std_dev": "float64",
    "date_format": "string",
}


@pytest.fixture
def loans(as_alice: Any, tmp_path: Path) -> dr.Dataset:
    path = tmp_path / "loans.csv"
    path.write_bytes(FEATURES_CSV)
    return dr.Dataset.create_from_file(file_path=path)


def assert_frame_matches_pandas(frame: pd.DataFrame) -> None:
    assert {c: str(t) for c, t in frame.dtypes.items()} == FRAME_DTYPES
    expected = pandas_features()
    frame = frame.set_index("name")
    assert frame["feature_type"].to_dict() == TYPES
    for name, want in expected.items():
        row = frame.loc[name]
        assert (row["na_count"], row["unique_count"]) == (want["naCount"], want["uniqueCount"])
        for stat, key in (("mean", "mean"), ("median", "median"), ("std_dev", "stdDev")):
            if key in want:
                assert row[stat] == pytest.approx(want[key], rel=1e-12), (name, stat)
            else:
                assert pd.isna(row[stat]), (name, stat)
        for stat in ("min", "max"):
            assert row[stat] == want.get(stat), (name, stat)
    assert frame.loc["opened", "date_format"] == "%Y-%m-%d"


def test_dataset_details_and_features(loans: dr.Dataset, alice: Any, as_alice) -> None:
    details = loans.get_details()
    assert isinstance(details, dr.DatasetDetails)
    assert (details.id, details.feature_count, details.uri) == (loans.id, len(TYPES), "loans.csv")
    assert details.feature_count_by_type == {
        t: list(TYPES.values()).count(t) for t in TYPES.values()
    }
    assert details.last_modifier_full_name == alice.full_name
    assert details.to_dataset().id == loans.id

    features = loans.get_all_features()
    assert repr(features[0]) == "DatasetFeature(active)"  # by name, the default order
    assert {f.dataset_id for f in features} == {loans.id}
    assert_frame_matches_pandas(features.to_frame())
    ordered = loans.get_all_features(order_by="featureType").to_frame()
    assert list(ordered["feature_type"]) == sorted(TYPES.values())


def test_project_features_and_metrics(loans: dr.Dataset) -> None:
    project = dr.Project.create_from_dataset(loans.id, project_name="Loans")
    features = project.get_features()
    assert [f.name for f in features] == list(TYPES)  # the file's order
    assert_frame_matches_pandas(features.to_frame())
    metrics = project.get_metrics("income")
    assert metrics["available_metrics"] == ["RMSE", "R Squared", "MAE"]
    assert metrics["metric_details"][0] == {
        "metric_name": "RMSE",
        "supports_binary": False,
        "supports_regression": True,
        "supports_multiclass": False,
        "supports_timeseries": False,
        "ascending": True,
    }
    assert project.get_metrics("comment")["available_metrics"] == []


def test_empty_feature_listing_has_the_columns() -> None:
    frame = dr.models.Listing([], dr.Feature).to_frame()
    assert {c: str(t) for c, t in frame.dtypes.items()} == FRAME_DTYPES


def test_in_no_use_case(loans: dr.Dataset) -> None:
    filed = dr.UseCase.create(name="Filed")
    inside = dr.Dataset.create_from_in_memory_data(pd.DataFrame({"a": [1]}), use_case=filed)
    loose_project = dr.Project.create_from_dataset(loans.id)
    dr.Project.create_from_dataset(inside.id, use_case=filed)
    assert [d.id for d in dr.Dataset.list(use_cases=[None])] == [loans.id]
    assert [p.id for p in dr.Project.list(use_cases=[None])] == [loose_project.id]
    assert {d.id for d in dr.Dataset.list(use_cases=[None, filed])} == {loans.id, inside.id}
    with filed:  # the current use case does not override an explicit [None]
        assert [d.id for d in dr.Dataset.list(use_cases=[None])] == [loans.id]
