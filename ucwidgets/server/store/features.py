"""The columns of datasets and projects as features, and the metrics a target allows.

Each column's type and statistics were computed once, when its file was uploaded
(``ucwidgets.server.profile``), and stored with the dataset; a project keeps the copy it was
made with. Rows stored before statistics existed are profiled from their file the first time
they are asked for, and keep the result.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ...errors import ValidationError
from .. import blobs as blob_files
from ..modeling import metrics
from .assets import TABLES, AssetRepository
from .records import User

#: ``orderBy`` of a dataset's features (DataRobot's ``allFeaturesDetails``).
FEATURE_ORDER = ("name", "featureType")


class Features(AssetRepository):
    """Features and metrics, read through the caller's view of the asset.

    Examples
    --------
    >>> from ucwidgets.server.blobs import describe_csv
    >>> upload = store.blobs.put_bytes(b"x,y\\n1,0\\n2,1\\n5,1\\n")
    >>> dataset, _job = store.catalog.create_dataset(
    ...     ann, "tiny.csv", upload, describe_csv(store.blobs.path(upload.digest)))
    >>> _, features, total = store.features.dataset_features(ann, dataset["id"])
    >>> [(f["name"], f["featureType"], f["mean"]) for f in features]
    [('x', 'Numeric', 2.6666666666666665), ('y', 'Numeric', 0.6666666666666666)]
    """

    def dataset_features(
        self,
        actor: User,
        dataset_id: str,
        order_by: str | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> tuple[dict, list[dict], int]:
        """The dataset (id, version), one page of its features in ``order_by``, and how many
        features it has."""
        order = order_by or "name"
        if order.lstrip("-") not in FEATURE_ORDER:
            raise ValidationError(
                f"orderBy must be one of {', '.join(FEATURE_ORDER)}, optionally prefixed with '-'.",
                errors={"orderBy": "unknown sort key"},
            )
        row, columns = self._profiled("dataset", dataset_id, actor)
        features = [{"id": i, **c} for i, c in enumerate(columns)]
        key = order.lstrip("-")
        features.sort(key=lambda f: (f[key], f["name"]), reverse=order.startswith("-"))
        page = features[offset : offset + limit]
        return {"id": row.id, "version_id": row.version_id}, page, len(features)

    def project_features(self, actor: User, project_id: str) -> tuple[dict, list[dict]]:
        """The project (id, target) and every feature of its data, in the file's order."""
        row, columns = self._profiled("project", project_id, actor)
        return {"id": row.id, "target": row.target}, [{"id": i, **c} for i, c in enumerate(columns)]

    def project_metrics(self, actor: User, project_id: str, feature_name: str | None) -> dict:
        """The metrics the modeling engine offers with ``feature_name`` as the target (none
        when it cannot be one), each with the direction that ranks models."""
        if not feature_name:
            raise ValidationError("featureName is required.", errors={"featureName": "missing"})
        _, columns = self._profiled("project", project_id, actor)
        column = next((c for c in columns if c["name"] == feature_name), None)
        if column is None:
            raise ValidationError(
                "featureName must name a column of the project's data.",
                errors={"featureName": "not a column"},
            )
        # What the column would make as a target, by aim's rule, from its profile.
        kind = metrics.target_type(column["uniqueCount"], column["featureType"] == "Numeric")
        names = metrics.offered(kind) if kind in metrics.TARGET_TYPES else ()
        return {
            "feature_name": feature_name,
            "metrics": [
                {
                    "name": name,
                    "binary": name in metrics.names("Binary"),
                    "regression": name in metrics.names("Regression"),
                    "ascending": metrics.lower_is_better(name),
                }
                for name in names
            ],
        }

    def _profiled(self, etype: str, entity_id: str, actor: User) -> tuple[Any, list[dict]]:
        """The asset row the caller can see, and its columns with their statistics."""
        with self.db.read() as conn:
            row = self.assets.get_asset(conn, actor, etype, entity_id)
        if all("featureType" in c for c in row.columns):
            return row, row.columns
        # Stored before uploads were profiled: profile the file once, keep the result.
        columns = blob_files.describe_csv(self.blobs.path(row.blob))["columns"]
        table = TABLES[etype]
        with self.db.write() as conn:
            conn.execute(table.update().where(table.c.id == row.id).values(columns=columns))
            row = conn.execute(select(table).where(table.c.id == row.id)).one()
        return row, columns
