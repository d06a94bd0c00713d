"""Names that load on first use.

:func:`exports` is the one loader behind the lazy packages (``ucwidgets``, ``ucwidgets.models``,
``ucwidgets.widgets``), so that importing them costs nothing until a name is used. :func:`load`
is the one sanctioned way for a lower layer to reach a higher one at call time (the API layer's
``UseCase.browse()`` opening a widget); ``tests/test_layering.py`` allows that crossing here and
nowhere else. Only the standard library's ``importlib`` and ``sys`` are imported, so
``import ucwidgets`` stays cheap.

Examples
--------
>>> load("ucwidgets.enums", "SHARING_ROLE").OWNER.value
'OWNER'
>>> load("ucwidgets.errors", "errors").__name__
'ucwidgets.errors'
"""

from __future__ import annotations

import importlib
import sys


def load(module: str, name: str) -> object:
    """``name`` of ``module``, importing the module now; the module itself when ``name`` is its
    last component (``load("ucwidgets.enums", "enums")``)."""
    imported = importlib.import_module(module)
    return imported if module.rpartition(".")[2] == name else getattr(imported, name)


def exports(package: str, where: dict[str, str]) -> tuple[object, object]:
    """The ``__getattr__`` and ``__dir__`` of a package whose public names (``where``: name ->
    the module that defines it) load on first use and are then cached in the package.

    Examples
    --------
    ::

        __getattr__, __dir__ = exports(__name__, {"UseCase": "ucwidgets.models.use_cases"})
    """
    namespace = vars(sys.modules[package])

    def __getattr__(name: str) -> object:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = namespace[name] = load(where[name], name)
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *where})

    return __getattr__, __dir__
