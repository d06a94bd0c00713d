"""The API layer's models, named and shaped like DataRobot's client.

Each module maps one resource of the service; they share the session of :mod:`ucwidgets.client`.
Names load lazily, so ``import ucwidgets.models`` costs nothing until one is used.

Examples
--------
>>> from ucwidgets.models import Dataset, UseCase
>>> UseCase.__module__
'ucwidgets.models.use_cases.use_case'
"""

from __future__ import annotations

from ucwidgets._lazy import exports as _exports

_WHERE = {
    "UseCase": "ucwidgets.models.use_cases.use_case",
    "UseCaseReferenceEntity": "ucwidgets.models.use_cases.use_case",
    "UseCaseUser": "ucwidgets.models.use_cases.use_case",
    "Dataset": "ucwidgets.models.dataset",
    "DatasetDetails": "ucwidgets.models.dataset",
    "DatasetFeature": "ucwidgets.models.feature",
    "Feature": "ucwidgets.models.feature",
    "Project": "ucwidgets.models.project",
    "Model": "ucwidgets.models.model",
    "Application": "ucwidgets.models.application",
    "Notebook": "ucwidgets.models.notebook",
    "SharingAccess": "ucwidgets.models.sharing",
    "SharingRole": "ucwidgets.models.sharing",
    "Event": "ucwidgets.models.events",
    "TrashItem": "ucwidgets.models.trash",
    "Listing": "ucwidgets.models.listing",
}

__all__ = sorted(_WHERE)


__getattr__, __dir__ = _exports(__name__, _WHERE)
