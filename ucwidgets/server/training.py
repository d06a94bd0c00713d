"""What a training process does: the blueprints, the partition, preprocessing, metrics, predicting.

The modeling engine (``ucwidgets.server.modeling``) runs this module as its own process
(``python -m ucwidgets.server.training``), one job at a time over a pipe, so that scikit-learn's
CPU-bound work never holds the service's GIL. scikit-learn is imported only when a job runs.

The partition follows DataRobot's default: a seeded 20% holdout (stratified for Binary); the
other 80% is split into five seeded folds. The leaderboard's model is trained on folds 2-5 (64%
of the rows), scored on fold 1 (``validation``) and on the holdout (``holdout``). When fewer than
``CV_MAX_ROWS`` rows have a target, folds 2-5 are each held out in turn too, and the mean of the
five fold scores is ``crossValidation``. Rows without a target value are left out.

Preprocessing, the same for every blueprint: numeric columns are median-imputed and
standardised; the others are text, imputed with ``"(missing)"`` and one-hot encoded (at most
``MAX_CATEGORIES`` levels per column, unseen levels mapped to the infrequent level or to zeros).

Examples
--------
>>> MODEL_TYPES["Binary", "forest"]
'Random Forest Classifier'
>>> better("LogLoss", 0.2, 0.3), better("AUC", 0.2, 0.3)
(True, False)
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import pickle
import sys
import time
import traceback
import warnings
from typing import Any

from .blobs import BlobStore

SEED = 42
HOLDOUT_PCT = 20
FOLDS = 5
CV_MAX_ROWS = 2000
MIN_ROWS = 20
MAX_CATEGORIES = 50
MISSING = "(missing)"
SAMPLE_PCT = 64.0  # (100 - HOLDOUT_PCT) * (FOLDS - 1) / FOLDS

#: Blueprint keys in training order (quickest first, so the leaderboard fills early).
BLUEPRINTS = ("linear", "boosting", "forest")
MODEL_TYPES = {
    ("Binary", "linear"): "Regularized Logistic Regression (L2)",
    ("Binary", "forest"): "Random Forest Classifier",
    ("Binary", "boosting"): "Histogram Gradient Boosted Trees Classifier",
    ("Regression", "linear"): "Ridge Regressor",
    ("Regression", "forest"): "Random Forest Regressor",
    ("Regression", "boosting"): "Histogram Gradient Boosted Trees Regressor",
}
MODEL_FAMILIES = {"linear": "GLM", "forest": "RF", "boosting": "GBM"}
PREPROCESSING = ["Missing Values Imputed", "Standardize", "One-Hot Encoding"]
METRICS = {"Binary": ("AUC", "LogLoss", "Accuracy"), "Regression": ("RMSE", "R Squared", "MAE")}
LOWER_IS_BETTER = frozenset({"LogLoss", "RMSE", "MAE"})


def better(metric: str, a: float, b: float) -> bool:
    """Whether score ``a`` beats score ``b`` on ``metric``."""
    return a < b if metric in LOWER_IS_BETTER else a > b


def estimator(target_type: str, blueprint: str) -> Any:
    """A fresh, seeded scikit-learn estimator for a blueprint; single-threaded by design (the
    engine bounds CPU use by the number of training processes)."""
    from sklearn import ensemble, linear_model

    binary = target_type == "Binary"
    if blueprint == "linear":
        return (
            linear_model.LogisticRegression(C=1.0, max_iter=1000)
            if binary
            else linear_model.Ridge(alpha=1.0)
        )
    if blueprint == "forest":
        cls = ensemble.RandomForestClassifier if binary else ensemble.RandomForestRegressor
        return cls(
            n_estimators=100,
            min_samples_leaf=2,
            max_leaf_nodes=500,
            max_features="sqrt" if binary else 0.5,
            n_jobs=1,
            random_state=SEED,
        )
    if blueprint == "boosting":
        cls = (
            ensemble.HistGradientBoostingClassifier
            if binary
            else ensemble.HistGradientBoostingRegressor
        )
        return cls(random_state=SEED)
    raise ValueError(f"unknown blueprint {blueprint!r}")


def pipeline(target_type: str, blueprint: str, numeric: list[str], categorical: list[str]) -> Any:
    """Preprocessing (see the module docstring) followed by the blueprint's estimator."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numbers = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    text = Pipeline(
        [
            ("impute", SimpleImputer(strategy="constant", fill_value=MISSING)),
            (
                "onehot",
                OneHotEncoder(
                    handle_unknown="infrequent_if_exist",
                    max_categories=MAX_CATEGORIES,
                    sparse_output=False,
                ),
            ),
        ]
    )
    columns = ColumnTransformer([("numeric", numbers, numeric), ("categorical", text, categorical)])
    return Pipeline([("preprocess", columns), ("model", estimator(target_type, blueprint))])


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


