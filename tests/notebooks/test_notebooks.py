"""Every notebook in ``notebooks/`` runs top to bottom in a real kernel on a fresh data dir."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def _fresh_env(tmp_path: Path) -> dict[str, str]:
    """The kernel's environment: nothing configured, all state under ``tmp_path``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UCWIDGETS_", "JPY_"))}
    env.update(
        UCWIDGETS_DATA_DIR=str(tmp_path / "data"),
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        IPYTHONDIR=str(tmp_path / "ipython"),
    )
    return env


def run_notebook(path: Path, tmp_path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=300,
        store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    saved = os.environ.copy()
    os.environ.clear()
    os.environ.update(_fresh_env(tmp_path))  # the kernel inherits the test process's env
    try:
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return nb


def outputs_text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.extend(str(v) for k, v in out.get("data", {}).items() if k == "text/plain")
    return "\n".join(parts)


#: Text each notebook must show, beyond running without an error.
EXPECTED = {
    "quick_start.ipynb": [
        "[Dataset(name='risk_data.csv', id='",
        "[Project(Risk Assessment v1)]",
        "[Application(name='Financial Risk Detection')]",
        "Random Forest",  # the leaderboard
        "positive_probability",  # predictions of the best model
    ],
    "sharing.ipynb": ["409: A use case must keep at least one active OWNER", "unshared"],
    "magic.ipynb": ["name='Fraud Detection'", "datasets=1", "Scratch Work [Dataset("],
    "widgets.ipynb": ["UseCaseBrowser(", "AssetPicker(", "SharingEditor(", "ActivityFeed("],
}


def test_every_notebook_is_checked():
    assert sorted(EXPECTED) == sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs_top_to_bottom(name, tmp_path):
    nb = run_notebook(NOTEBOOKS / name, tmp_path)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    text = outputs_text(nb)
    missing = [snippet for snippet in EXPECTED[name] if snippet not in text]
    assert missing == []
