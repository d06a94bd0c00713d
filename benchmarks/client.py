"""The API layer beside DataRobot's client: import time, and the seed walk-through end to end.

1. ``import ucwidgets`` and ``import datarobot``, each in a fresh interpreter, median of N.
3. The per-cell overhead of ``%use_case``: an empty cell in a real IPython shell without the
   extension, with it loaded and no current use case, and with a current use case.
2. The seed walk-through of issue 2 (create use cases, upload, link, share a reference, two
   projects, modeling, an application, ``with use_case:``, a default use case, sharing and
   revoking), run with ``ucwidgets`` and with the real ``datarobot`` client against the same
   service, alternating, median of N each. The service runs in a child process so neither
   client shares a GIL with it; every run uses fresh users, and setup is not timed.

Run from the repository root::

    .venv/bin/python benchmarks/client.py --write   # updates the client section of README.md
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import _readme

HERE = Path(__file__).resolve().parent
CSV = "age,income,debt,credit_risk\n" + "".join(
    f"{20 + i % 40},{20000 + 997 * i % 90000},{37 * i % 9000},{i % 2}\n" for i in range(200)
)

# The child: a ServerThread, plus a line protocol on stdin to create users and count requests.
SERVER = r"""
import json, logging, sys
from ucwidgets.server.app import ServerThread
count = [0]
class Count(logging.Handler):
    def emit(self, record): count[0] += 1
log = logging.getLogger("ucwidgets.server")
log.setLevel(logging.INFO); log.propagate = False; log.addHandler(Count())
srv = ServerThread(data_dir=sys.argv[1], port=0).start()
print(json.dumps({"url": srv.url}), flush=True)
n = 0
for line in sys.stdin:
    if line.strip() == "count":
        print(json.dumps({"count": count[0]}), flush=True)
        continue
    n += 1
    user, token = srv.store.users.create(f"{line.strip()}{n}@example.com", full_name=line.strip())
    print(json.dumps({"id": user["id"], "username": user["username"], "token": token}),
          flush=True)
srv.stop()
"""


class Service:
    """The service in a child process."""

    def __init__(self, data_dir: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVER, data_dir],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url = self._ask(None)["url"]

    def _ask(self, line: str | None) -> dict[str, Any]:
        assert self.proc.stdin and self.proc.stdout
        if line is not None:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def user(self, name: str) -> dict[str, Any]:
        return self._ask(name)

    def requests_served(self) -> int:
        return self._ask("count")["count"]

    def close(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def import_time(module: str, runs: int) -> float:
    """Median seconds to import ``module`` in a fresh interpreter."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(samples)


def walkthrough(pkg: str, url: str, owner: dict, team: list[dict], csv_path: str) -> None:
    """The seed walk-through; identical code for both clients (``pkg`` is the module name)."""
    dr = importlib.import_module(pkg)
    sharing = importlib.import_module(f"{pkg}.models.sharing")
    enums = importlib.import_module(f"{pkg}.enums")
    role, user = enums.SHARING_ROLE, enums.SHARING_RECIPIENT_TYPE

    dr.Client(token=owner["token"], endpoint=url)
    uc = dr.UseCase.create(
        name="Financial Risk Experimentation Environment",
        description="For running experiments on modeling financial risks.",
    )
    dataset = dr.Dataset.create_from_file(file_path=csv_path, use_cases=uc)
    reference = uc.add(entity=dataset)
    assert repr(uc.list_datasets()) == f"[Dataset(name='risk_data.csv', id='{dataset.id}')]"
    uc2 = dr.UseCase.create(name="Financial Risk Experimentation Environment 2")
    uc2.add(entity=reference)
    assert len(uc2.list_datasets()) == 1

    dr.Project.create(sourcedata=csv_path, project_name="Risk Assessment v0", use_case=uc)
    project = dr.Project.create_from_dataset(
        dataset_id=dataset.id, project_name="Risk Assessment v1", use_case=uc2
    )
    project.analyze_and_model(target="credit_risk")
    uc2.add(entity=project)
    assert repr(uc2.list_projects()) == "[Project(Risk Assessment v1)]"

    application = dr.Application.list()[0]
    uc.add(entity=application)
    assert len(uc.list_applications()) == 1

    with uc:
        dr.Dataset.create_from_file(file_path=csv_path)
    dr.Client(token=owner["token"], endpoint=url, default_use_case=uc2.id)
    dr.Dataset.create_from_file(file_path=csv_path)
    assert len(dr.UseCase.get(uc2.id).list_datasets()) == 2

    uc.share(
        roles=[
            sharing.SharingRole(
                role=role.CONSUMER, share_recipient_type=user.USER, id=member["id"], can_share=True
            )
            for member in team
        ]
    )
    assert len(uc.get_shared_roles()) == 4
    uc.share(
        roles=[
            sharing.SharingRole(
                role=role.NO_ROLE,
                share_recipient_type=user.USER,
                username=team[0]["username"],
                can_share=False,
            )
        ]
    )
    assert len(uc.get_shared_roles()) == 3


