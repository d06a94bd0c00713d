"""A project that models: after aim the service trains each blueprint once, ranks the models
on the project's metric, and the scores it reports are what scikit-learn computes on the
models' own predictions. Nothing here repeats the training code: the checks are properties of
the leaderboard and scikit-learn's metrics on rows the service predicts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from modeling_data import (
    BINARY_TYPES,
    REGRESSION_TYPES,
    assert_leaderboard,
    csv_bytes,
    make_frame,
    predict,
    sklearn_metrics,
    wait_for_modeling,
)
from service_api import new_user

#: New rows from the population the training rows came from, scored by every model.
FRESH = make_frame(4000, seed=100)
FRESH_FEATURES = FRESH.drop(columns=["defaulted", "loss"])
#: How far a reported score may sit from scikit-learn's on the new rows: a few standard errors
#: of the reported estimate (192 rows across the five folds for Binary; 336 and 420 rows for
#: the Regression's validation and holdout). Swapped metrics, an inverted probability or a
#: score of the wrong rows land well outside.
BINARY_AGREE = {name: {"abs": 0.1} for name in ("AUC", "LogLoss", "Accuracy")}
REGRESSION_AGREE = {"RMSE": {"rel": 0.1}, "MAE": {"rel": 0.1}, "R Squared": {"abs": 0.03}}


def _modeled_project(api, data: bytes, target: str, use_case: dict | None = None, **aim):
    dataset = api.upload_dataset(data, "loans.csv")
    if use_case is not None:
        api.post(f"useCases/{use_case['id']}/datasets/{dataset['datasetId']}/")
    project = api.create_project(dataset["datasetId"], "Loans")
    if use_case is not None:
        assert api.post(f"useCases/{use_case['id']}/projects/{project['id']}/").status_code == 201
    r = api.patch(f"projects/{project['id']}/aim/", json={"target": target, **aim})
    assert r.status_code == 202, r.text
    return project["id"], wait_for_modeling(api, project["id"])


def _agree(reported: dict, fresh: dict, part: str, tolerance: dict) -> None:
    """A model's reported score on ``part`` estimates what scikit-learn finds on new rows."""
    for name, value in fresh.items():
        assert reported[name][part] == pytest.approx(value, **tolerance[name]), (name, part)


def test_binary_leaderboard_trains_each_blueprint_once_ranked_by_auc(alice, bob):
    # 260 rows, 20 without a target: under 2,000 rows, so five folds are scored.
    data = csv_bytes(make_frame(260, seed=1, missing_targets=20))
    uc = alice.create_use_case("Loans")
    alice.grant(uc["id"], bob, "CONSUMER")
    pid, status = _modeled_project(alice, data, "defaulted", uc, metric="AUC", positiveClass="yes")
    assert status["modelingStatus"] == "done" and status["stage"] == "modeling"
    assert status["jobCounts"] == {"queued": 0, "running": 0, "done": 3, "failed": 0}

    board = bob.get(f"projects/{pid}/models/").json()  # a member of its use case sees it
    assert_leaderboard(board, BINARY_TYPES, "AUC", folds=True)
    for model in board:
        assert (
            model["projectId"],
            model["samplePct"],
            model["modelCategory"],
            model["isFrozen"],
            model["featurelistName"],
            model["predictionThreshold"],
        ) == (pid, 64.0, "model", False, "All Features", 0.5)
        assert model["trainingRowCount"] in (153, 154)  # 64% of the 240 rows with a target
        assert model["processes"][-1] == model["modelType"] and len(model["blueprintId"]) == 32
        assert alice.get(f"projects/{pid}/models/{model['id']}/").json() == model
        rows = predict(alice, pid, model["id"], FRESH_FEATURES)
        fresh = sklearn_metrics(FRESH["defaulted"], rows, positive="yes")
        _agree(model["metrics"], fresh, "crossValidation", BINARY_AGREE)

    project = alice.get(f"projects/{pid}/").json()
    assert (project["modelingStatus"], project["autopilotDone"], project["status"]) == (
        "done",
        True,
        "ok",
    )
    assert "failure" not in project
    verbs = [
        (e["verb"], e["entityName"])
        for e in alice.get(f"useCases/{uc['id']}/events/").json()["data"]
    ]
    assert verbs[-4:] == [("modified", "Loans")] * 4  # aim, then one per finished model
    assert alice.get(f"projects/{pid}/modelJobs/").json() == []


def test_regression_leaderboard_scores_a_holdout_without_cross_validation(alice):
    # 2,100 rows: from 2,000 on, only fold 1 is scored, so there is no crossValidation.
    data = csv_bytes(make_frame(2100, seed=2))
    pid, _ = _modeled_project(alice, data, "loss")
    board = alice.get(f"projects/{pid}/models/").json()
    assert_leaderboard(board, REGRESSION_TYPES, "RMSE", folds=False)  # the default metric
    for model in board:
        assert "predictionThreshold" not in model
        assert model["trainingRowCount"] == 1344  # 64% of 2,100
        rows = predict(alice, pid, model["id"], FRESH_FEATURES)
        fresh = sklearn_metrics(FRESH["loss"], rows)
        _agree(model["metrics"], fresh, "validation", REGRESSION_AGREE)
        _agree(model["metrics"], fresh, "holdout", REGRESSION_AGREE)


