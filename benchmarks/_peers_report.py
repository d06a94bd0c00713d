"""The report of ``peers.py``: the table with its ratios per pair, and the README section around
it."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sqlite3
import textwrap
from pathlib import Path

import requests
from _peers_runs import FRAME_RUNS, MIX, MIXED_THREADS, Result

ROWS = (
    ("create, p50", "create", "p50", "ms"),
    ("search by exact name, p50", "search", "p50", "ms"),
    ("first page (100), p50", "page", "p50", "ms"),
    ("link an asset (MLflow: set a tag), p50", "link", "p50", "ms"),
    ("get one, p50", "get", "p50", "ms"),
    ("every use case into a DataFrame, p50", "frame", "p50", "ms"),
    ("errors in the rows above", "seq", "errors", ""),
    (f"{MIXED_THREADS} threads mixed, ops/s", "mixed", "ops", "ops/s"),
    (f"{MIXED_THREADS} threads mixed, p99", "mixed", "p99", "ms"),
    (f"{MIXED_THREADS} threads mixed, errors", "mixed", "errors", ""),
    ("cold start to the first answer", "cold", "p50", "ms"),
    ("RSS at the first answer", "cold", "rss", "MB"),
    ("seeding through the API, per second", "seed", "ops", "/s"),
)


def value(r: Result, attr: str) -> float:
    return r.extra[attr] if attr in r.extra else getattr(r, attr)


def fmt(v: float, unit: str) -> str:
    if v != v:  # NaN: not measured for this configuration
        return "(the same store)"
    if unit == "ms" and v >= 1000:
        return f"{v / 1000:.1f} s"
    if unit in ("ops/s", "/s", "MB", ""):
        return f"{v:,.0f}{' ' + unit if unit in ('MB',) else ''}"
    return f"{v:.1f} {unit}"


def table(results: dict[str, dict[str, Result]]) -> str:
    labels = list(results)
    ours = labels[0] if labels and labels[0] == "ucwidgets" else None
    others = [lab for lab in labels if lab != ours]
    head = ["scenario", *labels]
    if ours:
        head += [f"{o} ÷ ucwidgets" for o in others]
    lines = ["| " + " | ".join(head) + " |", "|---" + "|--:" * (len(head) - 1) + "|"]
    for title, key, attr, unit in ROWS:
        cells = [title]
        for lab in labels:
            cells.append(fmt(value(results[lab][key], attr), unit))
        if ours:
            mine = value(results[ours][key], attr)
            for o in others:
                theirs = value(results[o][key], attr)
                if attr == "errors" or theirs != theirs or mine != mine:  # counts, or NaN
                    cells.append("")
                elif attr == "ops":  # higher is better: how many times ours
                    cells.append(f"{mine / theirs:.1f}x" if theirs else "")
                else:
                    cells.append(f"{theirs / mine:.1f}x" if mine else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine(mlflow_version: str | None) -> str:
    import sqlalchemy
    import tornado

    import ucwidgets

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    parts = [
        f"{os.cpu_count()} CPUs ({cpu}), Linux {platform.release()}",
        f"Python {platform.python_version()}",
        f"ucwidgets {ucwidgets.__version__}",
        f"tornado {tornado.version}",
        f"SQLAlchemy {sqlalchemy.__version__}",
        f"SQLite {sqlite3.sqlite_version}",
        f"requests {requests.__version__}",
    ]
    if mlflow_version:
        parts.append(f"MLflow {mlflow_version}")
    return "; ".join(parts)


def section(body: str, args: argparse.Namespace, mlflow_version: str | None, load: float) -> str:
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    command = ".venv/bin/python benchmarks/peers.py" + (
        f" --seed {args.seed}" if args.seed != 10_000 else ""
    )
    prose = textwrap.fill(
        f"Run on {when}: {machine(mlflow_version)}; load average {load:.2f} at the start. "
        f"Each service in turn, alone, on 127.0.0.1, on SQLite: `ucwidgets serve` and MLflow's "
        f"tracking server (`mlflow server --backend-store-uri sqlite:///...`) as shipped and with "
        f"`--workers 1`. Each is seeded through its API with `requests` ({args.seed:,} use cases "
        f"or experiments, {args.seed_threads} client threads); then each row is sequential "
        f"requests on one `requests.Session` for up to {args.budget:g} s or {args.requests:,} "
        f"requests (after 20 warm-up requests), and the mixed row is {MIXED_THREADS} threads, "
        f"each with its own session, for {args.mixed_seconds:g} s (weights: "
        + ", ".join(f"{k} {w}" for k, w in MIX)
        + "). Search is by the exact name of a random seeded item (ucwidgets: `search=`; MLflow: "
        "`filter name = '...'`); the first page is 100 items in the default order; link posts a "
        "fresh (use case, dataset) pair (MLflow: sets a fresh experiment tag). The DataFrame row "
        "reads every item (the seeded ones and those the rows before created) into pandas: "
        "ucwidgets with `UseCase.list().to_frame()`, MLflow by paging its REST search 1,000 at a "
        "time into `pandas.DataFrame.from_records`; the median of "
        f"{FRAME_RUNS} runs after one warm-up. Cold start is from "
        "starting the process to the first 200 of its health route; RSS is of the process and "
        "its children then. Ratios are how many times ucwidgets is faster (or, for ops/s, "
        "higher).",
        100,
        break_on_hyphens=False,
    )
    return f"## Peers (`benchmarks/peers.py`)\n\n```\n{command}\n```\n\n{prose}\n\n{body}\n"
