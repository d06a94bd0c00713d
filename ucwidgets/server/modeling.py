"""The modeling engine: a bounded pool of training processes fed from the ``modeling_jobs`` table.

``aim`` queues one job per blueprint (``store/modeling.py``). The engine's dispatcher thread
claims queued jobs while it has a free worker, runs each in a training process
(``python -m ucwidgets.server.training``, one job at a time over a pipe) and records the model
or the reason it failed. Training runs in separate processes, single-threaded and at a lower
priority, so that scikit-learn neither holds the service's GIL nor starves its requests; a
process that dies (out of memory, killed) fails its job and is replaced, never the service.

Jobs live in the database, so they outlive the service: on a clean stop the engine hands its
running jobs back to the queue; on start, and every ``HEARTBEAT_S`` after, it requeues running
jobs whose service is gone (a dead process on this host, or no heartbeat for ``LEASE_S``).

Examples
--------
>>> engine = ModelingEngine(store, workers=2).start()  # doctest: +SKIP
>>> engine.wake()  # doctest: +SKIP
>>> engine.close()  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import pickle
import secrets
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, wait
from pathlib import Path
from typing import Any

from ..errors import BadRequest, MissingExtra, UnsupportedMediaType, ValidationError

log = logging.getLogger("ucwidgets.server.modeling")

POLL_S = 1.0
HEARTBEAT_S = 10.0
LEASE_S = 120.0
IDLE_S = 300.0  # an idle training process exits after this, giving back its memory
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
    """One ``python -m ucwidgets.server.training`` process; runs one job at a time."""

    def __init__(self) -> None:
        package_parent = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ucwidgets.server.training"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, **THREAD_ENV, "PYTHONPATH": path},
            text=True,
            encoding="utf-8",
        )
        self.last_used = time.monotonic()

    def run(self, spec: dict) -> dict:
        """Send one job, wait for its answer; raise ``WorkerDied`` if the process ends first."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(json.dumps(spec) + "\n")
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


