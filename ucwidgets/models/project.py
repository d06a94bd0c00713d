"""``Project``: an experiment built from a dataset; linkable to one use case.

Examples
--------
>>> import ucwidgets as dr
>>> project = dr.Project.create(sourcedata="risk_data.csv", project_name="Risk Assessment v1",
...                             use_case=uc)  # doctest: +SKIP
>>> project.analyze_and_model(target="credit_risk")  # doctest: +SKIP
Project(Risk Assessment v1)
"""

from __future__ import annotations

import os
import re
import time
from datetime import datetime
from typing import IO, Any

from ucwidgets.enums import AUTOPILOT_MODE, UseCaseEntityType
from ucwidgets.errors import AsyncProcessUnsuccessfulError
from ucwidgets.models._base import (
    TIME,
    UseCaseLike,
    camel,
    dict_or_empty,
    field,
    link,
    parse_time,
    target_use_case_ids,
)
from ucwidgets.models.asset import Asset
from ucwidgets.models.feature import Feature
from ucwidgets.models.listing import Listing
from ucwidgets.models.model import Leaderboard, Model
from ucwidgets.rest import DEFAULT_MAX_WAIT, DEFAULT_TIMEOUT

_URL = re.compile(r"^(https?://|file:|s3:)", re.IGNORECASE)


