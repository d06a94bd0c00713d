"""The parts of the crash loop: ``ucwidgets serve`` as a process that can be killed, the live
address its writers follow across restarts, and writers that keep a ledger of every write the
service acknowledged.

Each writer acts as its own user on its own use cases and datasets (creates, uploads, links,
shares with its neighbour, deletes) and keeps a model of what must now be true. A request cut off
by a kill is *unsure*: after the restart the writer finds out whether it was applied, and checks
that it was applied whole or not at all. Then it checks every object it changed since the last
restart against its model; at the end it checks them all, file contents included.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

#: Writers' share of each operation, as weights.
OPERATIONS = {
    "create_use_case": 2,
    "upload": 2,
    "link": 3,
    "move": 1,  # every dataset of one use case to another, in one batch
    "share": 2,
    "delete_use_case": 1,
    "delete_dataset": 1,
}
MAX_LIVE = 4  # use cases and datasets a writer keeps at most (deletes make room)


class ServeProcess:
    """``ucwidgets serve --port 0`` on its own data dir (or a PostgreSQL URL), killed with
    SIGKILL; its log goes to ``log``."""

    def __init__(self, data_dir: Path, database_url: str | None, log: Path) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        self.log = log
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> str:
        """Start the service and return its API root once it listens."""
        where = ["--database-url", self.database_url] if self.database_url else []
        cmd = [sys.executable, "-m", "ucwidgets.cli", "serve", "--port", "0"]
        cmd += where or ["--data-dir", str(self.data_dir)]
        env = {**os.environ, "UCWIDGETS_DATA_DIR": str(self.data_dir)}
        with open(self.log, "a") as log:
            self.proc = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=log, text=True, env=env
            )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("serving at "):
            self.proc.wait(timeout=30)
            raise AssertionError(f"the service did not start: {line!r}; see {self.log}")
        return line.split()[-1]

    def kill(self) -> None:
        """SIGKILL the service (if it still runs) and wait for it to end."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        self.proc = None


