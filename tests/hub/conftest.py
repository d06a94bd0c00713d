"""A real JupyterHub, with the Use Case service as its managed service, for the sign-in tests.

The Hub runs ``docs/jupyterhub_config.py`` (the documented example) with this machine's ports
and folders, the dummy authenticator, and jupyterhub's ``SimpleLocalProcessSpawner``, which
starts single-user servers as the Hub's own user: as root that needs ``--allow-root``, which
``Spawner.args`` passes on. It needs ``jupyterhub`` (the ``hub`` extra) and
``configurable-http-proxy`` (npm); ``make test`` installs both, and without them the tests are
skipped with the reason shown.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from ports import free_port

DOCS_CONFIG = Path(__file__).resolve().parents[2] / "docs" / "jupyterhub_config.py"
BIN = Path(sys.executable).parent
#: How long the Hub, the service and a single-user server may take to come up on a loaded
#: machine: a guard against a hang, not a measurement.
START_S = 180

TEST_CONFIG = """
import os
load_subconfig(os.environ["UCW_DOCS_CONFIG"])
c = get_config()
c.JupyterHub.bind_url = "http://127.0.0.1:" + os.environ["UCW_HUB_PORT"]
c.JupyterHub.hub_port = int(os.environ["UCW_HUB_API_PORT"])
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:" + os.environ["UCW_PROXY_API_PORT"]
c.ConfigurableHTTPProxy.pid_file = os.environ["UCW_HOME"] + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///" + os.environ["UCW_HOME"] + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = os.environ["UCW_HOME"] + "/jupyterhub_cookie_secret"
url = "http://127.0.0.1:" + os.environ["UCW_SERVICE_PORT"]
for service in c.JupyterHub.services:
    service["url"] = url
    service["command"] = [
        os.environ["UCW_BIN"] + "/ucwidgets", "serve", "--hub", "--data-dir", os.environ["UCW_DATA"]
    ]
c.Spawner.environment = {"UCWIDGETS_ENDPOINT": url + "/services/ucwidgets/api/v2"}
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = os.environ["UCW_HOME"] + "/users/{username}"
c.Spawner.cmd = [os.environ["UCW_BIN"] + "/jupyterhub-singleuser"]
c.Spawner.args = ["--allow-root"] if os.getuid() == 0 else []
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
"""


def _missing() -> str | None:
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "jupyterhub is not installed (pip install '.[hub]'; make test installs it)"
    if shutil.which("configurable-http-proxy") is None:
        return (
            "configurable-http-proxy is not on PATH "
            "(npm install -g configurable-http-proxy; make test installs it)"
        )
    if not (BIN / "jupyterhub-singleuser").exists():
        return "jupyterhub-singleuser is not installed beside this Python"
    return None


@dataclass
class Hub:
    """A running JupyterHub: its public URL, the service's API through it, and its folders."""

    url: str
    data_dir: Path
    log: Path

    @property
    def api(self) -> str:
        """The service's API as every client reaches it: through the Hub's proxy."""
        return f"{self.url}/services/ucwidgets/api/v2"

    def sign_in(self, username: str) -> requests.Session:
        """A browser session signed in to the Hub (the dummy authenticator takes any password)."""
        session = requests.Session()
        form = session.get(f"{self.url}/hub/login")
        form.raise_for_status()
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text)
        assert xsrf is not None, form.text[:500]
        r = session.post(
            f"{self.url}/hub/login",
            data={"username": username, "password": "any", "_xsrf": xsrf.group(1)},
        )
        r.raise_for_status()
        assert "jupyterhub-session-id" in session.cookies, "the Hub did not sign in"
        return session

    def hub_api(self, session: requests.Session, method: str, path: str, **kw) -> dict:
        """A call of the Hub's own API with a signed-in session (cookie and XSRF header)."""
        headers = {"X-XSRFToken": session.cookies.get("_xsrf", path="/hub/") or ""}
        r = session.request(method, f"{self.url}/hub/api/{path}", headers=headers, **kw)
        assert r.status_code < 300, (method, path, r.status_code, r.text)
        return r.json() if r.content else {}

    def token(self, session: requests.Session, username: str, *scopes: str) -> str:
        """A new Hub API token of ``username`` with ``scopes``."""
        body = {"note": "ucwidgets tests", "scopes": list(scopes), "expires_in": 3600}
        return self.hub_api(session, "POST", f"users/{username}/tokens", json=body)["token"]

    def start_server(self, session: requests.Session, username: str) -> None:
        """Start ``username``'s single-user server and wait until the Hub says it is ready."""
        self.hub_api(session, "POST", f"users/{username}/server")
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            server = self.hub_api(session, "GET", f"users/{username}")["servers"].get("", {})
            if server.get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"{username}'s server did not start; see {self.log}")


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """JupyterHub on free ports of 127.0.0.1 with the service as its managed service."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    home = tmp_path_factory.mktemp("jupyterhub")
    (home / "jupyterhub_config.py").write_text(TEST_CONFIG)
    ports = {k: str(free_port()) for k in ("HUB", "HUB_API", "PROXY_API", "SERVICE")}
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "UCW_DOCS_CONFIG": str(DOCS_CONFIG),
        "UCW_HOME": str(home),
        "UCW_DATA": str(home / "service"),
        "UCW_BIN": str(BIN),
        **{f"UCW_{k}_PORT": v for k, v in ports.items()},
    }
    for name in ("UCWIDGETS_ENDPOINT", "UCWIDGETS_TOKEN", "JUPYTERHUB_API_TOKEN"):
        env.pop(name, None)
    log = home / "jupyterhub.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(home / "jupyterhub_config.py")],
            cwd=home,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its proxy, service and servers: one group to end
        )
    running = Hub(f"http://127.0.0.1:{ports['HUB']}", home / "service", log)
    try:
        _wait_ready(running, proc)
        yield running
    finally:
        _stop(proc)


def _wait_ready(hub: Hub, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"JupyterHub exited: {hub.log.read_text()[-3000:]}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{hub.api}/health/", timeout=5).status_code == 200:
                return
        time.sleep(0.5)
    raise AssertionError(f"JupyterHub or the service did not start: {hub.log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM: the Hub stops its servers, the service and the proxy; then the group goes."""
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=60)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
