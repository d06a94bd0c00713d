"""Projects: create from a file, a dataset or a URL; read, rename, aim, delete; and once a target
is set, modeling: its status, jobs, leaderboard, models and predictions."""

from __future__ import annotations

from ...errors import ValidationError
from .. import modeling, wire
from .base import ApiHandler, authenticated
from .uploads import UploadHandler
from .use_cases import use_case_ids

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
            self.ctx.store.list_projects,
            self.user,
            use_case_ids=use_case_ids(self),
            project_name=self.query("projectName"),
            offset=offset,
            limit=limit,
            shared_with_me=self.query_bool("sharedWithMe"),
        )
        self.send([wire.project(p) for p in items])

    @authenticated
    async def post(self) -> None:
        if self.form is not None:
            name, upload, described = await self.uploaded_file()
            project, job = await self.call(
                self.ctx.store.create_project_from_upload,
                self.user,
                self.form.fields.get("projectName"),
                name,
                upload,
                described,
            )
        else:
            body = self.json_body()
            project, job = await self.call(
                self.ctx.store.create_project_from_dataset, self.user, body
            )
        self.accepted(job, {"pid": project["id"]})


class ProjectHandler(ApiHandler):
    @authenticated
    async def get(self, project_id: str) -> None:
        self.send(
            wire.project(await self.call(self.ctx.store.get, self.user, "project", project_id))
        )

    @authenticated
    async def patch(self, project_id: str) -> None:
        project = await self.call(
            self.ctx.store.update_project, self.user, project_id, self.json_body()
        )
        self.send(wire.project(project))

    @authenticated
    async def delete(self, project_id: str) -> None:
        await self.call(self.ctx.store.delete_asset, self.user, "project", project_id)
        self.no_content()


class ProjectOptionsHandler(ApiHandler):
    """DataRobot's client reads the options before ``aim``; a project has none to add."""

    @authenticated
    async def get(self, project_id: str) -> None:
        await self.call(self.ctx.store.get, self.user, "project", project_id)
        self.send({})


class AimHandler(ApiHandler):
    @authenticated
    async def patch(self, project_id: str) -> None:
        modeling.ModelingEngine.check_can_train()
        project, job = await self.call(self.ctx.store.aim, self.user, project_id, self.json_body())
        if self.ctx.modeling is not None:
            self.ctx.modeling.wake()
        self.accepted(job, {"pid": project["id"]})


class ProjectStatusHandler(ApiHandler):
    """DataRobot's ``project.get_status()``: whether autopilot is done, and the stage."""

    @authenticated
    async def get(self, project_id: str) -> None:
        project, counts = await self.call(self.ctx.store.modeling_progress, self.user, project_id)
        self.send(wire.project_status(project, counts))


class ModelJobsHandler(ApiHandler):
    """DataRobot's ``project.get_model_jobs(status=None)``: a bare array of the queued and
    running jobs, or of one ``QUEUE_STATUS``."""

    @authenticated
    async def get(self, project_id: str) -> None:
        status = self.query("status") or None
        if status not in JOB_STATUSES:
            raise ValidationError(
                "status must be one of queue, inprogress, error.", errors={"status": "unknown"}
            )
        project, jobs = await self.call(
            self.ctx.store.list_modeling_jobs, self.user, project_id, JOB_STATUSES[status]
        )
        self.send([wire.model_job(j, project) for j in jobs])


class ModelsHandler(ApiHandler):
    """A project's leaderboard: a bare array, best first on the project's metric."""

    @authenticated
    async def get(self, project_id: str) -> None:
        project, models = await self.call(self.ctx.store.list_models, self.user, project_id)
        self.send([wire.model(m, project) for m in models])


class ModelHandler(ApiHandler):
    @authenticated
    async def get(self, project_id: str, model_id: str) -> None:
        project, model = await self.call(self.ctx.store.get_model, self.user, project_id, model_id)
        self.send(wire.model(model, project))


class PredictionsHandler(ApiHandler):
    """Ours (DataRobot predicts through deployments): JSON records or a CSV body in,
    ``{"data": [{"rowId", "prediction", ...}]}`` out, in the order of the rows."""

    @authenticated
    async def post(self, project_id: str, model_id: str) -> None:
        project, model = await self.call(self.ctx.store.get_model, self.user, project_id, model_id)
        frame = await self.call(
            modeling.read_rows, self.request.headers.get("Content-Type"), self.raw_body()
        )
        rows = await self.call(modeling.predict, self.ctx.store, project, model, frame)
        self.send({"data": rows})
