"""JupyterLab in a subprocess and the Playwright steps that drive it (from BROWSER.md §1, §3, §6).

Adapted from ``shared/testing/browser_smoke.py``: an isolated ``jupyter lab`` (its own config,
data, runtime, settings and workspace dirs; no news or update checks; every cell attached to the
DOM), opened per test in its own workspace, with the kernel's readiness read from the status bar.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Needed as root in a container with no outside network (BROWSER.md §1.3).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TIMEOUT_S = 120.0
#: The status bar's kernel item once connected, e.g. "Python 3 (ipykernel) | Idle".
KERNEL_IDLE = re.compile(r"\|\s*Idle$")


class JupyterLabServer:
    """``jupyter lab`` in a subprocess, isolated from the user's Jupyter config."""

    def __init__(
        self, root: Path, scratch: Path, port: int, token: str, env: dict[str, str] | None = None
    ) -> None:
        self.root, self.scratch, self.port, self.token = root, scratch, port, token
        self.extra_env = dict(env or {})
        self.base = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = scratch / "jupyterlab.log"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        for var, sub in [
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTERLAB_SETTINGS_DIR", "settings"),
            ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
            ("IPYTHONDIR", "ipython"),
        ]:
            d = self.scratch / sub
            d.mkdir(parents=True, exist_ok=True)
            env[var] = str(d)
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env["JUPYTER_PREFER_ENV_PATH"] = "1"  # the venv's kernelspec and extensions first
        settings = self.scratch / "settings" / "@jupyterlab"
        # No "Jupyter news?" toast over the screenshots, and no calls out.
        (settings / "apputils-extension").mkdir(parents=True, exist_ok=True)
        (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False})
        )
        # Every cell attached to the DOM (no virtual scrolling): deterministic locators.
        (settings / "notebook-extension").mkdir(parents=True, exist_ok=True)
        (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
            json.dumps({"windowingMode": "none"})
        )
        env.update(self.extra_env)
        return env

    def start(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={self.root}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.news_url=None",
            "--ServerApp.shutdown_no_activity_timeout=0",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            cmd, env=self._env(), stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited early:\n{self.log_path.read_text()}")
            try:
                with (
                    urllib.request.urlopen(
                        f"{self.base}/api/status?token={self.token}", timeout=2
                    ) as r1,
                    urllib.request.urlopen(f"{self.base}/lab?token={self.token}", timeout=10) as r2,
                ):
                    if r1.status == 200 and r2.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        raise TimeoutError(f"jupyter lab not up in {TIMEOUT_S}s:\n{self.log_path.read_text()}")

    def api(self, method: str, path: str) -> Any:
        req = urllib.request.Request(
            self.base + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            # A clean shutdown also stops the kernels.
            with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
                self.api("POST", "/api/shutdown")
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait(timeout=10)
        self._log.close()
        with contextlib.suppress(ProcessLookupError):  # any kernel left in the group
            os.killpg(self.proc.pid, signal.SIGKILL)


def open_notebook(page: Any, server: JupyterLabServer, nb_name: str, workspace: str) -> Any:
    """Open a notebook in its own workspace and wait until its kernel is connected and idle.

    The status bar ("... | Idle") is the signal: the toolbar's execution indicator can read
    idle before the session exists, and Run All then pops a Select Kernel dialog.
    """
    from playwright.sync_api import expect

    page.goto(
        f"{server.base}/lab/workspaces/{workspace}/tree/{nb_name}?token={server.token}",
        wait_until="domcontentloaded",
    )
    page.wait_for_selector("#jp-main-dock-panel")
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first
    expect(panel).to_be_visible()
    expect(panel.locator(".jp-Cell").first).to_be_visible()
    expect(page.locator("#jp-main-statusbar").get_by_text(KERNEL_IDLE)).to_be_visible()
    expect(page.locator(".jp-Dialog")).to_have_count(0)
    return panel


def run_all_cells(page: Any, panel: Any) -> None:
    """Run > Run All Cells, then wait until every code cell has an execution count."""
    from playwright.sync_api import expect

    page.locator("#jp-MainMenu").get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    prompts = panel.locator(".jp-CodeCell .jp-InputArea-prompt")
    for i in range(prompts.count()):
        expect(prompts.nth(i)).to_have_text(re.compile(r"^\[\d+\]:$"))
    expect(page.locator("#jp-main-statusbar").get_by_text(KERNEL_IDLE)).to_be_visible()


def assert_rendered(panel: Any) -> None:
    """Widgets rendered: no placeholder or widget error, no Python traceback in the outputs."""
    from playwright.sync_api import expect

    for bad in ("Loading widget", "Error displaying widget", "Error rendering"):
        expect(panel.locator(".jp-OutputArea-output", has_text=bad)).to_have_count(0)
    stderr = panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    assert stderr.count() == 0, stderr.all_inner_texts()
    errors = panel.locator(".jp-OutputArea-output", has_text="Traceback")
    assert errors.count() == 0, errors.all_inner_texts()


def roomy(page: Any) -> None:
    """A tall window without the file browser: the whole panel fits one screenshot."""
    page.set_viewport_size({"width": 1280, "height": 1300})
    tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if tab.count():
        tab.first.click()


#: Where the README's screenshots are saved.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
#: A small credit-risk table, as records for ``Dataset.create_from_in_memory_data``.
RISK_ROWS = [
    {"age": 25 + i, "income": 40000 + 1000 * i, "region": "north", "credit_risk": i % 2}
    for i in range(12)
]

#: In the page: the panel's background is the theme's (light or dark) and no splash covers it.
THEMED_JS = """
([selector, light]) => {
  const el = document.querySelector(selector);
  if (!el || document.querySelector("#jupyterlab-splash")) return false;
  const [r, g, b] = getComputedStyle(el).backgroundColor.match(/[\\d.]+/g).map(Number);
  return light ? r + g + b > 600 : r + g + b < 240;
}
"""


def settled(page: Any, light: bool) -> None:
    """Wait until JupyterLab's loading overlay is gone and the theme reached the panel."""
    from playwright.sync_api import expect

    expect(page.locator("#jupyterlab-splash")).to_have_count(0)
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", str(light).lower())
    page.wait_for_function(THEMED_JS, arg=[".ucw-browser-root", light])


def save_screenshot(root: Any, name: str) -> None:
    """``root`` (a locator), scrolled into view, saved as ``docs/screenshots/<name>``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    root.scroll_into_view_if_needed()
    root.screenshot(path=str(SCREENSHOTS / name))
