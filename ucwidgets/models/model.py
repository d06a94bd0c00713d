"""``Model``: one entry of a project's leaderboard, and ``predict`` for new rows.

Examples
--------
>>> project.wait_for_autopilot()  # doctest: +SKIP
>>> project.get_models()  # doctest: +SKIP
[Model('Regularized Logistic Regression (L2)'), Model('Random Forest Classifier'), ...]
>>> project.get_models().to_frame()[["model_type", "auc_validation"]]  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ucwidgets.models._base import (
    APIObject,
    column,
    dict_or_empty,
    field,
    listed,
    require_ucwidgets,
)
from ucwidgets.models.listing import Listing, build_frame

if TYPE_CHECKING:
    import pandas as pd

#: Bytes of CSV per prediction request (the service takes a few MB at most).
_PREDICT_CHUNK_BYTES = 1_000_000


class Model(APIObject):
    """A trained model of a project (DataRobot's ``Model``).

    Attributes
    ----------
    id, project_id, model_type, model_family, blueprint_id, featurelist_name : str
    model_number : int
    sample_pct : float
        The percentage of the project's rows it was trained on.
    training_row_count : int
    training_time : float or None
        Seconds spent fitting (a ucwidgets field).
    processes : list of str
    metrics : dict
        ``{"AUC": {"validation": ..., "crossValidation": ..., "holdout": ...}, ...}``; a score
        the data cannot define is ``None``.

    Notes
    -----
    The leaderboard's ``to_frame()`` columns: ``model_id`` string, ``model_number`` Int64,
    ``model_type`` string, ``model_family`` string, ``sample_pct`` float64,
    ``training_row_count`` Int64, ``training_time`` float64, then for each metric the service
    scored the models on, in its order (Binary: AUC, LogLoss, Accuracy; Regression: RMSE,
    R Squared, MAE), ``<metric>_validation``, ``<metric>_cross_validation`` and
    ``<metric>_holdout`` float64, the metric in lower case with spaces as underscores
    (``r_squared_holdout``). An empty leaderboard has no metric columns.
    """

    @column("string")
    def model_id(self) -> str:
        """The model's id (as ``id``)."""
        return self.id

    model_number: int | None = field(frame="Int64")
    model_type: str | None = field(frame="string")
    model_family: str | None = field(frame="string")
    sample_pct: float | None = field(frame="float64")
    training_row_count: int | None = field(frame="Int64")
    training_time: float | None = field(frame="float64")
    id: str = field(required=True)
    project_id: str = field(required=True)
    model_category: str | None = field()
    blueprint_id: str | None = field()
    featurelist_name: str | None = field()
    processes: list[str] = field(convert=listed)
    is_frozen: bool = field(convert=bool)
    is_starred: bool = field(convert=bool)
    prediction_threshold: float | None = field()
    metrics: dict[str, dict[str, float | None]] = field(convert=dict_or_empty)

    def __repr__(self) -> str:
        return f"Model({self.model_type or self.id!r})"

    def _frame_row(self) -> dict[str, Any]:
        row = super()._frame_row()
        for metric, scores in self.metrics.items():
            for part, suffix in (
                ("validation", "validation"),
                ("crossValidation", "cross_validation"),
                ("holdout", "holdout"),
            ):
                row[f"{_snake(metric)}_{suffix}"] = (scores or {}).get(part)
        return row

    @classmethod
    def get(cls, project: Any, model_id: str) -> Model:
        """One model of a project (a ``Project`` or its id)."""
        project_id = getattr(project, "id", project)
        return cls(cls._client().get(f"projects/{project_id}/models/{model_id}/"))

    def predict(self, data: Any) -> pd.DataFrame:
        """Predictions for new rows: a DataFrame, a list of row dicts, or a CSV file's path.

        Returns a DataFrame with one row per input row: ``row_id`` and ``prediction``; for a
        binary target also ``positive_probability``, ``prediction_threshold`` and one
        ``class_<label>`` probability column per class.

        Examples
        --------
        >>> model.predict(new_loans).head(2)  # doctest: +SKIP
           row_id prediction  positive_probability  prediction_threshold  class_yes  class_no
        0       0        yes              0.731201                   0.5   0.731201  0.268799
        """
        import pandas as pd  # lazy: importing ucwidgets must stay fast

        rest = self._client()
        require_ucwidgets(rest, "model.predict")
        if isinstance(data, str | os.PathLike):
            frame = pd.read_csv(data)
        else:
            frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame.from_records(data)
        url = f"projects/{self.project_id}/models/{self.id}/predictions/"
        rows: list[dict[str, Any]] = []
        for start, chunk in _chunks(frame):
            body = chunk.to_csv(index=False).encode("utf-8")
            answer = rest.post(url, data=body, headers={"Content-Type": "text/csv"}).json()
            rows.extend({**r, "rowId": start + r["rowId"]} for r in answer["data"])
        return _prediction_frame(rows)


class Leaderboard(Listing[Model]):
    """A project's models, best first; ``to_frame()`` adds a column per metric and part.

    The metrics are those the service sent with the models (it scores every model of a
    project on the same ones), so the client keeps no list of its own.
    """

    def __init__(self, items: Iterable[Model], target_type: str | None) -> None:
        super().__init__(items, Model)
        self.target_type = target_type

    def to_frame(self) -> pd.DataFrame:
        columns = dict(Model._frame_columns)
        for metric in dict.fromkeys(name for model in self for name in model.metrics):
            for part in ("validation", "cross_validation", "holdout"):
                columns[f"{_snake(metric)}_{part}"] = "float64"
        return build_frame(columns, [model._frame_row() for model in self])


def _snake(metric: str) -> str:
    return metric.lower().replace(" ", "_")


def _chunks(frame: pd.DataFrame) -> Iterable[tuple[int, pd.DataFrame]]:
    """Slices of ``frame`` whose CSV stays near ``_PREDICT_CHUNK_BYTES``."""
    sample = frame.head(100).to_csv(index=False).encode("utf-8")
    per_row = max(1, len(sample) // max(1, min(len(frame), 100)))
    size = max(1, _PREDICT_CHUNK_BYTES // per_row)
    for start in range(0, len(frame), size):
        yield start, frame.iloc[start : start + size]


def _prediction_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    records = []
    for r in rows:
        record = {"row_id": r["rowId"], "prediction": r["prediction"]}
        if "positiveProbability" in r:
            record["positive_probability"] = r["positiveProbability"]
            record["prediction_threshold"] = r.get("predictionThreshold")
            record.update({f"class_{v['label']}": v["value"] for v in r["predictionValues"]})
        records.append(record)
    frame = pd.DataFrame.from_records(
        records, columns=None if records else ["row_id", "prediction"]
    )
    return frame.astype({"row_id": "int64"})
