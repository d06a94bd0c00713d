"""How models are scored and ranked: the metrics of each target type, defined once.

Each ``Metric`` has its name (as DataRobot spells it), the direction that ranks models, and how
scikit-learn computes it from the true values and the model's predictions (the probability of
the positive class for Binary, the predicted value for Regression). ``METRICS`` lists them per
target type in scoring order, the order of the keys of a model's ``metrics``; ``DEFAULT`` is the
one a project ranks by when ``aim`` names none, and comes first where metrics are offered.

Examples
--------
>>> names("Binary"), offered("Binary")
(('AUC', 'LogLoss', 'Accuracy'), ('LogLoss', 'AUC', 'Accuracy'))
>>> better("LogLoss", 0.2, 0.3), better("AUC", 0.2, 0.3)
(True, False)
>>> choose("Regression", None)
'RMSE'
>>> target_type(2, numeric=True), target_type(5, numeric=True), target_type(5, numeric=False)
('Binary', 'Regression', 'Multiclass')
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...errors import ValidationError


def _auc(y: Any, p: Any) -> float:
    from sklearn.metrics import roc_auc_score

    return roc_auc_score(y, p)


def _log_loss(y: Any, p: Any) -> float:
    from sklearn.metrics import log_loss

    return log_loss(y, p, labels=[0, 1])


def _accuracy(y: Any, p: Any) -> float:
    from sklearn.metrics import accuracy_score

    return accuracy_score(y, p >= 0.5)


def _rmse(y: Any, p: Any) -> float:
    from sklearn.metrics import mean_squared_error

    return math.sqrt(mean_squared_error(y, p))


def _r2(y: Any, p: Any) -> float:
    from sklearn.metrics import r2_score

    return r2_score(y, p)


def _mae(y: Any, p: Any) -> float:
    from sklearn.metrics import mean_absolute_error

    return mean_absolute_error(y, p)


@dataclass(frozen=True)
class Metric:
    """A metric: its name, whether a lower score is better, and ``score(y, predictions)``."""

    name: str
    lower_is_better: bool
    score: Callable[[Any, Any], float]


METRICS: dict[str, tuple[Metric, ...]] = {
    "Binary": (
        Metric("AUC", False, _auc),
        Metric("LogLoss", True, _log_loss),
        Metric("Accuracy", False, _accuracy),
    ),
    "Regression": (
        Metric("RMSE", True, _rmse),
        Metric("R Squared", False, _r2),
        Metric("MAE", True, _mae),
    ),
}
#: The metric a project ranks its models by unless ``aim`` names another.
DEFAULT = {"Binary": "LogLoss", "Regression": "RMSE"}
#: The target types the service models.
TARGET_TYPES = tuple(METRICS)
_BY_NAME = {m.name: m for ms in METRICS.values() for m in ms}


def target_type(distinct: int, numeric: bool) -> str | None:
    """The type a column makes as a target, from how many distinct values it holds (missing
    ones aside) and whether they are numbers: Binary for two, Regression for more numbers,
    Multiclass for more of anything else; ``None`` for fewer than two. Only ``TARGET_TYPES``
    are modeled."""
    if distinct < 2:
        return None
    if distinct == 2:
        return "Binary"
    return "Regression" if numeric else "Multiclass"


def names(target_type: str) -> tuple[str, ...]:
    """The metrics a model of ``target_type`` is scored on, in scoring order."""
    return tuple(m.name for m in METRICS[target_type])


def offered(target_type: str) -> tuple[str, ...]:
    """The metrics ``aim`` accepts for ``target_type``: the default first, then the others."""
    default = DEFAULT[target_type]
    return (default, *(n for n in names(target_type) if n != default))


def lower_is_better(metric: str | None) -> bool:
    """Whether a lower score ranks higher on ``metric`` (False for an unknown metric)."""
    found = _BY_NAME.get(metric or "")
    return found is not None and found.lower_is_better


def better(metric: str, a: float, b: float) -> bool:
    """Whether score ``a`` beats score ``b`` on ``metric``."""
    return a < b if lower_is_better(metric) else a > b


def choose(target_type: str, requested: str | None) -> str:
    """The metric a project of ``target_type`` ranks by: ``requested``, else the default.

    Raises
    ------
    ValidationError
        When ``requested`` is not a metric of ``target_type``.
    """
    metric = requested or DEFAULT[target_type]
    if metric not in names(target_type):
        raise ValidationError(
            f"metric must be one of {', '.join(offered(target_type))} for a {target_type} target.",
            errors={"metric": "unsupported"},
        )
    return metric


def scores(target_type: str, model: Any, X: Any, y: Any) -> dict[str, float | None]:
    """Every metric of ``target_type`` for ``model`` on ``(X, y)``, in scoring order; ``None``
    where the part's data leaves it undefined (AUC with one class) or not finite."""
    p = model.predict_proba(X)[:, 1] if target_type == "Binary" else model.predict(X)
    return {m.name: _finite(m.score, y, p) for m in METRICS[target_type]}


def _finite(score: Callable[[Any, Any], float], y: Any, p: Any) -> float | None:
    try:
        value = float(score(y, p))
    except ValueError:  # e.g. AUC on a part with one class
        return None
    return value if math.isfinite(value) else None
