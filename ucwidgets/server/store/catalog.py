"""Creating and changing each kind of asset: datasets, projects, applications, notebooks.

The rules every kind shares (visibility, rights, links, announcements) live in ``assets``; this
module holds what differs: the fields and their validation. A project's target set-up
(``aim``) is modeling's, in ``store/modeling.py``.
"""

from __future__ import annotations

import posixpath
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Text, cast, select

from ...errors import NotFound, ValidationError
from . import validate
from .assets import TABLES, AssetRepository, Listing, grant_owner, visible
from .db import escape_like, new_id, now
from .records import User
from .schema import datasets, jobs, projects

DATASET_ORDER = {
    "created": datasets.c.created_at,
    "name": datasets.c.name,
    "datasetSize": datasets.c.size,
}


def _order(mapping: dict[str, Any], order_by: str | None, table: Any) -> list[Any]:
    if not order_by:
        return [table.c.created_at.desc(), table.c.id]
    column = mapping.get(order_by.lstrip("-"))
    if column is None:
        raise ValidationError(
            f"orderBy must be one of {', '.join(sorted(mapping))}, optionally prefixed with '-'.",
            errors={"orderBy": "unknown sort key"},
        )
    return [column.desc() if order_by.startswith("-") else column.asc(), table.c.id]


