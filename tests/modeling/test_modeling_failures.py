"""Data that cannot be modeled fails its project with a reason; the service carries on."""

from __future__ import annotations

import pandas as pd
from modeling_data import csv_bytes, make_frame, wait_for_modeling


def _project(api, data: bytes, use_case: dict | None = None) -> str:
    dataset = api.upload_dataset(data, "broken.csv")
    project = api.create_project(dataset["datasetId"], "Broken")
    if use_case is not None:
        api.post(f"useCases/{use_case['id']}/datasets/{dataset['datasetId']}/")
        api.post(f"useCases/{use_case['id']}/projects/{project['id']}/")
    return project["id"]


def test_a_class_too_rare_to_split_fails_the_project_with_the_reason(alice):
    frame = make_frame(40, seed=8).assign(defaulted=["no"] * 39 + ["yes"])
    uc = alice.create_use_case("Loans")
    pid = _project(alice, csv_bytes(frame), uc)
    r = alice.patch(f"projects/{pid}/aim/", json={"target": "defaulted"})
    assert r.status_code == 202  # two classes: a valid binary target

    status = wait_for_modeling(alice, pid)
    assert status["modelingStatus"] == "failed"
    assert status["jobCounts"] == {"queued": 0, "running": 0, "done": 0, "failed": 3}
    project = alice.get(f"projects/{pid}/").json()
    assert (project["status"], project["autopilotDone"], project["stage"]) == (
        "failed",
        True,
        "modeling",
    )
    assert "least populated class" in project["failure"]
    assert alice.get(f"projects/{pid}/models/").json() == []
    events = alice.get(f"useCases/{uc['id']}/events/").json()["data"]
    assert events[-1]["verb"] == "modified"  # the failure is news to the use case too

    # The service carries on: the next project trains.
    good = _project(alice, csv_bytes(make_frame(60, seed=9)))
    alice.patch(f"projects/{good}/aim/", json={"target": "loss"})
    assert wait_for_modeling(alice, good)["modelingStatus"] == "done"


def test_targets_missing_from_most_rows_fail_with_the_count(alice):
    frame = make_frame(60, seed=10)
    frame.loc[frame.index[12:], "loss"] = None  # 12 rows keep a value
    pid = _project(alice, csv_bytes(frame))
    alice.patch(f"projects/{pid}/aim/", json={"target": "loss"})
    status = wait_for_modeling(alice, pid)
    assert status["modelingStatus"] == "failed"
    assert status["failure"] == "Only 12 rows have a value for 'loss'; modeling needs at least 20."


def test_a_target_missing_only_from_some_rows_is_modeled_on_the_others(alice):
    frame = make_frame(60, seed=11)
    frame.loc[frame.index[-5:], "loss"] = None  # e.g. rows that would fall in the holdout
    pid = _project(alice, csv_bytes(frame))
    alice.patch(f"projects/{pid}/aim/", json={"target": "loss"})
    assert wait_for_modeling(alice, pid)["modelingStatus"] == "done"
    assert {m["trainingRowCount"] for m in alice.get(f"projects/{pid}/models/").json()} == {35}


def test_data_too_small_fails_at_aim_without_a_job(alice, risk_csv):
    pid = _project(alice, risk_csv)
    r = alice.patch(f"projects/{pid}/aim/", json={"target": "credit_risk"})
    assert r.status_code == 202
    project = alice.get(f"projects/{pid}/").json()
    assert (project["modelingStatus"], project["status"], project["autopilotDone"]) == (
        "failed",
        "failed",
        True,
    )
    assert project["failure"] == "The data has 7 rows; modeling needs at least 20."
    status = alice.get(f"projects/{pid}/status/").json()
    assert status["jobCounts"] == {"queued": 0, "running": 0, "done": 0, "failed": 0}


def test_a_column_of_mixed_junk_is_just_text(alice):
    frame = make_frame(50, seed=12)
    frame["note"] = pd.Series(["x", 1, None, "2024-01-01", True] * 10, dtype=object)
    pid = _project(alice, csv_bytes(frame))
    alice.patch(f"projects/{pid}/aim/", json={"target": "defaulted"})
    assert wait_for_modeling(alice, pid)["modelingStatus"] == "done"
