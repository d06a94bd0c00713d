"""The ucwidgets command: run the service, manage its users and tokens, migrate its database.

Every command finds the store the same way: ``--data-dir`` (dataset files, the local token, and
the SQLite database unless ``--database-url`` names another one).

Examples
--------
::

    ucwidgets serve --port 0 --data-dir /srv/ucwidgets
    ucwidgets serve --database-url postgresql+psycopg://ucw@db/ucw --data-dir /srv/ucw
    ucwidgets serve --hub --data-dir /srv/ucw   # as a JupyterHub-managed service
    ucwidgets db upgrade --database-url postgresql+psycopg://ucw@db/ucw --data-dir /srv/ucw
    ucwidgets user add ann@example.com --full-name "Ann Owner" --json
    ucwidgets token create ann@example.com
    ucwidgets user list
    ucwidgets user deactivate ann@example.com
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

from .errors import UseCaseError

DESCRIPTION = "Run the Use Case service, manage its users and tokens, migrate its database."
EPILOG = """examples:
  ucwidgets serve --port 8765 --data-dir /srv/ucw
  ucwidgets serve --database-url postgresql+psycopg://ucw@db/ucw --data-dir /srv/ucw
  ucwidgets serve --hub --data-dir /srv/ucw      (a JupyterHub-managed service)
  ucwidgets db upgrade --database-url postgresql+psycopg://ucw@db/ucw --data-dir /srv/ucw
  ucwidgets user add ann@example.com --full-name "Ann Owner" --json
"""


def _common() -> argparse.ArgumentParser:
    """The options every command takes: where the store is, and how to log."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        help="data directory: dataset files, the local token, and the SQLite database unless "
        "--database-url is given (default: the per-user data dir, or UCWIDGETS_DATA_DIR)",
    )
    common.add_argument(
        "--database-url",
        help="SQLAlchemy URL of the database, e.g. postgresql+psycopg://user@host/db",
    )
    common.add_argument(
        "--log-format",
        choices=("text", "json"),
        default="text",
        help="log lines as text, or as one JSON object a line with request ids (default text)",
    )
    return common


def _days(value: str) -> float:
    """A number of days, 0 or more (0: the sweep purges whatever is in the trash)."""
    try:
        days = float(value)
    except ValueError:
        days = -1.0
    if not 0 <= days < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of days, 0 or more, not {value!r}")
    return days


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ucwidgets",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    common = [_common()]

    serve = commands.add_parser(
        "serve", parents=common, help="run the Use Case service until interrupted"
    )
    serve.add_argument(
        "--host", help="address to listen on (default 127.0.0.1, or the Hub service URL's host)"
    )
    serve.add_argument(
        "--port", type=int, help="0 picks a free port (default 8765, or the Hub service URL's)"
    )
    serve.add_argument(
        "--notebook-root",
        help="the Jupyter root notebook paths are relative to (default: the current directory)",
    )
    serve.add_argument("--max-upload-mb", type=int, default=512)
    serve.add_argument(
        "--public-url",
        help="the API's URL as clients reach it, for Location headers and next links, e.g. "
        "https://uc.example.com/api/v2 (default: the listening address, or links relative to "
        "the API root when listening on every interface)",
    )
    serve.add_argument(
        "--busy-timeout",
        type=float,
        default=10.0,
        help="seconds a write waits for the database's lock before it gets a 503 (default 10)",
    )
    serve.add_argument(
        "--blob-url",
        help="object storage shared by every replica for dataset and model files, e.g. "
        "s3://bucket/prefix (needs ucwidgets[s3]; FSSPEC_S3_ENDPOINT_URL names an "
        "S3-compatible server); the data dir then caches them (default: the data dir holds them)",
    )
    serve.add_argument(
        "--trash-days",
        type=_days,
        default=30.0,
        help="days a deleted use case or asset stays restorable in the trash before it is "
        "purged (default 30)",
    )
    serve.add_argument(
        "--modeling-workers",
        type=int,
        default=1,
        help="how many models train at once, one process each (default 1)",
    )

    _hub_options(serve)

    user = commands.add_parser("user", help="manage users").add_subparsers(
        dest="action", required=True
    )
    add = user.add_parser("add", parents=common, help="create a user and print a new token")
    add.add_argument("username")
    add.add_argument("--full-name")
    add.add_argument("--json", action="store_true", help="print one JSON object only")
    listing = user.add_parser("list", parents=common, help="list users")
    listing.add_argument("--json", action="store_true")
    deactivate = user.add_parser(
        "deactivate", parents=common, help="deactivate a user; their tokens stop working"
    )
    deactivate.add_argument("username")
    deactivate.add_argument(
        "--transfer-to",
        metavar="USER",
        help="hand every use case and asset they own over to USER first",
    )

    token = commands.add_parser("token", help="manage tokens").add_subparsers(
        dest="action", required=True
    )
    create = token.add_parser("create", parents=common, help="issue a new token for a user")
    create.add_argument("username")
    create.add_argument("--json", action="store_true")

    db = commands.add_parser("db", help="manage the database").add_subparsers(
        dest="action", required=True
    )
    db.add_parser("upgrade", parents=common, help="migrate the database to this version's schema")
    return parser


