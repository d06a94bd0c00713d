"""The services ``peers.py`` compares, behind one interface: how each is started and asked to
create, search, page, link, get and read everything into a DataFrame."""

from __future__ import annotations

import sys
from pathlib import Path

import requests
from _peers_processes import Running, free_port, start

LINK_DATASETS = 8  # datasets a use case can be linked to: fresh pairs for 8 x the seed


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
