"""Projects: create from a file, a dataset or a URL; read, rename, aim, delete."""

from __future__ import annotations

from ...errors import ValidationError
from .. import wire
from ..store.catalog import safe_file_name
from .base import ApiHandler, authenticated
from .uploads import UploadHandler
from .use_cases import use_case_ids


class ProjectsHandler(UploadHandler):
    """``GET projects/`` (a bare array, as DataRobot's client expects) and ``POST projects/``."""

    accepts_json = True

    async def prepare(self) -> None:
        if self.request.method == "POST":
            await super().prepare()
        else:
            self.form = self.json_chunks = None
            await ApiHandler.prepare(self)

    @authenticated
    async def get(self) -> None:
        offset = self.query_int("offset", 0)
        limit = self.query_int("limit", 0, low=0, high=None) or None
        items = await self.call(self.ctx.store.list_projects, self.user,
                                use_case_ids=use_case_ids(self),
                                project_name=self.query("projectName"), offset=offset,
                                limit=limit)
        self.send([wire.project(p) for p in items])

    @authenticated
    async def post(self) -> None:
        if self.form is not None:
            name, digest, size, described = await self.uploaded_file()
            project, job = await self.call(
                self.ctx.store.create_project_from_upload, self.user,
                self.form.fields.get("projectName"), safe_file_name(name), digest, size,
                described)
        else:
            body = self.uploaded_json()
            if "url" in body and "datasetId" not in body:
                raise ValidationError(
                    "This service does not fetch data from URLs; upload the file instead.",
                    errors={"url": "unsupported"})
            project, job = await self.call(self.ctx.store.create_project_from_dataset,
                                           self.user, body)
        self.accepted(job, {"pid": project["id"]})


class ProjectHandler(ApiHandler):
    @authenticated
    async def get(self, project_id: str) -> None:
        self.send(wire.project(await self.call(self.ctx.store.get, self.user, "project",
                                               project_id)))

    @authenticated
    async def patch(self, project_id: str) -> None:
        project = await self.call(self.ctx.store.update_project, self.user, project_id,
                                  self.json_body())
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
        project, job = await self.call(self.ctx.store.aim, self.user, project_id,
                                       self.json_body())
        self.accepted(job, {"pid": project["id"]})


class ModelsHandler(ApiHandler):
    """A project's leaderboard."""

    @authenticated
    async def get(self, project_id: str) -> None:
        await self.call(self.ctx.store.get, self.user, "project", project_id)
        self.send([])
