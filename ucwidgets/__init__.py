"""ucwidgets: Use Cases for Jupyter, with DataRobot's client API.

Code written for DataRobot's Use Cases runs with ``import ucwidgets as dr``. Public names load on
first use, so ``import ucwidgets`` imports neither pandas, ipywidgets, tornado nor SQLAlchemy.

Examples
--------
>>> import ucwidgets as dr
>>> uc = dr.UseCase.create(name="Risk")  # doctest: +SKIP
>>> dr.Dataset.create_from_file(file_path="risk_data.csv", use_case=uc)  # doctest: +SKIP
Dataset(name='risk_data.csv', id='...')
"""

from __future__ import annotations

# Nothing else is imported here, not even ``typing`` (it pulls in ``re``): this module and
# ``_lazy`` are the whole cost of ``import ucwidgets``.
from ucwidgets._lazy import exports as _exports
from ucwidgets._version import __version__

# Public name -> the module that defines it; resolved by __getattr__ and then cached.
_LAZY = {
    "Client": "ucwidgets.client",
    "client_configuration": "ucwidgets.client",
    "get_client": "ucwidgets.client",
    "Context": "ucwidgets.context",
    "get_current_use_case": "ucwidgets.context",
    "set_current_use_case": "ucwidgets.context",
    "UseCase": "ucwidgets.models.use_cases.use_case",
    "UseCaseReferenceEntity": "ucwidgets.models.use_cases.use_case",
    "UseCaseUser": "ucwidgets.models.use_cases.use_case",
    "list_use_cases": "ucwidgets.models.use_cases.use_case",
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
    "SHARING_ROLE": "ucwidgets.enums",
    "SHARING_RECIPIENT_TYPE": "ucwidgets.enums",
    "UseCaseEntityType": "ucwidgets.enums",
    "AUTOPILOT_MODE": "ucwidgets.enums",
    "UseCaseBrowser": "ucwidgets.widgets.browser",
    "AssetPicker": "ucwidgets.widgets.picker",
    "SharingEditor": "ucwidgets.widgets.sharing",
    "ActivityFeed": "ucwidgets.widgets.activity",
    "errors": "ucwidgets.errors",
    "enums": "ucwidgets.enums",
}

__all__ = ["__version__", *sorted(_LAZY)]


__getattr__, __dir__ = _exports(__name__, _LAZY)


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext ucwidgets``: register the ``%use_case`` magic."""
    from ucwidgets import magic

    magic.load_ipython_extension(ipython)


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    """Where Jupyter Server finds the ucwidgets server extension."""
    from ucwidgets.server.extension import UseCaseExtension

    return [{"module": "ucwidgets.server.extension", "app": UseCaseExtension}]
