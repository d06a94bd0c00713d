"""What the service trains: its blueprints, their preprocessing, and the partition they share.

Every name of a blueprint that reaches the wire (``modelType``, ``modelFamily``, ``processes``,
``samplePct``) and every scikit-learn estimator behind it is defined here, once. scikit-learn is
imported only when an estimator is built, so the store and the wire read this module cheaply.

The partition follows DataRobot's default: a seeded ``HOLDOUT_PCT`` holdout (stratified for
Binary); the rest is split into ``FOLDS`` seeded folds. The leaderboard's model is trained on
folds 2-5 (``SAMPLE_PCT`` of the rows), scored on fold 1 (``validation``) and on the holdout
(``holdout``). When fewer than ``CV_MAX_ROWS`` rows have a target, folds 2-5 are each held out
in turn too, and the mean of the five fold scores is ``crossValidation``.

Preprocessing, the same for every blueprint: numeric columns are median-imputed and
standardised; the others are text, imputed with ``MISSING`` and one-hot encoded (at most
``MAX_CATEGORIES`` levels per column, unseen levels mapped to the infrequent level or to zeros).

Examples
--------
>>> MODEL_TYPES["Binary", "forest"]
'Random Forest Classifier'
>>> [MODEL_FAMILIES[key] for key in BLUEPRINTS]
['GLM', 'GBM', 'RF']
>>> type(pipeline("Regression", "linear", ["age"], ["region"])[-1]).__name__
'Ridge'
"""

from __future__ import annotations

from typing import Any

SEED = 42
HOLDOUT_PCT = 20
FOLDS = 5
CV_MAX_ROWS = 2000
#: Fewer rows with a target than this cannot be split into a holdout and five folds.
MIN_ROWS = 20
MAX_CATEGORIES = 50
MISSING = "(missing)"
SAMPLE_PCT = (100 - HOLDOUT_PCT) * (FOLDS - 1) / FOLDS

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
#: DataRobot's ``modelFamily`` of each blueprint.
MODEL_FAMILIES = {"linear": "GLM", "forest": "RF", "boosting": "GBM"}
#: The ``processes`` every model lists before its own type.
PREPROCESSING = ["Missing Values Imputed", "Standardize", "One-Hot Encoding"]


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
