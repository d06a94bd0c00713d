"""Where the service's time goes in its hot calls: cProfile of each, by library and by function.

The rows of ``benchmarks/README.md`` that miss their target point here for what bounds them.
The store is bulk-seeded as in ``benchmarks/scale.py`` (``_bulk_seed.seed``: use cases the
benchmarking user owns, one dataset linked to each, a second user in 1% of them). Each call is
the store's, in this process (the work of a request without HTTP), first timed (median of
``--repeat``), then run ``--repeat`` times more under cProfile. Its time is split by where it is
spent: SQLite itself (the C calls of ``sqlite3``), SQLAlchemy's Python, ucwidgets' own Python,
and the rest (the standard library: ``json``, ``datetime``, ...); then the functions with the
most time of their own.

Usage::

    .venv/bin/python benchmarks/profiles.py                 # 10,000 use cases; the README
    .venv/bin/python benchmarks/profiles.py --use-cases 100000 --no-readme
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import itertools
import os
import pstats
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import _readme
from _bulk_seed import TOPICS, seed
from _service_report import machine
from scale import median_ms

TOP = 4  # functions listed per call


def where(path: str, name: str) -> str:
    """The part of the stack a profiled function belongs to."""
    if "sqlite3" in name or "_sqlite3" in path:
        return "SQLite"
    if "/sqlalchemy/" in path:
        return "SQLAlchemy"
    if "/ucwidgets/" in path:
        return "ucwidgets"
    return "other"


def profile(fn: Callable[[int], object], repeat: int) -> tuple[float, dict[str, float], list]:
    """Median ms of ``fn``, the share of its time per part, and its top functions."""
    p50 = median_ms(fn, repeat)
    prof = cProfile.Profile()
    prof.enable()
    for i in range(repeat, 2 * repeat):
        fn(i)
    prof.disable()
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    parts: dict[str, float] = {}
    funcs = []
    for (path, line, name), (_cc, _nc, tottime, _ct, _callers) in stats.items():
        part = where(path, name)
        parts[part] = parts.get(part, 0.0) + tottime
        short = name if path == "~" else f"{Path(path).name}:{line}({name})"
        funcs.append((tottime, part, short))
    total = sum(parts.values()) or 1.0
    shares = {k: v / total for k, v in parts.items()}
    funcs.sort(reverse=True)
    return p50, shares, [(t / total, p, f) for t, p, f in funcs[:TOP]]


def calls(store, s, n: int) -> dict[str, Callable[[int], object]]:
    me, small = store.users.authenticate(s.token), store.users.authenticate(s.small_token)
    rng = random.Random(n)
    pick = lambda: s.use_cases[rng.randrange(n)]  # noqa: E731
    fresh = itertools.count()

    def name(i: int) -> str:
        return f"{TOPICS[i % len(TOPICS)]} model {i:05d}"

    def link(_: int) -> object:
        # Each call a fresh (use case, dataset) pair, as a user linking an asset makes.
        k = next(fresh)
        ds = s.link_datasets[1 + (k // n) % (len(s.link_datasets) - 1)]
        return store.assets.add_link(me, s.use_cases[k % n], "dataset", ds)

    return {
        "token check": lambda i: store.users.authenticate(s.token),
        "one use case": lambda i: store.use_cases.get(me, pick()),
        "first page (100), owner of all": lambda i: store.use_cases.list(me, limit=100),
        "first page (100), member of 1%": lambda i: store.use_cases.list(small, limit=100),
        "page of 1,000 (a whole listing's page)": lambda i: store.use_cases.list(
            me, limit=1000, offset=1000 * (i % max(1, n // 1000))
        ),
        "search by exact name": lambda i: store.use_cases.list(
            me, search=name(rng.randrange(n)), limit=100
        ),
        "create a use case": lambda i: store.use_cases.create(me, {"name": f"Profiled {i}"}),
        "link a dataset (fresh pair)": link,
    }


def run(n: int, repeat: int) -> list[tuple[str, float, dict[str, float], list]]:
    from ucwidgets.server.store import Store

    with tempfile.TemporaryDirectory(prefix="ucw-profiles-") as tmp:
        s = seed(Path(tmp), n, small_memberships=max(1, n // 100))
        store = Store.open(Path(tmp))
        try:
            return [(label, *profile(fn, repeat)) for label, fn in calls(store, s, n).items()]
        finally:
            store.close()


PARTS = ("SQLite", "SQLAlchemy", "ucwidgets", "other")


def table(rows: list[tuple[str, float, dict[str, float], list]]) -> str:
    head = ["store call", "p50 ms", *(f"{p} %" for p in PARTS), "most time of its own"]
    lines = ["| " + " | ".join(head) + " |", "|---|--:" + "|--:" * len(PARTS) + "|---|"]
    for label, p50, shares, top in rows:
        tops = "; ".join(f"`{f}` {100 * t:.0f}%" for t, _p, f in top)
        cells = [label, f"{p50:.2f}", *(f"{100 * shares.get(p, 0):.0f}" for p in PARTS), tops]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--use-cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    body = table(run(args.use_cases, args.repeat))
    print(body)
    if args.no_readme:
        return
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    command = ".venv/bin/python benchmarks/profiles.py" + (
        f" --use-cases {args.use_cases}" if args.use_cases != 10_000 else ""
    )
    _readme.write_section(
        "profiles",
        "## Profiles (`benchmarks/profiles.py`)\n\n"
        f"Command: `{command}` on {when}, {machine()}; load average {load:.2f} at the "
        f"start. {args.use_cases:,} use cases bulk-seeded; each store call timed (median of "
        f"{args.repeat}), then profiled over {args.repeat} more. The parts split the call's "
        "own time: SQLite (the C calls of `sqlite3`), SQLAlchemy's Python, ucwidgets' Python, "
        "and the rest (standard library). cProfile slows Python more than C, so the shares "
        "overstate the Python parts somewhat.\n\n" + body,
    )
    print(f"\nwrote {_readme.README.name}", file=sys.stderr)


if __name__ == "__main__":
    main()
