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

from typing import Any

from ucwidgets.models._base import APIObject, field


class _FeatureBase(APIObject):
    # min and max hold numbers, or ISO-8601 strings for Date features, hence ``object``.
    id: int = field(required=True, frame="Int64")
    name: str = field(required=True, frame="string")
    feature_type: str | None = field(frame="string")
    na_count: int | None = field(frame="Int64")
    unique_count: int | None = field(frame="Int64")
    low_information: bool | None = field(frame="boolean")
    min: Any = field(frame="object")
    max: Any = field(frame="object")
    mean: float | None = field(frame="float64")
    median: float | None = field(frame="float64")
    std_dev: float | None = field(frame="float64")
    date_format: str | None = field(frame="string")
    time_series_eligible: bool | None = field()
    time_series_eligibility_reason: str | None = field()
    target_leakage: str | None = field()

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

    dataset_id: str | None = field()
    dataset_version_id: str | None = field()


class Feature(_FeatureBase):
    """A feature of a project (``project.get_features()``): the attributes of
    :class:`DatasetFeature`, with ``project_id`` instead of the dataset's ids.

    Notes
    -----
    ``Listing.to_frame()`` columns: as :class:`DatasetFeature`.
    """

    project_id: str | None = field()
