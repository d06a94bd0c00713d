"""The Use Case service inside Jupyter Server.

Installing ucwidgets enables this extension (``jupyter-config/.../ucwidgets.json``). It serves
the same handlers as the standalone service under ``{base_url}ucwidgets/api/v2/``, on the same
store as the embedded default, and writes a runtime file (mode 0600) with the endpoint and the
local user's token, so that ``ucwidgets.Client()`` in a kernel of this server finds it. The file
is removed when the server stops.

Examples
--------
::

    jupyter lab --UseCaseExtension.data_dir=/srv/ucwidgets
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_runtime_dir
from jupyter_server.extension.application import ExtensionApp
from jupyter_server.utils import url_path_join
from traitlets import Int, Unicode

from ..paths import data_dir
from .app import Service, handlers

API_PATH = "ucwidgets/api/v2/"


class UseCaseExtension(ExtensionApp):
    """Jupyter Server extension that serves the Use Case API."""

    name = "ucwidgets"

    data_dir = Unicode(
        "",
        config=True,
        help="Data directory of the store (default: the per-user data dir, or UCWIDGETS_DATA_DIR).",
    )
    database_url = Unicode(
        "", config=True, help="SQLAlchemy URL of a shared database instead of SQLite."
    )
    max_upload_mb = Int(512, config=True, help="Largest dataset upload accepted, in MiB.")

    service: Service | None = None
    runtime_file: Path | None = None

    def initialize_settings(self) -> None:
        assert self.serverapp is not None
        base_url = self.serverapp.web_app.settings["base_url"]
        self.service = Service(
            self.data_dir or data_dir(),
            self.database_url or None,
            notebook_root=self.serverapp.root_dir,
            api_root=url_path_join(base_url, API_PATH),
            max_upload_bytes=self.max_upload_mb * 1024**2,
        )

    def initialize_handlers(self) -> None:
        assert self.service is not None
        # ExtensionApp prefixes every pattern with base_url itself.
        self.handlers.extend(handlers(self.service.ctx, prefix="/" + API_PATH))

    async def _start_jupyter_server_extension(self, serverapp: Any) -> None:
        """Announce the endpoint once the server listens (its port is final by then)."""
        assert self.service is not None
        endpoint = url_path_join(serverapp.connection_url, API_PATH).rstrip("/")
        runtime = Path(jupyter_runtime_dir())
        runtime.mkdir(parents=True, exist_ok=True)
        self.runtime_file = runtime / f"ucwidgets-{os.getpid()}.json"
        fd = os.open(self.runtime_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(
                {
                    "endpoint": endpoint,
                    "token": self.service.token,
                    "pid": os.getpid(),
                    "data_dir": str(self.service.data_dir),
                },
                f,
            )
        os.chmod(self.runtime_file, 0o600)
        self.log.info("ucwidgets | Use Case API at %s", endpoint)

    async def stop_extension(self) -> None:
        if self.runtime_file is not None:
            self.runtime_file.unlink(missing_ok=True)
            self.runtime_file = None
        if self.service is not None:
            self.service.close()
            self.service = None
