"""Projects: create from a file, a dataset or a URL; read, rename, aim, delete; and once a target
is set, modeling: its status, jobs, leaderboard, models and predictions."""

from __future__ import annotations

import json
from typing import Any

from ...errors import BadRequest, UnsupportedMediaType, ValidationError
from .. import wire
from ..modeling import engine
from ..store.modeling import Target
from .assets import AssetHandler, listing, use_case_ids
from .base import ApiHandler, authenticated
from .bodies import check_body
from .uploads import UploadHandler

#: ``modelJobs/?status=`` (DataRobot's ``QUEUE_STATUS``) -> our job states.
JOB_STATUSES = {
    None: ("queued", "running"),
    "queue": ("queued",),
    "inprogress": ("running",),
    "error": ("failed",),
}


class ProjectsHandler(UploadHandler):
    """``GET projects/`` (a bare array, as DataRobot's client expects) and ``POST projects/``."""

    accepts_json = True

    def accept_body(self) -> None:
        if self.request.method == "POST":  # the listing takes no body
            super().accept_body()

    @authenticated
    async def get(self) -> None:
        offset = self.query_int("offset", 0)
        limit = self.query_int("limit", 0) or None
        items = await self.call(
            self.ctx.store.catalog.list_projects,
            self.user,
            listing(self, offset, limit, use_case_ids(self)),
            project_name=self.query("projectName"),
        )
        self.send([wire.project(p) for p in items])

    @authenticated
    async def post(self) -> None:
        if self.form is not None:
            name, upload, described = await self.uploaded_file()
            project, job = await self.call(
                self.ctx.store.catalog.create_project_from_upload,
                self.user,
                self.form.fields.get("projectName"),
                name,
                upload,
                described,
            )
        else:
            body = self.json_body()
            project, job = await self.call(
                self.ctx.store.catalog.create_project_from_dataset, self.user, body
            )
        self.accepted(job, {"pid": project["id"]})


class ProjectHandler(AssetHandler):
    etype = "project"


class ProjectOptionsHandler(ApiHandler):
    """DataRobot's client reads the options before ``aim``; a project has none to add."""

    @authenticated
    async def get(self, project_id: str) -> None:
        await self.call(self.ctx.store.assets.get, self.user, "project", project_id)
        self.send({})


class AimHandler(ApiHandler):
    """DataRobot's ``project.analyze_and_model``: set the target, and modeling starts."""

    @authenticated
    async def patch(self, project_id: str) -> None:
        engine.ModelingEngine.check_can_train()
        target = aim_target(self.json_body())
        project, job = await self.call(self.ctx.store.modeling.aim, self.user, project_id, target)
        if self.ctx.modeling is not None:
            self.ctx.modeling.wake()
        self.accepted(job, {"pid": project["id"]})


class ProjectStatusHandler(ApiHandler):
    """DataRobot's ``project.get_status()``: whether autopilot is done, and the stage."""

    @authenticated
    async def get(self, project_id: str) -> None:
        project, counts = await self.call(self.ctx.store.modeling.progress, self.user, project_id)
        self.send(wire.project_status(project, counts))


class ProjectArrayHandler(ApiHandler):
    """``GET`` of one project's items as a bare array (DataRobot's client reads these
    unwrapped): ``items`` is the store's read, the project and its items; ``render`` the wire
    shape of one item beside its project."""

    def items(self, project_id: str) -> tuple[dict, list[dict]]:
        raise NotImplementedError

    def render(self, item: dict, project: dict) -> dict:
        raise NotImplementedError

    @authenticated
    async def get(self, project_id: str) -> None:
        project, items = await self.call(self.items, project_id)
        self.send([self.render(item, project) for item in items])


class ModelJobsHandler(ProjectArrayHandler):
    """DataRobot's ``project.get_model_jobs(status=None)``: a bare array of the queued and
    running jobs, or of one ``QUEUE_STATUS``."""

    render = staticmethod(wire.model_job)

    def items(self, project_id: str) -> tuple[dict, list[dict]]:
        status = self.query("status") or None
        if status not in JOB_STATUSES:
            raise ValidationError(
                "status must be one of queue, inprogress, error.", errors={"status": "unknown"}
            )
        return self.ctx.store.modeling.list_jobs(self.user, project_id, JOB_STATUSES[status])


class ModelsHandler(ProjectArrayHandler):
    """A project's leaderboard: a bare array, best first on the project's metric."""

    render = staticmethod(wire.model)

    def items(self, project_id: str) -> tuple[dict, list[dict]]:
        return self.ctx.store.modeling.list_models(self.user, project_id)


class ModelHandler(ApiHandler):
    @authenticated
    async def get(self, project_id: str, model_id: str) -> None:
        project, model = await self.call(
            self.ctx.store.modeling.get_model, self.user, project_id, model_id
        )
        self.send(wire.model(model, project))


class PredictionsHandler(ApiHandler):
    """Ours (DataRobot predicts through deployments): JSON records or a CSV body in,
    ``{"data": [{"rowId", "prediction", ...}]}`` out, in the order of the rows."""

    @authenticated
    async def post(self, project_id: str, model_id: str) -> None:
        project, model = await self.call(
            self.ctx.store.modeling.get_model, self.user, project_id, model_id
        )
        content_type = self.request.headers.get("Content-Type")
        frame = await self.call(read_rows, content_type, self.raw_body(), self._path_in_api())
        rows = await self.call(engine.predict, self.ctx.store, project, model, frame)
        self.send({"data": rows})


def aim_target(body: dict[str, Any]) -> Target:
    """The ``aim`` body, of the shape ``openapi.json`` gives (``Aim``: unsupervised projects
    and ill-typed fields are refused there), as a ``Target``; whether it fits the project's
    data is the store's to check."""
    positive = body.get("positiveClass")
    return Target(
        body["target"],
        mode=body.get("mode", "quick"),
        metric=body.get("metric") or None,  # "" asks for the default, as DataRobot's client does
        target_type=body.get("targetType"),
        positive_class=None if positive is None else str(positive),
    )


def read_rows(content_type: str | None, body: bytes, path: str) -> Any:
    """The rows to predict (``POST`` to ``path``) as a DataFrame: a CSV body (``text/csv``), or
    JSON records of the shape ``openapi.json`` gives (a list, or ``{"data": [...]}``)."""
    import io

    import pandas as pd

    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in ("text/csv", "application/csv"):
        try:
            return pd.read_csv(io.BytesIO(body), encoding="utf-8", encoding_errors="strict")
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as e:
            raise ValidationError(f"The rows are not a readable CSV: {e}".strip()) from e
    if kind != "application/json":
        raise UnsupportedMediaType("Send the rows as text/csv or as application/json records.")
    try:
        records = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BadRequest(f"The request body is not valid JSON: {e}") from e
    check_body("post", path, records)
    return pd.DataFrame.from_records(records["data"] if isinstance(records, dict) else records)
