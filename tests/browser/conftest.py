"""Fixtures for the real-browser tests: the Use Case service, JupyterLab, Debian's Chromium.

One service (in this process, on its own thread) and one JupyterLab run for the session; each
test gets a fresh user, a notebook whose first cell connects to the service as that user, its
own JupyterLab workspace, and a screenshot folder ``test-results/<test>/``. Missing Chromium
skips the tests locally and fails them when ``CI=true``.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from _jlab import CHROMIUM, CHROMIUM_ARGS, JupyterLabServer, open_notebook, run_all_cells
from ports import free_port


def _require_browser() -> None:
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "playwright is not installed"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}: browser tests cannot be skipped in CI")
        pytest.skip(missing)


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lab-root")


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory, lab_root: Path) -> Iterator[Any]:
    """The Use Case service the notebook kernels talk to (notebook root = JupyterLab's root),
    for the session: each test makes its own users (``make_user("ann", "Ann Owner")``)."""
    _require_browser()
    from ucwidgets.server.app import ServerThread

    server = ServerThread(
        data_dir=tmp_path_factory.mktemp("ucw-data"), notebook_root=str(lab_root)
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def jupyter_lab(
    tmp_path_factory: pytest.TempPathFactory, lab_root: Path, service: Any
) -> Iterator[JupyterLabServer]:
    scratch = tmp_path_factory.mktemp("jlab")
    server = JupyterLabServer(
        lab_root,
        scratch,
        free_port(),
        secrets.token_hex(16),
        env={"UCWIDGETS_DATA_DIR": str(scratch / "ucw-extension")},
    )
    server.start()
    yield server
    server.stop()


# Module scope: Playwright's sync API keeps an event loop running in this thread while it is
# started, which would break later tests that run their own (nbclient, pytest-jupyter).
@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    _require_browser()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)
    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def output_dir(request: pytest.FixtureRequest) -> Path:
    """``test-results/<test>/``: where a test saves its screenshots."""
    stem = re.sub(r"[^A-Za-z0-9_-]", "_", request.node.name)
    out = request.config.rootpath / "test-results" / stem
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture
def page(chromium: Any, output_dir: Path) -> Iterator[Any]:
    """A fresh browser context; records dialogs and console errors; a screenshot on failure."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.dialogs = []  # type: ignore[attr-defined]
    page.console_errors = []  # type: ignore[attr-defined]

    def on_dialog(dialog: Any) -> None:
        page.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on(
        "console",
        lambda m: (
            page.console_errors.append(m.text)  # type: ignore[attr-defined]
            if m.type == "error"
            else None
        ),
    )
    yield page
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        out = item.funcargs["output_dir"]
        try:
            page.screenshot(path=str(out / "failure.png"))
        except Exception as exc:
            report.sections.append(("screenshot", f"failure screenshot failed: {exc!r}"))
        report.sections.append(("browser console errors", "\n".join(page.console_errors[-20:])))


@pytest.fixture
def run_notebook(
    page: Any, jupyter_lab: JupyterLabServer, service: Any, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """``run_notebook(token, cell, ..., name="")``: connect as ``token``, run the cells, return
    the panel (``name`` tells apart two notebooks of one test, ``tab`` opens one in another page).

    The first cell configures the client from the session's service; the kernel reaches it over
    loopback. Kernels are shut down after the test (two cores: do not let them pile up).
    """
    stem = re.sub(r"[^A-Za-z0-9_-]", "_", request.node.name)

    def run(token: str, *cells: str, name: str = "", tab: Any = None) -> Any:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
        }
        setup = (
            "import ucwidgets\n"
            "from ucwidgets.widgets import (ActivityFeed, AssetPicker, SharingEditor,\n"
            "                               UseCaseBrowser)\n"
            f"ucwidgets.Client(token={token!r}, endpoint={service.url!r})"
        )
        nb.cells = [nbformat.v4.new_code_cell(c) for c in (setup, *cells)]
        file = f"{stem}{name}"
        nbformat.write(nb, jupyter_lab.root / f"{file}.ipynb")
        panel = open_notebook(tab or page, jupyter_lab, f"{file}.ipynb", workspace=file)
        run_all_cells(tab or page, panel)
        return panel

    yield run
    for session in jupyter_lab.api("GET", "/api/sessions") or []:
        jupyter_lab.api("DELETE", f"/api/sessions/{session['id']}")
