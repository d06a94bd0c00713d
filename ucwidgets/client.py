"""Connecting to a Use Case service: ``Client``, ``client_configuration`` and discovery.

``Client()`` with no arguments finds a service on its own, first match wins: the environment
(``UCWIDGETS_ENDPOINT``, ``UCWIDGETS_TOKEN``, ``UCWIDGETS_DEFAULT_USE_CASE``; on a JupyterHub
single-user server whose spawner sets ``UCWIDGETS_ENDPOINT`` to a Hub-managed service, the
server's own ``JUPYTERHUB_API_TOKEN`` stands in for a missing ``UCWIDGETS_TOKEN``), the config file
``config.json`` in :func:`ucwidgets.paths.config_dir`, the runtime file of a running Jupyter server
extension, and otherwise the embedded service, started on a background thread of this process with
its SQLite store in :func:`ucwidgets.paths.data_dir`. Every model call uses the client set last;
if none was set, the first call runs ``Client()``.

Examples
--------
>>> import ucwidgets as dr
>>> dr.Client(token="<token>", endpoint="http://127.0.0.1:8765/api/v2")  # doctest: +SKIP
RESTClientObject(http://127.0.0.1:8765/api/v2/)
>>> from ucwidgets.client import client_configuration
>>> with client_configuration(token="<token>", endpoint="http://other/api/v2"):  # doctest: +SKIP
...     dr.UseCase.list()
"""

from __future__ import annotations

import atexit
import glob
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from ucwidgets import context
from ucwidgets.errors import ClientError, NotFound, Unauthorized
from ucwidgets.paths import config_dir
from ucwidgets.rest import DEFAULT_TIMEOUT, RESTClientObject

__all__ = ["Client", "client_configuration", "get_client", "set_client", "using"]

_lock = threading.RLock()
_client: RESTClientObject | None = None
# A client for the current thread or task only (a widget's own), consulted before the global.
_override: ContextVar[RESTClientObject | None] = ContextVar("ucwidgets_client", default=None)
_embedded: Any = None  # the one embedded ServerThread of this process
# Why the last Client() failed: until a Client() succeeds, model calls raise instead of
# discovering a service on their own, which could sign in as someone else (the local user).
_failure: BaseException | None = None


def Client(  # DataRobot names this function like a class
    token: str | None = None,
    endpoint: str | None = None,
    default_use_case: Any = None,
    token_type: str = "Token",
    connect_timeout: float | None = None,
    ssl_verify: bool | str = True,
    config_path: str | os.PathLike[str] | None = None,
) -> RESTClientObject:
    """Configure the global client and return it.

    Parameters
    ----------
    token, endpoint : str, optional
        Where to connect and as whom. When both are omitted the service is discovered (see the
        module docstring); ``endpoint`` alone takes the token from ``UCWIDGETS_TOKEN``.
    default_use_case : UseCase or str, optional
        Creations link to it and listings filter by it until something else is made current.
    token_type : {"Token", "Bearer"}
        The ``Authorization`` scheme.
    connect_timeout : float, optional
        Seconds to wait for a connection.
    ssl_verify : bool or str
        Certificate verification, as ``requests`` takes it.
    config_path : path, optional
        A JSON file with ``endpoint``, ``token`` and optionally ``default_use_case``.

    Returns
    -------
    RESTClientObject
        The session every model call now uses.

    Raises
    ------
    ucwidgets.errors.Unauthorized
        The token was refused.
    ucwidgets.errors.ServiceUnavailable
        Nothing answers at the endpoint.

    Examples
    --------
    >>> import ucwidgets as dr
    >>> dr.Client(token="<token>", endpoint="http://127.0.0.1:8765/api/v2",
    ...           default_use_case="65f0c0ffee0000000000aa01")  # doctest: +SKIP
    """
    global _client, _failure
    try:
        settings = _resolve(token, endpoint, config_path)
        timeout = (
            DEFAULT_TIMEOUT if connect_timeout is None else (connect_timeout, DEFAULT_TIMEOUT[1])
        )
        rest = RESTClientObject(
            settings["endpoint"],
            settings["token"],
            token_type=settings.get("token_type", token_type),
            timeout=timeout,
            ssl_verify=ssl_verify,
        )
        _check(rest)
    except Exception as exc:
        with _lock:  # the identity asked for is not available: forget the previous one too
            _client, _failure = None, exc
        raise
    set_client(rest)
    # Like DataRobot's client, each Client() resets the current use case to its default.
    context.set_current_use_case(default_use_case or settings.get("default_use_case") or None)
    return rest


def get_client() -> RESTClientObject:
    """The client model calls use; configures one with :func:`Client` on first use."""
    override = _override.get()
    if override is not None:
        return override
    with _lock:
        if _client is None and _failure is not None:
            raise ClientError(
                f"Not connected: the last Client() failed ({_failure}). Call Client(...) again; "
                "nothing falls back to another user."
            )
        if _client is None:
            Client()
        assert _client is not None
        return _client


def set_client(client: RESTClientObject | None) -> RESTClientObject | None:
    """Replace the global client (None to forget it, and any failed ``Client()``) and return
    the previous one."""
    global _client, _failure
    with _lock:
        previous, _client, _failure = _client, client, None
    return previous


@contextmanager
def using(client: RESTClientObject) -> Iterator[RESTClientObject]:
    """Send this thread's (or task's) model calls through ``client`` inside a ``with`` block.

    Unlike :func:`client_configuration`, nothing global changes: other threads, such as the
    kernel's main thread while a widget refreshes on a timer, keep their own client.

    Examples
    --------
    >>> from ucwidgets.client import using
    >>> with using(other_client):  # doctest: +SKIP
    ...     dr.UseCase.list()
    """
    token = _override.set(client)
    try:
        yield client
    finally:
        _override.reset(token)


