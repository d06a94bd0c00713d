"""The report of ``service.py``: its table, the notes computed from it, and the README section
around them; ``machine`` is shared with ``scale.py`` and ``profiles.py``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sqlite3
import subprocess
import textwrap
from pathlib import Path

from _bulk_seed import SMALL_MEMBERSHIPS
from _service_scenarios import Scenario

HEADING = "## Service (`benchmarks/service.py`)"
COMMAND = ".venv/bin/python benchmarks/service.py"


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
