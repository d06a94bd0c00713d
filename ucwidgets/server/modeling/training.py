"""The work of one training job: reading the data, the partition, fitting, scoring, predicting.

A worker process (``worker.py``) runs ``train`` for the engine, one job at a time, so that
scikit-learn's CPU-bound work never holds the service's GIL; the service itself calls
``predict`` on a stored model. What is trained and how it is scored are defined in
``blueprints.py`` and ``metrics.py``; this module applies them. scikit-learn and pandas are
imported only when a job runs. Rows without a target value are left out.

Examples
--------
>>> job = TrainingJob(1, "p1", "loans.csv", "defaulted", "Binary", "yes", "forest", "blobs")
>>> train(job).metrics["AUC"]  # doctest: +SKIP
{'validation': 0.81, 'crossValidation': 0.79, 'holdout': 0.8}
"""

from __future__ import annotations

import pickle
import time
from typing import Any

from ..blobs import BlobStore
from .blueprints import CV_MAX_ROWS, FOLDS, HOLDOUT_PCT, MIN_ROWS, SAMPLE_PCT, SEED, pipeline
from .jobs import TrainedModel, TrainingJob
from .metrics import names, scores


# -- data ------------------------------------------------------------------------------------------
def feature_kinds(frame: Any) -> tuple[list[str], list[str]]:
    """Numeric (not boolean) columns, and every other column (treated as text)."""
    import pandas as pd

    numeric = [
        str(c)
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]
    return numeric, [str(c) for c in frame.columns if str(c) not in numeric]


def features(frame: Any, numeric: list[str], categorical: list[str]) -> Any:
    """The model's input columns from ``frame``: absent columns are missing values, numbers are
    coerced (what is not a finite number, ``inf`` or ``1e400`` too, is missing, and the rest is
    clipped to float32's range, in which the trees compute), text stays text (``None``/NaN for
    missing); extra columns are ignored."""
    import numpy as np
    import pandas as pd

    limit = float(np.finfo(np.float32).max)
    out = {}
    for name in numeric:
        column = frame[name] if name in frame else pd.Series(np.nan, index=frame.index)
        values = pd.to_numeric(column, errors="coerce").astype("float64")
        out[name] = values.where(np.isfinite(values)).clip(-limit, limit)
    for name in categorical:
        column = frame[name] if name in frame else pd.Series(np.nan, index=frame.index)
        text = column.map(str, na_action="ignore").astype(object)
        out[name] = text.where(column.notna(), np.nan)  # None too must read as missing
    return pd.DataFrame(out, index=frame.index, columns=[*numeric, *categorical])


def load(job: TrainingJob) -> tuple[Any, Any, list[Any] | None]:
    """The rows with a target: their raw feature columns, ``y`` (0/1 for Binary, floats for
    Regression), and for Binary the class values ``[negative, positive]``."""
    import pandas as pd

    frame = pd.read_csv(job.data, encoding="utf-8")
    target = job.target
    frame = frame[frame[target].notna()].reset_index(drop=True)
    raw = frame.pop(target)
    if len(frame) < MIN_ROWS:
        raise ValueError(
            f"Only {len(frame)} rows have a value for {target!r}; modeling needs at "
            f"least {MIN_ROWS}."
        )
    if frame.shape[1] == 0:
        raise ValueError(f"The data has no column besides the target {target!r}.")
    if job.target_type != "Binary":
        return frame, raw.astype("float64").to_numpy(), None
    positive = raw.astype(str) == job.positive_class
    if positive.all() or not positive.any():
        raise ValueError(f"The target {target!r} has a single class among the rows with a value.")
    classes = [_plain(raw[~positive].iloc[0]), _plain(raw[positive].iloc[0])]
    return frame, positive.astype("int64").to_numpy(), classes


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def partition(y: Any, binary: bool) -> tuple[Any, Any, list[tuple[Any, Any]]]:
    """Row positions: the training part, the holdout, and the folds of the training part as
    ``(fit, score)`` positions into the training part."""
    import numpy as np
    from sklearn.model_selection import KFold, StratifiedKFold, train_test_split

    rows = np.arange(len(y))
    train, holdout = train_test_split(
        rows, test_size=HOLDOUT_PCT / 100, random_state=SEED, stratify=y if binary else None
    )
    folds = (StratifiedKFold if binary else KFold)(n_splits=FOLDS, shuffle=True, random_state=SEED)
    return train, holdout, list(folds.split(train, y[train]))


def _mean(values: list[float | None]) -> float | None:
    return None if any(v is None for v in values) else sum(values) / len(values)  # type: ignore[arg-type]


# -- jobs ------------------------------------------------------------------------------------------
def train(job: TrainingJob) -> TrainedModel:
    """Train one blueprint on a project's data; store the fitted pipeline in the blob store."""
    target_type, blueprint = job.target_type, job.blueprint
    binary = target_type == "Binary"
    frame, y, classes = load(job)
    numeric, categorical = feature_kinds(frame)
    X = features(frame, numeric, categorical)
    train_rows, holdout, folds = partition(y, binary)
    fold_scores, kept, seconds = [], None, 0.0
    for fit_at, score_at in folds[: FOLDS if len(y) < CV_MAX_ROWS else 1]:
        fit, score = train_rows[fit_at], train_rows[score_at]
        started = time.perf_counter()
        model = pipeline(target_type, blueprint, numeric, categorical).fit(X.iloc[fit], y[fit])
        if kept is None:
            kept, seconds, fit_rows = model, time.perf_counter() - started, len(fit)
        fold_scores.append(scores(target_type, model, X.iloc[score], y[score]))
    held = scores(target_type, kept, X.iloc[holdout], y[holdout])
    metrics = {
        name: {
            "validation": fold_scores[0][name],
            "crossValidation": (
                _mean([s[name] for s in fold_scores]) if len(fold_scores) > 1 else None
            ),
            "holdout": held[name],
        }
        for name in names(target_type)
    }
    digest = save(kept, job.blob_root, job.blob_remote)
    details = {
        "numeric": numeric,
        "categorical": categorical,
        "classes": classes,
        "target": job.target,
        "folds_scored": len(fold_scores),
        "holdout_rows": len(holdout),
    }
    return TrainedModel(metrics, seconds, fit_rows, SAMPLE_PCT, digest, details)


def save(model: Any, blob_root: str, blob_remote: str | None = None) -> str:
    """Pickle a fitted pipeline into the blob store (durable before the model row commits)."""
    writer = BlobStore(blob_root, remote=blob_remote).writer()
    try:
        pickle.dump(model, writer, protocol=4)  # 5 hands the writer PickleBuffers
        return writer.commit()
    except BaseException:
        writer.abort()
        raise


def predict(model: Any, details: dict, frame: Any, target_type: str) -> list[dict]:
    """Predictions for the rows of ``frame``, in the wire's row shape."""
    X = features(frame, details["numeric"], details["categorical"])
    if target_type != "Binary":
        return [{"rowId": i, "prediction": float(v)} for i, v in enumerate(model.predict(X))]
    negative, positive = details["classes"]
    rows = []
    for i, p in enumerate(model.predict_proba(X)[:, 1].tolist()):
        rows.append(
            {
                "rowId": i,
                "prediction": positive if p >= 0.5 else negative,
                "predictionThreshold": 0.5,
                "positiveProbability": p,
                "predictionValues": [
                    {"label": positive, "value": p},
                    {"label": negative, "value": 1.0 - p},
                ],
            }
        )
    return rows
