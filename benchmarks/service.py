"""Latency and throughput of the Use Case service at 10,000 use cases, beside a bare-tornado floor.

The parent seeds a fresh SQLite store (10,000 use cases the benchmarking user owns, bulk-inserted
in one transaction), then starts a child process that serves it with ``ServerThread`` and, on a
second port, a bare tornado app (the floor). The parent drives both over loopback: a keep-alive
``http.client`` loop for sequential latency (p50/p95, one connection), then ``wrk`` for throughput
with a few connections (a Python thread pool when ``wrk`` is absent). Client and server never
share a GIL. The table is printed and written into ``benchmarks/README.md`` under its own heading.

Usage::

    .venv/bin/python benchmarks/service.py            # full run, updates benchmarks/README.md
    .venv/bin/python benchmarks/service.py --quick    # smaller store, shorter runs, no README
    .venv/bin/python benchmarks/service.py --replicas --use-cases 100000
                                                      # one and two replicas on PostgreSQL
                                                      # beside SQLite (benchmarks/replicas.py)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import _readme
from _bulk_seed import seed
from _service_clients import sequential, throughput
from _service_report import notes, section, table
from _service_scenarios import scenarios

HERE = Path(__file__).resolve().parent


# -- the server side: a child process ----------------------------------------------------------
def child(data_dir: str, database_url: str | None = None) -> None:
    """Serve the store in ``data_dir`` (on ``database_url`` when given) and the floor app;
    print their URLs; stop at stdin EOF."""
    import asyncio

    import tornado.web
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets

    from ucwidgets.server.app import ServerThread

    class FloorJson(tornado.web.RequestHandler):
        def get(self) -> None:
            self.set_header("Content-Type", "application/json")
            self.finish(b'{"ok": true}')

    class FloorHops(tornado.web.RequestHandler):
        """The floor plus the service's two executor hops (authenticate, then the store call)."""

        async def get(self) -> None:
            loop = asyncio.get_running_loop()
            for _ in range(2):
                await loop.run_in_executor(service.service.executor, int)
            self.set_header("Content-Type", "application/json")
            self.finish(b'{"ok": true}')

    service = ServerThread(data_dir=data_dir, database_url=database_url, port=0).start()
    sockets = bind_sockets(0, "127.0.0.1")
    ready = threading.Event()

    def run_floor() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        app = tornado.web.Application([(r"/floor/json", FloorJson), (r"/floor/hops", FloorHops)])
        HTTPServer(app).add_sockets(sockets)
        ready.set()
        loop.run_forever()

    threading.Thread(target=run_floor, daemon=True).start()
    ready.wait()
    floor = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
    print(json.dumps({"service": service.url, "floor": floor, "pid": os.getpid()}), flush=True)
    sys.stdin.read()  # the parent closes our stdin when it is done
    service.stop()


# -- main --------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--use-cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2_000, help="most timed per scenario")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument(
        "--budget",
        type=float,
        default=6.0,
        help="seconds of sequential timing per scenario (caps n)",
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="wrk duration per scenario")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument(
        "--quick", action="store_true", help="1,000 use cases, short runs, README untouched"
    )
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument(
        "--replicas",
        action="store_true",
        help="throughput with one and two replicas on PostgreSQL beside SQLite instead",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-database-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.child_database_url)
        return
    if args.replicas:
        import replicas  # the same seed, scenarios and clients, on one and two replicas

        forwarded = ["--use-cases", str(args.use_cases), "--seconds", str(args.seconds)]
        replicas.main([*forwarded, *(["--no-readme"] if args.no_readme else [])])
        return
    if args.quick:
        args.use_cases, args.requests, args.budget, args.seconds = 1_000, 300, 1.0, 1.0
        args.no_readme = True

    with tempfile.TemporaryDirectory(prefix="ucw-bench-") as tmp_name:
        tmp = Path(tmp_name)
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        s = seed(tmp / "data", args.use_cases)
        print(
            f"seeded {args.use_cases:,} use cases in {time.perf_counter() - t0:.1f}s",
            file=sys.stderr,
        )
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", str(tmp / "data")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            urls = json.loads(proc.stdout.readline())
            rows = scenarios(s)
            for sc in rows:
                nxt = sequential(urls, sc, rows[0], args.budget, args.requests, args.warmup)
                floor = dataclasses.replace(rows[0], result={})
                throughput(urls["floor"], floor, 0, 1, args.connections, tmp)
                sc.result["floor_rps"] = floor.result["rps"]
                throughput(urls[sc.target], sc, nxt, args.seconds, args.connections, tmp)
                r = sc.result
                print(
                    f"{sc.name}: n={r['n']} p50={r['p50']:.2f}ms p95={r['p95']:.2f}ms "
                    f"rps={r['rps']:.0f}",
                    file=sys.stderr,
                )
        finally:
            proc.stdin.close()
            proc.wait(timeout=30)
    body = table(rows, args.connections) + "\n\n" + notes(rows, args)
    print(body)
    if not args.no_readme:
        _readme.write_section("service", section(body, args, load))
        print(f"\nwrote {_readme.README.relative_to(HERE.parent)}", file=sys.stderr)


if __name__ == "__main__":
    main()
