"""The one-direction layering of ARCHITECTURE.md, checked on the source, as one allowlist.

Every module of the package belongs to the layer of its longest matching prefix in ``LAYERS``,
and imports only its own layer and the layers listed for it. The API layer reaches the widgets
only at call time, through ``ucwidgets._lazy.load`` (``UseCase.browse()``); the client's start
of the embedded service is the one other crossing, checked in tests/client.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ucwidgets"
#: What every layer may use: the lazy loader, the version, errors, enums and the role rules.
BASE = {
    "ucwidgets._lazy",
    "ucwidgets._version",
    "ucwidgets.errors",
    "ucwidgets.enums",
    "ucwidgets.roles",
}
API = {"ucwidgets.client", "ucwidgets.rest", "ucwidgets.context", "ucwidgets.models"}

#: Layer -> the other layers it may import. Lower layers never name higher ones.
LAYERS: dict[str, set[str]] = {
    "ucwidgets._lazy": set(),
    "ucwidgets._version": set(),
    "ucwidgets.errors": set(),
    "ucwidgets.enums": set(),
    "ucwidgets.roles": {"ucwidgets.errors", "ucwidgets.enums"},
    "ucwidgets.paths": set(),
    "ucwidgets.server": BASE | {"ucwidgets.paths", "ucwidgets.server.modeling"},
    # Modeling sits below the store, the wire and the handlers: it takes typed values from them
    # and writes fitted models to the blob store.
    "ucwidgets.server.modeling": BASE | {"ucwidgets.server.blobs"},
    "ucwidgets.rest": BASE,
    "ucwidgets.client": BASE | API | {"ucwidgets.paths", "ucwidgets.server.app"},
    "ucwidgets.context": BASE | API,
    "ucwidgets.models": BASE | API,
    "ucwidgets.widgets": BASE | API,
    "ucwidgets.magic": BASE | API,
    # The entry points at the top: the package's lazy exports (which reuse the name maps of the
    # lazy ``models`` and ``widgets`` packages) and the command line.
    "ucwidgets": BASE
    | {"ucwidgets.magic", "ucwidgets.server.extension", "ucwidgets.models", "ucwidgets.widgets"},
    "ucwidgets.cli": BASE | {"ucwidgets.paths", "ucwidgets.server"},
}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in PACKAGE.rglob("*.py")}


def imports(source: str, module: str, is_package: bool = False) -> set[str]:
    """The modules of the package that ``source`` (the text of ``module``) imports, relative
    imports resolved; ``from package import name`` counts as the submodule when there is one,
    else as the package itself."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            for alias in node.names:
                sub = f"{name}.{alias.name}"
                found.add(sub if sub in MODULES else name)
    return {n for n in found if n == "ucwidgets" or n.startswith("ucwidgets.")}


def layer(module: str) -> str:
    return max((k for k in LAYERS if module == k or module.startswith(k + ".")), key=len)


def upward(module: str, imported: set[str]) -> list[str]:
    """The imports of ``module`` that its layer may not make."""
    own = layer(module)
    allowed = LAYERS[own]
    return sorted(
        name
        for name in imported
        if layer(name) != own
        and not any(name == a or name.startswith(a + ".") for a in allowed)
        and layer(name) not in allowed
    )


def test_every_module_imports_only_the_layers_below_it():
    wrong = {}
    for module, path in MODULES.items():
        found = imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
        bad = upward(module, found)
        if bad:
            wrong[module] = bad
    assert wrong == {}


@pytest.mark.parametrize(
    ("module", "source", "offending"),
    [
        ("ucwidgets.models.use_cases.use_case", "from ucwidgets.widgets import browse", "widgets"),
        ("ucwidgets.server.handlers.meta", "from ... import __version__", "ucwidgets"),
        ("ucwidgets.server.store.db", "from ...client import get_client", "client"),
        ("ucwidgets.errors", "from . import context", "context"),
        ("ucwidgets.rest", "import ucwidgets.models.dataset", "models"),
        ("ucwidgets.widgets.browser", "from ucwidgets.server import app", "server"),
        ("ucwidgets.server.modeling.engine", "from ..store import modeling", "store"),
        ("ucwidgets.server.modeling.training", "from .. import wire", "wire"),
    ],
)
def test_an_upward_import_is_caught(module, source, offending):
    """The check fails on a deliberate upward import (and not merely on a missing file)."""
    found = imports(source, module)
    assert found and [n for n in upward(module, found) if offending in n] != []


def test_the_api_layer_reaches_the_widgets_only_through_lazy_load():
    source = MODULES["ucwidgets.models.use_cases.use_case"].read_text(encoding="utf-8")
    assert 'load("ucwidgets.widgets", "browse")' in source
    assert upward("ucwidgets.models.use_cases.use_case", {"ucwidgets._lazy"}) == []


def test_the_store_and_the_wire_read_only_the_modeling_definitions():
    """Blueprints, metrics and the job records are defined once, in ``server/modeling``; the
    store and the wire read those modules, and only the handlers and the app reach the engine."""
    definitions = {
        f"ucwidgets.server.modeling.{name}" for name in ("blueprints", "metrics", "jobs")
    }
    reached = {}
    for module, path in MODULES.items():
        if layer(module) != "ucwidgets.server" or module.startswith("ucwidgets.server.modeling"):
            continue
        found = imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
        found = {n for n in found if n.startswith("ucwidgets.server.modeling")}
        if found:
            reached[module] = found
    for module, found in reached.items():
        allowed = definitions | (
            {"ucwidgets.server.modeling.engine"}
            if module.startswith("ucwidgets.server.handlers") or module == "ucwidgets.server.app"
            else set()
        )
        assert found <= allowed, (module, found)
    assert "ucwidgets.server.store.modeling" in reached and "ucwidgets.server.wire" in reached
