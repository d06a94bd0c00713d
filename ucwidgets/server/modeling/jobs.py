"""What passes between the store, the engine and a worker: a job to train, and what it made.

The store hands the engine a ``TrainingJob`` when it claims one; the engine sends it to a
worker as JSON; the worker answers with a ``TrainedModel``, which the store keeps as a row of
the leaderboard (each field in the model's column of the same name).

Examples
--------
>>> job = TrainingJob(1, "p1", "loans.csv", "loss", "Regression", None, "linear", "blobs")
>>> TrainingJob(**dataclasses.asdict(job)) == job
True
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class TrainingJob:
    """One blueprint to train on a project's data.

    Parameters
    ----------
    id : int
        The job's row in ``modeling_jobs``.
    project_id : str
    data : str
        The project's CSV file.
    target, target_type, positive_class : str
        The project's target; ``positive_class`` is ``None`` for Regression.
    blueprint : str
        A key of ``blueprints.BLUEPRINTS``.
    blob_root : str
        The blob store the fitted pipeline is written to.
    blob_remote : str or None
        Its object storage, if it has one.
    """

    id: int
    project_id: str
    data: str
    target: str
    target_type: str
    positive_class: str | None
    blueprint: str
    blob_root: str
    blob_remote: str | None = None


@dataclass(frozen=True)
class TrainedModel:
    """What training one blueprint made: a leaderboard row's facts and the fitted pipeline.

    Parameters
    ----------
    metrics : dict
        ``{metric: {"validation", "crossValidation", "holdout"}}`` in scoring order.
    training_seconds : float
        How long fitting the kept model took.
    training_row_count : int
        The rows it was fitted on.
    sample_pct : float
        Their share of the data, in percent.
    blob : str
        The digest of the pickled pipeline in the blob store.
    details : dict
        What predicting needs: the numeric and text columns, the classes, the target.
    """

    metrics: dict
    training_seconds: float
    training_row_count: int
    sample_pct: float
    blob: str
    details: dict


def as_dict(value: TrainingJob | TrainedModel) -> dict:
    """The fields of a job or a model, as JSON or a table row takes them."""
    return dataclasses.asdict(value)
