"""What the modeling tests share: data they make, waiting for a leaderboard, the properties
every leaderboard has, and scikit-learn's metrics computed on a model's own predictions.

Nothing here repeats the service's training (its blueprints, partition or preprocessing): a
change to training is made once, in ``ucwidgets/server/modeling/``, and these checks still
hold as long as the leaderboard keeps its promises.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd
from sklearn import metrics as skm

#: The model types of each target type's leaderboard, as DataRobot names them.
BINARY_TYPES = {
    "Regularized Logistic Regression (L2)",
    "Random Forest Classifier",
    "Histogram Gradient Boosted Trees Classifier",
}
REGRESSION_TYPES = {
    "Ridge Regressor",
    "Random Forest Regressor",
    "Histogram Gradient Boosted Trees Regressor",
}
#: The metrics of each target type in the order the service scores them, and the direction
#: that ranks models on each, as DataRobot documents them.
BINARY_METRICS = ("AUC", "LogLoss", "Accuracy")
REGRESSION_METRICS = ("RMSE", "R Squared", "MAE")
LOWER_IS_BETTER = {"AUC": False, "LogLoss": True, "Accuracy": False}
LOWER_IS_BETTER |= {"RMSE": True, "R Squared": False, "MAE": True}
PARTS = ("validation", "crossValidation", "holdout")


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


# -- what every leaderboard promises --------------------------------------------------------
def assert_leaderboard(board: list[dict], model_types: set[str], metric: str, folds: bool) -> None:
    """Each blueprint trained once; models ranked best first on ``metric`` (validation); every
    score in its metric's range; ``crossValidation`` there exactly when ``folds``."""
    assert sorted(m["modelType"] for m in board) == sorted(model_types)
    assert sorted(m["modelNumber"] for m in board) == list(range(1, len(model_types) + 1))
    assert len({m["blueprintId"] for m in board}) == len(board)
    assert len({m["modelFamily"] for m in board}) == len(board)
    ranked = [m["metrics"][metric]["validation"] for m in board]
    assert ranked == sorted(ranked, reverse=not LOWER_IS_BETTER[metric])
    names = BINARY_METRICS if metric in BINARY_METRICS else REGRESSION_METRICS
    for model in board:
        scores = model["metrics"]
        assert list(scores) == list(names) and all(list(p) == list(PARTS) for p in scores.values())
        for part in PARTS:
            got = {name: parts[part] for name, parts in scores.items()}
            if part == "crossValidation" and not folds:
                assert set(got.values()) == {None}, got
            elif names is BINARY_METRICS:
                assert 0 <= got["AUC"] <= 1 and 0 <= got["Accuracy"] <= 1, got
                assert got["LogLoss"] > 0, got
            else:
                assert 0 <= got["MAE"] <= got["RMSE"] and got["R Squared"] <= 1, got


# -- scikit-learn on a model's predictions ------------------------------------------------------
def predict(api: Any, project_id: str, model_id: str, frame: pd.DataFrame) -> list[dict]:
    """The service's predictions for ``frame``'s rows (sent as CSV), after checking their shape."""
    r = api.post(
        f"projects/{project_id}/models/{model_id}/predictions/",
        data=frame.to_csv(index=False).encode("utf-8"),
        headers={"Content-Type": "text/csv"},
    )
    assert r.status_code == 200, r.text
    rows = r.json()["data"]
    assert [row["rowId"] for row in rows] == list(range(len(frame)))
    return rows


def sklearn_metrics(truth: pd.Series, rows: list[dict], positive: str | None = None) -> dict:
    """scikit-learn's metrics of the predictions ``rows`` against ``truth``: the Binary ones
    when ``positive`` names the positive class, else the Regression ones."""
    if positive is None:
        predicted = [row["prediction"] for row in rows]
        return {
            "RMSE": skm.root_mean_squared_error(truth, predicted),
            "R Squared": skm.r2_score(truth, predicted),
            "MAE": skm.mean_absolute_error(truth, predicted),
        }
    actual = (truth == positive).to_numpy()
    probability = np.array([row["positiveProbability"] for row in rows])
    labels = np.array([row["prediction"] for row in rows])
    return {
        "AUC": skm.roc_auc_score(actual, probability),
        "LogLoss": skm.log_loss(actual, probability, labels=[False, True]),
        "Accuracy": skm.accuracy_score(actual, labels == positive),
    }
