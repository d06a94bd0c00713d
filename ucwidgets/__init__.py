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
from ucwidgets import models as _models
from ucwidgets import widgets as _widgets
from ucwidgets._lazy import exports as _exports
from ucwidgets._version import __version__

# Public name -> the module that defines it; resolved by __getattr__ and then cached. The models
# and the widgets are named where they live (their packages import nothing but ``_lazy``).
_LAZY = {
    "Client": "ucwidgets.client",
    "client_configuration": "ucwidgets.client",
    "get_client": "ucwidgets.client",
    "Context": "ucwidgets.context",
    "get_current_use_case": "ucwidgets.context",
    "set_current_use_case": "ucwidgets.context",
    "list_use_cases": "ucwidgets.models.use_cases.use_case",
    "SHARING_ROLE": "ucwidgets.enums",
    "SHARING_RECIPIENT_TYPE": "ucwidgets.enums",
    "UseCaseEntityType": "ucwidgets.enums",
    "AUTOPILOT_MODE": "ucwidgets.enums",
    **_models._WHERE,
    **{
        name: _widgets._WHERE[name]
        for name in ("UseCaseBrowser", "AssetPicker", "SharingEditor", "ActivityFeed")
    },
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
