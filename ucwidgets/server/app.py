"""The tornado application and the thread that runs it inside another program.

``make_app`` builds the routes under an API root (``/api/v2/`` standalone and embedded,
``{base_url}ucwidgets/api/v2/`` inside Jupyter Server). ``ServerThread`` runs the service on its
own thread with its own event loop, so a blocking ``requests`` client in the same process (a
kernel, a test) can call it.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tornado.web
from tornado.netutil import bind_sockets

from ..errors import Unauthorized
from ..paths import data_dir as default_data_dir
from .files import startup_lock
from .handlers import (
    admin,
    datasets,
    events,
    features,
    feed,
    meta,
    projects,
    registry,
    sharing,
    trash,
    use_cases,
)
from .handlers.base import NotFoundHandler, ServiceContext
from .hub import HubSettings, HubSignIn
from .logs import request_id
from .modeling.engine import ModelingEngine
from .push import EventHub
from .store import Store
from .store.db import BUSY_TIMEOUT_S
from .store.trash import TRASH_DAYS
from .transport import ApiHTTPServer

log = logging.getLogger("ucwidgets.server")
#: Seconds between two sweeps of the trash and of unreferenced files.
SWEEP_INTERVAL_S = 3600.0

#: What ``{id}`` stands for in a route: one id, one path segment.
ID = r"([^/]+)"
#: The routes as regular expressions below the API root, with ``{id}`` for an id: each
#: resource's path reads as the documents write it, and the id's pattern is said once.
PATHS: list[tuple[str, type[tornado.web.RequestHandler]]] = [
    ("version", meta.VersionHandler),
    ("health", meta.HealthHandler),
    (r"openapi\.json", meta.OpenApiHandler),
    ("status/{id}", meta.StatusHandler),
    ("users/me", meta.MeHandler),
    ("users", meta.UsersHandler),
    ("admin/users", admin.AdminUsersHandler),
    ("admin/users/{id}/tokens", admin.AdminUserTokensHandler),
    ("admin/users/{id}/deactivate", admin.AdminUserDeactivateHandler),
    ("useCases", use_cases.UseCasesHandler),
    ("useCases/tags", use_cases.TagsHandler),  # before useCases/{id}, which would take it
    ("useCases/{id}", use_cases.UseCaseHandler),
    ("useCases/{id}/sharedRoles", use_cases.SharedRolesHandler),
    ("useCases/{id}/events", use_cases.EventsHandler),
    ("useCases/{id}/assets", use_cases.UseCaseAssetsHandler),
    ("useCases/{id}/assets/move", use_cases.UseCaseMoveHandler),
    ("useCases/{id}/([a-zA-Z]+)/{id}", use_cases.UseCaseLinkHandler),
    ("datasets", datasets.DatasetsHandler),
    ("datasets/fromFile", datasets.DatasetFromFileHandler),
    ("datasets/{id}", datasets.DatasetHandler),
    ("datasets/{id}/file", datasets.DatasetFileHandler),
    ("datasets/{id}/allFeaturesDetails", features.DatasetFeaturesHandler),
    ("projects", projects.ProjectsHandler),
    ("projects/{id}", projects.ProjectHandler),
    ("projects/{id}/options", projects.ProjectOptionsHandler),
    ("projects/{id}/features", features.ProjectFeaturesHandler),
    ("projects/{id}/features/metrics", features.FeatureMetricsHandler),
    ("projects/{id}/aim", projects.AimHandler),
    ("projects/{id}/status", projects.ProjectStatusHandler),
    ("projects/{id}/modelJobs", projects.ModelJobsHandler),
    ("projects/{id}/models", projects.ModelsHandler),
    ("projects/{id}/models/{id}", projects.ModelHandler),
    ("projects/{id}/models/{id}/predictions", projects.PredictionsHandler),
    ("applications", registry.ApplicationsHandler),
    ("applications/{id}", registry.ApplicationHandler),
    ("notebooks", registry.NotebooksHandler),
    ("notebooks/{id}", registry.NotebookHandler),
    ("events", events.EventsHandler),
    *sharing.routes("{id}"),
    *trash.routes("{id}"),
    ("notifications", feed.NotificationsHandler),
    ("notifications/read", feed.NotificationsReadHandler),
    ("search", feed.SearchHandler),
]
ROUTES: list[tuple[str, type[tornado.web.RequestHandler]]] = [
    (path.replace("{id}", ID), handler) for path, handler in PATHS
]


def handlers(ctx: ServiceContext, prefix: str | None = None) -> list[tuple[str, type, dict]]:
    """The URL rules of the API under ``prefix`` (default ``ctx.api_root``); every route also
    matches without its trailing slash."""
    root = ctx.api_root if prefix is None else prefix
    rules: list[tuple[str, type, dict]] = [
        (f"{root}{pattern}/?", handler, {"ctx": ctx}) for pattern, handler in ROUTES
    ]
    # The websocket is no ApiHandler (tornado's upgrade); it authenticates on its own.
    rules.append((f"{root}events/ws/?", events.EventSocket, {"ctx": ctx}))
    rules.append((f"{root}(.*)", NotFoundHandler, {"ctx": ctx}))
    return rules


def _log_request(handler: tornado.web.RequestHandler) -> None:
    # The path only: a query string could carry a secret someone pasted there.
    request = handler.request
    fields = {
        "request_id": request_id(request),
        "status": handler.get_status(),
        "method": request.method,
        "path": request.path,
        "duration_ms": round(1000.0 * request.request_time(), 1),
    }
    log.info("%(status)d %(method)s %(path)s %(duration_ms).1fms", fields, extra=fields)


def make_app(ctx: ServiceContext) -> tornado.web.Application:
    """The standalone application: the API under ``ctx.api_root``, JSON 404s elsewhere; with
    JupyterHub sign-in, also its browser pages, and the key that signs its cookie."""
    signin = ctx.jupyterhub
    return tornado.web.Application(
        [
            *(signin.routes() if signin else []),
            *handlers(ctx),
            (r"/(.*)", NotFoundHandler, {"ctx": ctx}),
        ],
        log_function=_log_request,
        compress_response=False,
        cookie_secret=signin.cookie_secret if signin else None,
    )


def ensure_local_user(store: Store, data_dir: Path) -> str:
    """The local user's token from ``DATA_DIR/token``, creating user and file on first start
    (under the data dir's start-up lock, so that two processes starting at once agree)."""
    with startup_lock(data_dir):
        return _local_token(store, data_dir / "token")


def _local_token(store: Store, token_file: Path) -> str:
    if token_file.exists():
        token = token_file.read_text().strip()
        try:
            store.users.authenticate(token)
            return token
        except Unauthorized:
            log.warning("the token in %s is no longer valid; issuing a new one", token_file)
    username = getpass.getuser()
    existing = {u["username"] for u in store.users.list()}
    _, token = (
        store.users.create_token(username)
        if username in existing
        else store.users.create(username, full_name=username)
    )
    fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    os.chmod(token_file, 0o600)
    return token


class Service:
    """A store, its modeling engine, and the context the handlers share; the unit every mode
    starts. ``modeling_workers`` bounds how many models train at once (one process each);
    a write waits at most ``busy_timeout_s`` for the database, then gets a 503. With ``hub``
    (a :class:`~ucwidgets.server.hub.HubSettings`), users sign in through JupyterHub too, and
    the API lives under the Hub service's prefix. Deleted objects
    stay ``trash_days`` in the trash: the sweep, run at start-up and every
    ``sweep_interval_s``, purges older ones and the files nothing refers to."""

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None = None,
        database_url: str | None = None,
        notebook_root: str | None = None,
        api_root: str = "/api/v2/",
        modeling_workers: int = 1,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
        hub: HubSettings | None = None,
        trash_days: float = TRASH_DAYS,
        sweep_interval_s: float = SWEEP_INTERVAL_S,
        blob_url: str | None = None,
        **limits: Any,
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
        self.store = Store.open(
            self.data_dir, database_url, busy_timeout_s, trash_days, blob_url=blob_url
        )
        if swept := self.store.blobs.sweep():
            log.info("removed %d temporary upload files left by a stopped service", swept)
        self.sweep()
        self.token = ensure_local_user(self.store, self.data_dir)
        self.executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="ucwidgets-db")
        signin = None if hub is None else HubSignIn(hub, self.store, self.executor, self.data_dir)
        # Queued jobs resume, and running ones of a stopped service restart, from here on.
        self.modeling = ModelingEngine(self.store, workers=modeling_workers).start()
        self.ctx = ServiceContext(
            store=self.store,
            executor=self.executor,
            api_root=api_root if hub is None else f"{hub.service_prefix}api/v2/",
            jupyterhub=signin,
            notebook_root=Path(notebook_root or os.getcwd()),
            modeling=self.modeling,
            hub=EventHub(self.store.db),
            **limits,
        )
        self._stopping = threading.Event()
        self._sweeper = threading.Thread(
            target=self._sweep_every,
            args=(sweep_interval_s,),
            name="ucwidgets-sweep",
            daemon=True,
        )
        self._sweeper.start()

    def sweep(self) -> tuple[int, int]:
        """Purge what has been in the trash longer than the trash days, then remove the files
        nothing refers to (old enough not to be an upload's on its way); return both counts."""
        purged = self.store.trash.sweep()
        collected = self.store.trash.collect_blobs()
        if purged or collected:
            log.info("purged %d objects from the trash, removed %d files", purged, collected)
        return purged, collected

    def _sweep_every(self, interval_s: float) -> None:
        while not self._stopping.wait(interval_s):
            try:
                self.sweep()
            except Exception:  # a busy or unreachable database: the next round tries again
                log.exception("the trash sweep failed")

    def close(self) -> None:
        self._stopping.set()
        self._sweeper.join()
        self.ctx.hub.close()
        self.modeling.close()
        self.executor.shutdown(wait=True)
        self.store.close()