def _separable(n: int, seed: int) -> pd.DataFrame:
    """``flag`` is yes exactly where ``x`` > 0.5, and no ``x`` falls near 0.5."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 0.45, n) + np.where(rng.random(n) < 0.5, 0.55, 0)
    colour = rng.choice(["red", "green"], n)
    return pd.DataFrame({"x": x, "colour": colour, "flag": np.where(x > 0.5, "yes", "no")})


def test_predictions_of_a_perfect_model_score_perfectly(alice, carol):
    data = _separable(240, seed=3)
    pid, _ = _modeled_project(alice, csv_bytes(data), "flag", positiveClass="yes")
    board = alice.get(f"projects/{pid}/models/").json()
    assert_leaderboard(board, BINARY_TYPES, "LogLoss", folds=True)  # the default metric
    new = _separable(500, seed=4)
    features = new.drop(columns=["flag"])
    for model in board:
        for part in ("validation", "crossValidation", "holdout"):
            assert model["metrics"]["AUC"][part] == model["metrics"]["Accuracy"][part] == 1.0
        rows = predict(alice, pid, model["id"], features)
        fresh = sklearn_metrics(new["flag"], rows, positive="yes")
        assert (fresh["AUC"], fresh["Accuracy"]) == (1.0, 1.0)
        assert fresh["LogLoss"] == pytest.approx(model["metrics"]["LogLoss"]["holdout"], rel=0.5)
        for row in rows:
            p = row["positiveProbability"]
            assert 0 <= p <= 1 and row["prediction"] == ("yes" if p >= 0.5 else "no")
            assert row["predictionThreshold"] == 0.5
            assert row["predictionValues"] == [
                {"label": "yes", "value": p},
                {"label": "no", "value": 1.0 - p},
            ]

    url = f"projects/{pid}/models/{board[0]['id']}/predictions/"
    records = features.to_dict("records")
    as_json = alice.post(url, json=records)
    assert as_json.json()["data"] == predict(alice, pid, board[0]["id"], features)
    assert alice.post(url, json={"data": records}).json() == as_json.json()
    # Missing and unknown columns and unseen categories are missing values, not errors.
    odd = alice.post(url, json=[{"x": 0.9, "colour": "mars", "extra": 1}, {}])
    assert odd.status_code == 200 and len(odd.json()["data"]) == 2
    assert odd.json()["data"][0]["prediction"] == "yes"
    assert carol.post(url, json=records).status_code == 404  # not hers to see


BAD_ROWS = [
    (b"[{]", "application/json", 400),
    (b'{"data": 3}', "application/json", 422),
    (b"a,b\n1,2", "text/plain", 415),
    (b'a,"b\n1,2', "text/csv", 422),
]


def test_bad_prediction_requests(alice):
    pid, _ = _modeled_project(alice, csv_bytes(make_frame(60, seed=4)), "loss")
    model = alice.get(f"projects/{pid}/models/").json()[0]
    for body, ctype, status in BAD_ROWS:
        r = alice.post(
            f"projects/{pid}/models/{model['id']}/predictions/",
            data=body,
            headers={"Content-Type": ctype},
        )
        assert r.status_code == status and r.json()["message"], (ctype, body, r.text)
    missing = alice.post(f"projects/{pid}/models/{'0' * 24}/predictions/", json=[])
    assert (missing.status_code, missing.json()["message"]) == (404, "Model not found.")
    assert alice.get(f"projects/{pid}/models/{'0' * 24}/").status_code == 404


def test_multiclass_and_unsupervised_are_refused_with_a_reason(alice):
    frame = make_frame(40, seed=5).assign(grade=lambda f: ["A", "B", "C", "D"] * 10)
    project = alice.create_project(alice.upload_dataset(csv_bytes(frame))["datasetId"])
    r = alice.patch(f"projects/{project['id']}/aim/", json={"target": "grade"})
    assert r.status_code == 422
    assert "Multiclass" in r.json()["message"] and "binary" in r.json()["message"]
    r = alice.patch(f"projects/{project['id']}/aim/", json={"unsupervisedMode": True})
    assert r.status_code == 422 and "Unsupervised" in r.json()["message"]
    after = alice.get(f"projects/{project['id']}/").json()
    assert (after["stage"], after["autopilotDone"]) == ("aim", False)
    assert "target" not in after and "modelingStatus" not in after
    assert alice.get(f"projects/{project['id']}/status/").json()["stage"] == "aim"


def test_modeling_on_postgresql(pg_service):
    ann = new_user(pg_service, "ann@example.com", "Ann")
    pid, status = _modeled_project(ann, csv_bytes(make_frame(80, seed=6)), "defaulted")
    assert status["modelingStatus"] == "done"
    board = ann.get(f"projects/{pid}/models/").json()
    assert_leaderboard(board, BINARY_TYPES, "LogLoss", folds=True)  # the default metric
