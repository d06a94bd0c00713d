"""The modeling engine: a bounded pool of training workers fed from the ``modeling_jobs`` table.

``aim`` queues one job per blueprint (``store/modeling.py``). The engine's dispatcher thread
claims queued jobs while it has a free worker, runs each in a worker process (``worker.py``) and
records the model or the reason it failed, trying again for a few seconds while the database is
busy or unreachable. A worker that dies (out of memory, killed) fails its job and is replaced,
never the service. ``predict`` scores rows with a stored model, in the service's own process
(small batches, no GIL-bound loops).

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

import functools
import logging
import os
import pickle
import secrets
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Any

from ...errors import MissingExtra, ServiceUnavailable, ValidationError
from .jobs import TrainedModel, TrainingJob
from .training import predict as predict_rows
from .worker import TrainingProcess, WorkerDied

log = logging.getLogger("ucwidgets.server.modeling")

POLL_S = 1.0
HEARTBEAT_S = 10.0
LEASE_S = 120.0
IDLE_S = 300.0  # an idle training process exits after this, giving back its memory
#: The pauses before each new try to record a job's result while the database is busy or
#: unreachable; past them the job goes silent and the lease hands it back to the queue.
RECORD_RETRY_S = (0.5, 1.0, 2.0)


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
        released = self.store.modeling.release(self.worker_id)
        if released:
            log.info("handed %d running modeling job(s) back to the queue", released)

    # -- the dispatcher ------------------------------------------------------------------------
    def _loop(self) -> None:
        running: dict[Future, TrainingJob] = {}
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
                    self._maintain([job.id for job in running.values()])
            except Exception:  # the database may be briefly unavailable; never stop the loop
                log.exception("the modeling dispatcher met an error; retrying")
                time.sleep(self.poll_s)

    def _fill(self, running: dict[Future, TrainingJob]) -> None:
        while len(running) < self.workers and not self._stopping:
            job = self.store.modeling.claim(self.worker_id)
            if job is None:
                return
            log.info("training %s for project %s (job %s)", job.blueprint, job.project_id, job.id)
            future: Future = Future()
            thread = threading.Thread(
                target=self._run_into, args=(job, future), name="ucwidgets-training", daemon=True
            )
            self._threads.add(thread)
            thread.start()
            running[future] = job

    def _run_into(self, job: TrainingJob, future: Future) -> None:
        try:
            future.set_result(self._run(job))
        except BaseException as e:  # the dispatcher settles it, whatever it is
            future.set_exception(e)
        finally:
            self._threads.discard(threading.current_thread())

    def _run(self, job: TrainingJob) -> dict:
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
            reply = process.run(job)
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

    def _settle(self, job: TrainingJob, future: Future) -> None:
        try:
            reply = future.result()
        except WorkerDied as e:
            log.warning("job %s: the training process stopped: %s", job.id, e)
            reply = {
                "ok": False,
                "error": "The training process stopped unexpectedly; the data may be too large "
                "for this machine's memory.",
            }
        except Exception:  # e.g. the training process could not be started
            # Members see a fixed reason; the details (paths, internals) go to the log only.
            log.exception("job %s could not run", job.id)
            reply = {
                "ok": False,
                "error": "Training could not run on this service; its log has the details.",
            }
        if reply["ok"]:
            model = TrainedModel(**reply["result"])
            self._record(job, lambda: self.store.modeling.finish(job.id, self.worker_id, model))
            log.info("job %s done", job.id)
        else:
            self._record(
                job, lambda: self.store.modeling.fail(job.id, self.worker_id, reply["error"])
            )
            log.warning("job %s failed: %s", job.id, reply["error"])

    def _record(self, job: TrainingJob, write: Callable[[], bool]) -> None:
        """Record a result, trying again while the database is briefly unavailable: otherwise
        a model trained for minutes would be trained again once the lease ran out."""
        for pause in (*RECORD_RETRY_S, None):
            try:
                write()
                return
            except ServiceUnavailable:
                if pause is None or self._stopping:
                    raise
                log.warning(
                    "job %s: the database is unavailable; trying again in %s s", job.id, pause
                )
                time.sleep(pause)

    def _maintain(self, job_ids: list[int]) -> None:
        # Only jobs in hand get a heartbeat: one whose result could not be recorded goes
        # silent, and the lease hands it back to the queue.
        if job_ids:
            self.store.modeling.heartbeat(self.worker_id, job_ids)
        self._recover()
        with self._lock:
            stale = [p for p in self._idle if time.monotonic() - p.last_used > IDLE_S]
            self._idle = [p for p in self._idle if p not in stale]
        for process in stale:
            process.kill()

    def _recover(self) -> None:
        found = self.store.modeling.recover(self._gone, LEASE_S)
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


def predict(store: Any, project: dict, model: dict, frame: Any) -> list[dict]:
    """Predictions of a stored model for ``frame``'s rows (see ``training.predict``)."""
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
