"""ucwidgets beside MLflow's tracking server, seeded and driven the same way, in one run.

MLflow is a benchmark dependency only: this script creates a virtual environment of its own
(``benchmarks/.peers-venv``, ignored by git) and installs MLflow there from PyPI on first use.
Three services run in turn on 127.0.0.1, each in its own process: ``ucwidgets serve`` (SQLite),
MLflow's tracking server on its SQLite backend as shipped (its default uvicorn workers), and
MLflow at its best (``--workers 1``). Each is seeded through its own API with ``requests`` (use
cases there, experiments here), then every scenario runs against it with the same ``requests``
client, bounded in time. The table with ratios per pair is printed and written into
``benchmarks/README.md`` under its own heading.

Usage::

    .venv/bin/python benchmarks/peers.py                      # full run, updates the README
    .venv/bin/python benchmarks/peers.py --quick              # 1,000 seeded, short, no README
    .venv/bin/python benchmarks/peers.py --seed 100000 --only ucwidgets --no-readme
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import _readme
from _peers_processes import ensure_mlflow
from _peers_report import section, table
from _peers_runs import Result, floor_rps, run_peer
from _peers_services import Mlflow, Ucwidgets

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = HERE / ".peers-venv"
MLFLOW_VERSION = "3.17.2"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=10_000, help="use cases / experiments")
    parser.add_argument("--seed-threads", type=int, default=8)
    parser.add_argument("--budget", type=float, default=8.0, help="seconds per row at most")
    parser.add_argument("--requests", type=int, default=500, help="requests per row at most")
    parser.add_argument("--mixed-seconds", type=float, default=20.0)
    parser.add_argument("--mlflow-version", default=MLFLOW_VERSION)
    parser.add_argument("--venv", type=Path, default=VENV, help="MLflow's virtual environment")
    parser.add_argument(
        "--only", choices=("ucwidgets", "mlflow"), help="measure one side only (no README)"
    )
    parser.add_argument("--quick", action="store_true", help="1,000 seeded, short rows, no README")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.seed, args.budget, args.requests, args.mixed_seconds = 1_000, 2.0, 200, 5.0
    if args.quick or args.only:
        args.no_readme = True
    if args.seed < 1:
        parser.error("--seed must be at least 1")

    load = os.getloadavg()[0]
    results: dict[str, dict[str, Result]] = {}
    mlflow_version = None
    with tempfile.TemporaryDirectory(prefix="ucw-peers-") as tmp_name:
        tmp = Path(tmp_name)
        if args.only != "mlflow":
            results["ucwidgets"] = run_peer(Ucwidgets(tmp / "ucwidgets"), args)
            floor = floor_rps(tmp / "floor", args)
        if args.only != "ucwidgets":
            exe = ensure_mlflow(args.venv, args.mlflow_version)
            mlflow_version = subprocess.run(
                [str(exe), "--version"], capture_output=True, text=True, check=True
            ).stdout.split()[-1]
            # Both configurations start from the same database, seeded through the API once.
            seeded: tuple[list[str], list[str]] | None = None
            snapshot = tmp / "mlflow-seeded.db"
            for workers in (None, 1):
                db = tmp / f"mlflow-{workers or 'default'}.db"
                if seeded is not None:
                    shutil.copy(snapshot, db)
                peer = Mlflow(tmp / f"mlflow-{workers or 'default'}", exe, workers, db)
                results[peer.label] = run_peer(peer, args, seeded, snapshot)
                seeded = (peer.ids, peer.names)
    body = table(results)
    if "ucwidgets" in results:
        ours = results["ucwidgets"]["get"].ops
        body += (
            f"\n\nGET one use case: {ours:,.0f} requests/s on one connection; a bare tornado "
            f"JSON handler measured in the same run with the same client: {floor:,.0f}/s "
            f"(ucwidgets at {100 * ours / floor:.0f}% of it)."
        )
    print(body)
    if not args.no_readme:
        _readme.write_section("peers", section(body, args, mlflow_version, load))
        print(f"\nwrote {_readme.README.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
