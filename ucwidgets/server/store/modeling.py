"""A project's target, and the modeling jobs and models it leads to: ``aim`` sets the target
and queues the jobs, the engine claims them, and each finished job is a row of the leaderboard.

The job methods (``claim``, ``finish``, ``fail``, ``release``, ``recover``) are the engine's
(``ucwidgets.server.modeling.engine``): the service's own work, done for the user who set the
target. What a job trains and how models rank come from ``server/modeling``'s ``blueprints``
and ``metrics``, and a job and its model pass as its ``jobs`` records; the store imports
nothing else of it.

A job moves ``queued -> running -> done | failed``; a running job whose service stopped goes back
to ``queued``. Each change of a job also settles the project's ``modeling_status`` in the same
transaction, and each finished model announces ``modified`` to the project's use case there too.
Services sharing a PostgreSQL database finish jobs of one project at the same moment, so a
transaction that settles a project first locks its row (``_lock_project``): otherwise each
would count the other's job as still running, and the project would stay ``running`` for good.
The read methods take the acting user and see what the project's visibility allows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from ...enums import AUTOPILOT_MODE_CODES
from ...errors import NotFound, ValidationError
from .. import blobs as blob_files
from ..modeling import metrics
from ..modeling.blueprints import BLUEPRINTS, MIN_ROWS, MODEL_TYPES
from ..modeling.jobs import TrainedModel, TrainingJob, as_dict
from .assets import AssetRepository
from .catalog import new_job
from .db import new_id, now
from .records import User
from .schema import modeling_jobs, models, projects

#: A crash-restarted job is tried this many times before it counts as failed.
MAX_ATTEMPTS = 3
FAILURE_MAX = 2000
jobs_c = modeling_jobs.c


@dataclass(frozen=True)
class Target:
    """What ``aim`` is asked to set; the store checks it against the project's data.

    Parameters
    ----------
    name : str
        The target column.
    mode : str
        An autopilot mode (``AUTOPILOT_MODE_CODES``).
    metric : str or None
        The metric to rank by; ``None`` for the target type's default.
    target_type : str or None
        The type the caller expects; ``None`` to take the one inferred from the data.
    positive_class : str or None
        For a Binary target; ``None`` for the last class in sorted order.

    Examples
    --------
    >>> Target("defaulted", metric="AUC", positive_class="yes").mode
    'quick'
    """

    name: str
    mode: str = "quick"
    metric: str | None = None
    target_type: str | None = None
    positive_class: str | None = None


class Modeling(AssetRepository):
    """A project's target, its modeling jobs and the models they leave: the queue the engine
    takes work from, and the leaderboard it fills. Jobs are rows, so they survive a restart."""

    # -- the target ----------------------------------------------------------------------------
    def aim(self, actor: User, project_id: str, target: Target) -> tuple[dict, str]:
        """Set a project's target, infer its type, and queue its modeling jobs (stage
        ``modeling``); a target the service cannot model (Multiclass) is refused."""
        with self.db.read() as conn:
            project = self.assets.get_asset(conn, actor, "project", project_id)
        settings = self._aim_settings(project, target)
        with self.db.write() as conn:
            row = self.assets.get_asset(conn, actor, "project", project_id)
            self.assets.require_modify(conn, actor, "project", row)
            if row.target is not None:
                raise ValidationError(
                    "This project already has a target.", errors={"target": "already set"}
                )
            modeling = self.queue(conn, actor, row)
            conn.execute(
                projects.update()
                .where(projects.c.id == project_id)
                .values(**settings, **modeling, stage="modeling")
            )
            row = conn.execute(select(projects).where(projects.c.id == project_id)).one()
            self.assets.announce(conn, actor["id"], "project", row, "modified")
            job = new_job(conn, actor, f"projects/{project_id}/")
            return self.assets.describe_asset(conn, actor, "project", row), job

    def _aim_settings(self, project: Any, target: Target) -> dict:
        """The project's new target columns, once ``target`` holds against its data."""
        name = target.name
        if name not in [c["name"] for c in project.columns]:
            raise ValidationError(
                "target must name a column of the project's data.",
                errors={"target": "not a column"},
            )
        values = blob_files.read_column(self.blobs.path(project.blob), name).dropna()
        target_type = infer_target_type(values)
        if target.target_type is not None and target.target_type != target_type:
            raise ValidationError(
                f"The target {name!r} is {target_type}, not {target.target_type}.",
                errors={"targetType": "does not match the data"},
            )
        if target_type not in metrics.TARGET_TYPES:
            raise ValidationError(
                "Like DataRobot's Use Cases, this service models binary classification and "
                f"regression targets only; the target {name!r} makes this project {target_type}.",
                errors={"target": "not binary or regression"},
            )
        positive = target.positive_class
        if target_type == "Binary":
            classes = sorted(str(v) for v in values.unique())
            positive = classes[-1] if positive is None else positive
            if positive not in classes:
                raise ValidationError(
                    f"positiveClass must be one of {classes}.",
                    errors={"positiveClass": "not a class of the target"},
                )
        elif positive is not None:
            raise ValidationError(
                "positiveClass applies to binary targets only.",
                errors={"positiveClass": "not binary"},
            )
        return {
            "target": name,
            "target_type": target_type,
            "metric": metrics.choose(target_type, target.metric),
            "positive_class": positive,
            "autopilot_mode": AUTOPILOT_MODE_CODES[target.mode],
        }

    # -- queueing (inside aim's transaction) -------------------------------------------------
    def queue(self, conn: Any, actor: User, project: Any) -> dict:
        """Queue one job per blueprint; return the project's new modeling fields.

        Data too small to split is refused here, at once, rather than by a job later.
        """
        if project.row_count < MIN_ROWS:
            return {
                "modeling_status": "failed",
                "status": "failed",
                "failure": f"The data has {project.row_count} rows; modeling needs at least "
                f"{MIN_ROWS}.",
            }
        at = now()
        conn.execute(
            modeling_jobs.insert(),
            [
                {
                    "project_id": project.id,
                    "user_id": actor["id"],
                    "blueprint": key,
                    "status": "queued",
                    "created_at": at,
                }
                for key in BLUEPRINTS
            ],
        )
        return {"modeling_status": "queued", "status": "ok", "failure": None}

    # -- the engine's side ---------------------------------------------------------------------
    def claim(self, worker: str) -> TrainingJob | None:
        """Take the oldest queued job for ``worker``; ``None`` when nothing waits."""
        with self.db.read() as conn:  # the common case, nothing queued, takes no write lock
            if (
                conn.execute(select(jobs_c.id).where(jobs_c.status == "queued").limit(1)).first()
                is None
            ):
                return None
        with self.db.write() as conn:
            job = conn.execute(
                select(modeling_jobs)
                .where(jobs_c.status == "queued")
                .order_by(jobs_c.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if job is None:
                return None
            at = now()
            conn.execute(
                modeling_jobs.update()
                .where(jobs_c.id == job.id)
                .values(
                    status="running",
                    worker=worker,
                    started_at=at,
                    heartbeat_at=at,
                    attempts=job.attempts + 1,
                )
            )
            project = conn.execute(select(projects).where(projects.c.id == job.project_id)).one()
            conn.execute(
                projects.update()
                .where(projects.c.id == project.id)
                .values(modeling_status="running")
            )
            return TrainingJob(
                id=job.id,
                project_id=project.id,
                data=str(self.blobs.path(project.blob)),
                target=project.target,
                target_type=project.target_type,
                positive_class=project.positive_class,
                blueprint=job.blueprint,
                blob_root=str(self.blobs.root),
                blob_remote=self.blobs.remote,
            )

    def finish(self, job_id: int, worker: str, model: TrainedModel) -> bool:
        """Record a trained model; ``False`` when the job is no longer this worker's (its
        project was deleted, or it was handed to another service)."""
        with self.db.write() as conn:
            job, project = self._own_job(conn, job_id, worker)
            if job is None:
                return False
            number = (
                conn.execute(
                    select(func.count())
                    .select_from(models)
                    .where(models.c.project_id == project.id)
                ).scalar_one()
                + 1
            )
            conn.execute(
                models.insert().values(
                    id=new_id(),
                    project_id=project.id,
                    model_number=number,
                    blueprint=job.blueprint,
                    model_type=MODEL_TYPES[project.target_type, job.blueprint],
                    created_at=now(),
                    **as_dict(model),  # each field in the column of its name
                )
            )
            conn.execute(
                modeling_jobs.update()
                .where(jobs_c.id == job_id)
                .values(status="done", finished_at=now())
            )
            self._settle_project(conn, project.id)
            self.assets.announce(conn, job.user_id, "project", project, "modified")
            return True

    def fail(self, job_id: int, worker: str, reason: str) -> bool:
        """Record why a job failed; the project fails when no job of it produced a model."""
        with self.db.write() as conn:
            job, project = self._own_job(conn, job_id, worker)
            if job is None:
                return False
            conn.execute(
                modeling_jobs.update()
                .where(jobs_c.id == job_id)
                .values(status="failed", failure=reason[:FAILURE_MAX], finished_at=now())
            )
            if self._settle_project(conn, project.id) == "failed":
                self.assets.announce(conn, job.user_id, "project", project, "modified")
            return True

    def heartbeat(self, worker: str, job_ids: list[int]) -> None:
        """Tell other services sharing the database that these jobs of ``worker`` still run."""
        with self.db.write() as conn:
            conn.execute(
                modeling_jobs.update()
                .where(jobs_c.id.in_(job_ids), jobs_c.status == "running", jobs_c.worker == worker)
                .values(heartbeat_at=now())
            )

    def release(self, worker: str) -> int:
        """Hand ``worker``'s running jobs back to the queue (a clean stop); return how many."""
        with self.db.write() as conn:
            rows = conn.execute(
                select(modeling_jobs).where(jobs_c.status == "running", jobs_c.worker == worker)
            ).all()
            for job in rows:  # a clean stop is not an attempt that failed
                self._requeue(conn, job, attempts=max(job.attempts - 1, 0))
            return len(rows)

    def recover(self, gone: Callable[[str], bool], lease_s: float) -> int:
        """Requeue running jobs whose service is ``gone`` or silent for ``lease_s`` seconds;
        a job interrupted ``MAX_ATTEMPTS`` times fails instead. Return how many were found."""
        cutoff = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=lease_s)).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ"
        )
        with self.db.read() as conn:
            running = conn.execute(
                select(jobs_c.id, jobs_c.worker, jobs_c.heartbeat_at).where(
                    jobs_c.status == "running"
                )
            ).all()
        lost = [j.id for j in running if (j.heartbeat_at or "") < cutoff or gone(j.worker or "")]
        if not lost:
            return 0
        with self.db.write() as conn:
            for job in conn.execute(
                select(modeling_jobs).where(jobs_c.id.in_(lost), jobs_c.status == "running")
            ).all():
                if job.attempts < MAX_ATTEMPTS:
                    self._requeue(conn, job, attempts=job.attempts)
                    continue
                _lock_project(conn, job.project_id)
                conn.execute(
                    modeling_jobs.update()
                    .where(jobs_c.id == job.id)
                    .values(
                        status="failed",
                        finished_at=now(),
                        failure=f"Training was interrupted {job.attempts} times (its service "
                        "stopped or the training process was killed).",
                    )
                )
                self._settle_project(conn, job.project_id)
        return len(lost)

    def _own_job(self, conn: Any, job_id: int, worker: str) -> tuple[Any, Any]:
        """The job, if it is still ``worker``'s, and its project, locked (``_lock_project``)."""
        job = conn.execute(select(modeling_jobs).where(jobs_c.id == job_id)).first()
        if job is None:
            return None, None
        project = _lock_project(conn, job.project_id)
        # Read again under the lock: while this waited, the job may have been handed back, or
        # its project deleted.
        job = conn.execute(select(modeling_jobs).where(jobs_c.id == job_id)).first()
        if project is None or job is None or job.status != "running" or job.worker != worker:
            return None, None
        return job, project

    def _requeue(self, conn: Any, job: Any, attempts: int) -> None:
        _lock_project(conn, job.project_id)
        conn.execute(
            modeling_jobs.update()
            .where(jobs_c.id == job.id)
            .values(
                status="queued", worker=None, heartbeat_at=None, started_at=None, attempts=attempts
            )
        )
        self._settle_project(conn, job.project_id)

    def _settle_project(self, conn: Any, project_id: str) -> str:
        """Derive the project's modeling status from its jobs; record failures when all ran."""
        counts = _job_counts(conn, project_id)
        status = next((s for s in ("running", "queued", "done") if counts.get(s)), "failed")
        values: dict[str, Any] = {"modeling_status": status}
        if status in ("done", "failed"):
            values["failure"] = _failure_summary(conn, project_id)
            values["status"] = "failed" if status == "failed" else "ok"
        conn.execute(projects.update().where(projects.c.id == project_id).values(**values))
        return status

    # -- reading -------------------------------------------------------------------------------
    def list_models(self, actor: User, project_id: str) -> tuple[dict, list[dict]]:
        """A project and its leaderboard, best first on the project's metric (validation)."""
        with self.db.read() as conn:
            project = self.assets.get_asset(conn, actor, "project", project_id)
            rows = conn.execute(
                select(models)
                .where(models.c.project_id == project_id)
                .order_by(models.c.model_number)
            ).all()
            return dict(project._mapping), leaderboard(
                [dict(r._mapping) for r in rows], project.metric
            )

    def get_model(self, actor: User, project_id: str, model_id: str) -> tuple[dict, dict]:
        with self.db.read() as conn:
            project = self.assets.get_asset(conn, actor, "project", project_id)
            row = conn.execute(
                select(models).where(models.c.project_id == project_id, models.c.id == model_id)
            ).first()
        if row is None:
            raise NotFound("Model not found.")
        return dict(project._mapping), dict(row._mapping)

    def list_jobs(
        self, actor: User, project_id: str, statuses: tuple[str, ...] = ("queued", "running")
    ) -> tuple[dict, list[dict]]:
        with self.db.read() as conn:
            project = self.assets.get_asset(conn, actor, "project", project_id)
            rows = conn.execute(
                select(modeling_jobs)
                .where(jobs_c.project_id == project_id, jobs_c.status.in_(statuses))
                .order_by(jobs_c.id)
            ).all()
            return dict(project._mapping), [dict(r._mapping) for r in rows]

    def progress(self, actor: User, project_id: str) -> tuple[dict, dict[str, int]]:
        """A project and how many of its jobs are in each state."""
        with self.db.read() as conn:
            project = self.assets.get_asset(conn, actor, "project", project_id)
            counts = _job_counts(conn, project_id)
            return dict(project._mapping), {
                s: counts.get(s, 0) for s in ("queued", "running", "done", "failed")
            }


