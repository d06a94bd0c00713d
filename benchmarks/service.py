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
import datetime as dt
import http.client
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import _readme

HERE = Path(__file__).resolve().parent
HEADING = "## Service (`benchmarks/service.py`)"
COMMAND = ".venv/bin/python benchmarks/service.py"
API = "/api/v2/"
TOPICS = (
    "Churn",
    "Fraud",
    "Risk",
    "Pricing",
    "Demand",
    "Retention",
    "Credit",
    "Claims",
    "Supply",
    "Marketing",
)
SHARE_USERS = 8  # recipients of the share scenario; fresh (use case, user) pairs for 80k requests
LINK_DATASETS = 4  # datasets of the link scenario; fresh (use case, dataset) pairs for 40k requests
CHUNK = 50_000  # use cases built and inserted at a time by the bulk seed
SMALL_MEMBERSHIPS = 100  # a second user sees only this many, to show how listing scales


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


# -- seeding -----------------------------------------------------------------------------------
@dataclass
class Seed:
    token: str
    small_token: str
    use_cases: list[str]
    link_datasets: list[str]
    share_users: list[str]


def seed(
    data_dir: Path,
    n_use_cases: int,
    small_memberships: int = SMALL_MEMBERSHIPS,
    database_url: str | None = None,
) -> Seed:
    """Users and datasets through the store's API, use cases in one bulk transaction (inserted
    in chunks, so that a million fit in memory); the second user is in ``small_memberships``.
    The store is SQLite in ``data_dir``, or the database at ``database_url``."""
    from ucwidgets.server.store import Store, text_search
    from ucwidgets.server.store.db import new_id
    from ucwidgets.server.store.schema import datasets, events, links, memberships, use_cases
    from ucwidgets.server.store.use_cases import DESCRIPTION_KEY, recount_memberships

    store = Store.open(data_dir, database_url)
    bench, token = store.users.create("bench@example.com", full_name="Bench User")
    small, small_token = store.users.create("small@example.com", full_name="Small User")
    share_users = [
        store.users.create(f"user{k:02d}@example.com", full_name=f"User {k}")[0]["id"]
        for k in range(SHARE_USERS)
    ]
    blob = store.blobs.put_bytes(b"a\n1\n")
    described = {"row_count": 1, "columns": [{"name": "a", "dtype": "int64"}]}

    def dataset(name: str) -> str:
        return store.catalog.create_dataset(bench, name, blob, described)[0]["id"]

    link_datasets = [dataset(f"link{k}.csv") for k in range(LINK_DATASETS)]

    base = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    ids = [new_id() for _ in range(n_use_cases)]
    with store.db.write() as conn:
        for first in range(0, n_use_cases, CHUNK):
            ucs: list[dict] = []
            members: list[dict] = []
            refs: list[dict] = []
            evs: list[dict] = []
            files: list[dict] = []
            for i in range(first, min(n_use_cases, first + CHUNK)):
                uc_id = ids[i]
                at = (base + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                topic = TOPICS[i % len(TOPICS)]
                name, description = (
                    f"{topic} model {i:05d}",
                    f"Seeded use case {i} about {topic.lower()}.",
                )
                ucs.append(
                    {
                        "id": uc_id,
                        "name": name,
                        "description": description,
                        "search_text": text_search.search_text(name, description),
                        "created_by": bench["id"],
                        "created_at": at,
                        "updated_by": bench["id"],
                        "updated_at": at,
                    }
                )
                # The use case's sort keys, copied as the store copies them (add_member).
                keys = {
                    "uc_name": name,
                    "uc_description": description[:DESCRIPTION_KEY],
                    "uc_created_at": at,
                    "uc_created_by": bench["username"],
                    "uc_updated_at": at,
                    "uc_updated_by": bench["username"],
                    "uc_owner": bench["username"],
                    "uc_datasets_count": 1,  # the one linked below
                }
                members.append(
                    {
                        "use_case_id": uc_id,
                        "user_id": bench["id"],
                        "role": "OWNER",
                        "can_share": True,
                        "created_at": at,
                        **keys,
                    }
                )
                if i < small_memberships:
                    members.append(
                        {
                            "use_case_id": uc_id,
                            "user_id": small["id"],
                            "role": "EDITOR",
                            "can_share": False,
                            "created_at": at,
                            **keys,
                        }
                    )
                ds = new_id()  # each use case its own dataset, as in use
                files.append(
                    {
                        "id": ds,
                        "version_id": new_id(),
                        "name": f"seed{i}.csv",
                        "categories": [],
                        "created_by": bench["id"],
                        "created_at": at,
                        "updated_by": bench["id"],
                        "updated_at": at,
                        "blob": blob.commit(),
                        "size": blob.size,
                        "row_count": described["row_count"],
                        "columns": described["columns"],
                    }
                )
                refs.append(
                    {
                        "id": new_id(),
                        "use_case_id": uc_id,
                        "entity_type": "dataset",
                        "entity_id": ds,
                        "created_by": bench["id"],
                        "created_at": at,
                    }
                )
                evs.append(
                    {
                        "use_case_id": uc_id,
                        "actor_id": bench["id"],
                        "verb": "created",
                        "entity_type": "useCase",
                        "entity_id": uc_id,
                        "entity_name": ucs[-1]["name"],
                        "at": at,
                    }
                )
                evs.append(
                    {
                        "use_case_id": uc_id,
                        "actor_id": bench["id"],
                        "verb": "added",
                        "entity_type": "dataset",
                        "entity_id": ds,
                        "entity_name": f"seed{i}.csv",
                        "at": at,
                    }
                )
            for table, rows in (
                (datasets, files),
                (use_cases, ucs),
                (memberships, members),
                (links, refs),
                (events, evs),
            ):
                conn.execute(table.insert(), rows)
            text_search.index(conn, ucs)
        recount_memberships(conn)
    store.close()
    return Seed(token, small_token, ids, link_datasets, share_users)


# -- scenarios ---------------------------------------------------------------------------------
Request = tuple[str, str, str]  # method, path (with query), body


@dataclass
class Scenario:
    key: str  # a short handle for the notes under the table
    name: str
    target: str  # "service" or "floor"
    make: Callable[[int], Request]  # the i-th request; writes never repeat a pair
    status: int
    token: str = ""
    result: dict = field(default_factory=dict)


def scenarios(s: Seed) -> list[Scenario]:
    """The rows of the table, floors first; the first row is what the ratios compare with."""
    n = len(s.use_cases)

    def uc(i: int) -> str:
        return s.use_cases[(i * 7919) % n]  # spread over the table, not a hot row

    def get(path: str) -> Callable[[int], Request]:
        return lambda i: ("GET", path, "")

    def link(i: int) -> Request:
        ds = s.link_datasets[(i // n) % len(s.link_datasets)]
        return "POST", f"{API}useCases/{s.use_cases[i % n]}/datasets/{ds}/", ""

    def share(i: int) -> Request:
        user = s.share_users[(i + i // n) % len(s.share_users)]  # alternates users, never repeats
        body = {
            "operation": "updateRoles",
            "roles": [{"role": "CONSUMER", "shareRecipientType": "user", "id": user}],
        }
        return "PATCH", f"{API}useCases/{s.use_cases[i % n]}/sharedRoles/", json.dumps(body)

    t, page = s.token, f"{API}useCases/?limit=100"
    return [
        Scenario("floor", "floor: bare tornado, tiny JSON", "floor", get("/floor/json"), 200),
        Scenario("hops", "floor: bare tornado + 2 executor hops", "floor", get("/floor/hops"), 200),
        Scenario(
            "health",
            "`GET health/` (our handler, no token, no DB)",
            "service",
            get(f"{API}health/"),
            200,
        ),
        Scenario(
            "me", "`GET users/me/` (token check only)", "service", get(f"{API}users/me/"), 200, t
        ),
        Scenario(
            "get",
            "`GET useCases/{id}/`",
            "service",
            lambda i: ("GET", f"{API}useCases/{uc(i)}/", ""),
            200,
            t,
        ),
        Scenario("list", "`GET useCases/?limit=100`", "service", get(page), 200, t),
        Scenario(
            "name",
            "`GET useCases/?limit=100&orderBy=name`",
            "service",
            get(f"{page}&orderBy=name"),
            200,
            t,
        ),
        Scenario(
            "search",
            f"`GET useCases/?limit=100&search=churn` ({n // len(TOPICS):,} match)",
            "service",
            get(f"{page}&search=churn"),
            200,
            t,
        ),
        Scenario(
            "last",
            f"`GET useCases/?limit=100&offset={max(0, n - 100)}` (last page)",
            "service",
            get(f"{page}&offset={max(0, n - 100)}"),
            200,
            t,
        ),
        Scenario(
            "small",
            f"`GET useCases/?limit=100`, user in {SMALL_MEMBERSHIPS} use cases",
            "service",
            get(page),
            200,
            s.small_token,
        ),
        Scenario(
            "link", "`POST useCases/{id}/datasets/{dsid}/` (fresh pair)", "service", link, 201, t
        ),
        Scenario(
            "share",
            "`PATCH useCases/{id}/sharedRoles/` (CONSUMER, fresh pair)",
            "service",
            share,
            204,
            t,
        ),
    ]


# -- clients -----------------------------------------------------------------------------------
def headers(token: str) -> dict[str, str]:
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = f"Token {token}"
    return h


class Timer:
    """One keep-alive connection timing the requests of one scenario, in order."""

    def __init__(self, base: str, sc: Scenario, start: int = 0) -> None:
        self.conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=30)
        self.sc, self.i, self.headers = sc, start, headers(sc.token)

    def once(self) -> float:
        method, path, body = self.sc.make(self.i)
        self.i += 1
        t0 = time.perf_counter()
        self.conn.request(method, path, body.encode() or None, self.headers)
        resp = self.conn.getresponse()
        data = resp.read()
        elapsed = time.perf_counter() - t0
        if resp.status != self.sc.status:
            raise RuntimeError(f"{self.sc.name}: {method} {path} -> {resp.status} {data[:300]!r}")
        return elapsed


def sequential(
    urls: dict,
    sc: Scenario,
    floor: Scenario,
    budget_s: float,
    max_n: int,
    max_warm: int,
    block: int = 20,
) -> int:
    """Time ``sc`` one request at a time, in blocks interleaved with blocks of the floor.

    Interleaving puts the machine's noise on both alike, so the ratio holds on a busy machine.
    Returns the index of the next fresh request of ``sc``.
    """
    timer, base = Timer(urls[sc.target], sc), Timer(urls["floor"], floor)
    probe = [timer.once() for _ in range(20)]
    mean = statistics.fmean(probe)
    for _ in range(max(0, min(max_warm, int(budget_s / 10 / mean)) - len(probe))):
        timer.once()
    for _ in range(50):
        base.once()
    n = max(100, min(max_n, int(budget_s / mean)))
    samples: list[float] = []
    floor_samples: list[float] = []
    while len(samples) < n:
        samples += [timer.once() for _ in range(min(block, n - len(samples)))]
        floor_samples += [base.once() for _ in range(block)]
    timer.conn.close()
    base.conn.close()
    samples.sort()
    sc.result.update(
        n=n,
        p50=1000 * samples[n // 2],
        p95=1000 * samples[int(n * 0.95)],
        seq_rps=n / sum(samples),
        floor_p50=1000 * statistics.median(floor_samples),
    )
    return timer.i


LUA = r"""
-- Cycle through a file of requests, one per line: METHOD<TAB>PATH<TAB>BODY.
local reqs, n, counter = {}, 0, 1
function init(args)
  for line in io.lines(args[1]) do
    local m, p, b = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    n = n + 1
    if b == "" then b = nil end
    reqs[n] = wrk.format(m, p, nil, b)
  end
end
function request()
  local r = reqs[counter]
  counter = counter % n + 1
  return r
end
"""


def throughput(
    base: str, sc: Scenario, start: int, seconds: float, connections: int, tmp: Path
) -> int:
    """Requests per second with ``connections`` at once: wrk if installed, else threads."""
    if shutil.which("wrk"):
        return _wrk(base, sc, start, seconds, connections, tmp)
    return _threads(base, sc, start, seconds, connections)


def _wrk(base: str, sc: Scenario, start: int, seconds: float, connections: int, tmp: Path) -> int:
    write = sc.make(0)[0] != "GET"
    count = 40_000 if write else 2_000  # writes need a fresh pair per request
    lines = ["\t".join(sc.make(start + k)) for k in range(count)]
    (tmp / "requests.txt").write_text("\n".join(lines) + "\n")
    (tmp / "script.lua").write_text(LUA)
    cmd = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--latency",
        "-s",
        str(tmp / "script.lua"),
    ]
    for k, v in headers(sc.token).items():
        cmd += ["-H", f"{k}: {v}"]
    cmd += [base, "--", str(tmp / "requests.txt")]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    if bad or errors or (write and total > count):
        raise RuntimeError(f"{sc.name}: wrk saw failures or reused requests:\n{out}")
    sc.result.update(rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), client="wrk")
    return start + total


def _threads(base: str, sc: Scenario, start: int, seconds: float, connections: int) -> int:
    netloc = urlsplit(base).netloc
    hdrs = headers(sc.token)
    lock = threading.Lock()
    state = {"next": start, "done": 0}
    failures: list[str] = []
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(netloc, timeout=30)
        while time.perf_counter() < deadline and not failures:
            with lock:
                i = state["next"]
                state["next"] += 1
            method, path, body = sc.make(i)
            conn.request(method, path, body.encode() or None, hdrs)
            resp = conn.getresponse()
            resp.read()
            if resp.status != sc.status:
                failures.append(f"{sc.name}: {method} {path} -> {resp.status}")
            with lock:
                state["done"] += 1
        conn.close()

    t0 = time.perf_counter()
    workers = [threading.Thread(target=worker) for _ in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if failures:
        raise RuntimeError(failures[0])
    sc.result.update(rps=state["done"] / (time.perf_counter() - t0), client="threads")
    return state["next"]


# -- report ------------------------------------------------------------------------------------
def machine() -> str:
    import sqlalchemy
    import tornado

    cpuinfo = Path("/proc/cpuinfo")
    models = [
        line.split(":", 1)[1].strip()
        for line in (cpuinfo.read_text().splitlines() if cpuinfo.exists() else [])
        if line.startswith("model name")
    ]
    cpu = models[0] if models else platform.processor() or platform.machine()
    wrk = "absent (Python thread pool)"
    if shutil.which("wrk"):
        proc = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
        wrk = (proc.stdout + proc.stderr).split()[1]
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Linux {platform.release()}; "
        f"Python {platform.python_version()}, tornado {tornado.version}, "
        f"SQLAlchemy {sqlalchemy.__version__}, SQLite {sqlite3.sqlite_version}; wrk {wrk}"
    )


def table(rows: list[Scenario], connections: int) -> str:
    out = [
        "| Scenario | n | p50 ms | p95 ms | req/s, 1 conn | "
        f"req/s, {connections} conns | p50 x floor | floor req/s ÷ ours |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for sc in rows:
        r = sc.result
        out.append(
            f"| {sc.name} | {r['n']:,} | {r['p50']:.2f} | {r['p95']:.2f} | "
            f"{r['seq_rps']:,.0f} | {r['rps']:,.0f} | {r['p50'] / r['floor_p50']:.1f}x | "
            f"{r['floor_rps'] / r['rps']:.1f}x |"
        )
    return "\n".join(out)


def notes(rows: list[Scenario], args: argparse.Namespace) -> str:
    """What this run's numbers say, computed from them so that they never go stale."""
    r = {sc.key: sc.result for sc in rows}

    def x(key: str) -> float:
        return r[key]["p50"] / r[key]["floor_p50"]

    def p50(a: str, b: str) -> str:
        return f"{r[a]['p50'] / r[b]['p50']:.1f}x"

    return "\n".join(
        [
            f"- `GET useCases/{{id}}/`: p50 {x('get'):.1f}x the floor, "
            f"{x('get') / x('hops'):.1f}x the floor with the same two executor hops; "
            f"the token check alone is {x('me'):.1f}x.",
            f"- First page: {r['list']['p50']:.1f} ms for the user in all {args.use_cases:,} use "
            f"cases vs {r['small']['p50']:.1f} ms for the user in "
            f"{SMALL_MEMBERSHIPS} ({p50('list', 'small')}); the last page "
            f"{p50('last', 'list')} and "
            f"search {p50('search', 'list')} the first page.",
            f"- {args.connections} connections vs 1, req/s: floor "
            f"{r['floor']['rps'] / r['floor']['seq_rps']:.1f}x, `GET useCases/{{id}}/` "
            f"{r['get']['rps'] / r['get']['seq_rps']:.1f}x, first page "
            f"{r['list']['rps'] / r['list']['seq_rps']:.1f}x, link "
            f"{r['link']['rps'] / r['link']['seq_rps']:.1f}x.",
        ]
    )


def section(body: str, args: argparse.Namespace, load: float) -> str:
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    c, secs = args.connections, f"{args.seconds:g}"
    load_client = (
        f"`wrk -t1 -c{c} -d{secs}s` (every response's status checked)"
        if shutil.which("wrk")
        else f"a Python thread pool of {c} keep-alive connections for {secs} s"
    )
    prose = [
        f"Run on {when}: {machine()}; load average {load:.2f} at the start. The machine is "
        "shared and noisy: compare the ratios within one run rather than absolute numbers "
        "across runs.",
        f"The store holds {args.use_cases:,} use cases, all owned by the benchmarking user, one "
        "dataset linked to each, bulk-inserted in one transaction; a second user is EDITOR in "
        f"{SMALL_MEMBERSHIPS} of them. SQLite in WAL with `synchronous=FULL`, on the local disk. "
        "The service (`ServerThread`) and the floor (a bare tornado app on a second port) run in "
        "one child process; the load comes from the parent over loopback, so client and server "
        "share no GIL. *p50*, *p95* and *req/s, 1 conn* come from n sequential requests on one "
        f"keep-alive `http.client` connection, after up to {args.warmup} warm-up requests (n is "
        f"capped so that each row takes about {args.budget:g} s). *req/s, {c} conns* is "
        f"{load_client}. *p50 x floor* and *floor req/s ÷ ours* say how many times slower than "
        "bare tornado answering a tiny JSON body (the first row), with the floor measured again "
        "beside each row so that both see the same noise: its sequential requests interleaved "
        f"in blocks of 20 with the row's own, and a 1 s run of {c} connections just before the "
        "row's. Writes never repeat a pair: each "
        "link request links a new (use case, dataset) pair, each share grants CONSUMER on a new "
        "(use case, user) pair, alternating use cases and users.",
    ]
    text = "\n\n".join(textwrap.fill(p, 100, break_on_hyphens=False) for p in prose)
    return f"{HEADING}\n\n```\n{COMMAND}\n```\n\n{text}\n\n{body}\n"


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
        import replicas  # it reuses this module's seed, scenarios and clients

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
