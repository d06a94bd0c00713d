"""The demo behind make demo (python examples/demo.py in a clone): seed a small Financial Risk
use case, then open JupyterLab on the quick-start notebook.

``--walkthrough`` runs DataRobot's documented Use Case flow instead, on a throwaway service, and
prints its listings; ``--no-browser`` prints JupyterLab's address rather than opening a browser.
The demo keeps its data in a directory of its own (``.ucwidgets-demo`` beside ``notebooks/``,
or ``--data-dir``), never in the per-user one, and may run any number of times in any order.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ucwidgets.errors import MissingExtra, UseCaseError

DEMO_USE_CASE = "Financial Risk"
DEMO_APPLICATION = "Financial Risk Detection"
ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DEMO_DATA_DIR = ROOT / ".ucwidgets-demo"
RISK_DATA = NOTEBOOKS / "risk_data.csv"
DESCRIPTION = (
    "Seed a small Financial Risk use case and open JupyterLab on the quick-start notebook, "
    "or run DataRobot's documented Use Case flow (--walkthrough)."
)


@contextlib.contextmanager
def service(data_dir: Path) -> Iterator[Any]:
    """A service of its own on ``data_dir``, with the client pointed at it (no discovery: a
    JupyterLab running elsewhere on this machine is left alone)."""
    import ucwidgets as dr
    from ucwidgets.server.app import ServerThread

    server = ServerThread(data_dir=data_dir).start()
    try:
        dr.Client(endpoint=server.url, token=server.token)
        yield dr
    finally:
        server.stop()


def _named(found: list, name: str) -> Any:
    return next((item for item in found if item.name == name), None)


def seed(dr: Any, data_file: Path) -> Any:
    """Create the demo use case with a dataset, a modeling project and an application: each
    piece once, so that running it again (even after an interrupted run) changes nothing."""
    use_case = _named(dr.UseCase.list(search=DEMO_USE_CASE), DEMO_USE_CASE) or dr.UseCase.create(
        name=DEMO_USE_CASE, description="Credit risk: data, experiments and the app."
    )
    datasets = use_case.list_datasets()
    dataset = (
        datasets[0]
        if datasets
        else dr.Dataset.create_from_file(file_path=str(data_file), use_case=use_case)
    )
    projects = use_case.list_projects()
    project = (
        projects[0]
        if projects
        else dr.Project.create_from_dataset(
            dataset.id, project_name="Risk Assessment v1", use_case=use_case
        )
    )
    if not project.target:
        project.analyze_and_model(target="credit_risk")
    if not use_case.list_applications():
        app = dr.Application.create(
            name=DEMO_APPLICATION, description="Scores loan applications for credit risk."
        )
        use_case.add(entity=app)
    return use_case.refresh()


def walkthrough(dr: Any, data_file: Path) -> None:
    """DataRobot's documented Use Case flow, printing each listing it shows."""
    risk = dr.UseCase.create(
        name="Financial Risk Experimentation Environment",
        description="For running experiments on modeling financial risks to our business.",
    )
    dataset = dr.Dataset.create_from_file(file_path=str(data_file), use_case=risk)
    reference = risk.add(entity=dataset)
    print("datasets:", risk.list_datasets())
    second = dr.UseCase.create(name="Financial Risk Experimentation Environment 2")
    second.add(entity=reference)
    print("datasets of the second use case:", second.list_datasets())
    project = dr.Project.create_from_dataset(
        dataset_id=dataset.dataset_id, project_name="Risk Assessment v1", use_case=risk
    )
    project.analyze_and_model(target="credit_risk")
    risk.add(entity=project)
    print("projects:", risk.list_projects())
    app = (
        dr.Application.list()[0]
        if dr.Application.list()
        else dr.Application.create(name=DEMO_APPLICATION)
    )
    risk.add(entity=app)
    print("applications:", risk.list_applications())
    with risk:
        dr.Dataset.create_from_file(file_path=str(data_file))
    print("after `with risk:`:", risk.list_datasets())
    print()
    print(risk.refresh())
    print(risk.assets_frame().to_string(index=False))


def _jupyter_lab(data_dir: Path, open_browser: bool) -> int:
    """Run JupyterLab on the notebooks, its service and kernels on ``data_dir``, until it stops."""
    args = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={NOTEBOOKS}",
        f"--UseCaseExtension.data_dir={data_dir}",
        "--LabApp.default_url=/lab/tree/quick_start.ipynb",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if not open_browser:
        args.append("--no-browser")
    if os.geteuid() == 0:
        args.append("--allow-root")
    # The kernels' own service (teammates.py, or when no extension is found) uses the same
    # data, and nothing inherited points them at another service.
    env = {k: v for k, v in os.environ.items() if not k.startswith("UCWIDGETS_")}
    env["UCWIDGETS_DATA_DIR"] = str(data_dir)
    lab = subprocess.Popen(args, env=env)
    signal.signal(signal.SIGTERM, lambda *_: lab.terminate())
    while True:
        try:
            return lab.wait()
        except KeyboardInterrupt:
            continue  # JupyterLab has the same Ctrl-C: it asks, then stops by itself


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python examples/demo.py", description=DESCRIPTION)
    parser.add_argument(
        "--walkthrough",
        action="store_true",
        help="run DataRobot's documented flow on a throwaway service and print its listings",
    )
    parser.add_argument(
        "--no-browser",
        action="store_true",
        help="print JupyterLab's address instead of opening a browser",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEMO_DATA_DIR,
        help=f"where the demo keeps its use cases (default {DEMO_DATA_DIR})",
    )
    args = parser.parse_args(argv)
    try:
        if args.walkthrough:
            MissingExtra.check("The walkthrough", sklearn="modeling")
            scratch = tempfile.TemporaryDirectory(prefix="ucwidgets-walkthrough-")
            with scratch, service(Path(scratch.name)) as dr:
                walkthrough(dr, RISK_DATA)
            return 0
        MissingExtra.check("The demo", sklearn="modeling", jupyterlab="lab")
        with service(args.data_dir) as dr:
            print(f"Seeded {seed(dr, RISK_DATA)!r} in {args.data_dir}", flush=True)
    except UseCaseError as e:
        print(f"demo: {e}", file=sys.stderr)
        return 1
    return _jupyter_lab(args.data_dir, open_browser=not args.no_browser)


if __name__ == "__main__":
    sys.exit(main())