def _hub_options(serve: argparse.ArgumentParser) -> None:
    hub = serve.add_argument_group(
        "JupyterHub sign-in",
        "Accept JupyterHub tokens and Hub OAuth beside the service's own tokens. The settings "
        "default to what JupyterHub gives a managed service (JUPYTERHUB_API_URL, "
        "JUPYTERHUB_SERVICE_PREFIX, ...); the service's Hub token is read from "
        "JUPYTERHUB_API_TOKEN only, never from the command line. Any --hub-* option implies "
        "--hub.",
    )
    hub.add_argument("--hub", action="store_true", help="sign users in through JupyterHub")
    hub.add_argument("--hub-api-url", help="the Hub's API (default $JUPYTERHUB_API_URL)")
    hub.add_argument("--hub-service-name", help="the service's name in the Hub (default ucwidgets)")
    hub.add_argument(
        "--hub-service-prefix",
        help="the path the Hub routes to the service (default $JUPYTERHUB_SERVICE_PREFIX, "
        "else /services/NAME/); the API is under PREFIX/api/v2",
    )
    hub.add_argument(
        "--hub-client-id", help="the service's OAuth client id (default $JUPYTERHUB_CLIENT_ID)"
    )
    hub.add_argument(
        "--hub-cookie-secret-file",
        help="the key signing the sign-in cookie, shared by replicas (default: in the data dir)",
    )
    hub.add_argument(
        "--hub-timeout",
        type=float,
        help="seconds to wait for the Hub to check a token before answering 503 (default 10)",
    )


def _hub_settings(args: argparse.Namespace) -> Any:
    """The Hub settings of ``serve``, or None when it does not sign in through a Hub."""
    given = {
        "api_url": args.hub_api_url,
        "service_name": args.hub_service_name,
        "service_prefix": args.hub_service_prefix,
        "client_id": args.hub_client_id,
        "cookie_secret_file": args.hub_cookie_secret_file,
        "timeout_s": args.hub_timeout,
    }
    if not args.hub and not any(given.values()):
        return None
    from .server.hub import HubSettings

    return HubSettings.from_env(**given)


def _listen_address(args: argparse.Namespace, hub: Any) -> tuple[str, int]:
    """Host and port from the options, else (with a Hub) from the service URL it gave."""
    from urllib.parse import urlsplit

    url = urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", "") if hub else "")
    host = args.host or url.hostname or "127.0.0.1"
    port = args.port if args.port is not None else (url.port or 8765)
    return host, port


def _open_store(args: argparse.Namespace) -> Any:
    from .paths import data_dir
    from .server.store import Store

    return Store.open(args.data_dir or data_dir(), args.database_url)


def _serve(args: argparse.Namespace) -> int:
    import asyncio
    import gc

    from tornado.netutil import bind_sockets

    from .server.app import Service, make_app
    from .server.transport import ApiHTTPServer

    hub = _hub_settings(args)
    host, port = _listen_address(args, hub)
    sockets = bind_sockets(port, host)
    port = sockets[0].getsockname()[1]
    listening = f"http://{host}:{port}{hub.service_prefix if hub else '/'}api/v2"
    # Behind the Hub's proxy, links are relative to the API root unless --public-url says.
    relative = hub is not None or host in ("", "0.0.0.0", "::")
    try:
        service = Service(
            args.data_dir,
            args.database_url,
            args.notebook_root,
            modeling_workers=args.modeling_workers,
            busy_timeout_s=args.busy_timeout,
            trash_days=args.trash_days,
            blob_url=args.blob_url,
            max_upload_bytes=args.max_upload_mb * 1024**2,
            public_url=args.public_url or (None if relative else listening),
            hub=hub,
        )
    except BaseException:  # refused at start (storage, database): give the port back
        for sock in sockets:
            sock.close()
        raise

    async def main() -> None:
        server = ApiHTTPServer(
            make_app(service.ctx), max_body_size=service.ctx.max_upload_bytes + 1
        )
        server.add_sockets(sockets)
        # What start-up built (modules, SQLAlchemy's tables and compiled statements) lives as
        # long as the process: out of the collector's sight, each full collection scans only
        # what requests allocate (a page of 1,000 use cases allocates ~100,000 objects).
        gc.freeze()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        print(f"serving at {listening}", flush=True)
        await stop.wait()
        server.stop()
        await server.close_all_connections()

    try:
        asyncio.run(main())
    finally:
        service.close()
    return 0


def _print_user(user: dict, token: str | None, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"id": user["id"], "username": user["username"], "token": token}))
    else:
        print(f"id:       {user['id']}\nusername: {user['username']}\ntoken:    {token}")


def _manage(args: argparse.Namespace) -> int:
    store = _open_store(args)  # opening migrates, which is all ``db upgrade`` asks
    try:
        if args.command == "db":
            from .server.store.db import head_revision, readiness

            print(f"database at revision {head_revision()}: {readiness(store.db)['migrations']}")
        elif args.command == "user" and args.action == "add":
            user, token = store.users.create(args.username, full_name=args.full_name)
            _print_user(user, token, args.json)
        elif args.command == "token":
            user, token = store.users.create_token(args.username)
            _print_user(user, token, args.json)
        elif args.action == "list":
            users = store.users.list()
            if args.json:
                print(json.dumps(users))
            for u in [] if args.json else users:
                state = "" if u["active"] else "  (deactivated)"
                print(f"{u['id']}  {u['username']}  {u['full_name']}{state}")
        elif args.action == "deactivate":
            user = store.sharing.deactivate_user(args.username, transfer_to=args.transfer_to)
            print(f"deactivated {user['username']}")
    finally:
        store.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from .server.logs import configure

    args = _parser().parse_args(argv)
    configure(args.log_format)
    try:
        return _serve(args) if args.command == "serve" else _manage(args)
    except UseCaseError as e:
        # Refusals (a damaged database, an unknown user) and missing extras: one line.
        print(f"ucwidgets: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
