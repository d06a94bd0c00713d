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
import contextlib
import datetime as dt
import os
import platform
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import _readme
import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = HERE / ".peers-venv"
MLFLOW_VERSION = "3.17.2"
TOPICS = ("Churn", "Fraud", "Risk", "Pricing", "Demand", "Retention", "Credit", "Claims")
LINK_DATASETS = 8  # datasets a use case can be linked to: fresh pairs for 8 x the seed
MIXED_THREADS = 8
FRAME_RUNS = 7  # the whole listing into pandas: a few runs, each reads every seeded item


# -- processes ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


@dataclass
class Running:
    proc: subprocess.Popen
    base: str  # e.g. http://127.0.0.1:1234
    cold_start_s: float
    cold_rss_mb: float

    def stop(self) -> None:
        """Stop the service and every process of its session."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=20)
                break
            except subprocess.TimeoutExpired:
                continue
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # stragglers of the session


def start(cmd: list[str], probe: str, log: Path, timeout: float = 600) -> Running:
    """Start ``cmd`` and wait for ``probe`` (a URL) to answer 200: the cold start."""
    t0 = time.perf_counter()
    with log.open("ab") as out:
        # A session of its own: stopping it stops the workers it forked too (uvicorn's).
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, cwd=log.parent, start_new_session=True
        )
    deadline = t0 + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{cmd[0]} exited with {proc.returncode}; see {log}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(probe, timeout=2).status_code == 200:
                break
        if time.perf_counter() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            raise RuntimeError(f"{cmd} did not answer within {timeout} s; see {log}")
        time.sleep(0.02)
    elapsed = time.perf_counter() - t0
    base = probe.split("/", 3)
    return Running(proc, "/".join(base[:3]), elapsed, tree_rss_mb(proc.pid))


def ensure_mlflow(venv: Path, version: str) -> Path:
    """The ``mlflow`` executable of the benchmark's own venv, installing it if needed."""
    exe = venv / "bin" / "mlflow"
    if exe.exists():
        return exe
    print(f"creating {venv} with mlflow=={version} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "pip"), "install", "-q", f"mlflow=={version}"]
    subprocess.run(pip, check=True)
    return exe


# -- the services, behind one interface --------------------------------------------------------
class Peer:
    """One service: how to start it, seed it, and run each operation of the scenarios."""

    label: str
    running: Running

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.session = requests.Session()
        self.ids: list[str] = []  # seeded use cases / experiments
        self.names: list[str] = []

    def launch(self) -> None:
        raise NotImplementedError

    def new_session(self) -> requests.Session:
        return requests.Session()

    # The operations; each returns nothing and raises on an unexpected status.
    def create(self, s: requests.Session, name: str) -> str:
        raise NotImplementedError

    def search(self, s: requests.Session, name: str) -> None:
        raise NotImplementedError

    def first_page(self, s: requests.Session) -> None:
        raise NotImplementedError

    def link(self, s: requests.Session, i: int) -> None:
        raise NotImplementedError

    def get_one(self, s: requests.Session, i: int) -> None:
        raise NotImplementedError

    def whole_frame(self) -> int:
        """Every use case / experiment into a pandas DataFrame, as a user reads them; its rows."""
        raise NotImplementedError


def expect(r: requests.Response, *codes: int) -> requests.Response:
    if r.status_code not in codes:
        raise RuntimeError(f"{r.request.method} {r.url} -> {r.status_code} {r.text[:300]}")
    return r


class Ucwidgets(Peer):
    label = "ucwidgets"

    def launch(self) -> None:
        port = free_port()
        cmd = [sys.executable, "-m", "ucwidgets.cli", "serve", "--port", str(port)]
        cmd += ["--data-dir", str(self.workdir / "data")]
        self.running = start(cmd, f"http://127.0.0.1:{port}/api/v2/health/", self.workdir / "log")
        self.api = f"{self.running.base}/api/v2/"
        token = (self.workdir / "data" / "token").read_text().strip()
        self.headers = {"Authorization": f"Token {token}"}
        self.session = self.new_session()

    def new_session(self) -> requests.Session:
        s = requests.Session()
        s.headers.update(getattr(self, "headers", {}))
        return s

    def prepare(self) -> None:
        """Datasets to link (uploaded through the API)."""
        self.datasets = []
        for k in range(LINK_DATASETS):
            files = {"file": (f"link{k}.csv", b"a,b\n1,2\n3,4\n")}
            r = expect(self.session.post(f"{self.api}datasets/fromFile/", files=files), 202)
            done = expect(self.session.get(r.headers["Location"], allow_redirects=False), 303)
            self.datasets.append(done.headers["Location"].rstrip("/").rsplit("/", 1)[1])

    def create(self, s: requests.Session, name: str) -> str:
        body = {"name": name, "description": f"About {name.lower()}."}
        return expect(s.post(f"{self.api}useCases/", json=body), 201).json()["id"]

    def search(self, s: requests.Session, name: str) -> None:
        params = {"search": name, "limit": 100}
        page = expect(s.get(f"{self.api}useCases/", params=params), 200).json()
        assert page["totalCount"] >= 1, page

    def first_page(self, s: requests.Session) -> None:
        expect(s.get(f"{self.api}useCases/", params={"limit": 100}), 200)

    def link(self, s: requests.Session, i: int) -> None:
        n = len(self.ids)
        uc, ds = self.ids[i % n], self.datasets[(i // n) % len(self.datasets)]
        expect(s.post(f"{self.api}useCases/{uc}/datasets/{ds}/"), 201)

    def get_one(self, s: requests.Session, i: int) -> None:
        expect(s.get(f"{self.api}useCases/{self.ids[i % len(self.ids)]}/"), 200)

    def whole_frame(self) -> int:
        import ucwidgets

        if not hasattr(self, "client"):
            token = self.headers["Authorization"].split()[1]
            self.client = ucwidgets.Client(token=token, endpoint=self.api)
        return len(ucwidgets.UseCase.list().to_frame())


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


class Mlflow(Peer):
    def __init__(self, workdir: Path, exe: Path, workers: int | None, db: Path) -> None:
        super().__init__(workdir)
        self.exe, self.workers, self.db = exe, workers, db
        self.label = "MLflow as shipped" if workers is None else f"MLflow, --workers {workers}"

    def launch(self) -> None:
        port = free_port()
        cmd = [str(self.exe), "server", "--host", "127.0.0.1", "--port", str(port)]
        cmd += ["--backend-store-uri", f"sqlite:///{self.db}"]
        cmd += ["--default-artifact-root", str(self.workdir / "artifacts")]
        if self.workers is not None:
            cmd += ["--workers", str(self.workers)]
        self.running = start(cmd, f"http://127.0.0.1:{port}/health", self.workdir / "log")
        self.api = f"{self.running.base}/api/2.0/mlflow/"

    def prepare(self) -> None:
        pass

    def create(self, s: requests.Session, name: str) -> str:
        r = s.post(f"{self.api}experiments/create", json={"name": name})
        return expect(r, 200).json()["experiment_id"]

    def search(self, s: requests.Session, name: str) -> None:
        body = {"max_results": 100, "filter": f"name = '{name}'"}
        found = expect(s.post(f"{self.api}experiments/search", json=body), 200).json()
        assert found.get("experiments"), found

    def first_page(self, s: requests.Session) -> None:
        expect(s.post(f"{self.api}experiments/search", json={"max_results": 100}), 200)

    def link(self, s: requests.Session, i: int) -> None:
        n = len(self.ids)
        body = {"experiment_id": self.ids[i % n], "key": f"asset{i // n}", "value": "dataset"}
        expect(s.post(f"{self.api}experiments/set-experiment-tag", json=body), 200)

    def get_one(self, s: requests.Session, i: int) -> None:
        params = {"experiment_id": self.ids[i % len(self.ids)]}
        expect(s.get(f"{self.api}experiments/get", params=params), 200)

    def whole_frame(self) -> int:
        """MLflow's client has no DataFrame of experiments: page through the REST search at its
        largest page (1,000) and hand the records to pandas, the least a user's code would do."""
        import pandas as pd

        rows: list[dict] = []
        body: dict = {"max_results": 1000}
        while True:
            page = expect(self.session.post(f"{self.api}experiments/search", json=body), 200)
            data = page.json()
            rows += data.get("experiments", [])
            if not data.get("next_page_token"):
                return len(pd.DataFrame.from_records(rows))
            body["page_token"] = data["next_page_token"]


# -- seeding and scenarios ---------------------------------------------------------------------
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


# -- the report --------------------------------------------------------------------------------
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


# -- main --------------------------------------------------------------------------------------
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
