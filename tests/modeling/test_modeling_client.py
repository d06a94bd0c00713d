"""The API layer over modeling: ``wait_for_autopilot``, the leaderboard as a DataFrame,
``model.predict``; and the real ``datarobot`` client reading the same leaderboard."""

from __future__ import annotations

import pytest
from modeling_data import BINARY_TYPES, make_frame

import ucwidgets as dr
from ucwidgets.errors import AsyncProcessUnsuccessfulError

COLUMNS = [
    "model_id",
    "model_number",
    "model_type",
    "model_family",
    "sample_pct",
    "training_row_count",
    "training_time",
]


def test_wait_for_autopilot_then_the_leaderboard_and_predictions(as_alice, capsys):
    frame = make_frame(200, seed=13)
    project = dr.Project.create(sourcedata=frame, project_name="Loans")
    project.analyze_and_model(target="defaulted", positive_class="yes", metric="AUC")
    project.wait_for_autopilot(check_interval=0.5)
    assert "modeling Loans" in capsys.readouterr().err  # the progress bar
    assert (project.modeling_status, project.get_status()["autopilot_done"]) == ("done", True)

    models = project.get_models()
    assert {repr(m) for m in models} == {f"Model({t!r})" for t in BINARY_TYPES}
    board = models.to_frame()
    metrics = [
        f"{m}_{part}"
        for m in ("auc", "logloss", "accuracy")
        for part in ("validation", "cross_validation", "holdout")
    ]
    assert list(board.columns) == COLUMNS + metrics
    assert board["auc_validation"].is_monotonic_decreasing
    assert (board["sample_pct"] == 64.0).all() and board["model_id"].tolist() == [
        m.id for m in models
    ]
    assert repr(dr.Model.get(project, models[0].id)) == repr(models[0])

    rows = frame.drop(columns=["defaulted"]).head(25)
    predictions = models[0].predict(rows)
    assert list(predictions.columns) == [
        "row_id",
        "prediction",
        "positive_probability",
        "prediction_threshold",
        "class_yes",
        "class_no",
    ]
    assert predictions["row_id"].tolist() == list(range(25))
    assert ((predictions["class_yes"] + predictions["class_no"]) - 1).abs().max() < 1e-12
    assert set(predictions["prediction"]) <= {"yes", "no"}
    records = rows.astype(object).where(rows.notna(), None).to_dict("records")
    assert models[0].predict(records).equals(predictions)


def test_a_regression_leaderboard_has_its_own_metric_columns(as_alice):
    project = dr.Project.create(sourcedata=make_frame(60, seed=14), project_name="Loss")
    assert project.get_models().to_frame().columns.tolist() == COLUMNS  # no target yet
    project.analyze_and_model(target="loss")
    project.wait_for_autopilot(verbosity=0)
    board = project.get_models().to_frame()
    assert board.columns.tolist()[7:10] == [
        "rmse_validation",
        "rmse_cross_validation",
        "rmse_holdout",
    ]
    assert board["rmse_validation"].is_monotonic_increasing
    prediction = project.get_models()[0].predict(make_frame(3, seed=15))
    assert prediction.columns.tolist() == ["row_id", "prediction"]


def test_wait_for_autopilot_raises_the_reason_of_a_failure(as_alice, risk_csv):
    project = dr.Project.create(sourcedata=risk_csv, project_name="Tiny")
    with pytest.raises(RuntimeError, match="target has not been set"):
        project.wait_for_autopilot(verbosity=0)
    project.analyze_and_model(target="credit_risk")
    with pytest.raises(AsyncProcessUnsuccessfulError, match="at least 20"):
        project.wait_for_autopilot(verbosity=0)
    assert project.failure == "The data has 7 rows; modeling needs at least 20."


@pytest.mark.compat
def test_the_datarobot_client_reads_the_leaderboard(service, alice):
    datarobot = pytest.importorskip("datarobot")
    datarobot.Client(token=alice.token, endpoint=service.url)
    project = datarobot.Project.create(sourcedata=make_frame(120, seed=16), project_name="Loans")
    project.analyze_and_model(target="defaulted", positive_class="yes")
    project.wait_for_autopilot(check_interval=0.2, verbosity=0)
    assert project.get_status()["autopilot_done"] is True
    with pytest.warns(datarobot.errors.DataRobotDeprecationWarning):  # its own, about 4.0
        models = project.get_models()
    assert {m.model_type for m in models} == BINARY_TYPES
    assert models[0].metrics["LogLoss"]["validation"] <= models[-1].metrics["LogLoss"]["validation"]
    again = datarobot.Model.get(project.id, models[0].id)
    assert (again.sample_pct, again.project_id) == (64.0, project.id)
    assert project.get_model_jobs() == []
