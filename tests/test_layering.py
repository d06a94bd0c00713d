"""The one-direction layering of ARCHITECTURE.md, checked on the source.

widgets and magic -> API layer -> errors, enums; server -> errors, enums. The single allowed
crossing (the client starting the embedded service) is checked in tests/client.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ucwidgets"
API_LAYER = ("ucwidgets.client", "ucwidgets.rest", "ucwidgets.context", "ucwidgets.models")
UI = ("ucwidgets.widgets", "ucwidgets.magic")


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, with relative imports resolved."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.add(name)
            found |= {f"{name}.{a.name}" for a in node.names}
    return found


def _files(*prefixes: str) -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if _module(p).startswith(prefixes)]


def _offenders(files: list[Path], banned: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{_module(f)} imports {name}"
        for f in files
        for name in imports(f)
        if name.startswith(banned)
    )


def test_server_never_imports_the_api_layer_widgets_or_magic():
    assert _offenders(_files("ucwidgets.server"), API_LAYER + UI) == []


def test_widgets_and_magic_go_through_the_api_layer():
    banned = ("tornado", "sqlalchemy", "alembic", "requests")
    allowed = (*API_LAYER, *UI, "ucwidgets.errors", "ucwidgets.enums")
    wrong = sorted(
        f"{_module(f)} imports {name}"
        for f in _files(*UI)
        for name in imports(f)
        if name.startswith(banned)
        or (name.startswith("ucwidgets.") and not name.startswith(allowed))
    )
    assert wrong == []


@pytest.mark.parametrize("module", ["ucwidgets.errors", "ucwidgets.enums"])
def test_errors_and_enums_stand_alone(module):
    (path,) = [p for p in PACKAGE.rglob("*.py") if _module(p) == module]
    assert {n for n in imports(path) if n.startswith("ucwidgets")} == set()