class Live:
    """Where the service listens now; writers wait here for a restart after a failed request."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.generation = 0
        self.base = ""
        self.final = False
        self.abandoned = False  # the loop failed: writers stop without another word

    def publish(self, base: str, final: bool = False) -> None:
        with self._cond:
            self.generation += 1
            self.base, self.final = base.rstrip("/") + "/", final
            self._cond.notify_all()

    def current(self) -> tuple[int, str]:
        with self._cond:
            return self.generation, self.base

    def abandon(self) -> None:
        with self._cond:
            self.abandoned = True
            self._cond.notify_all()

    def after(self, generation: int) -> int | None:
        """Wait for a service started after ``generation``; ``None`` once the loop is over."""
        with self._cond:
            self._cond.wait_for(lambda: self.generation > generation or self.abandoned)
            return None if self.abandoned else self.generation


@dataclass
class UseCaseModel:
    members: dict[str, str]  # user id -> role, the writer's own OWNER included
    datasets: set[str] = field(default_factory=set)


@dataclass
class Op:
    kind: str
    target: str = ""  # the use case or dataset acted on
    other: str = ""  # the dataset linked, the user granted, or the name created
    role: str = ""
    content: bytes = b""
    entities: tuple[str, ...] = ()  # the datasets a move carries


class Writer(threading.Thread):
    """One actor writing in a loop, its ledger and model, and its findings (``failures``)."""

    def __init__(
        self, index: int, token: str, user_id: str, neighbour_id: str, live: Live, seed: int
    ) -> None:
        super().__init__(name=f"crash-writer-{index}", daemon=True)
        self.index, self.user_id, self.neighbour_id, self.live = index, user_id, neighbour_id, live
        self.rng = random.Random(seed)
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {token}"
        self.use_cases: dict[str, UseCaseModel] = {}
        self.datasets: dict[str, bytes] = {}  # id -> the bytes uploaded
        self.gone: dict[str, str] = {}  # deleted since the last check: id -> "useCases"/"datasets"
        self.dirty: set[str] = set()  # changed since the last check
        self.unsure: Op | None = None
        self.counts: Counter[str] = Counter()
        self.failures: list[str] = []
        self._serial = 0

    # -- the loop --------------------------------------------------------------------------
    def run(self) -> None:
        generation = self.live.after(0)
        while generation is not None:
            try:
                self._settle(full=self.live.final)
                while not self.live.final:
                    self._step()
                return
            except requests.RequestException:
                self.counts["cut off"] += 1
                generation = self.live.after(generation)
            except Exception as e:  # an assertion about the ledger: report it, stop writing
                self.failures.append(f"writer {self.index}: {e!r}")
                return

    def _call(self, method: str, path: str, **kw: Any) -> requests.Response:
        _, base = self.live.current()
        return self.session.request(method, base + path, timeout=60, allow_redirects=False, **kw)

    def _expect(self, r: requests.Response, status: int, op: Op) -> None:
        if r.status_code != status:
            raise AssertionError(f"{op.kind} {op.target}: {r.status_code} {r.text[:300]}")

    def _step(self) -> None:
        op = self._choose()
        self.unsure = op
        getattr(self, f"_do_{op.kind}")(op)
        self.unsure = None
        self.counts["acknowledged"] += 1

    def _choose(self) -> Op:
        rng, ucs, dss = self.rng, list(self.use_cases), list(self.datasets)
        possible = {
            "create_use_case": len(ucs) < MAX_LIVE,
            "upload": len(dss) < MAX_LIVE,
            "link": bool(ucs and dss),
            "move": len(ucs) >= 2 and any(m.datasets for m in self.use_cases.values()),
            "share": any(self.neighbour_id not in m.members for m in self.use_cases.values()),
            "delete_use_case": len(ucs) >= 2,
            "delete_dataset": len(dss) >= 2,
        }
        kinds = [k for k, ok in possible.items() if ok]
        kind = rng.choices(kinds, [OPERATIONS[k] for k in kinds])[0]
        self._serial += 1
        name = f"w{self.index}-{self._serial}-{rng.getrandbits(32):08x}"
        if kind == "create_use_case":
            return Op(kind, other=name)
        if kind == "upload":
            return Op(kind, other=f"{name}.csv", content=self._csv(name))
        if kind == "link":
            return Op(kind, rng.choice(ucs), rng.choice(dss))
        if kind == "move":
            source = rng.choice([u for u, m in self.use_cases.items() if m.datasets])
            dest = rng.choice([u for u in ucs if u != source])
            return Op(kind, source, dest, entities=tuple(sorted(self.use_cases[source].datasets)))
        if kind == "share":
            free = [u for u, m in self.use_cases.items() if self.neighbour_id not in m.members]
            role = rng.choice(["EDITOR", "CONSUMER"])
            return Op(kind, rng.choice(free), self.neighbour_id, role)
        return Op(kind, rng.choice(ucs if kind == "delete_use_case" else dss))

    def _csv(self, name: str) -> bytes:
        """A unique CSV, now and then a few hundred KB (so that some uploads are cut off)."""
        rows = 20 if self.rng.random() < 0.8 else 8000
        body = "".join(f"{i},{self.rng.random():.6f},{name}\n" for i in range(rows))
        return ("n,x,tag\n" + body).encode()

    # -- operations: send, then record the acknowledged effect -----------------------------
    def _do_create_use_case(self, op: Op) -> None:
        r = self._call("POST", "useCases/", json={"name": op.other})
        self._expect(r, 201, op)
        self._created_use_case(r.json()["id"])

    def _created_use_case(self, uc: str) -> None:
        self.use_cases[uc] = UseCaseModel({self.user_id: "OWNER"})
        self.dirty.add(uc)

    def _do_upload(self, op: Op) -> None:
        r = self._call("POST", "datasets/fromFile/", files={"file": (op.other, op.content)})
        self._expect(r, 202, op)
        self.datasets[r.json()["catalogId"]] = op.content
        self.dirty.add(r.json()["catalogId"])

    def _do_link(self, op: Op) -> None:
        r = self._call("POST", f"useCases/{op.target}/datasets/{op.other}/")
        linked = op.other in self.use_cases[op.target].datasets
        self._expect(r, 200 if linked else 201, op)
        self._linked(op)

    def _linked(self, op: Op) -> None:
        self.use_cases[op.target].datasets.add(op.other)
        self.dirty |= {op.target, op.other}

    def _do_move(self, op: Op) -> None:
        entities = [{"entityType": "dataset", "entityId": ds} for ds in op.entities]
        body = {"to": op.other, "entities": entities}
        self._expect(self._call("POST", f"useCases/{op.target}/assets/move/", json=body), 200, op)
        self._moved(op)

    def _moved(self, op: Op) -> None:
        self.use_cases[op.target].datasets -= set(op.entities)
        self.use_cases[op.other].datasets |= set(op.entities)
        self.dirty |= {op.target, op.other, *op.entities}

    def _do_share(self, op: Op) -> None:
        entry = {"role": op.role, "shareRecipientType": "user", "id": op.other}
        body = {"operation": "updateRoles", "roles": [entry]}
        r = self._call("PATCH", f"useCases/{op.target}/sharedRoles/", json=body)
        self._expect(r, 204, op)
        self._shared(op)

    def _shared(self, op: Op) -> None:
        self.use_cases[op.target].members[op.other] = op.role
        self.dirty.add(op.target)

    def _do_delete_use_case(self, op: Op) -> None:
        self._expect(self._call("DELETE", f"useCases/{op.target}/"), 204, op)
        self._deleted(op)

    def _do_delete_dataset(self, op: Op) -> None:
        self._expect(self._call("DELETE", f"datasets/{op.target}/"), 204, op)
        self._deleted(op)

    def _deleted(self, op: Op) -> None:
        if op.kind == "delete_use_case":
            for ds in self.use_cases.pop(op.target).datasets:
                self.dirty.add(ds)
            self.gone[op.target] = "useCases"
        else:
            del self.datasets[op.target]
            for uc, model in self.use_cases.items():
                if op.target in model.datasets:
                    model.datasets.discard(op.target)
                    self.dirty.add(uc)
            self.gone[op.target] = "datasets"
        self.dirty.discard(op.target)

    # -- after a restart: resolve the unsure request, then check the ledger ----------------
    def _settle(self, full: bool) -> None:
        if self.unsure is not None:
            applied = self._resolve(self.unsure)
            self.counts["unsure, applied" if applied else "unsure, not applied"] += 1
            self.counts[f"unsure {self.unsure.kind}, {'applied' if applied else 'not'}"] += 1
            self.unsure = None
        for ident, kind in list(self.gone.items()):
            r = self._call("GET", f"{kind}/{ident}/")
            assert r.status_code == 404, f"deleted {kind} {ident} is back: {r.status_code}"
            del self.gone[ident]
        for ident in set(self.use_cases) | set(self.datasets) if full else set(self.dirty):
            self._check(ident, full)
            self.dirty.discard(ident)

    def _check(self, ident: str, full: bool) -> None:
        if ident in self.use_cases:
            r = self._call("GET", f"useCases/{ident}/")
            assert r.status_code == 200, f"acknowledged use case {ident} lost: {r.status_code}"
            got = r.json()
            members = {m["id"]: m["role"] for m in got["members"]}
            model = self.use_cases[ident]
            assert members == model.members, f"use case {ident}: members {members}"
            assert got["datasetsCount"] == len(model.datasets), f"use case {ident}: links"
        elif ident in self.datasets:
            r = self._call("GET", f"datasets/{ident}/")
            assert r.status_code == 200, f"acknowledged dataset {ident} lost: {r.status_code}"
            homes = {uc for uc, m in self.use_cases.items() if ident in m.datasets}
            assert set(r.json()["useCaseIds"]) == homes, f"dataset {ident}: links"
            if full:
                self._check_file(ident, self.datasets[ident])

    def _check_file(self, ident: str, content: bytes) -> None:
        r = self._call("GET", f"datasets/{ident}/file/")
        assert r.status_code == 200, r.text
        digest = hashlib.sha256(r.content).hexdigest()
        assert digest == hashlib.sha256(content).hexdigest(), f"dataset {ident}: file differs"

    def _events(self, uc: str, verb: str) -> set[str]:
        r = self._call("GET", f"useCases/{uc}/events/", params={"limit": 1000})
        assert r.status_code == 200, r.text
        return {e["entityId"] for e in r.json()["data"] if e["verb"] == verb}

    def _balance(self, uc: str, entity_id: str) -> int:
        """How many more times ``entity_id`` was added to ``uc`` than removed, by the feed."""
        r = self._call("GET", f"useCases/{uc}/events/", params={"limit": 1000})
        assert r.status_code == 200, r.text
        verbs = [e["verb"] for e in r.json()["data"] if e["entityId"] == entity_id]
        return verbs.count("added") - verbs.count("removed")

    def _resolve(self, op: Op) -> bool:
        """Whether the cut-off ``op`` was applied; asserts it was applied whole or not at all,
        and brings the model up to date."""
        if op.kind == "create_use_case":
            r = self._call("GET", "useCases/", params={"search": op.other, "limit": 1000})
            found = [uc["id"] for uc in r.json()["data"] if uc["name"] == op.other]
            assert len(found) <= 1, f"use case {op.other} created {len(found)} times"
            if found:
                assert found[0] in self._events(found[0], "created"), "created without its event"
                self._created_use_case(found[0])
            return bool(found)
        if op.kind == "upload":
            r = self._call("GET", "datasets/", params={"limit": 1000})
            found = [d["id"] for d in r.json()["data"] if d["name"] == op.other]
            assert len(found) <= 1, f"dataset {op.other} stored {len(found)} times"
            if found:
                self._check_file(found[0], op.content)  # never a row without its whole file
                self.datasets[found[0]] = op.content
                self.dirty.add(found[0])
            return bool(found)
        if op.kind == "link":
            r = self._call("GET", f"datasets/{op.other}/")
            applied = op.target in r.json()["useCaseIds"]
            # Moves take datasets out again: linked now is one more "added" than "removed".
            announced = self._balance(op.target, op.other) == 1
            assert applied == announced, f"link {op}: applied={applied}, event={announced}"
            if applied:
                self._linked(op)
            return applied
        if op.kind == "move":
            homes = {
                ds: self._call("GET", f"datasets/{ds}/").json()["useCaseIds"] for ds in op.entities
            }
            moved = [op.other in h and op.target not in h for h in homes.values()]
            stayed = [op.target in h for h in homes.values()]
            assert all(moved) or all(stayed), f"move {op}: applied in part: {homes}"
            if all(moved):
                gone = [self._balance(op.target, ds) for ds in op.entities]
                assert gone == [0] * len(gone), f"move {op}: applied without its events"
                self._moved(op)
            return all(moved)
        if op.kind == "share":
            r = self._call("GET", f"useCases/{op.target}/")
            roles = {m["id"]: m["role"] for m in r.json()["members"]}
            announced = op.other in self._events(op.target, "shared")
            assert (op.other in roles) == announced, f"share {op}: {roles}, event={announced}"
            if announced:
                assert roles[op.other] == op.role, f"share {op}: role {roles[op.other]}"
                self._shared(op)
            return announced
        kind = "useCases" if op.kind == "delete_use_case" else "datasets"
        status = self._call("GET", f"{kind}/{op.target}/").status_code
        assert status in (200, 404), f"{op}: {status}"
        if status == 404:
            self._deleted(op)
        else:
            self.dirty.add(op.target)  # still whole: checked against the model next
        return status == 404


def stall_upload(base: str, token: str) -> socket.socket:
    """Start an upload and stop halfway, so that the service holds a temporary file when it is
    killed; returns the open socket."""
    host, port = base.split("//", 1)[1].split("/", 1)[0].split(":")
    boundary = "stalled-upload"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode() + b"a,b\n1,2\n" * 4096
    path = base.split("//", 1)[1].split("/", 1)[1] + "datasets/fromFile/"
    request = (
        f"POST /{path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Token {token}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(head) * 4}\r\n\r\n"
    ).encode()
    sock = socket.create_connection((host, int(port)))
    sock.sendall(request + head)
    return sock