def load(spec: dict) -> tuple[Any, Any, list[Any] | None]:
    """The rows with a target: their raw feature columns, ``y`` (0/1 for Binary, floats for
    Regression), and for Binary the class values ``[negative, positive]``."""
    import pandas as pd

    frame = pd.read_csv(spec["data"], encoding="utf-8")
    target = spec["target"]
    frame = frame[frame[target].notna()].reset_index(drop=True)
    raw = frame.pop(target)
    if len(frame) < MIN_ROWS:
        raise ValueError(
            f"Only {len(frame)} rows have a value for {target!r}; modeling needs at "
            f"least {MIN_ROWS}."
        )
    if frame.shape[1] == 0:
        raise ValueError(f"The data has no column besides the target {target!r}.")
    if spec["target_type"] != "Binary":
        return frame, raw.astype("float64").to_numpy(), None
    positive = raw.astype(str) == spec["positive_class"]
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


# -- metrics ---------------------------------------------------------------------------------------
def scores(target_type: str, model: Any, X: Any, y: Any) -> dict[str, float | None]:
    """Every metric of the target type on ``(X, y)``; ``None`` where it is undefined."""
    from sklearn import metrics as m

    if target_type == "Binary":
        p = model.predict_proba(X)[:, 1]
        found = {
            "AUC": lambda: m.roc_auc_score(y, p),
            "LogLoss": lambda: m.log_loss(y, p, labels=[0, 1]),
            "Accuracy": lambda: m.accuracy_score(y, p >= 0.5),
        }
    else:
        p = model.predict(X)
        found = {
            "RMSE": lambda: math.sqrt(m.mean_squared_error(y, p)),
            "R Squared": lambda: m.r2_score(y, p),
            "MAE": lambda: m.mean_absolute_error(y, p),
        }
    return {name: _finite(fn) for name, fn in found.items()}


def _finite(fn: Any) -> float | None:
    try:
        value = float(fn())
    except ValueError:  # e.g. AUC on a part with one class
        return None
    return value if math.isfinite(value) else None


def _mean(values: list[float | None]) -> float | None:
    return None if any(v is None for v in values) else sum(values) / len(values)  # type: ignore[arg-type]


# -- jobs ------------------------------------------------------------------------------------------
def train(spec: dict) -> dict:
    """Train one blueprint on a project's data; store the fitted pipeline in the blob store.

    ``spec``: ``data`` (CSV path), ``target``, ``target_type``, ``positive_class``,
    ``blueprint``, ``blob_root``. Returns the leaderboard row's facts and the blob digest.
    """
    target_type, blueprint = spec["target_type"], spec["blueprint"]
    binary = target_type == "Binary"
    frame, y, classes = load(spec)
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
        for name in METRICS[target_type]
    }
    digest = save(kept, spec["blob_root"])
    details = {
        "numeric": numeric,
        "categorical": categorical,
        "classes": classes,
        "target": spec["target"],
        "folds_scored": len(fold_scores),
        "holdout_rows": len(holdout),
    }
    return {
        "metrics": metrics,
        "training_seconds": seconds,
        "training_row_count": fit_rows,
        "sample_pct": SAMPLE_PCT,
        "blob": digest,
        "details": details,
    }


def save(model: Any, blob_root: str) -> str:
    """Pickle a fitted pipeline into the blob store (durable before the model row commits)."""
    writer = BlobStore(blob_root).writer()
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


def main() -> None:
    """Serve training jobs: one JSON spec per line on stdin, one JSON reply per line on stdout."""
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt replies
    with contextlib.suppress(OSError):
        os.nice(10)  # training yields the CPU to the service's requests
    warnings.simplefilter("ignore")  # convergence and similar notes would only fill a log
    for line in sys.stdin:
        try:
            reply = {"ok": True, "result": train(json.loads(line))}
        except ValueError as e:  # what is wrong with the data: shown to the project's members
            reply = {"ok": False, "error": str(e).strip() or type(e).__name__}
        except Exception as e:  # anything else is the service's business: details to its log
            traceback.print_exc(file=sys.stderr)
            reply = {
                "ok": False,
                "error": f"Training failed ({type(e).__name__}); the service's "
                "log has the details.",
            }
        channel.write(json.dumps(reply) + "\n")
        channel.flush()


if __name__ == "__main__":
    main()