def safe_file_name(name: str | None, default: str = "data.csv") -> str:
    """The base name of an uploaded file (clients may send a whole path)."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    if base in ("", ".", ".."):
        base = default
    return validate.name(base, "filename")


def new_job(conn: Any, actor: User, location: str) -> str:
    """A status job, already COMPLETED, pointing at ``location``: DataRobot answers its
    asynchronous creations with one, and here the thing exists when the request returns."""
    job_id = new_id()
    conn.execute(
        jobs.insert().values(
            id=job_id,
            user_id=actor["id"],
            status="COMPLETED",
            location=location,
            created_at=now(),
        )
    )
    return job_id


class Catalog(AssetRepository):
    """What differs between datasets, projects, applications and notebooks.

    Examples
    --------
    >>> upload = store.blobs.put_bytes(b"x,y\\n1,0\\n2,1\\n")
    >>> described = {"row_count": 2, "columns": [{"name": "x", "dtype": "int64"},
    ...                                          {"name": "y", "dtype": "int64"}]}
    >>> dataset, _job = store.catalog.create_dataset(ann, "tiny.csv", upload, described)
    >>> dataset["name"], dataset["row_count"]
    ('tiny.csv', 2)
    """

    # -- jobs ------------------------------------------------------------------------------
    def get_job(self, actor: User, job_id: str) -> dict:
        with self.db.read() as conn:
            row = conn.execute(
                select(jobs).where(jobs.c.id == job_id, jobs.c.user_id == actor["id"])
            ).first()
        if row is None:
            raise NotFound("Status not found.")
        return dict(row._mapping)

    # -- datasets --------------------------------------------------------------------------
    def create_dataset(
        self, actor: User, file_name: str | None, upload: Any, described: dict
    ) -> tuple[dict, str]:
        """Register an uploaded file as a dataset; return it and its job.

        ``upload`` is a ``BlobWriter`` (or a ``StoredBlob``): it is made durable only once the
        request has passed validation, and before the row that points at it commits.
        """
        file_name = safe_file_name(file_name)
        blob, size = upload.commit(), upload.size
        with self.db.write() as conn:
            row = self._insert_dataset(conn, actor, file_name, blob, size, described)
            job = new_job(conn, actor, f"datasets/{row['id']}/")
            return self.assets.describe_asset(
                conn, actor, "dataset", _row(conn, datasets, row["id"])
            ), job

    def _insert_dataset(
        self, conn: Any, actor: User, file_name: str, blob: str, size: int, described: dict
    ) -> dict:
        at = now()
        row = {
            "id": new_id(),
            "version_id": new_id(),
            "name": file_name,
            "categories": [],
            "created_by": actor["id"],
            "created_at": at,
            "updated_by": actor["id"],
            "updated_at": at,
            "blob": blob,
            "size": size,
            "row_count": described["row_count"],
            "columns": described["columns"],
        }
        conn.execute(datasets.insert().values(**row))
        grant_owner(conn, "dataset", row["id"], actor["id"])
        return row

    def update_dataset(self, actor: User, dataset_id: str, body: dict) -> dict:
        values: dict[str, Any] = {}
        if "name" in body:
            values["name"] = validate.name(body["name"])
        if "categories" in body:
            cats = body["categories"]  # one category, or a list (openapi.json)
            cats = [cats] if isinstance(cats, str) else cats
            values["categories"] = [validate.name(c, "categories", 64) for c in cats]
        if values:  # DatasetDetails' lastModificationDate and lastModifierFullName
            values.update(updated_at=now(), updated_by=actor["id"])
        return self.assets.update(actor, "dataset", dataset_id, values)

    def list_datasets(
        self, actor: User, listing: Listing, category: str | None, order_by: str | None
    ) -> tuple[list[dict], int]:
        where = None
        if category:
            where = cast(datasets.c.categories, Text).like(
                f'%"{escape_like(category)}"%', escape="\\"
            )
        order = _order(DATASET_ORDER, order_by, datasets)
        return self.assets.list(actor, "dataset", listing, where, order)

    def dataset_file(self, actor: User, dataset_id: str) -> tuple[dict, Path]:
        dataset = self.assets.get(actor, "dataset", dataset_id)
        return dataset, self.blobs.path(dataset["blob"])

    # -- projects --------------------------------------------------------------------------
    def create_project_from_upload(
        self,
        actor: User,
        project_name: str | None,
        file_name: str | None,
        upload: Any,
        described: dict,
    ) -> tuple[dict, str]:
        """A project from an uploaded file; the file also becomes a dataset in the catalog."""
        file_name = safe_file_name(file_name)
        name = validate.name(file_name if project_name is None else project_name, "projectName")
        blob, size = upload.commit(), upload.size
        with self.db.write() as conn:
            ds = self._insert_dataset(conn, actor, file_name, blob, size, described)
            return self._insert_project(conn, actor, name, ds)

    def create_project_from_dataset(self, actor: User, body: dict) -> tuple[dict, str]:
        with self.db.write() as conn:
            ds = self.assets.get_asset(conn, actor, "dataset", body["datasetId"])
            name = validate.name(body.get("projectName", ds.name), "projectName")
            return self._insert_project(conn, actor, name, ds._mapping)

    def _insert_project(self, conn: Any, actor: User, name: str, ds: Any) -> tuple[dict, str]:
        pid = new_id()
        conn.execute(
            projects.insert().values(
                id=pid,
                name=name,
                description="",
                dataset_id=ds["id"],
                file_name=ds["name"],
                blob=ds["blob"],
                row_count=ds["row_count"],
                columns=ds["columns"],
                created_by=actor["id"],
                created_at=now(),
                stage="aim",
            )
        )
        grant_owner(conn, "project", pid, actor["id"])
        job = new_job(conn, actor, f"projects/{pid}/")
        return self.assets.describe_asset(conn, actor, "project", _row(conn, projects, pid)), job

    def update_project(self, actor: User, project_id: str, body: dict) -> dict:
        values: dict[str, Any] = {}
        if "projectName" in body:
            values["name"] = validate.name(body["projectName"], "projectName")
        if "projectDescription" in body:
            values["description"] = validate.text(body["projectDescription"], "projectDescription")
        if "workerCount" in body:
            count = validate.integer(
                body["workerCount"], "workerCount", projects.c.worker_count, -1
            )
            if count == 0:
                raise ValidationError(
                    "workerCount must be -1 or a positive integer.",
                    errors={"workerCount": "invalid"},
                )
            values["worker_count"] = count
        return self.assets.update(actor, "project", project_id, values)

    def list_projects(self, actor: User, listing: Listing, project_name: str | None) -> list[dict]:
        where = projects.c.name == project_name if project_name else None
        return self.assets.list(actor, "project", listing, where)[0]

    # -- applications and notebooks ----------------------------------------------------------
    def create_application(self, actor: User, body: dict) -> dict:
        at = now()
        row = {
            "id": new_id(),
            "name": validate.name(body.get("name")),
            "description": validate.text(body.get("description")),
            "url": _url(body.get("url")),
            "created_by": actor["id"],
            "created_at": at,
            "updated_at": at,
        }
        with self.db.write() as conn:
            conn.execute(TABLES["application"].insert().values(**row))
            grant_owner(conn, "application", row["id"], actor["id"])
            return self.assets.describe_asset(
                conn, actor, "application", _row(conn, TABLES["application"], row["id"])
            )

    def update_application(self, actor: User, app_id: str, body: dict) -> dict:
        values = _common_values(body)
        if "url" in body:
            values["url"] = _url(body["url"])
        return self.assets.update(actor, "application", app_id, values)

    def create_notebook(self, actor: User, body: dict, root: Path) -> dict:
        path = notebook_path(body.get("path"), root)
        use_case_id = body.get("useCaseId")
        at = now()
        row = {
            "id": new_id(),
            "name": validate.name(body.get("name", posixpath.basename(path))),
            "path": path,
            "description": validate.text(body.get("description")),
            "created_by": actor["id"],
            "created_at": at,
            "updated_at": at,
        }
        with self.db.write() as conn:
            # Registering a path again returns the notebook this user already registered there,
            # as long as they can still see it: one they left is not handed back.
            table = TABLES["notebook"]
            same = conn.execute(
                select(table.c.id).where(
                    table.c.created_by == actor["id"],
                    table.c.path == path,
                    visible("notebook", actor["id"]),
                )
            ).scalar()
            if same is None:
                conn.execute(table.insert().values(**row))
                grant_owner(conn, "notebook", row["id"], actor["id"])
            else:
                row["id"] = same
            # In the same transaction: a refused link leaves no notebook behind.
            if use_case_id is not None:
                self.assets.link_in(conn, actor, use_case_id, "notebook", row["id"])
            return self.assets.describe_asset(conn, actor, "notebook", _row(conn, table, row["id"]))

    def update_notebook(self, actor: User, notebook_id: str, body: dict, root: Path) -> dict:
        values = _common_values(body)
        if "path" in body:
            values["path"] = notebook_path(body["path"], root)
        return self.assets.update(actor, "notebook", notebook_id, values)


def notebook_path(value: Any, root: Path) -> str:
    """A notebook path relative to the Jupyter root, refused if it resolves outside it."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("path must be a non-empty string.", errors={"path": "missing"})
    if "\x00" in value:
        raise ValidationError("path must not contain NUL.", errors={"path": "NUL"})
    # An absolute path is accepted only inside the root (a kernel knows its notebook's absolute
    # path); it is stored relative like any other.
    root = root.resolve()
    resolved = (root / value).resolve()
    if not resolved.is_relative_to(root):
        raise ValidationError(
            "path must stay inside the Jupyter root.", errors={"path": "outside the root"}
        )
    return resolved.relative_to(root).as_posix()


def _common_values(body: dict) -> dict:
    values = {}
    if "name" in body:
        values["name"] = validate.name(body["name"])
    if "description" in body:
        values["description"] = validate.text(body["description"])
    if values:
        values["updated_at"] = now()
    return values


def _url(value: Any) -> str:
    url = validate.text(value, "url", max_len=2000)
    if url and not url.startswith(("http://", "https://")):
        raise ValidationError("url must start with http:// or https://.", errors={"url": "bad"})
    return url


def _row(conn: Any, table: Any, row_id: str) -> Any:
    return conn.execute(select(table).where(table.c.id == row_id)).one()
