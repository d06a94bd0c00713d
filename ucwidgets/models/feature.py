"""Features: a dataset's or a project's columns, with the type and statistics the service
computed when the file was uploaded (DataRobot's ``datarobot.models.feature``).

Examples
--------
>>> dataset.get_all_features().to_frame()[["name", "feature_type", "mean"]]  # doctest: +SKIP
           name feature_type          mean
0           age      Numeric     41.300000
1   credit_risk      Boolean           NaN
"""

from __future__ import annotations

from typing import Any, ClassVar

from ucwidgets.models._base import APIObject

#: ``to_frame()`` columns of both feature classes (min and max hold numbers, or ISO-8601
#: strings for Date features, hence ``object``).
FEATURE_COLUMNS = {
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


class _FeatureBase(APIObject):
    _frame_columns: ClassVar[dict[str, str]] = FEATURE_COLUMNS

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self.id: int = data["id"]
        self.name: str = data["name"]
        self.feature_type: str | None = data.get("featureType")
        self.na_count: int | None = data.get("naCount")
        self.unique_count: int | None = data.get("uniqueCount")
        self.low_information: bool | None = data.get("lowInformation")
        self.date_format: str | None = data.get("dateFormat")
        self.min: Any = data.get("min")
        self.max: Any = data.get("max")
        self.mean: float | None = data.get("mean")
        self.median: float | None = data.get("median")
        self.std_dev: float | None = data.get("stdDev")
        self.time_series_eligible: bool | None = data.get("timeSeriesEligible")
        self.time_series_eligibility_reason: str | None = data.get("timeSeriesEligibilityReason")
        self.target_leakage: str | None = data.get("targetLeakage")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name})"


class DatasetFeature(_FeatureBase):
    """A column of a dataset (``dataset.get_all_features()``).

    Attributes
    ----------
    id : int
        The column's position in the file.
    dataset_id, dataset_version_id, name : str
    feature_type : str
        ``Numeric``, ``Categorical``, ``Text``, ``Date`` or ``Boolean``.
    na_count, unique_count : int
        Missing values, and distinct values among the others.
    low_information : bool
        Fewer than two distinct values.
    min, max : number or str
        For Numeric features; ISO-8601 strings for Date features; else None.
    mean, median, std_dev : float or None
        For Numeric features.
    date_format : str or None
        For Date features, the ``strftime`` format of the values.

    Notes
    -----
    ``Listing.to_frame()`` columns: ``id`` Int64, ``name`` string, ``feature_type`` string,
    ``na_count`` Int64, ``unique_count`` Int64, ``low_information`` boolean, ``min`` object,
    ``max`` object, ``mean`` float64, ``median`` float64, ``std_dev`` float64, ``date_format``
    string.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.dataset_id: str | None = data.get("datasetId")
        self.dataset_version_id: str | None = data.get("datasetVersionId")


class Feature(_FeatureBase):
    """A feature of a project (``project.get_features()``): the attributes of
    :class:`DatasetFeature`, with ``project_id`` instead of the dataset's ids.

    Notes
    -----
    ``Listing.to_frame()`` columns: as :class:`DatasetFeature`.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.project_id: str | None = data.get("projectId")
