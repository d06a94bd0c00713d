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

#: Module of this package -> the public names it defines.
_MODULES = {
    "application": ("Application",),
    "dataset": ("Dataset", "DatasetDetails"),
    "events": ("Event",),
    "feature": ("DatasetFeature", "Feature"),
    "listing": ("Listing",),
    "model": ("Model",),
    "notebook": ("Notebook",),
    "project": ("Project",),
    "sharing": ("SharingAccess", "SharingRole"),
    "trash": ("TrashItem",),
    "use_cases.use_case": ("UseCase", "UseCaseReferenceEntity", "UseCaseUser"),
}
_WHERE = {name: f"{__name__}.{module}" for module, names in _MODULES.items() for name in names}

__all__ = sorted(_WHERE)


__getattr__, __dir__ = _exports(__name__, _WHERE)
