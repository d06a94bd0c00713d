"""The store's dicts rendered in DataRobot's API v2 wire format (WIRE.md).

Each function takes what the store returns and produces the camelCase JSON object that the real
``datarobot`` client validates; no field the client requires is ever ``null``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from .modeling.blueprints import MODEL_FAMILIES, MODEL_TYPES, PREPROCESSING, SAMPLE_PCT

# DataRobot's client requires non-blank strings for these even where they mean nothing here.
NO_DEPLOYMENT = "none"
LOCAL_ORG = "local"
#: What the caller may do with an application or a notebook, in DataRobot's words.
PERMISSIONS = {
    "application": ["CAN_VIEW", "CAN_UPDATE", "CAN_DELETE", "CAN_SHARE"],
    "notebook": ["CAN_READ", "CAN_UPDATE", "CAN_DELETE", "CAN_SHARE", "CAN_COPY", "CAN_EXECUTE"],
}
NOTEBOOK_SETTINGS = {
    k: False
    for k in (
        "showLineNumbers",
        "hideCellTitles",
        "hideCellOutputs",
        "showScrollers",
        "hideCellFooters",
        "highlightWhitespace",
    )
}


def user(u: dict) -> dict:
    """A ``UseCaseUser``."""
    return {
        "id": u["id"],
        "fullName": u["full_name"] or u["username"],
        "email": u["username"],
        "userhash": None,
        "username": u["username"],
    }


def use_case(uc: dict) -> dict:
    counts = uc["counts"]
    owners = [m for m in uc["members"] if m["role"] == "OWNER"]
    return {
        "id": uc["id"],
        "name": uc["name"],
        "description": uc["description"],
        "createdAt": uc["created_at"],
        "updatedAt": uc["updated_at"],
        "created": user(uc["created"]),
        "updated": user(uc["updated"]),
        "createdBy": uc["created"]["id"],
        "updatedBy": uc["updated"]["id"],
        "modelsCount": counts.get("model", 0),
        "projectsCount": counts["project"],
        "datasetsCount": counts["dataset"],
        "filesCount": 0,
        "notebooksCount": counts["notebook"],
        "applicationsCount": counts["application"],
        "playgroundsCount": 0,
        "vectorDatabasesCount": 0,
        **rights(uc),
        "tags": uc["tags"],
        "owners": [user(m) for m in owners],
        "members": [
            {**user(m), "role": m["role"], "canShare": m["can_share"]} for m in uc["members"]
        ],
    }


def _entity(x: dict) -> dict:
    """What a trash entry, a link or an event is about."""
    return {"entityType": x["entity_type"], "entityId": x["entity_id"]}


def trash_item(t: dict) -> dict:
    """One entry of ``GET trash/``: what was deleted, by whom, and when the sweep purges it."""
    return {
        **_entity(t),
        "name": t["name"],
        "deletedAt": t["deleted_at"],
        "deletedBy": user(t["deleted_by"]),
        "purgeAt": t["purge_at"],
    }


def link(lk: dict) -> dict:
    """A ``UseCaseReferenceEntity`` (``entityType`` lowercase singular)."""
    return {
        "id": lk["id"],
        **_entity(lk),
        "experimentContainerId": lk["use_case_id"],
        "useCaseId": lk["use_case_id"],
        "createdAt": lk["created_at"],
        "created": user(lk["creator"]),
        "isDeleted": False,
    }


def tag(t: dict) -> dict:
    """A tag suggestion: the tag, and how many of the caller's use cases carry it."""
    return {"name": t["name"], "useCasesCount": t["use_cases_count"]}


def batch(done: dict) -> dict:
    """What a batch of links did: the links it made (or found), the entries it removed."""
    return {
        "added": [link(lk) for lk in done["added"]],
        "removed": [{"entityType": t, "entityId": i} for t, i in done["removed"]],
    }


def _homes(asset: dict) -> dict:
    """The use cases holding an asset that the caller belongs to, and the caller's rights."""
    homes = asset["use_cases"]
    return {"useCaseIds": [h["id"] for h in homes], "useCases": homes, **rights(asset)}


