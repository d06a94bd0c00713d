"""How the hot reads of the store grow with it: 10,000, 100,000 and 1,000,000 use cases.

Each size is a fresh SQLite store, bulk-seeded by ``_bulk_seed.seed`` (one transaction, no HTTP:
seeding a million use cases through the API would take hours on this machine), where the
benchmarking user owns every use case, one dataset linked to each, and a second user is a
member of 1% of them. The timings are of the store's calls in this process, that is the
service's work for a request without HTTP, the token check and JSON: median of ``--repeat``
calls after warm-up. The table is printed and written into ``benchmarks/README.md``.

Usage::

    .venv/bin/python benchmarks/scale.py                          # 10k, 100k, 1M; the README
    .venv/bin/python benchmarks/scale.py --sizes 10000,100000 --no-readme
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import _readme
from _bulk_seed import TOPICS, seed
from _service_report import machine

HERE = Path(__file__).resolve().parent


def median_ms(fn: Callable[[int], object], repeat: int) -> float:
    for i in range(3):
        fn(-1 - i)
    times = []
    for i in range(repeat):
        t0 = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def measure(n: int, repeat: int) -> tuple[dict[str, float], float]:
    """The rows for a store of ``n`` use cases, and the seconds its bulk seed took."""
    from ucwidgets.server.store import Store
    from ucwidgets.server.store.assets import Listing

    with tempfile.TemporaryDirectory(prefix="ucw-scale-") as tmp:
        t0 = time.perf_counter()
        s = seed(Path(tmp), n, small_memberships=max(1, n // 100))
        seeded = time.perf_counter() - t0
        store = Store.open(Path(tmp))
        try:
            me, small = store.users.authenticate(s.token), store.users.authenticate(s.small_token)
            rng = random.Random(n)
            pick = lambda: rng.randrange(n)  # noqa: E731
            name = lambda i: f"{TOPICS[i % len(TOPICS)]} model {i:05d}"  # noqa: E731
            rows = {
                "first page (100), owner of all": lambda i: store.use_cases.list(me, limit=100),
                "first page (100), member of 1%": lambda i: store.use_cases.list(small, limit=100),
                "search by exact name": lambda i: store.use_cases.list(
                    me, search=name(pick()), limit=100
                ),
                "one use case": lambda i: store.use_cases.get(me, s.use_cases[pick()]),
                "one use case's datasets": lambda i: store.catalog.list_datasets(
                    me, Listing(use_case_ids=[s.use_cases[pick()]]), category=None, order_by=None
                ),
                "search matching 10% (first page)": lambda i: store.use_cases.list(
                    me, search="churn", limit=100
                ),
            }
            return {k: median_ms(fn, repeat) for k, fn in rows.items()}, seeded
        finally:
            store.close()


def table(results: dict[int, dict[str, float]]) -> str:
    sizes = sorted(results)
    head = ["store call (p50, ms)", *(f"{n:,}" for n in sizes)]
    if len(sizes) > 1:
        head.append(f"{sizes[-1]:,} ÷ {sizes[0]:,}")
    lines = ["| " + " | ".join(head) + " |", "|---" + "|--:" * (len(head) - 1) + "|"]
    for row in results[sizes[0]]:
        cells = [row, *(f"{results[n][row]:.2f}" for n in sizes)]
        if len(sizes) > 1:
            cells.append(f"{results[sizes[-1]][row] / results[sizes[0]][row]:.2f}x")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    results, seeds = {}, {}
    for n in (int(x) for x in args.sizes.split(",")):
        results[n], seeds[n] = measure(n, args.repeat)
        print(f"{n:,}: seeded in {seeds[n]:.0f} s; {results[n]}", file=sys.stderr)
    body = table(results)
    print(body)
    if args.no_readme:
        return
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    seeded = ", ".join(f"{n:,} in {s:.0f} s" for n, s in seeds.items())
    _readme.write_section(
        "scale",
        "## Scale (`benchmarks/scale.py`)\n\n"
        f"Command: `.venv/bin/python benchmarks/scale.py --sizes {args.sizes}` on {when}, "
        f"{machine()}; load average {load:.2f} at the start. Bulk seeding (not through the "
        f"API): {seeded}. Store calls in-process, median of {args.repeat}; the exact name and "
        "the use case are drawn at random from the whole store.\n\n" + body,
    )
    print(f"\nwrote {_readme.README.name}", file=sys.stderr)


if __name__ == "__main__":
    main()