class ServerThread:
    """The service on a thread of its own, listening on ``host:port`` (0 picks a free port).

    Examples
    --------
    >>> import tempfile
    >>> srv = ServerThread(data_dir=tempfile.mkdtemp()).start()
    >>> srv.url.startswith("http://127.0.0.1:")
    True
    >>> srv.stop()
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None = None,
        database_url: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        notebook_root: str | None = None,
        **limits: Any,
    ) -> None:
        self._sockets = bind_sockets(port, host)
        self.port = self._sockets[0].getsockname()[1]
        hub = limits.get("hub")
        root = f"{hub.service_prefix}api/v2" if hub else "/api/v2"
        self.url = f"http://{host}:{self.port}{root}"
        limits.setdefault("public_url", self.url)
        try:
            self.service = Service(data_dir, database_url, notebook_root, **limits)
        except BaseException:  # a refusal (a damaged database): give the port back
            for sock in self._sockets:
                sock.close()
            raise
        self.store = self.service.store
        self.token = self.service.token
        self.host = host
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: ApiHTTPServer | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ucwidgets-server", daemon=True)

    def start(self) -> ServerThread:
        self._thread.start()
        self._ready.wait()
        return self

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._server = ApiHTTPServer(
            make_app(self.service.ctx), max_body_size=self.service.ctx.max_upload_bytes + 1
        )
        self._server.add_sockets(self._sockets)
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    def stop(self) -> None:
        """Stop listening, finish, and close the store."""
        if self._loop is None:
            return

        async def _shutdown() -> None:
            assert self._server is not None
            self._server.stop()
            await self._server.close_all_connections()
            asyncio.get_running_loop().stop()

        asyncio.run_coroutine_threadsafe(_shutdown(), self._loop)
        self._thread.join(timeout=10)
        self._loop = None
        self.service.close()
