"""The clients of ``service.py`` and ``replicas.py``: sequential latency on one keep-alive
connection, and throughput with ``wrk`` (a Python thread pool when ``wrk`` is absent)."""

from __future__ import annotations

import http.client
import re
import shutil
import statistics
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from _service_scenarios import Scenario


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