def leaderboard(rows: list[dict], metric: str | None) -> list[dict]:
    """Models sorted best first by their validation score on ``metric``; unscored ones last."""

    def key(row: dict) -> tuple:
        score = (row["metrics"].get(metric) or {}).get("validation")
        if score is None:
            return (1, 0.0, row["model_number"])
        return (0, score if metrics.lower_is_better(metric) else -score, row["model_number"])

    return sorted(rows, key=key)


def _lock_project(conn: Any, project_id: str) -> Any:
    """The project's row (``None`` once deleted), locked until the transaction ends (on
    PostgreSQL; SQLite has one writer at a time anyway).

    Every transaction that changes a project's jobs and then counts them takes this lock first,
    so that it counts after any other such transaction has committed. ``FOR NO KEY UPDATE``
    leaves rows that refer to the project (a model, an event) free to be written meanwhile.
    """
    return conn.execute(
        select(projects).where(projects.c.id == project_id).with_for_update(key_share=True)
    ).first()


def _job_counts(conn: Any, project_id: str) -> dict[str, int]:
    """How many of a project's jobs are in each state (states with none left out)."""
    return dict(
        conn.execute(
            select(jobs_c.status, func.count())
            .where(jobs_c.project_id == project_id)
            .group_by(jobs_c.status)
        ).all()
    )


def _failure_summary(conn: Any, project_id: str) -> str | None:
    failed = conn.execute(
        select(jobs_c.blueprint, jobs_c.failure)
        .where(jobs_c.project_id == project_id, jobs_c.status == "failed")
        .order_by(jobs_c.id)
    ).all()
    if not failed:
        return None
    target_type = conn.execute(
        select(projects.c.target_type).where(projects.c.id == project_id)
    ).scalar_one()
    reasons = list(dict.fromkeys(j.failure or "unknown error" for j in failed))
    if len(reasons) == 1:
        return reasons[0][:FAILURE_MAX]
    return "; ".join(f"{MODEL_TYPES[target_type, j.blueprint]}: {j.failure}" for j in failed)[
        :FAILURE_MAX
    ]


def infer_target_type(values: Any) -> str:
    """The target type of a column's values (``metrics.target_type``); refused when they hold
    fewer than two distinct values."""
    import pandas as pd

    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    found = metrics.target_type(values.nunique(), numeric)
    if found is None:
        raise ValidationError(
            "The target needs at least two distinct values.", errors={"target": "constant"}
        )
    return found