@contextmanager
def client_configuration(*args: Any, **kwargs: Any) -> Iterator[RESTClientObject]:
    """Use another configuration inside a ``with`` block, then restore the previous one.

    Takes the arguments of :func:`Client`; the previous client and current use case come back on
    exit, whatever happened inside.

    Examples
    --------
    >>> from ucwidgets.client import client_configuration
    >>> with client_configuration(token="<token>", endpoint="http://127.0.0.1:8765/api/v2",
    ...                           default_use_case="65f0c0ffee0000000000aa01"):  # doctest: +SKIP
    ...     dr.Dataset.create_from_file(file_path="risk_data.csv")
    """
    with _lock:
        previous_client = _client
    previous_use_case = context._get_raw()
    try:
        yield Client(*args, **kwargs)
    finally:
        set_client(previous_client)
        context.set_current_use_case(previous_use_case)


# -- discovery ------------------------------------------------------------------------------


def _resolve(
    token: str | None, endpoint: str | None, config_path: str | os.PathLike[str] | None
) -> dict[str, Any]:
    """Pick endpoint and token: arguments, config_path, env, config file, runtime file, embedded."""
    if endpoint:
        token = token or os.environ.get("UCWIDGETS_TOKEN")
        if not token:
            raise ValueError(f"No token for {endpoint}: pass token= or set UCWIDGETS_TOKEN")
        return {"endpoint": endpoint, "token": token, "source": "arguments"}
    if token:
        raise ValueError("token= needs endpoint= too (they must come from the same place)")
    if config_path is not None:
        return _from_file(config_path)  # type: ignore[return-value] - explicit: found or raises
    for finder in (_from_env, _from_file, _from_runtime_files):
        found = finder()
        if found:
            return found
    server = _embedded_service()
    return {"endpoint": server.url, "token": server.token, "source": "embedded"}


def _from_env() -> dict[str, Any] | None:
    """``UCWIDGETS_ENDPOINT`` with ``UCWIDGETS_TOKEN``, else with ``JUPYTERHUB_API_TOKEN``.

    The second is a kernel of a JupyterHub single-user server: the Hub puts the server's token
    in its environment, and the admin's spawner configuration names the Hub-managed service in
    ``UCWIDGETS_ENDPOINT``, so both come from the Hub. An endpoint without either token is an
    error, never a reason to look elsewhere.
    """
    endpoint = os.environ.get("UCWIDGETS_ENDPOINT")
    if not endpoint:
        return None
    token = os.environ.get("UCWIDGETS_TOKEN")
    source = "environment"
    if not token and os.environ.get("JUPYTERHUB_API_TOKEN"):
        token, source = os.environ["JUPYTERHUB_API_TOKEN"], "JupyterHub"
    if not token:
        raise ValueError(
            "UCWIDGETS_ENDPOINT is set but neither UCWIDGETS_TOKEN nor JUPYTERHUB_API_TOKEN is"
        )
    return {
        "endpoint": endpoint,
        "token": token,
        "default_use_case": os.environ.get("UCWIDGETS_DEFAULT_USE_CASE"),
        "source": source,
    }


def _from_file(path: str | os.PathLike[str] | None = None) -> dict[str, Any] | None:
    """Read ``config.json`` (or ``path``): ``{"endpoint", "token", "default_use_case"?}``."""
    explicit = path is not None
    file = Path(path) if explicit else config_dir() / "config.json"
    if not explicit and not file.is_file():
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"Cannot read the ucwidgets config file {file}: {exc}") from exc
    if not isinstance(data, dict) or not data.get("endpoint") or not data.get("token"):
        raise ValueError(f"The config file {file} needs both 'endpoint' and 'token'")
    return {
        "endpoint": data["endpoint"],
        "token": data["token"],
        "default_use_case": data.get("default_use_case") or data.get("defaultUseCase"),
        "token_type": data.get("token_type", "Token"),
        "source": str(file),
    }


def _from_runtime_files() -> dict[str, Any] | None:
    """The newest runtime file of a Jupyter server extension whose process is still alive."""
    try:
        from jupyter_core.paths import jupyter_runtime_dir
    except ImportError:
        return None
    files = glob.glob(os.path.join(jupyter_runtime_dir(), "ucwidgets-*.json"))
    for file in sorted(files, key=_mtime, reverse=True):
        try:
            data = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # half-written or unreadable: another may do
        if (
            isinstance(data, dict)
            and data.get("endpoint")
            and data.get("token")
            and _pid_alive(data.get("pid"))
        ):
            return {"endpoint": data["endpoint"], "token": data["token"], "source": file}
    return None


def _mtime(file: str) -> float:
    try:
        return os.path.getmtime(file)
    except OSError:
        return 0.0


def _pid_alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    if os.name == "nt":
        # os.kill(pid, 0) would terminate the process on Windows; trust the file there.
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by someone else
    return True


def _embedded_service() -> Any:
    """Start (once per process) the service on a background thread and return it."""
    global _embedded
    with _lock:
        if _embedded is None:
            # The one import across the layering rule: only here, only when nothing is configured.
            from ucwidgets.server.app import ServerThread

            server = ServerThread()
            server.start()
            atexit.register(server.stop)
            _embedded = server
        return _embedded


def _check(rest: RESTClientObject) -> None:
    """``GET version/`` proves the endpoint, the token, and tells which server this is."""
    try:
        rest.check_version()
    except Unauthorized as exc:
        raise Unauthorized(
            f"Unable to authenticate to {rest.endpoint}: is the token right and its user active?"
        ) from exc
    except NotFound as exc:
        raise NotFound(
            f"No Use Case API at {rest.endpoint} (GET version/ answered 404); "
            "the endpoint usually ends in /api/v2"
        ) from exc