class Project(Asset):
    """A project (DataRobot's experiment).

    Attributes
    ----------
    id, project_name : str
    stage : str
        ``aim`` while a target is missing, ``modeling`` once it is set.
    target, target_type, metric : str or None
    created : datetime or None
    file_name : str or None
    use_case_id : str or None
        The use case it belongs to, if any.
    modeling_status : str or None
        After a target is set: ``queued``, ``running``, ``done`` or ``failed`` (then
        ``failure`` says why). See ``wait_for_autopilot`` and ``get_models``.
    failure : str or None
    project_description, catalog_id, catalog_version_id : str or None
    mode : int or None
        The autopilot mode.
    positive_class : str, number or None
    holdout_unlocked : bool or None
    max_train_pct : float or None
    max_train_rows : int or None
    partition, advanced_options : dict

    Notes
    -----
    ``Listing.to_frame()`` columns: ``id`` string, ``project_name`` string, ``stage`` string,
    ``target`` string, ``target_type`` string, ``metric`` string, ``file_name`` string,
    ``created`` datetime64[ns, UTC], ``use_case_id`` string.
    """

    _entity_type = UseCaseEntityType.PROJECT
    _card_rows = ("id", "stage", "target", "target_type", "created")

    id: str = field("id", "projectId", required=True, frame="string")
    project_name: str | None = field(frame="string")
    project_description: str | None = field()
    stage: str | None = field(frame="string")
    target: str | None = field(frame="string")
    positive_class: Any = field()
    target_type: str | None = field(frame="string")
    metric: str | None = field(frame="string")
    mode: int | None = field("autopilotMode")
    file_name: str | None = field(frame="string")
    created: datetime | None = field(convert=parse_time, frame=TIME)
    use_case_id: str | None = field("useCase.id", frame="string")
    holdout_unlocked: bool | None = field()
    max_train_pct: float | None = field()
    max_train_rows: int | None = field()
    partition: dict[str, Any] = field(convert=dict_or_empty)
    advanced_options: dict[str, Any] = field(convert=dict_or_empty)
    catalog_id: str | None = field()
    catalog_version_id: str | None = field()
    modeling_status: str | None = field()
    failure: str | None = field()

    def __repr__(self) -> str:
        return f"Project({self.project_name or self.id})"

    @property
    def _card_title(self) -> str:
        return self.project_name or self.id

    # -- creation ---------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        sourcedata: Any,
        project_name: str = "Untitled Project",
        max_wait: float = DEFAULT_MAX_WAIT,
        read_timeout: float = 600,
        dataset_filename: str | None = None,
        *,
        use_case: UseCaseLike = None,
        use_cases: UseCaseLike = None,
    ) -> Project:
        """Create a project from a file path, a URL, a DataFrame, bytes or a binary file object.

        Parameters
        ----------
        sourcedata : str, path, pandas.DataFrame, bytes or file object
            A local path is streamed from disk; an ``http(s)://``, ``file:`` or ``s3:`` string is
            sent as a URL for the server to fetch.
        project_name : str
        max_wait, read_timeout : float
            Seconds for the server to finish, and for the upload's response.
        dataset_filename : str, optional
            The file name announced for in-memory data (default ``data.csv``).
        use_case, use_cases : UseCase, str or list, optional
            Use case(s) to link the project to; default: the current use case.

        Examples
        --------
        >>> dr.Project.create(sourcedata="risk_data.csv", project_name="Risk Assessment v1",
        ...                   use_case=uc)  # doctest: +SKIP
        Project(Risk Assessment v1)
        """
        rest = cls._client()
        timeout = (DEFAULT_TIMEOUT[0], read_timeout)
        if isinstance(sourcedata, str) and _URL.match(sourcedata):
            started = rest.post(
                "projects/", {"projectName": project_name, "url": sourcedata}, timeout=timeout
            )
        else:
            payload, filename = _as_upload(sourcedata, dataset_filename)
            started = rest.upload(
                "projects/", {"projectName": project_name}, payload, filename, timeout=timeout
            )
        return cls._finish(started, max_wait, target_use_case_ids(use_case, use_cases))

    @classmethod
    def create_from_dataset(
        cls,
        dataset_id: str,
        dataset_version_id: str | None = None,
        project_name: str | None = None,
        user: str | None = None,
        password: str | None = None,
        credential_id: str | None = None,
        use_kerberos: bool | None = None,
        use_sample_from_dataset: bool | None = None,
        credential_data: dict[str, Any] | None = None,
        max_wait: float = DEFAULT_MAX_WAIT,
        *,
        use_case: UseCaseLike = None,
        use_cases: UseCaseLike = None,
    ) -> Project:
        """Create a project from a catalog dataset.

        Examples
        --------
        >>> dr.Project.create_from_dataset(dataset_id=ds.dataset_id,
        ...                                project_name="Risk Assessment v1")  # doctest: +SKIP
        Project(Risk Assessment v1)
        """
        body = {
            "datasetId": dataset_id,
            "datasetVersionId": dataset_version_id,
            "projectName": project_name,
            "user": user,
            "password": password,
            "credentialId": credential_id,
            "useKerberos": use_kerberos,
            "useSampleFromDataset": use_sample_from_dataset,
            "credentialData": credential_data,
        }
        started = cls._client().post("projects/", body)
        return cls._finish(started, max_wait, target_use_case_ids(use_case, use_cases))

    @classmethod
    def _finish(cls, started: Any, max_wait: float, use_case_ids: list[str]) -> Project:
        rest = cls._client()
        project = cls(rest.get(rest.wait_for_async(started, max_wait)))
        if use_case_ids:
            link(cls._entity_type, project.id, use_case_ids)
            # A project sits in at most one use case, so a successful link names it.
            project.use_case_id = use_case_ids[-1]
        return project

    # -- reading ----------------------------------------------------------------------------

    @classmethod
    def list(
        cls,
        search_params: dict[str, Any] | None = None,
        use_cases: UseCaseLike = None,
        offset: int | None = None,
        limit: int | None = None,
        *,
        use_case: UseCaseLike = None,
        shared_with_me: bool = False,
    ) -> Listing[Project]:
        """The projects the caller can see, filtered by the given or current use case(s).

        Parameters
        ----------
        search_params : dict, optional
            e.g. ``{"project_name": "Risk"}``.
        use_cases, use_case : UseCase, str or list, optional
        offset, limit : int, optional
        shared_with_me : bool, optional
            Only the projects shared with the caller individually.
        """
        params = {**camel(search_params), "offset": offset, "limit": limit}
        # GET projects/ answers one array (DataRobot's shape): no pages to size.
        return cls._list_in(params, use_case, use_cases, shared_with_me, whole=False)

    def refresh(self) -> Project:
        """Reload this object's fields from the server, in place."""
        self._load(self._client().get(f"projects/{self.id}/"))
        return self

    # -- changing ---------------------------------------------------------------------------

    def analyze_and_model(
        self,
        target: str | None = None,
        mode: AUTOPILOT_MODE | str = AUTOPILOT_MODE.QUICK,
        metric: str | None = None,
        worker_count: int | None = None,
        positive_class: Any = None,
        partitioning_method: Any = None,
        featurelist_id: str | None = None,
        advanced_options: Any = None,
        max_wait: float = DEFAULT_MAX_WAIT,
        **aim_options: Any,
    ) -> Project:
        """Set the target and start modeling; the project is refreshed in place and returned.

        The arguments come in the order of DataRobot's client, so positional calls mean the
        same; those this service does not use are sent as DataRobot's would be.

        Examples
        --------
        >>> project.analyze_and_model(target="credit_risk")  # doctest: +SKIP
        Project(Risk Assessment v1)
        """
        rest = self._client()
        if worker_count is not None:
            rest.patch(f"projects/{self.id}/", {"workerCount": worker_count})
        body = {
            "target": target,
            "mode": str(mode),
            "metric": metric,
            "positiveClass": positive_class,
            "partitioningMethod": partitioning_method,
            "featurelistId": featurelist_id,
            "advancedOptions": advanced_options,
            **camel(aim_options),
        }
        started = rest.patch(f"projects/{self.id}/aim/", body)
        self._load(rest.get(rest.wait_for_async(started, max_wait)))
        return self

    set_target = analyze_and_model

    # -- modeling ---------------------------------------------------------------------------

    def get_status(self) -> dict[str, Any]:
        """Where modeling stands: DataRobot's ``autopilot_done``, ``stage`` and
        ``stage_description``, plus ``modeling_status``, ``failure`` and ``job_counts``.

        Examples
        --------
        >>> project.get_status()["autopilot_done"]  # doctest: +SKIP
        True
        """
        return _snake_keys(self._client().get(f"projects/{self.id}/status/"))

    def get_features(self) -> Listing[Feature]:
        """The project's features, in the order of its file's columns, with their types and
        statistics.

        Examples
        --------
        >>> project.get_features().to_frame()[["name", "unique_count"]]  # doctest: +SKIP
        """
        items = self._client().get(f"projects/{self.id}/features/")
        return Listing((Feature(item) for item in items), Feature)

    def get_metrics(self, feature_name: str) -> dict[str, Any]:
        """The metrics available with ``feature_name`` as the target, as DataRobot's client
        returns them: ``feature_name``, ``available_metrics`` (empty when the feature cannot be
        the target) and ``metric_details`` (per metric ``metric_name``, ``supports_binary``,
        ``supports_regression``, ``supports_multiclass``, ``supports_timeseries``,
        ``ascending``).

        Examples
        --------
        >>> project.get_metrics("credit_risk")["available_metrics"]  # doctest: +SKIP
        ['LogLoss', 'AUC', 'Accuracy']
        """
        body = self._client().get(
            f"projects/{self.id}/features/metrics/", {"featureName": feature_name}
        )
        return _snake_keys(body)

    def get_models(self) -> Leaderboard:
        """The leaderboard: the trained models, best first on the project's metric.

        Examples
        --------
        >>> project.get_models().to_frame()[["model_type", "auc_validation"]]  # doctest: +SKIP
        """
        items = self._client().get(f"projects/{self.id}/models/")
        return Leaderboard((Model(item) for item in items), self.target_type)

    def wait_for_autopilot(
        self,
        check_interval: float = 20.0,
        timeout: float | None = 24 * 60 * 60,
        verbosity: int = 1,
    ) -> None:
        """Block until modeling finishes, showing models trained out of queued (``verbosity=0``:
        no bar). Polls start fast and back off to ``check_interval`` seconds.

        Raises
        ------
        RuntimeError
            The project has no target, so nothing is modeling.
        ucwidgets.errors.AsyncProcessUnsuccessfulError
            Modeling failed (the message carries the server's reason), or ``timeout`` passed.

        Examples
        --------
        >>> project.analyze_and_model(target="credit_risk")  # doctest: +SKIP
        >>> project.wait_for_autopilot()  # doctest: +SKIP
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        delay, bar = 0.1, None
        try:
            while True:
                status = self.get_status()
                if status.get("stage") != "modeling":
                    raise RuntimeError("The target has not been set, there is no autopilot running")
                counts = status.get("job_counts") or {}
                if verbosity > 0 and counts:
                    bar = bar or _models_bar(self.project_name or self.id)
                    bar.total = sum(counts.values())
                    bar.n = counts.get("done", 0) + counts.get("failed", 0)
                    bar.set_postfix(
                        running=counts.get("running", 0), queued=counts.get("queued", 0)
                    )
                if status.get("autopilot_done"):
                    break
                if deadline is not None and time.monotonic() + delay > deadline:
                    raise AsyncProcessUnsuccessfulError(
                        f"Modeling of {self!r} was still running after {timeout} s", status_code=504
                    )
                time.sleep(delay)
                delay = min(delay * 1.5, check_interval)
        finally:
            if bar is not None:
                bar.close()
        self.refresh()
        if status.get("modeling_status") == "failed":
            raise AsyncProcessUnsuccessfulError(
                f"Modeling of {self!r} failed: {status.get('failure') or 'no reason given'}"
            )

    def rename(self, project_name: str) -> None:
        """Rename the project."""
        self._client().patch(f"projects/{self.id}/", {"projectName": project_name})
        self.project_name = project_name


def _snake_keys(value: Any) -> Any:
    """The wire's camelCase keys in snake_case, at every depth (as DataRobot's ``from_api``)."""
    if isinstance(value, dict):
        return {
            re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower(): _snake_keys(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_snake_keys(item) for item in value]
    return value


def _models_bar(name: str) -> Any:
    from tqdm.auto import tqdm  # lazy: tqdm.auto may import ipywidgets inside a kernel

    return tqdm(desc=f"modeling {name}", unit="model", total=0)


def _as_upload(sourcedata: Any, dataset_filename: str | None) -> tuple[Any, str]:
    """What to stream for the ``file`` part, and the filename to announce."""
    if isinstance(sourcedata, str | os.PathLike):
        path = os.fspath(sourcedata)
        if not os.path.isfile(path):
            raise ValueError(f"sourcedata {path!r} is neither a file nor a URL")
        return path, os.path.basename(path)
    if isinstance(sourcedata, bytes | bytearray):
        return bytes(sourcedata), dataset_filename or "data.csv"
    if hasattr(sourcedata, "to_csv"):  # a DataFrame, without importing pandas to check
        return sourcedata.to_csv(index=False).encode("utf-8"), dataset_filename or "data.csv"
    if hasattr(sourcedata, "read"):
        stream: IO[bytes] = sourcedata
        name = getattr(stream, "name", None)
        fallback = os.path.basename(name) if isinstance(name, str) else "data.csv"
        return stream, dataset_filename or fallback
    raise TypeError(f"unsupported sourcedata of type {type(sourcedata).__name__}")
