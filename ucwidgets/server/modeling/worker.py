"""A training worker: a process of its own that trains one job at a time, and the engine's
handle on it. Both ends of the pipe between them are here, so its protocol is written once.

The engine starts ``python -m ucwidgets.server.modeling.worker`` and writes one
``TrainingJob`` per line (JSON) to its stdin; the worker answers each with one line,
``{"ok": true, "result": ...}`` or ``{"ok": false, "error": reason}``. A reason about the data
(a ``ValueError``) is shown to the project's members; any other failure says only that the
service's log has the details. The worker runs single-threaded and at a lower priority, so
that scikit-learn neither holds the service's GIL nor starves its requests.

Examples
--------
>>> process = TrainingProcess()  # doctest: +SKIP
>>> process.run(job)["ok"]  # doctest: +SKIP
True
>>> process.kill()  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import traceback
import warnings
from pathlib import Path

from .jobs import TrainingJob, as_dict
from .training import train

#: One thread per training process: the engine bounds CPU use by the number of processes.
THREAD_ENV = {
    name: "1"
    for name in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS",
    )
}


class WorkerDied(RuntimeError):
    """The training process ended without answering."""


class TrainingProcess:
    """One worker process; runs one job at a time."""

    def __init__(self) -> None:
        package_parent = str(Path(__file__).resolve().parents[3])
        path = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", __name__],  # this module, as a program
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, **THREAD_ENV, "PYTHONPATH": path},
            text=True,
            encoding="utf-8",
        )
        self.last_used = time.monotonic()

    def run(self, job: TrainingJob) -> dict:
        """Send one job, wait for its answer; raise ``WorkerDied`` if the process ends first."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(json.dumps(as_dict(job)) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except (BrokenPipeError, OSError, ValueError) as e:
            raise WorkerDied(str(e)) from e
        finally:
            self.last_used = time.monotonic()
        if not line:
            self.proc.wait()
            raise WorkerDied(f"exit status {self.proc.returncode}")
        return json.loads(line)

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.alive:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                # A pipe to a killed process may fail to flush; the process is gone anyway.
                with contextlib.suppress(OSError):
                    stream.close()


def answer(line: str) -> dict:
    """The reply to one line of the engine's: the job's result, or why it failed."""
    try:
        return {"ok": True, "result": as_dict(train(TrainingJob(**json.loads(line))))}
    except ValueError as e:  # what is wrong with the data: shown to the project's members
        return {"ok": False, "error": str(e).strip() or type(e).__name__}
    except Exception as e:  # anything else is the service's business: details to its log
        traceback.print_exc(file=sys.stderr)
        return {
            "ok": False,
            "error": f"Training failed ({type(e).__name__}); the service's log has the details.",
        }


def main() -> None:
    """Serve training jobs: one JSON job per line on stdin, one JSON reply per line on stdout."""
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt replies
    with contextlib.suppress(OSError):
        os.nice(10)  # training yields the CPU to the service's requests
    warnings.simplefilter("ignore")  # convergence and similar notes would only fill a log
    for line in sys.stdin:
        channel.write(json.dumps(answer(line)) + "\n")
        channel.flush()


if __name__ == "__main__":
    main()
