"""A project that models: after aim the service trains three models, ranks them on the
project's metric, and its numbers are scikit-learn's own on the documented partition."""

from __future__ import annotations

import numpy as np
from modeling_data import (
    Api,
    assert_metrics_close,
    csv_bytes,
    expected,
    make_frame,
    wait_for_modeling,
)

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


def test_binary_leaderboard_is_scikit_learns_with_cross_validation(alice, bob):
    # 260 rows, 20 without a target: under 2,000 rows, so five folds are scored.
    data = csv_bytes(make_frame(260, seed=1, missing_targets=20))
    uc = alice.create_use_case("Loans")
    alice.grant(uc["id"], bob, "CONSUMER")
    pid, status = _modeled_project(alice, data, "defaulted", uc, metric="AUC", positiveClass="yes")
    assert status["modelingStatus"] == "done" and status["stage"] == "modeling"
    assert status["jobCounts"] == {"queued": 0, "running": 0, "done": 3, "failed": 0}

    board = bob.get(f"projects/{pid}/models/").json()  # a member of its use case sees it
    assert {m["modelType"] for m in board} == BINARY_TYPES
    aucs = [m["metrics"]["AUC"]["validation"] for m in board]
    assert aucs == sorted(aucs, reverse=True)  # AUC: higher is better, best first
    for model in board:
        want, _, _ = expected(data, "defaulted", model["modelType"], positive="yes")
        assert_metrics_close(model["metrics"], want)
        assert (
            model["projectId"],
            model["samplePct"],
            model["modelCategory"],
            model["isFrozen"],
            model["featurelistName"],
        ) == (pid, 64.0, "model", False, "All Features")
        assert model["trainingRowCount"] in (153, 154)  # 64% of the 240 rows with a target
        assert model["processes"][-1] == model["modelType"] and len(model["blueprintId"]) == 32
        assert alice.get(f"projects/{pid}/models/{model['id']}/").json() == model

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


def test_regression_leaderboard_is_scikit_learns_on_a_holdout(alice):
    # 2,100 rows: from 2,000 on, only fold 1 is scored, so there is no crossValidation.
    data = csv_bytes(make_frame(2100, seed=2))
    pid, _ = _modeled_project(alice, data, "loss")
    board = alice.get(f"projects/{pid}/models/").json()
    assert {m["modelType"] for m in board} == REGRESSION_TYPES
    rmse = [m["metrics"]["RMSE"]["validation"] for m in board]
    assert rmse == sorted(rmse)  # the default metric, RMSE: lower is better
    for model in board:
        want, _, _ = expected(data, "loss", model["modelType"])
        assert_metrics_close(model["metrics"], want)
        assert model["metrics"]["R Squared"]["crossValidation"] is None
        assert "predictionThreshold" not in model


def test_predictions_are_the_models_own(alice, carol):
    data = csv_bytes(make_frame(240, seed=3))
    pid, _ = _modeled_project(alice, data, "defaulted", positiveClass="yes")
    board = alice.get(f"projects/{pid}/models/").json()
    model = next(m for m in board if m["modelType"] == "Random Forest Classifier")
    _, fitted, holdout = expected(data, "defaulted", model["modelType"], positive="yes")
    url = f"projects/{pid}/models/{model['id']}/predictions/"

    as_csv = alice.post(
        url, data=holdout.to_csv(index=False).encode(), headers={"Content-Type": "text/csv"}
    )
    assert as_csv.status_code == 200, as_csv.text
    rows = as_csv.json()["data"]
    want = fitted.predict_proba(holdout)[:, 1]
    assert [r["rowId"] for r in rows] == list(range(len(holdout)))
    np.testing.assert_allclose([r["positiveProbability"] for r in rows], want, rtol=1e-12)
    assert [r["prediction"] for r in rows] == ["yes" if p >= 0.5 else "no" for p in want]
    assert rows[0]["predictionValues"][0]["label"] == "yes"

    records = holdout.astype(object).where(holdout.notna(), None).to_dict("records")
    as_json = alice.post(url, json=records)
    assert as_json.json() == as_csv.json()
    # Missing and unknown columns and unseen categories are missing values, not errors.
    odd = alice.post(url, json=[{"age": 30, "region": "mars", "extra": 1}, {}])
    assert odd.status_code == 200 and len(odd.json()["data"]) == 2
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
    user, token = pg_service.store.create_user("ann@example.com", full_name="Ann")
    ann = Api(pg_service.url, token, user)
    pid, status = _modeled_project(ann, csv_bytes(make_frame(80, seed=6)), "defaulted")
    assert status["modelingStatus"] == "done"
    board = ann.get(f"projects/{pid}/models/").json()
    losses = [m["metrics"]["LogLoss"]["validation"] for m in board]
    assert len(board) == 3 and losses == sorted(losses)  # the default metric, LogLoss
