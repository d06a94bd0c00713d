"""Version, health, the OpenAPI document, async job status, and users."""

from __future__ import annotations

from ..._version import __version__
from ...errors import ServiceUnavailable
from .. import wire
from ..store.db import READY, readiness
from .base import ApiHandler, authenticated, public
from .bodies import openapi_document


class VersionHandler(ApiHandler):
    """``GET version/``, authenticated as every DataRobot route: a wrong token fails at
    ``Client()`` rather than at the first real call."""

    @authenticated
    def get(self) -> None:
        major, minor, *_ = self.ctx.version_string.split(".")
        self.send(
            {
                "major": int(major),
                "minor": int(minor),
                "versionString": self.ctx.version_string,
                "releasedVersion": __version__,
                "service": "ucwidgets",
            }
        )


class HealthHandler(ApiHandler):
    """``GET health/``: any answer means live; 200 means ready too (the database answers and
    its schema is the one this code migrates to); 503 says which of the two is not."""

    @public
    async def get(self) -> None:
        checks = await self.call(readiness, self.ctx.store.db)
        if checks != READY:
            problems = "; ".join(f"{k} {v}" for k, v in checks.items() if v != READY[k])
            raise ServiceUnavailable(
                f"Live but not ready: {problems}.",
                errors={"live": True, "ready": False, **checks},
                retry_after=5,
            )
        self.send({"status": "ok", "live": True, "ready": True, **checks, "version": __version__})


class OpenApiHandler(ApiHandler):
    """``GET openapi.json``: the description of every route, public like ``health/``, with
    ``servers`` pointing at the API root this request came through."""

    @public
    def get(self) -> None:
        doc = openapi_document()
        doc["servers"] = [{"url": self.api_url("").rstrip("/")}]
        self.send(doc)


class StatusHandler(ApiHandler):
    """An async job: 303 to the finished resource, or 200 with its state while it runs."""

    @authenticated
    async def get(self, job_id: str) -> None:
        job = await self.call(self.ctx.store.catalog.get_job, self.user, job_id)
        if job["status"] == "COMPLETED" and job["location"]:
            self.set_header("Location", self.api_url(job["location"]))
            self.set_status(303)
            self.finish()
            return
        self.send(wire.job(job))


class MeHandler(ApiHandler):
    @authenticated
    def get(self) -> None:
        self.send(wire.user(self.user))


class UsersHandler(ApiHandler):
    """Users for the sharing editor's completion: any authenticated caller may search."""

    @authenticated
    async def get(self) -> None:
        offset, limit = self.paging()
        found, total = await self.call(
            self.ctx.store.users.search, self.query("search", ""), offset, limit
        )
        self.send_page([wire.user(u) for u in found], total, offset, limit)
