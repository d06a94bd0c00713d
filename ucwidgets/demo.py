"""The demo behind ``make demo``: seed the store with a small Financial Risk use case, then
open JupyterLab on the quick-start notebook.

``python -m ucwidgets.demo --walkthrough`` runs DataRobot's documented Use Case flow against the
embedded service instead and prints its listings; ``--no-browser`` prints JupyterLab's URL
rather than opening a browser.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

DEMO_USE_CASE = "Financial Risk"
DEMO_APPLICATION = "Financial Risk Detection"
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def risk_frame(rows: int = 600, seed: int = 7) -> Any:
    """A synthetic credit-risk table: numeric and categorical columns, some missing values, and
    a binary target ``credit_risk`` that depends on them (so models have something to learn).

    Examples
    --------
    >>> frame = risk_frame(rows=50)
    >>> sorted(frame["credit_risk"].unique())
    [0, 1]
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    age = rng.integers(21, 70, rows)
    income = rng.lognormal(10.8, 0.45, rows).round(-2)
    debt = (income * rng.uniform(0, 0.9, rows)).round(-2)
    region = rng.choice(["north", "south", "east", "west"], rows, p=[0.3, 0.3, 0.2, 0.2])
    years = rng.integers(0, 30, rows).astype(float)
    logit = (
        -1.0
        + 2.8 * debt / income
        - 0.025 * (age - 40)
        - 0.05 * years
        + np.where(region == "south", 0.6, 0.0)
    )
    risk = (rng.uniform(0, 1, rows) < 1 / (1 + np.exp(-logit))).astype(int)
    years[rng.uniform(0, 1, rows) < 0.05] = np.nan  # real data has gaps
    return pd.DataFrame(
        {
            "age": age,
            "income": income,
            "debt": debt,
            "region": region,
            "employment_years": years,
            "credit_risk": risk,
        }
    )


def write_risk_data(path: Path) -> Path:
    """Write :func:`risk_frame` as CSV to ``path`` and return it."""
    risk_frame().to_csv(path, index=False)
    return path


def add_teammates(usernames: list[str]) -> list[str]:
    """Add users to the local store (an admin's ``ucwidgets user add`` on a team service).

    Users that already exist are left as they are; returns the usernames.
    """
    from .paths import data_dir
    from .server.store import Store

    store = Store.open(data_dir())
    try:
        known = {u["username"] for u in store.list_users()}
        for name in usernames:
            if name not in known:
                store.create_user(name, full_name=name.split("@")[0].title())
    finally:
        store.close()
    return usernames


def seed(dr: Any, data_file: Path) -> Any:
    """Create (once) the demo use case with a dataset, a modeling project and an application."""
    existing = [uc for uc in dr.UseCase.list(search=DEMO_USE_CASE) if uc.name == DEMO_USE_CASE]
    if existing:
        return existing[0]
    use_case = dr.UseCase.create(
        name=DEMO_USE_CASE, description="Credit risk: data, experiments and the app."
    )
    dataset = dr.Dataset.create_from_file(file_path=str(data_file), use_case=use_case)
    project = dr.Project.create_from_dataset(
        dataset.id, project_name="Risk Assessment v1", use_case=use_case
    )
    project.analyze_and_model(target="credit_risk")
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


def _jupyter_lab(open_browser: bool) -> int:
    args = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={NOTEBOOKS}",
        "--LabApp.default_url=/lab/tree/quick_start.ipynb",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if not open_browser:
        args.append("--no-browser")
    if os.geteuid() == 0:
        args.append("--allow-root")
    return subprocess.call(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ucwidgets.demo", description=__doc__)
    parser.add_argument(
        "--walkthrough",
        action="store_true",
        help="run DataRobot's documented flow and print its listings",
    )
    parser.add_argument(
        "--no-browser",
        action="store_true",
        help="print JupyterLab's URL instead of opening a browser",
    )
    args = parser.parse_args(argv)
    import ucwidgets as dr

    dr.Client()  # the embedded default: nothing to configure
    with tempfile.TemporaryDirectory() as scratch:
        data_file = write_risk_data(Path(scratch) / "risk_data.csv")
        if args.walkthrough:
            walkthrough(dr, data_file)
            return 0
        use_case = seed(dr, data_file)
    print(f"Seeded {use_case!r}")
    return _jupyter_lab(open_browser=not args.no_browser)


if __name__ == "__main__":
    sys.exit(main())
