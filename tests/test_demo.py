"""The main job's building blocks, run as a newcomer would: a fresh data dir, nothing set."""

from __future__ import annotations

import os
import subprocess
import sys


def _clean_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UCWIDGETS_", "JPY_"))}
    env.update(
        UCWIDGETS_DATA_DIR=str(tmp_path / "data"),
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
    )
    return env


def test_walkthrough_prints_the_documented_listings(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "ucwidgets.demo", "--walkthrough"],
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "datasets: [Dataset(name='risk_data.csv', id='" in out
    assert "projects: [Project(Risk Assessment v1)]" in out
    assert "applications: [Application(name='Financial Risk Detection')]" in out
    assert "projects=1, datasets=2" in out
    assert (tmp_path / "data" / "ucwidgets.db").exists()


def test_seed_is_idempotent(tmp_path):
    code = (
        "import ucwidgets as dr, pathlib, tempfile\n"
        "from ucwidgets.demo import seed, write_risk_data\n"
        "f = write_risk_data(pathlib.Path(tempfile.mkdtemp()) / 'risk_data.csv')\n"
        "a = seed(dr, f); b = seed(dr, f)\n"
        "print(a.id == b.id, b.datasets_count, b.projects_count, b.applications_count,"
        " len(dr.UseCase.list()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert out.split() == ["True", "1", "1", "1", "1"]
