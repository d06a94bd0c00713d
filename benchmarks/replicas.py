"""Throughput with one and two replicas on PostgreSQL, beside one service on SQLite.

Each configuration gets a store of the same shape, seeded in bulk by ``benchmarks/_bulk_seed.py``
(100,000 use cases by default): SQLite in a data dir; PostgreSQL in a throwaway cluster of
this machine's PostgreSQL binaries (the tests' ``tests/pg.py``), served by one ``ucwidgets``
process, then by two on the same database and data dir. Each service runs in a child process of
its own; the load comes from this process over loopback with ``--connections`` in all, split
evenly across the replicas (``wrk`` when installed, one per replica at once, else a Python thread
pool), so a configuration's requests per second is the sum over its replicas. Writes never
repeat a (use case, dataset) pair. The table goes into ``benchmarks/README.md``.

Usage::

    .venv/bin/python benchmarks/replicas.py                  # 100,000 use cases, the README
    .venv/bin/python benchmarks/replicas.py --use-cases 1000 --seconds 1 --no-readme
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import _readme
from _bulk_seed import LINK_DATASETS, seed
from _service_clients import sequential, throughput
from _service_scenarios import Scenario, scenarios

ROOT = Path(__file__).resolve().parents[1]
SERVICE = Path(__file__).resolve().with_name("service.py")  # its --child serves a store
#: The rows: one read of a row, the first page of a listing, and a write.
ROWS = ("get", "list", "link")


@contextmanager
def serving(data_dir: Path, database_url: str | None):
    """One service in a child process; yields its URLs."""
    cmd = [sys.executable, str(SERVICE), "--child", str(data_dir)]
    if database_url:
        cmd += ["--child-database-url", database_url]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        yield json.loads(proc.stdout.readline())
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)


def measure(
    bases: list[str],
    sc: Scenario,
    start: int,
    stride: int,
    seconds: float,
    connections: int,
    tmp: Path,
) -> float:
    """Requests per second of ``sc`` with ``connections`` split over ``bases``, all at once;
    the client of replica ``k`` makes requests from ``start + k * stride`` on, so that no write
    repeats another's (use case, dataset) pair."""
    results: list[float] = [0.0] * len(bases)

    def run(k: int) -> None:
        one = dataclasses.replace(sc, result={})
        folder = tmp / f"client{k}"
        folder.mkdir(exist_ok=True)
        share = connections // len(bases)
        throughput(bases[k], one, start + k * stride, seconds, share, folder)
        results[k] = one.result["rps"]

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(bases))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(results)


def configuration(
    label: str, replicas: int, database_url: str | None, args: argparse.Namespace, tmp: Path
) -> dict[str, float]:
    data = tmp / label.replace(" ", "-")
    t0 = time.perf_counter()
    seeded = seed(data, args.use_cases, database_url=database_url)
    print(
        f"{label}: seeded {args.use_cases:,} in {time.perf_counter() - t0:.0f} s", file=sys.stderr
    )
    rows = {sc.key: sc for sc in scenarios(seeded)}
    with ExitStack() as stack:
        urls = [stack.enter_context(serving(data, database_url)) for _ in range(replicas)]
        bases = [u["service"] for u in urls]
        found = {}
        stride = args.use_cases * LINK_DATASETS // 2  # half the fresh pairs a replica
        for key in ROWS:
            start = sequential(urls[0], rows[key], rows["floor"], 0.5, 50, 20)  # warm-up
            found[key] = measure(
                bases, rows[key], start, stride, args.seconds, args.connections, tmp
            )
            print(f"{label}: {key} {found[key]:.0f}/s", file=sys.stderr)
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--use-cases", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "tests"))
    from pg import PostgresCluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        sys.exit("PostgreSQL is not installed: apt-get install postgresql")
    load = os.getloadavg()[0]
    results = {}
    with tempfile.TemporaryDirectory(prefix="ucw-replicas-") as name:
        tmp = Path(name)
        results["SQLite, one service"] = configuration("sqlite", 1, None, args, tmp)
        cluster = PostgresCluster(bindir).start()
        try:
            for replicas in (1, 2):
                url = cluster.create_database(f"ucw_bench_{replicas}")
                label = f"PostgreSQL, {replicas} replica{'s' * (replicas > 1)}"
                results[label] = configuration(label, replicas, url, args, tmp)
        finally:
            cluster.stop()
    names = {"get": "`GET useCases/{id}/`", "list": "`GET useCases/?limit=100`"}
    names["link"] = "`POST useCases/{id}/datasets/{dsid}/`"
    head = ["requests/s", *results, "2 replicas ÷ 1"]
    lines = ["| " + " | ".join(head) + " |", "|---" + "|--:" * (len(head) - 1) + "|"]
    one, two = results["PostgreSQL, 1 replica"], results["PostgreSQL, 2 replicas"]
    for key in ROWS:
        cells = [names[key], *(f"{r[key]:,.0f}" for r in results.values())]
        lines.append("| " + " | ".join([*cells, f"{two[key] / one[key]:.2f}x"]) + " |")
    table = "\n".join(lines)
    print(table)
    if args.no_readme:
        return
    client = "wrk, one per replica at once" if shutil.which("wrk") else "a Python thread pool"
    _readme.write_section(
        "replicas",
        f"## Replicas (`benchmarks/replicas.py`)\n\n```\n.venv/bin/python benchmarks/replicas.py"
        f" --use-cases {args.use_cases}\n```\n\nRun on "
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC: {os.cpu_count()} CPUs, "
        f"{platform.platform()}; load average {load:.2f} at the start. {args.use_cases:,} use "
        f"cases seeded in bulk in each store; {args.connections} connections in all for "
        f"{args.seconds:g} s a row, split over the replicas ({client}). Client, services and "
        "PostgreSQL share the machine's cores, so a second replica adds a process, not a "
        f"machine.\n\n{table}\n",
    )


if __name__ == "__main__":
    main()
