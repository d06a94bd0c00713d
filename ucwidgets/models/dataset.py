"""``Dataset``: an uploaded table, linkable to many use cases.

Examples
--------
>>> import ucwidgets as dr
>>> ds = dr.Dataset.create_from_file(file_path="risk_data.csv", use_case=uc)  # doctest: +SKIP
>>> ds  # doctest: +SKIP
Dataset(name='risk_data.csv', id='646e8bb507b108ce7b474b27')
"""

from __future__ import annotations

import io
import os
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from ucwidgets.enums import UseCaseEntityType
from ucwidgets.models._base import (
    TIME,
    UseCaseLike,
    alias,
    field,
    link,
    listed,
    parse_time,
    target_use_case_ids,
    user_label,
)
from ucwidgets.models.asset import Asset
from ucwidgets.models.listing import Listing
from ucwidgets.rest import DEFAULT_MAX_WAIT, DEFAULT_TIMEOUT

if TYPE_CHECKING:
    import pandas as pd

    from ucwidgets.models.feature import DatasetFeature
    from ucwidgets.models.project import Project


class Dataset(Asset):
    """A dataset in the catalog.

    Attributes
    ----------
    id, dataset_id : str
        The same id under both names (DataRobot's client has only ``id``; its docs use both).
    version_id, name : str
    categories : list of str
    created_at : datetime
        ``creationDate``, timezone-aware.
    created_by : str or None
    row_count, size : int or None
        Rows, and bytes on disk.
    processing_state : str
    use_case_ids : list of str
        The use cases it is linked to that the caller can see (ucwidgets' service only).
    data_persisted, is_data_engine_eligible, is_latest_version, is_snapshot : bool or None
    sample_size : dict or None

    Notes
    -----
    ``Listing.to_frame()`` columns: ``id`` string, ``name`` string, ``row_count`` Int64,
    ``size`` Int64, ``categories`` string (comma-separated), ``created_at``
    datetime64[ns, UTC], ``created_by`` string, ``processing_state`` string. The two counts are
    nullable because DataRobot may omit them.
    """

    _entity_type = UseCaseEntityType.DATASET
    _card_kind = "Dataset"  # DatasetDetails too
    _card_rows = ("id", ("rows", "row_count"), "created_by", "created_at")

    id: str = field("datasetId", "id", required=True, frame="string")
    name: str = field(default="", frame="string")
    row_count: int | None = field(frame="Int64")
    size: int | None = field("datasetSize", frame="Int64")
    categories: list[str] = field(convert=listed, frame="string", shown=",".join)
    created_at: datetime | None = field("creationDate", convert=parse_time, frame=TIME)
    created_by: str | None = field(convert=user_label, frame="string")
    processing_state: str | None = field(frame="string")
    use_case_ids: list[str] = field(convert=listed)
    version_id: str | None = field()
    data_persisted: bool | None = field()
    is_data_engine_eligible: bool | None = field()
    is_latest_version: bool | None = field()
    is_snapshot: bool | None = field()
    sample_size: dict[str, Any] | None = field()

    dataset_id = alias("id", "The dataset's id (as DataRobot's documentation also calls it).")

    def __repr__(self) -> str:
        return f"Dataset(name={self.name!r}, id={self.id!r})"

    # -- creation ---------------------------------------------------------------------------

    @classmethod
    def create_from_file(
        cls,
        file_path: str | os.PathLike[str] | None = None,
        filelike: IO[bytes] | None = None,
        categories: list[str] | None = None,
        read_timeout: float = 600,
        max_wait: float = DEFAULT_MAX_WAIT,
        *,
        use_case: UseCaseLike = None,
        use_cases: UseCaseLike = None,
    ) -> Dataset:
        """Upload a file (streamed from disk) and return the dataset once processed.

        Parameters
        ----------
        file_path : path, optional
            The file to upload; its basename becomes the dataset's name.
        filelike : binary file object, optional
            Instead of ``file_path``; its ``.name`` (or ``data.csv``) becomes the name.
        categories : list of str, optional
            e.g. ``["TRAINING"]``.
        read_timeout, max_wait : float
            Seconds for the upload response, and for the server to finish processing.
        use_case, use_cases : UseCase, str or list, optional
            Use cases to link the dataset to; both spellings work. Default: the current use case.

        Examples
        --------
        >>> ds = dr.Dataset.create_from_file(file_path="risk_data.csv")  # doctest: +SKIP
        """
        if (file_path is None) == (filelike is None):
            raise ValueError("pass exactly one of file_path and filelike")
        if file_path is not None:
            source: Any = file_path
            filename = os.path.basename(os.fspath(file_path))
        else:
            source = filelike
            name = getattr(filelike, "name", None)
            # DataRobot's client sends .name verbatim, often a full path; the basename is the name.
            filename = os.path.basename(name) if isinstance(name, str) and name else "data.csv"
        return cls._upload(
            source,
            filename,
            categories,
            read_timeout,
            max_wait,
            target_use_case_ids(use_case, use_cases),
        )

    @classmethod
    def create_from_in_memory_data(
        cls,
        data_frame: pd.DataFrame | None = None,
        records: list[dict[str, Any]] | None = None,
        categories: list[str] | None = None,
        read_timeout: float = 600,
        max_wait: float = DEFAULT_MAX_WAIT,
        fname: str | None = None,
        *,
        use_case: UseCaseLike = None,
        use_cases: UseCaseLike = None,
    ) -> Dataset:
        """Upload a DataFrame (or a list of records) as CSV; the name is ``fname`` or ``data.csv``.

        Examples
        --------
        >>> import pandas as pd
        >>> ds = dr.Dataset.create_from_in_memory_data(pd.DataFrame({"a": [1, 2]}),
        ...                                            fname="a.csv")  # doctest: +SKIP
        """
        import pandas as pd

        if (data_frame is None) == (records is None):
            raise ValueError("pass exactly one of data_frame and records")
        frame = data_frame if data_frame is not None else pd.DataFrame.from_records(records)
        payload = frame.to_csv(index=False).encode("utf-8")
        return cls._upload(
            payload,
            fname or "data.csv",
            categories,
            read_timeout,
            max_wait,
            target_use_case_ids(use_case, use_cases),
        )

    @classmethod
    def _upload(
        cls,
        source: Any,
        filename: str,
        categories: list[str] | None,
        read_timeout: float,
        max_wait: float,
        use_case_ids: list[str],
    ) -> Dataset:
        rest = cls._client()
        started = rest.upload(
            "datasets/fromFile/", {}, source, filename, timeout=(DEFAULT_TIMEOUT[0], read_timeout)
        )
        dataset = cls(rest.get(rest.wait_for_async(started, max_wait)))
        if categories:
            patched = rest.patch(f"datasets/{dataset.id}/", {"categories": categories}).json()
            dataset._load({**dataset._data, **patched})
            dataset.categories = list(categories)
        link(cls._entity_type, dataset.id, use_case_ids)
        return dataset

    # -- reading ----------------------------------------------------------------------------

    @classmethod
    def list(
        cls,
        category: str | None = None,
        filter_failed: bool | None = None,
        order_by: str | None = None,
        use_cases: UseCaseLike = None,
        *,
        use_case: UseCaseLike = None,
        shared_with_me: bool = False,
        offset: int | None = None,
        limit: int | None = None,
    ) -> Listing[Dataset]:
        """The datasets the caller can see, filtered by the given or current use case(s).

        ``shared_with_me=True`` keeps only those shared with the caller individually. With
        ``limit`` only that page is read (its ``total_count`` says how many match in all).

        Examples
        --------
        >>> dr.Dataset.list(use_case=uc).to_frame()  # doctest: +SKIP
        >>> dr.Dataset.list(use_cases=[], limit=50).total_count  # doctest: +SKIP
        100000
        """
        params = {
            "category": category,
            "filterFailed": None if filter_failed is None else str(bool(filter_failed)).lower(),
            "orderBy": order_by,
            "offset": offset,
            "limit": limit,
        }
        return cls._list_in(params, use_case, use_cases, shared_with_me)

    def get_details(self) -> DatasetDetails:
        """The dataset's details: its feature counts and when and by whom it last changed."""
        return DatasetDetails.get(self.id)

    def get_all_features(self, order_by: str | None = None) -> Listing[DatasetFeature]:
        """The dataset's columns with their types and statistics (computed at upload).

        Parameters
        ----------
        order_by : str, optional
            ``name`` (the default) or ``featureType``; a leading ``-`` reverses.

        Examples
        --------
        >>> dataset.get_all_features().to_frame()[["name", "na_count"]]  # doctest: +SKIP
        """
        from ucwidgets.models.feature import DatasetFeature

        items = self._client().paginate(
            f"datasets/{self.id}/allFeaturesDetails/", {"orderBy": order_by}
        )
        return Listing((DatasetFeature(item) for item in items), DatasetFeature)

    def get_as_dataframe(self, **read_csv_kwargs: Any) -> pd.DataFrame:
        """Download the uploaded file (``GET datasets/{id}/file/``) into a DataFrame."""
        import pandas as pd

        response = self._client()._request("GET", f"datasets/{self.id}/file/")
        return pd.read_csv(io.BytesIO(response.content), **read_csv_kwargs)

    def create_project(self, project_name: str | None = None, **kwargs: Any) -> Project:
        """Start a project from this dataset (see :meth:`Project.create_from_dataset`)."""
        from ucwidgets.models.project import Project

        return Project.create_from_dataset(self.id, project_name=project_name, **kwargs)

    # -- deleting ---------------------------------------------------------------------------

    @classmethod
    def un_delete(cls, dataset_id: str) -> None:
        """Restore a deleted dataset, into the use cases it was in (DataRobot's call; as
        ``Dataset.restore(id)``). Nothing happens to a dataset that is not deleted.

        Parameters
        ----------
        dataset_id : str
            The dataset's id.

        Examples
        --------
        >>> dr.Dataset.delete(dataset.id)  # doctest: +SKIP
        >>> dr.Dataset.un_delete(dataset.id)  # doctest: +SKIP
        """
        cls.restore(dataset_id)


def _counts_by_type(items: Any) -> dict[str, int]:
    """``featureCountByType`` (a list of ``{featureType, count}``) as a dict."""
    return {item["featureType"]: item["count"] for item in items or []}


class DatasetDetails(Dataset):
    """A dataset with DataRobot's detail fields (``Dataset.get_details()``).

    Attributes
    ----------
    feature_count : int or None
    feature_count_by_type : dict
        Feature type -> how many columns have it.
    last_modification_date : datetime or None
    last_modifier_full_name, data_source_type, uri, error, description : str or None
    eda1_modification_date : datetime or None
        When the column statistics were computed (at upload).
    """

    feature_count: int | None = field()
    feature_count_by_type: dict[str, int] = field(convert=_counts_by_type)
    last_modification_date: datetime | None = field(convert=parse_time)
    last_modifier_full_name: str | None = field()
    eda1_modification_date: datetime | None = field(convert=parse_time)
    data_source_type: str | None = field()
    uri: str | None = field()
    error: str | None = field()
    description: str | None = field()

    def to_dataset(self) -> Dataset:
        """The plain :class:`Dataset` of these details."""
        return Dataset(self._data)