def dataset(d: dict) -> dict:
    """A ``Dataset``, with every field of DataRobot's ``DatasetDetails`` (the same route)."""
    creator = d["creator"]["full_name"] or d["creator"]["username"]
    updater = d["updater"]["full_name"] or d["updater"]["username"]
    types = Counter(c.get("featureType", "Unknown") for c in d["columns"])
    return {
        "datasetId": d["id"],
        "id": d["id"],
        "versionId": d["version_id"],
        "name": d["name"],
        "categories": d["categories"],
        "creationDate": d["created_at"],
        "createdBy": d["creator"]["username"],
        "creator": user(d["creator"]),
        "dataPersisted": True,
        "isDataEngineEligible": False,
        "isLatestVersion": True,
        "isSnapshot": True,
        "datasetSize": d["size"],
        "rowCount": d["row_count"],
        "sampleSize": {"type": "rows", "value": d["row_count"]},
        "processingState": "COMPLETED",
        "columnCount": len(d["columns"]),
        "columns": [{"name": c["name"], "dtype": c["dtype"]} for c in d["columns"]],
        # DatasetDetails: a file uploaded here has no data source, query or recipe, and its
        # statistics (EDA1) were computed when it was uploaded.
        "dataSourceType": "",
        "error": "",
        "uri": d["name"],
        "description": "",
        "tags": [],
        "lastModificationDate": d["updated_at"],
        "lastModifierFullName": updater,
        "eda1ModificationDate": d["created_at"],
        "eda1ModifierFullName": creator,
        "featureCount": len(d["columns"]),
        "featureCountByType": [{"featureType": t, "count": n} for t, n in sorted(types.items())],
        **_homes(d),
    }


#: Statistics of a column, as stored at upload, in the wire's names: those of any column, and
#: those of numbers (a date column has a min and a max too).
COLUMN_STATS = ("featureType", "naCount", "uniqueCount", "lowInformation", "dateFormat")
NUMBER_STATS = ("min", "max", "mean", "median", "stdDev")
FEATURE_FIELDS = COLUMN_STATS + NUMBER_STATS


def _feature(f: dict) -> dict:
    return {
        "id": f["id"],
        "name": f["name"],
        **{k: f[k] for k in FEATURE_FIELDS if f.get(k) is not None},
        "timeSeriesEligible": False,
        "timeSeriesEligibilityReason": "notSupported" if f["featureType"] == "Date" else "notADate",
        "targetLeakage": "SKIPPED_DETECTION",
    }


def dataset_feature(f: dict, d: dict) -> dict:
    """A ``DatasetFeature`` (``GET datasets/{id}/allFeaturesDetails/``)."""
    return {**_feature(f), "datasetId": d["id"], "datasetVersionId": d["version_id"]}


def project_feature(f: dict, p: dict) -> dict:
    """A ``Feature`` of a project (``GET projects/{id}/features/``)."""
    return {**_feature(f), "projectId": p["id"], "isTarget": f["name"] == p["target"]}


def feature_metrics(m: dict) -> dict:
    """``GET projects/{id}/features/metrics/``: what ``project.get_metrics`` returns."""
    return {
        "featureName": m["feature_name"],
        "availableMetrics": [x["name"] for x in m["metrics"]],
        "metricDetails": [
            {
                "metricName": x["name"],
                "supportsBinary": x["binary"],
                "supportsRegression": x["regression"],
                "supportsMulticlass": False,
                "supportsTimeseries": False,
                "ascending": x["ascending"],
            }
            for x in m["metrics"]
        ],
    }


