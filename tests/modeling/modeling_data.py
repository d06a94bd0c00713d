"""What the modeling tests share: data they make, waiting for a leaderboard, and scikit-learn's
own answer computed here, independently of the service's code.

The expected numbers follow the partition and blueprints the service documents
(``ucwidgets/server/modeling/``), written out again with scikit-learn so that a change to the
service's training shows up as a mismatch.
"""

from __future__ import annotations

import importlib.util
import io
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn import ensemble, linear_model
from sklearn import metrics as skm
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

SEED = 42


def _root_conftest() -> Any:
    """``tests/conftest.py`` as a module, whatever ``conftest`` means in ``sys.modules`` now
    (another directory's conftest may have taken the name)."""
    path = Path(__file__).resolve().parents[1] / "conftest.py"
    for module in list(sys.modules.values()):
        if getattr(module, "__file__", None) == str(path):
            return module
    spec = importlib.util.spec_from_file_location("_ucw_root_conftest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


#: The per-actor HTTP client of ``tests/conftest.py``, for services a test starts itself.
Api = _root_conftest().Api


def make_frame(n: int, seed: int = 0, missing_targets: int = 0) -> pd.DataFrame:
    """Rows with two numeric and one categorical feature (each with missing values), a binary
    target ``defaulted`` (yes/no) and a numeric target ``loss``."""
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, n).astype(float)
    income = rng.normal(50_000, 15_000, n).round(2)
    region = rng.choice(["north", "south", "east", "west"], n).astype(object)
    logit = 0.04 * (age - 45) + (income - 50_000) / 20_000 + np.where(region == "south", 1.0, 0)
    defaulted = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "yes", "no").astype(object)
    loss = (income / 1000 + 3 * (region == "east") + rng.normal(0, 4, n)).round(3)
    frame = pd.DataFrame(
        {"age": age, "income": income, "region": region, "defaulted": defaulted, "loss": loss}
    )
    frame.loc[rng.random(n) < 0.1, "age"] = np.nan
    frame.loc[rng.random(n) < 0.1, "region"] = np.nan
    if missing_targets:
        gone = rng.choice(n, missing_targets, replace=False)
        frame.loc[gone, "defaulted"] = np.nan
        frame.loc[gone, "loss"] = np.nan
    return frame


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def wait_for_modeling(api: Any, project_id: str, timeout: float = 90) -> dict:
    """Poll ``projects/{id}/status/`` until autopilot is done; return the last status."""
    deadline = time.monotonic() + timeout
    while True:
        status = api.get(f"projects/{project_id}/status/").json()
        if status["autopilotDone"]:
            return status
        assert time.monotonic() < deadline, f"modeling did not finish: {status}"
        time.sleep(0.1)


def wait_until(predicate: Any, timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


# -- scikit-learn's answer ---------------------------------------------------------------------
MODEL_TYPES = {
    "Regularized Logistic Regression (L2)": lambda: linear_model.LogisticRegression(
        C=1.0, max_iter=1000
    ),
    "Random Forest Classifier": lambda: ensemble.RandomForestClassifier(
        n_estimators=100,
        min_samples_leaf=2,
        max_leaf_nodes=500,
        max_features="sqrt",
        n_jobs=1,
        random_state=SEED,
    ),
    "Histogram Gradient Boosted Trees Classifier": lambda: ensemble.HistGradientBoostingClassifier(
        random_state=SEED
    ),
    "Ridge Regressor": lambda: linear_model.Ridge(alpha=1.0),
    "Random Forest Regressor": lambda: ensemble.RandomForestRegressor(
        n_estimators=100,
        min_samples_leaf=2,
        max_leaf_nodes=500,
        max_features=0.5,
        n_jobs=1,
        random_state=SEED,
    ),
    "Histogram Gradient Boosted Trees Regressor": lambda: ensemble.HistGradientBoostingRegressor(
        random_state=SEED
    ),
}


def _pipeline(model_type: str, numeric: list[str], categorical: list[str]) -> Pipeline:
    pre = ColumnTransformer(
        [
            (
                "numeric",
                Pipeline(
                    [("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]
                ),
                numeric,
            ),
            (
                "categorical",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="constant", fill_value="(missing)")),
                        (
                            "onehot",
                            OneHotEncoder(
                                handle_unknown="infrequent_if_exist",
                                max_categories=50,
                                sparse_output=False,
                            ),
                        ),
                    ]
                ),
                categorical,
            ),
        ]
    )
    return Pipeline([("preprocess", pre), ("model", MODEL_TYPES[model_type]())])


def _scores(binary: bool, model: Pipeline, X: pd.DataFrame, y: np.ndarray) -> dict:
    if binary:
        p = model.predict_proba(X)[:, 1]
        return {
            "AUC": skm.roc_auc_score(y, p),
            "LogLoss": skm.log_loss(y, p),
            "Accuracy": skm.accuracy_score(y, p >= 0.5),
        }
    p = model.predict(X)
    return {
        "RMSE": math.sqrt(skm.mean_squared_error(y, p)),
        "R Squared": skm.r2_score(y, p),
        "MAE": skm.mean_absolute_error(y, p),
    }


def expected(
    data: bytes, target: str, model_type: str, positive: str | None = None
) -> tuple[dict, Pipeline, pd.DataFrame]:
    """The metrics scikit-learn gives for ``model_type`` on the service's documented partition
    (20% seeded holdout, five seeded folds on the rest, cross-validation under 2,000 rows), the
    fold-1 model, and the holdout rows' features."""
    frame = pd.read_csv(io.BytesIO(data))
    frame = frame[frame[target].notna()].reset_index(drop=True)
    binary = positive is not None
    y = (
        (frame.pop(target).astype(str) == positive).astype(int) if binary else frame.pop(target)
    ).to_numpy()
    # Every other column is a feature: numbers as they are, text as objects.
    numeric = [c for c in frame if pd.api.types.is_float_dtype(frame[c])]
    categorical = [c for c in frame if c not in numeric]
    X = frame[numeric + categorical].copy()
    for column in categorical:
        X[column] = X[column].astype(object).where(X[column].notna(), np.nan)
    rows = np.arange(len(y))
    train, holdout = train_test_split(
        rows, test_size=0.2, random_state=SEED, stratify=y if binary else None
    )
    splitter = (StratifiedKFold if binary else KFold)(n_splits=5, shuffle=True, random_state=SEED)
    folds = list(splitter.split(train, y[train]))[: 5 if len(y) < 2000 else 1]
    fold_scores, first = [], None
    for fit_at, score_at in folds:
        fit, score = train[fit_at], train[score_at]
        model = _pipeline(model_type, numeric, categorical).fit(X.iloc[fit], y[fit])
        first = first or model
        fold_scores.append(_scores(binary, model, X.iloc[score], y[score]))
    held = _scores(binary, first, X.iloc[holdout], y[holdout])
    metrics = {
        name: {
            "validation": fold_scores[0][name],
            "crossValidation": (
                float(np.mean([s[name] for s in fold_scores])) if len(fold_scores) > 1 else None
            ),
            "holdout": held[name],
        }
        for name in held
    }
    return metrics, first, X.iloc[holdout]


def assert_metrics_close(got: dict, want: dict, tol: float = 1e-9) -> None:
    assert set(got) == set(want)
    for name, parts in want.items():
        for part, value in parts.items():
            actual = got[name][part]
            if value is None:
                assert actual is None, (name, part, actual)
            else:
                assert actual is not None and abs(actual - value) <= tol * max(1, abs(value)), (
                    name,
                    part,
                    actual,
                    value,
                )
