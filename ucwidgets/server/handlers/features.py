"""Features: a dataset's columns with their statistics, a project's features, and the metrics
a target allows (DataRobot's ``allFeaturesDetails``, ``features`` and ``features/metrics``)."""

from __future__ import annotations

from .. import wire
from .base import ApiHandler, authenticated
from .projects import ProjectArrayHandler


class DatasetFeaturesHandler(ApiHandler):
    """``dataset.get_all_features(order_by=)``: paginated, ``name`` or ``featureType`` order."""

    @authenticated
    async def get(self, dataset_id: str) -> None:
        offset, limit = self.paging()
        dataset, features, total = await self.call(
            self.ctx.store.features.dataset_features,
            self.user,
            dataset_id,
            order_by=self.query("orderBy"),
            offset=offset,
            limit=limit,
        )
        self.send_page([wire.dataset_feature(f, dataset) for f in features], total, offset, limit)


class ProjectFeaturesHandler(ProjectArrayHandler):
    """``project.get_features()``: a bare array, in the order of the file's columns."""

    render = staticmethod(wire.project_feature)

    def items(self, project_id: str) -> tuple[dict, list[dict]]:
        return self.ctx.store.features.project_features(self.user, project_id)


class FeatureMetricsHandler(ApiHandler):
    """``project.get_metrics(feature_name)``."""

    @authenticated
    async def get(self, project_id: str) -> None:
        metrics = await self.call(
            self.ctx.store.features.project_metrics,
            self.user,
            project_id,
            self.query("featureName"),
        )
        self.send(wire.feature_metrics(metrics))
