"""The runs of ``peers.py``: seeding a service through its API, the timed rows, the mixed load of
several threads, and the floor (a bare tornado JSON handler with the same client)."""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
from _peers_processes import free_port, start, tree_rss_mb
from _peers_services import Peer, expect

TOPICS = ("Churn", "Fraud", "Risk", "Pricing", "Demand", "Retention", "Credit", "Claims")
MIXED_THREADS = 8
FRAME_RUNS = 7  # the whole listing into pandas: a few runs, each reads every seeded item


def name_of(i: int) -> str:
    return f"{TOPICS[i % len(TOPICS)]} model {i:07d}"


def seed(peer: Peer, count: int, threads: int) -> float:
    """Create ``count`` use cases / experiments through the API; return the seconds it took."""
    t0 = time.perf_counter()
    local = threading.local()

    def one(i: int) -> tuple[int, str]:
        for attempt in range(5):
            if attempt or not hasattr(local, "s"):
                local.s = peer.new_session()
            try:
                return i, peer.create(local.s, name_of(i))
            except requests.ConnectionError:  # a worker restarting under load; seeding goes on
                time.sleep(1)
        raise RuntimeError(f"{peer.label}: could not create {name_of(i)!r}")

    with ThreadPoolExecutor(threads) as pool:
        made = dict(pool.map(one, range(count)))
    peer.ids = [made[i] for i in range(count)]
    peer.names = [name_of(i) for i in range(count)]
    return time.perf_counter() - t0


@dataclass
class Result:
    n: int = 0
    p50: float = 0.0  # ms
    p99: float = 0.0
    ops: float = 0.0  # per second
    errors: int = 0
    extra: dict = field(default_factory=dict)


def timed(fn: Callable[[int], None], budget_s: float, max_n: int, warm: int = 20) -> Result:
    """Sequential requests of one kind, bounded by ``budget_s`` and ``max_n``."""
    for i in range(warm):
        fn(-1 - i)
    samples: list[float] = []
    deadline = time.perf_counter() + budget_s
    i = errors = 0
    while i < max_n and time.perf_counter() < deadline:
        t0 = time.perf_counter()
        try:
            fn(i)
        except (requests.ConnectionError, RuntimeError) as e:  # counted; the row goes on
            errors += 1
            print(f"  error: {e}", file=sys.stderr)
        samples.append(time.perf_counter() - t0)
        i += 1
    samples.sort()
    return Result(
        n=len(samples),
        p50=1000 * statistics.median(samples),
        p99=1000 * samples[min(len(samples) - 1, int(len(samples) * 0.99))],
        ops=len(samples) / sum(samples),
        errors=errors,
    )


MIX = (("create", 2), ("get", 3), ("page", 2), ("search", 2), ("link", 1))


def mixed(peer: Peer, seconds: float, threads: int, created: Iterator[int]) -> Result:
    """``threads`` clients each looping over a random mix of operations for ``seconds``."""
    kinds = [k for k, w in MIX for _ in range(w)]
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(seed_: int) -> None:
        rng, s = random.Random(seed_), peer.new_session()
        mine: list[float] = []
        while time.perf_counter() < deadline:
            kind = rng.choice(kinds)
            with lock:
                k = next(created)
            t0 = time.perf_counter()
            try:
                if kind == "create":
                    peer.create(s, f"Mixed {k:07d}")
                elif kind == "get":
                    peer.get_one(s, rng.randrange(len(peer.ids)))
                elif kind == "page":
                    peer.first_page(s)
                elif kind == "search":
                    peer.search(s, peer.names[rng.randrange(len(peer.names))])
                else:
                    peer.link(s, k)
            except Exception as e:  # counted, and the first few shown
                with lock:
                    errors.append(f"{kind}: {e}")
            mine.append(time.perf_counter() - t0)
        with lock:
            lat.extend(mine)

    t0 = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - t0
    lat.sort()
    for e in errors[:3]:
        print(f"  mixed error: {e}", file=sys.stderr)
    return Result(
        n=len(lat),
        p50=1000 * statistics.median(lat),
        p99=1000 * lat[int(len(lat) * 0.99)],
        ops=len(lat) / wall,
        errors=len(errors),
    )


def run_peer(
    peer: Peer,
    args: argparse.Namespace,
    seeded: tuple[list[str], list[str]] | None = None,
    snapshot: Path | None = None,
) -> dict[str, Result]:
    """Seed (unless ``seeded`` gives the ids and names already in its store) and measure one
    service; with ``snapshot``, copy its freshly seeded SQLite database there. The service is
    stopped before this returns."""
    out: dict[str, Result] = {}
    peer.launch()
    try:
        peer.prepare()
        if seeded is None:
            secs = seed(peer, args.seed, args.seed_threads)
            print(f"{peer.label}: seeded {args.seed:,} in {secs:.1f} s", file=sys.stderr)
            out["seed"] = Result(n=args.seed, ops=args.seed / secs)
            if snapshot is not None:
                with sqlite3.connect(peer.db) as src, sqlite3.connect(snapshot) as dst:
                    src.backup(dst)
        else:
            peer.ids, peer.names = seeded
            out["seed"] = Result(ops=float("nan"))
        s, b, m = peer.session, args.budget, args.requests
        counter = iter(range(10**9))
        out["create"] = timed(lambda i: peer.create(s, f"Timed {next(counter):07d}"), b, m)
        rng = random.Random(1)
        names = peer.names
        out["search"] = timed(lambda i: peer.search(s, names[rng.randrange(len(names))]), b, m)
        out["page"] = timed(lambda i: peer.first_page(s), b, m)
        links = iter(range(len(peer.ids), 10**9))
        out["link"] = timed(lambda i: peer.link(s, next(links)), b, m)
        out["get"] = timed(lambda i: peer.get_one(s, rng.randrange(len(peer.ids))), b, m)
        sizes: list[int] = []
        out["frame"] = timed(lambda i: sizes.append(peer.whole_frame()), b * 2, FRAME_RUNS, warm=1)
        out["frame"].extra["rows"] = min(sizes)
        rows = ("create", "search", "page", "link", "get", "frame")
        out["seq"] = Result(errors=sum(out[k].errors for k in rows))
        out["mixed"] = mixed(peer, args.mixed_seconds, MIXED_THREADS, links)
        out["cold"] = Result(
            p50=1000 * peer.running.cold_start_s, extra={"rss": peer.running.cold_rss_mb}
        )
        out["rss_after"] = Result(extra={"rss": tree_rss_mb(peer.running.proc.pid)})
        for key, r in out.items():
            print(
                f"  {key}: p50 {r.p50:.1f} ms p99 {r.p99:.1f} ms ops/s {r.ops:.0f}", file=sys.stderr
            )
    finally:
        peer.running.stop()
    return out


FLOOR_APP = """
import asyncio, sys, tornado.web
class Json(tornado.web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "application/json")
        self.finish(b'{"ok": true}')
async def main():
    tornado.web.Application([(r"/json", Json)]).listen(int(sys.argv[1]), "127.0.0.1")
    await asyncio.Event().wait()
asyncio.run(main())
"""


def floor_rps(workdir: Path, args: argparse.Namespace) -> float:
    """Sequential requests per second of a bare tornado JSON handler, same client."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    cmd = [sys.executable, "-c", FLOOR_APP, str(port)]
    running = start(cmd, f"http://127.0.0.1:{port}/json", workdir / "log")
    try:
        s = requests.Session()
        url = f"{running.base}/json"
        return timed(lambda i: expect(s.get(url), 200), args.budget, args.requests).ops
    finally:
        running.stop()