def run_walkthroughs(service: Service, csv_path: str, runs: int) -> dict[str, dict[str, float]]:
    """Alternate the two clients ``runs`` times; median seconds and requests per walk-through."""
    import ucwidgets
    from ucwidgets.client import client_configuration

    for pkg in ("datarobot", "datarobot.models.sharing", "datarobot.enums"):
        importlib.import_module(pkg)  # imports are measured above, not in the walk-through
    results: dict[str, dict[str, list[float]]] = {
        pkg: {"seconds": [], "requests": []} for pkg in ("ucwidgets", "datarobot")
    }
    for _ in range(runs):
        for pkg in results:
            owner = service.user("owner")
            team = [service.user(name) for name in ("bob", "carol", "dave")]
            with client_configuration(token=owner["token"], endpoint=service.url):
                ucwidgets.Application.create(name="Financial Risk Detection")
            before = service.requests_served()
            started = time.perf_counter()
            with contextlib.redirect_stderr(io.StringIO()):  # datarobot's urllib3 warning
                walkthrough(pkg, service.url, owner, team, csv_path)
            results[pkg]["seconds"].append(time.perf_counter() - started)
            results[pkg]["requests"].append(service.requests_served() - before)
    return {
        pkg: {key: statistics.median(values) for key, values in sample.items()}
        for pkg, sample in results.items()
    }


# The child for the magic: one InteractiveShell, cells that do nothing, three conditions.
MAGIC = r"""
import json, sys, time
from IPython.core.interactiveshell import InteractiveShell
from ucwidgets import context
shell = InteractiveShell.instance()
cells, rounds = int(sys.argv[1]), 9

def batch():
    start = time.perf_counter()
    for _ in range(cells):
        shell.run_cell("pass", store_history=False)
    return (time.perf_counter() - start) / cells * 1e6

plain = [batch() for _ in range(rounds)]
shell.run_cell("%load_ext ucwidgets")
loaded, current = [], []
for _ in range(rounds):  # alternate, so drift in machine load hits both alike
    context.set_current_use_case(None)
    loaded.append(batch())
    context.set_current_use_case("65f0c0ffee0000000000aa01")  # what %use_case NAME leaves
    current.append(batch())
print(json.dumps({"plain": min(plain), "loaded": min(loaded), "current": min(current)}))
"""


def magic_overhead(cells: int) -> dict[str, float]:
    """Microseconds per empty cell in the three conditions (best of 9 batches each)."""
    done = subprocess.run(
        [sys.executable, "-c", MAGIC, str(cells)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(
    imports: dict[str, float],
    walks: dict[str, dict[str, float]],
    args: Any,
    cells: dict[str, float],
) -> str:
    import datarobot

    ours, theirs = walks["ucwidgets"], walks["datarobot"]
    lines = [
        "## Client (`benchmarks/client.py`)",
        "",
        f"Command: `.venv/bin/python benchmarks/client.py --imports {args.imports} "
        f"--runs {args.runs} --cells {args.cells} --write` on "
        f"{platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, datarobot {datarobot.__version__}.",
        "",
        "| measure | ucwidgets | datarobot | ratio (ucwidgets / datarobot) |",
        "|---|---|---|---|",
        f"| `import` in a fresh interpreter, median of {args.imports} | "
        f"{imports['ucwidgets'] * 1000:.1f} ms | {imports['datarobot'] * 1000:.0f} ms | "
        f"{imports['ucwidgets'] / imports['datarobot']:.3f} |",
        f"| seed walk-through against the same service, median of {args.runs} | "
        f"{ours['seconds'] * 1000:.0f} ms | {theirs['seconds'] * 1000:.0f} ms | "
        f"{ours['seconds'] / theirs['seconds']:.2f} |",
        f"| HTTP requests per walk-through | {ours['requests']:.0f} | "
        f"{theirs['requests']:.0f} | {ours['requests'] / theirs['requests']:.2f} |",
        "",
        "The walk-through is issue 2's: two use cases, an upload linked with `use_cases=`, a",
        "reference entity shared into the second use case, a project from a file and one from the",
        "dataset, `analyze_and_model`, an application, `with use_case:`, a default use case, three",
        "CONSUMER grants and one NO_ROLE revocation, with the listings after each step. The same",
        "code runs with both packages; the service runs in a child process (SQLite, fresh users",
        "each run, setup untimed). The clients alternate so drift hits both alike. The service's",
        "own work (SQLite commits, pandas reading uploads) dominates the walk-through, so its",
        "ratio mostly reflects the requests each client makes and its per-response validation.",
        "Absolute times move with machine load between runs; the ratios move much less.",
        "",
        f"`%use_case` per-cell overhead (an empty cell, {args.cells} cells a batch, best of 9 "
        "batches; the last two conditions alternate batch by batch; one IPython shell):",
        "",
        "| condition | µs per cell | over no extension |",
        "|---|---|---|",
        f"| extension not loaded | {cells['plain']:.1f} | — |",
        f"| `%load_ext ucwidgets`, no current use case | {cells['loaded']:.1f} | "
        f"{cells['loaded'] - cells['plain']:+.1f} µs |",
        f"| a current use case set by `%use_case` | {cells['current']:.1f} | "
        f"{cells['current'] - cells['plain']:+.1f} µs |",
        "",
        "The magic registers no pre- or post-cell hook: the current use case is a module",
        "global that is read only when something is created or listed. The extra microseconds",
        "are of the size of the spread between runs on this shared machine.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--imports", type=int, default=10, help="fresh interpreters per import")
    parser.add_argument("--runs", type=int, default=5, help="walk-throughs per client")
    parser.add_argument("--cells", type=int, default=2000, help="empty cells per batch")
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")

    imports = {name: import_time(name, args.imports) for name in ("ucwidgets", "datarobot")}
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = str(Path(tmp) / "risk_data.csv")
        Path(csv_path).write_text(CSV, encoding="utf-8")
        service = Service(str(Path(tmp) / "data"))
        try:
            walks = run_walkthroughs(service, csv_path, args.runs)
        finally:
            service.close()
    text = report(imports, walks, args, magic_overhead(args.cells))
    print(text)
    if args.write:
        _readme.write_section("client", text)


if __name__ == "__main__":
    main()