def project(p: dict) -> dict:
    homes = p["use_cases"]
    body = {
        "id": p["id"],
        "projectName": p["name"],
        # The client refuses a blank description, so an empty one is left out.
        "projectDescription": p["description"] or None,
        "fileName": p["file_name"],
        "stage": p["stage"],
        "target": p["target"],
        "targetType": p["target_type"],
        "metric": p["metric"],
        "positiveClass": p["positive_class"],
        "autopilotMode": p["autopilot_mode"],
        "holdoutUnlocked": False,
        "created": p["created_at"],
        "createdBy": p["creator"]["username"],
        "creator": user(p["creator"]),
        "maxTrainPct": 64.0,
        "maxTrainRows": p["row_count"],
        "partition": {
            "cvMethod": "random",
            "validationType": "CV",
            "holdoutPct": 20,
            "reps": 5,
            "useTimeSeries": False,
        },
        "advancedOptions": {"smartDownsampled": False, "responseCap": False},
        "unsupervisedMode": False,
        "useFeatureDiscovery": False,
        "useGpu": False,
        "catalogId": p["dataset_id"],
        "datasetId": p["dataset_id"],
        "rowCount": p["row_count"],
        "useCase": homes[0] if homes else None,
        "status": p["status"],
        "failure": p["failure"],
        **_homes(p),
        **modeling_state(p),
    }
    # The client drops nulls itself, but an absent key is the clearer wire for "unset".
    return {k: v for k, v in body.items() if v is not None}


def application(a: dict) -> dict:
    return {
        "id": a["id"],
        "applicationTypeId": "ucwidgets.registered",
        "userId": a["created_by"],
        "modelDeploymentId": NO_DEPLOYMENT,
        "name": a["name"],
        "description": a["description"],
        "url": a["url"],
        "createdBy": a["creator"]["username"],
        "creator": user(a["creator"]),
        "createdAt": a["created_at"],
        "updatedAt": a["updated_at"],
        "datasets": [],
        "cloudProvider": "local",
        "deploymentIds": [],
        "permissions": PERMISSIONS["application"],
        "hasCustomLogo": False,
        "orgId": LOCAL_ORG,
        "poolUsed": False,
        **_homes(a),
    }


def notebook(n: dict) -> dict:
    homes, creator = n["use_cases"], n["creator"]
    stamp = {
        "at": n["created_at"],
        "by": {
            "id": creator["id"],
            "activated": True,
            "username": creator["username"],
            "firstName": creator["full_name"],
            "lastName": "",
        },
    }
    body = {
        "id": n["id"],
        "name": n["name"],
        "path": n["path"],
        "description": n["description"],
        "type": "plain",
        "permissions": PERMISSIONS["notebook"],
        "tags": [],
        "created": stamp,
        "lastViewed": stamp,
        "updated": {**stamp, "at": n["updated_at"]},
        "settings": NOTEBOOK_SETTINGS,
        "hasSchedule": False,
        "hasEnabledSchedule": False,
        "creator": user(creator),
        **_homes(n),
    }
    if homes:
        body["useCaseId"], body["useCaseName"] = homes[0]["id"], homes[0]["name"]
    return body


def rights(obj: dict) -> dict:
    """The caller's rights on a use case or an asset (``ucwidgets.roles.rights``): the
    widgets show their controls from these flags alone."""
    return obj["rights"]


def _role_holder(m: dict) -> dict:
    """Who holds a role and what it lets them do, as both role listings show it; with what the
    caller may change it to, where the store says."""
    assignable = {"assignable": m["assignable"]} if "assignable" in m else {}
    return {
        "userFullName": m["full_name"],
        "role": m["role"],
        "canShare": m["can_share"],
        "canUseData": True,
        **assignable,
    }


def shared_role(m: dict) -> dict:
    """One entry of a ``sharedRoles/`` listing (DataRobot's catalog shape, plus ``username``,
    who gave the role and when)."""
    return {
        "id": m["id"],
        "name": m["username"],
        "username": m["username"],
        "shareRecipientType": "user",
        **_role_holder(m),
        "grantedBy": user(m["granted_by"]) if m.get("granted_by") else None,
        "grantedAt": m.get("granted_at"),  # null where a migrated grant left no trace
    }


def access_entry(m: dict) -> dict:
    """One entry of an ``accessControl/`` listing (DataRobot's ``SharingAccess``)."""
    return {"username": m["username"], "userId": m["id"], **_role_holder(m)}


