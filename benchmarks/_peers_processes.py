"""The processes of ``peers.py``: start a service in a session of its own and wait for its first
answer (the cold start), measure the memory of its process tree, stop it with its workers; and
MLflow's own virtual environment."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests


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
