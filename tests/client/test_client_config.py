"""Discovery (env, config file, runtime file, embedded), fast import and the layering rule."""

from __future__ import annotations

import ast
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import ucwidgets
import ucwidgets as dr
from ucwidgets import context
from ucwidgets.client import get_client
from ucwidgets.paths import config_dir

PACKAGE = Path(ucwidgets.__file__).parent
API_MODULES = [
    "ucwidgets.client",
    "ucwidgets.rest",
    "ucwidgets.context",
    "ucwidgets.models",
    "ucwidgets.models.use_cases.use_case",
    "ucwidgets.models.dataset",
    "ucwidgets.models.project",
    "ucwidgets.models.application",
    "ucwidgets.models.notebook",
    "ucwidgets.models.sharing",
    "ucwidgets.models.events",
    "ucwidgets.models.listing",
]
HEAVY = ("pandas", "ipywidgets", "tornado", "sqlalchemy")


@pytest.fixture
def isolated(monkeypatch, tmp_path) -> Path:
    """No UCWIDGETS_* variables; config and runtime dirs under tmp_path."""
    for name in ("UCWIDGETS_ENDPOINT", "UCWIDGETS_TOKEN", "UCWIDGETS_DEFAULT_USE_CASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    (tmp_path / "runtime").mkdir()
    return tmp_path


def fresh_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UCWIDGETS_", "XDG_"))}
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "home" / ".config"),
        XDG_DATA_HOME=str(tmp_path / "home" / ".local" / "share"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "home" / "runtime"),
        UCWIDGETS_DATA_DIR=str(tmp_path / "data"),
    )
    return env


def run_python(code: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_environment(service, make_user, isolated, monkeypatch) -> None:
    user = make_user()
    monkeypatch.setenv("UCWIDGETS_ENDPOINT", service.url)
    monkeypatch.setenv("UCWIDGETS_TOKEN", user.token)
    monkeypatch.setenv("UCWIDGETS_DEFAULT_USE_CASE", "f" * 24)
    dr.Client()
    assert get_client().endpoint == service.url + "/"
    assert context.get_current_use_case_id() == "f" * 24
    monkeypatch.delenv("UCWIDGETS_TOKEN")
    with pytest.raises(ValueError, match="UCWIDGETS_TOKEN"):
        dr.Client()


def test_config_file_and_config_path(service, make_user, isolated) -> None:
    user = make_user()
    config = config_dir() / "config.json"
    assert str(config).startswith(str(isolated))
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"endpoint": service.url, "token": user.token}))
    dr.Client()
    assert dr.UseCase.create(name="from config").created.username == user.username

    other = make_user()
    explicit = isolated / "elsewhere.json"
    explicit.write_text(
        json.dumps({"endpoint": service.url, "token": other.token, "default_use_case": "e" * 24})
    )
    dr.Client(config_path=explicit)
    assert context.get_current_use_case_id() == "e" * 24


def test_runtime_file_of_a_live_extension(service, make_user, isolated) -> None:
    user = make_user()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    runtime = isolated / "runtime"
    (runtime / "ucwidgets-1.json").write_text(
        json.dumps({"endpoint": "http://127.0.0.1:9/api/v2", "token": "x", "pid": int(dead.stdout)})
    )
    (runtime / "ucwidgets-2.json").write_text(
        json.dumps({"endpoint": service.url, "token": user.token, "pid": os.getpid()})
    )
    dr.Client()
    assert get_client().endpoint == service.url + "/"


def test_embedded_service_with_nothing_configured(tmp_path) -> None:
    env = fresh_env(tmp_path)
    code = (
        "import sys, ucwidgets as uc\n"
        "created = uc.UseCase.create(name='x')\n"
        "print(repr(created))\n"
        "print('ucwidgets.server' in sys.modules, uc.get_client().endpoint)\n"
        "print([u.name for u in uc.UseCase.list()])\n"
    )
    first = run_python(code, env).splitlines()
    assert first[0].startswith("UseCase(id='") and "name='x'" in first[0]
    assert first[1].startswith("True http://127.0.0.1:")
    token = tmp_path / "data" / "token"
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    # A second process finds the same store and the same local user.
    second = run_python(code, env).splitlines()
    assert second[2] == "['x', 'x']"


def test_import_is_fast_and_light() -> None:
    out = run_python(f"import sys, ucwidgets; print([m for m in {HEAVY!r} if m in sys.modules])")
    assert out.strip() == "[]"


def test_api_layer_never_imports_the_server_stack() -> None:
    code = (
        f"import sys, importlib\nfor m in {API_MODULES!r}: importlib.import_module(m)\n"
        "import ucwidgets as dr; dr.UseCase; dr.Dataset; dr.client_configuration\n"
        f"print([m for m in {HEAVY!r} + ('ucwidgets.server',) if m in sys.modules])"
    )
    assert run_python(code).strip() == "[]"


def test_only_discovery_imports_the_server() -> None:
    """Parse the API layer: ``ucwidgets.server`` appears only in ``_embedded_service``."""
    files = [
        PACKAGE / "client.py",
        PACKAGE / "rest.py",
        PACKAGE / "context.py",
        *(PACKAGE / "models").rglob("*.py"),
    ]
    offenders = []
    for file in files:
        tree = ast.parse(file.read_text(encoding="utf-8"))
        allowed = {
            id(node)
            for func in ast.walk(tree)
            if isinstance(func, ast.FunctionDef) and func.name == "_embedded_service"
            for node in ast.walk(func)
        }
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                top = name.split(".")[0]
                if top in ("tornado", "sqlalchemy", "alembic", "ipywidgets") or (
                    name.startswith("ucwidgets.server") and id(node) not in allowed
                ):
                    offenders.append(f"{file.name}:{node.lineno} {name}")
    assert offenders == []


def test_using_changes_the_client_of_one_thread_only() -> None:
    import threading

    from ucwidgets.client import get_client, set_client, using
    from ucwidgets.rest import RESTClientObject

    main = RESTClientObject("http://127.0.0.1:1/api/v2", "main-token")
    widget = RESTClientObject("http://127.0.0.1:2/api/v2", "widget-token")
    previous = set_client(main)
    try:
        entered, release = threading.Event(), threading.Event()
        seen = {}

        def refresh() -> None:  # what a widget's timer thread does
            with using(widget):
                seen["inside"] = get_client()
                entered.set()
                release.wait(5)
            seen["after"] = get_client()

        thread = threading.Thread(target=refresh)
        thread.start()
        entered.wait(5)
        assert get_client() is main  # the user's thread is untouched meanwhile
        release.set()
        thread.join(5)
        assert seen == {"inside": widget, "after": main}
    finally:
        set_client(previous)