def event(e: dict) -> dict:
    body = {
        "id": e["id"],
        "useCaseId": e["use_case_id"],
        "useCaseName": e["use_case_name"],
        "actor": user(e["actor"]),
        "verb": e["verb"],
        **_entity(e),
        "entityName": e["entity_name"],
        "at": e["at"],
    }
    if e.get("recipient_id"):
        body["recipientId"] = e["recipient_id"]
    detail = e.get("detail") or {}
    if "role" in detail:  # shares: the role given, and whether it may share on
        body["role"] = detail["role"]
        body["canShare"] = bool(detail.get("canShare"))
    if "read" in e:
        body["read"] = e["read"]
    return body


def job(j: dict) -> dict:
    return {
        "statusId": j["id"],
        "status": j["status"],
        "message": j["message"],
        "code": 0,
        "created": j["created_at"],
        "description": "",
    }


# -- modeling (issue 6) ---------------------------------------------------------------------
STAGE_DESCRIPTIONS = {"aim": "Ready to set target", "modeling": "Ready for modeling"}
#: Our job states in DataRobot's ``QUEUE_STATUS`` words.
QUEUE_STATUS = {"queued": "queue", "running": "inprogress", "done": "COMPLETED", "failed": "error"}


def modeling_state(p: dict) -> dict:
    """``modelingStatus`` (queued, running, done, failed; absent before aim) and
    ``autopilotDone``, as a DataRobot user polls them."""
    status = p.get("modeling_status")
    return {"modelingStatus": status, "autopilotDone": status in ("done", "failed")}


def project_status(p: dict, counts: dict[str, int]) -> dict:
    """``GET projects/{id}/status/``: DataRobot's three keys, the modeling state, job counts."""
    return {
        **modeling_state(p),
        "stage": p["stage"],
        "stageDescription": STAGE_DESCRIPTIONS.get(p["stage"], p["stage"]),
        "failure": p.get("failure"),
        "jobCounts": counts,
    }


def model(m: dict, p: dict) -> dict:
    """A leaderboard entry in the shape of DataRobot's ``Model``."""
    binary = p["target_type"] == "Binary"
    body = {
        "id": m["id"],
        "projectId": m["project_id"],
        "modelType": m["model_type"],
        "modelCategory": "model",
        "modelFamily": MODEL_FAMILIES.get(m["blueprint"], "other"),
        "modelNumber": m["model_number"],
        "blueprintId": blueprint_id(p, m["blueprint"]),
        "featurelistName": "All Features",
        "processes": [*PREPROCESSING, m["model_type"]],
        "samplePct": m["sample_pct"],
        "trainingRowCount": m["training_row_count"],
        "trainingTime": m["training_seconds"],
        "isFrozen": False,
        "isStarred": False,
        "isBlender": False,
        "isTrainedIntoValidation": False,
        "isTrainedIntoHoldout": False,
        "metrics": m["metrics"],
        "createdAt": m["created_at"],
    }
    if binary:
        body.update(predictionThreshold=0.5, predictionThresholdReadOnly=False)
    return body


def model_job(j: dict, p: dict) -> dict:
    """A ``ModelJob`` (``GET projects/{id}/modelJobs/``)."""
    model_type = MODEL_TYPES.get((p["target_type"], j["blueprint"]), j["blueprint"])
    return {
        "id": j["id"],
        "projectId": j["project_id"],
        "status": QUEUE_STATUS[j["status"]],
        "jobType": "model",
        "isBlocked": False,
        "modelType": model_type,
        "processes": [*PREPROCESSING, model_type],
        "samplePct": SAMPLE_PCT,
        "blueprintId": blueprint_id(p, j["blueprint"]),
        "modelingStatus": j["status"],
    }


def blueprint_id(p: dict, blueprint: str) -> str:
    """A stable 32-hex id per (target type, blueprint), like DataRobot's blueprint ids."""
    return hashlib.md5(f"{p['target_type']}:{blueprint}".encode()).hexdigest()


ASSET_RENDERERS: dict[str, Any] = {
    "dataset": dataset,
    "project": project,
    "application": application,
    "notebook": notebook,
}