class ModelingEngine:
    """Runs a store's modeling jobs on at most ``workers`` training processes at once."""

    def __init__(self, store: Any, workers: int = 1, poll_s: float = POLL_S) -> None:
        if workers < 1:
            raise ValueError("modeling_workers must be at least 1")
        self.store = store
        self.workers = workers
        self.poll_s = poll_s
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        # Daemon threads, one per running job: unlike an executor's, they never hold up the
        # exit of the program that embeds the service while a model trains.
        self._threads: set[threading.Thread] = set()
        self._idle: list[TrainingProcess] = []
        self._busy: set[TrainingProcess] = set()
        self._lock = threading.Lock()
        self._bell: Future = Future()
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name="ucwidgets-modeling", daemon=True)

    def start(self) -> ModelingEngine:
        self._recover()
        self._thread.start()
        return self

    @staticmethod
    def check_can_train() -> None:
        """Raise ``MissingExtra`` where scikit-learn is missing, so that a project is refused
        before its job is accepted rather than failing in the training process."""
        MissingExtra.check("Training models on this service", sklearn="modeling")

    def wake(self) -> None:
        """New jobs may be queued: look now rather than at the next poll."""
        with self._lock:
            if not self._bell.done():
                self._bell.set_result(None)

    def close(self) -> None:
        """Stop: kill the training processes and hand their jobs back to the queue."""
        with self._lock:
            self._stopping = True
        self.wake()
        if self._thread.is_alive():
            self._thread.join()
        with self._lock:
            processes, self._idle = [*self._idle, *self._busy], []
        for process in processes:
            process.kill()
        for thread in list(self._threads):
            thread.join(timeout=10)
        released = self.store.release_modeling_jobs(self.worker_id)
        if released:
            log.info("handed %d running modeling job(s) back to the queue", released)

    # -- the dispatcher ------------------------------------------------------------------------
    def _loop(self) -> None:
        running: dict[Future, dict] = {}
        beat = time.monotonic()
        while not self._stopping:
            try:
                self._fill(running)
                with self._lock:
                    bell = self._bell
                done, _ = wait([*running, bell], timeout=self.poll_s, return_when=FIRST_COMPLETED)
                if bell in done:
                    with self._lock:
                        self._bell = Future()
                for future in done - {bell}:
                    if not self._stopping:
                        self._settle(running.pop(future), future)
                if time.monotonic() - beat > HEARTBEAT_S:
                    beat = time.monotonic()
                    self._maintain([job["id"] for job in running.values()])
            except Exception:  # the database may be briefly unavailable; never stop the loop
                log.exception("the modeling dispatcher met an error; retrying")
                time.sleep(self.poll_s)

    def _fill(self, running: dict[Future, dict]) -> None:
        while len(running) < self.workers and not self._stopping:
            job = self.store.claim_modeling_job(self.worker_id)
            if job is None:
                return
            log.info(
                "training %s for project %s (job %s)",
                job["blueprint"],
                job["project_id"],
                job["id"],
            )
            spec = {**job, "blob_root": str(self.store.blobs.root)}
            future: Future = Future()
            thread = threading.Thread(
                target=self._run_into, args=(spec, future), name="ucwidgets-training", daemon=True
            )
            self._threads.add(thread)
            thread.start()
            running[future] = job

    def _run_into(self, spec: dict, future: Future) -> None:
        try:
            future.set_result(self._run(spec))
        except BaseException as e:  # the dispatcher settles it, whatever it is
            future.set_exception(e)
        finally:
            self._threads.discard(threading.current_thread())

    def _run(self, spec: dict) -> dict:
        with self._lock:  # close() kills what is busy; a process is busy from its first moment
            if self._stopping:
                raise WorkerDied("the service is stopping")
            process = self._idle.pop() if self._idle else None
            if process is not None and not process.alive:
                process.kill()
                process = None
            process = process or TrainingProcess()
            self._busy.add(process)
        try:
            reply = process.run(spec)
        except WorkerDied:
            process.kill()
            raise
        finally:
            with self._lock:
                self._busy.discard(process)
        with self._lock:
            if not self._stopping:
                self._idle.append(process)
                return reply
        process.kill()
        return reply

    def _settle(self, job: dict, future: Future) -> None:
        try:
            reply = future.result()
        except WorkerDied as e:
            log.warning("job %s: the training process stopped: %s", job["id"], e)
            reply = {
                "ok": False,
                "error": "The training process stopped unexpectedly; the data may be too large "
                "for this machine's memory.",
            }
        except Exception:  # e.g. the training process could not be started
            # Members see a fixed reason; the details (paths, internals) go to the log only.
            log.exception("job %s could not run", job["id"])
            reply = {
                "ok": False,
                "error": "Training could not run on this service; its log has the details.",
            }
        if reply["ok"]:
            self.store.finish_modeling_job(job["id"], self.worker_id, reply["result"])
            log.info("job %s done", job["id"])
        else:
            self.store.fail_modeling_job(job["id"], self.worker_id, reply["error"])
            log.warning("job %s failed: %s", job["id"], reply["error"])

    def _maintain(self, job_ids: list[int]) -> None:
        # Only jobs in hand get a heartbeat: one whose result could not be recorded goes
        # silent, and the lease hands it back to the queue.
        if job_ids:
            self.store.heartbeat_modeling_jobs(self.worker_id, job_ids)
        self._recover()
        with self._lock:
            stale = [p for p in self._idle if time.monotonic() - p.last_used > IDLE_S]
            self._idle = [p for p in self._idle if p not in stale]
        for process in stale:
            process.kill()

    def _recover(self) -> None:
        found = self.store.recover_modeling_jobs(self._gone, LEASE_S)
        if found:
            log.info("requeued %d modeling job(s) of a stopped service", found)

    def _gone(self, worker: str) -> bool:
        """Whether the service ``worker`` ran in is certainly dead: on this host, no process."""
        parts = worker.rsplit(":", 2)
        if len(parts) != 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
            return False  # another host: only its silence (the lease) tells
        if int(parts[1]) == os.getpid():
            return False  # another engine of this process: alive, or it released its jobs
        try:
            os.kill(int(parts[1]), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


# -- predicting (in the service, on its executor: small batches, no GIL-bound loops) -----------
def read_rows(content_type: str | None, body: bytes) -> Any:
    """The rows to predict as a DataFrame: a CSV body (``text/csv``), or JSON records (a list,
    or ``{"data": [...]}``)."""
    import io

    import pandas as pd

    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in ("text/csv", "application/csv"):
        try:
            return pd.read_csv(io.BytesIO(body), encoding="utf-8", encoding_errors="strict")
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as e:
            raise ValidationError(f"The rows are not a readable CSV: {e}".strip()) from e
    if kind != "application/json":
        raise UnsupportedMediaType("Send the rows as text/csv or as application/json records.")
    try:
        records = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BadRequest(f"The request body is not valid JSON: {e}") from e
    if isinstance(records, dict):
        records = records.get("data")
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ValidationError(
            'Send a list of row objects, or {"data": [row objects]}.',
            errors={"data": "not a list of objects"},
        )
    return pd.DataFrame.from_records(records)


def predict(store: Any, project: dict, model: dict, frame: Any) -> list[dict]:
    """Predictions of a stored model for ``frame``'s rows (see ``training.predict``)."""
    from .training import predict as predict_rows

    if len(frame) == 0:
        return []
    fitted = load_model(str(store.blobs.path(model["blob"])))
    try:
        return predict_rows(fitted, model["details"], frame, project["target_type"])
    except (ValueError, TypeError) as e:  # rows the model cannot take are the caller's to fix
        raise ValidationError(f"The rows cannot be scored: {e}") from e


@functools.lru_cache(maxsize=8)
def load_model(path: str) -> Any:
    """A fitted pipeline from the blob store (cached: blobs never change)."""
    with open(path, "rb") as f:
        return pickle.load(f)  # trusted: only our own training processes write model blobs
