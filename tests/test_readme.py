"""The README's promises: two set-up commands, and "A taste" runs as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(section: str, language: str) -> list[str]:
    body = README.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", body, flags=re.S)


def test_a_fresh_machine_needs_two_commands():
    (commands,) = _blocks("Two commands", "bash")
    assert [line.split("#")[0].strip() for line in commands.splitlines()] == [
        "make demo",
        "make test",
    ]


@pytest.mark.timeout(600)  # it trains three models, which takes minutes on a loaded machine
def test_a_taste_runs_as_written(tmp_path):
    taste = _blocks("A taste", "python")[0]
    # Run it, then show what its commented lines promise.
    check = (
        "\nprint(risk.list_datasets(), risk.list_projects())"
        "\nprint(len(project.get_models()), len(project.get_models()[0].predict(new_rows)))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UCWIDGETS_", "JPY_"))}
    env.update(
        UCWIDGETS_DATA_DIR=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
    )
    run = subprocess.run(
        [sys.executable, "-c", taste + check], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    listings, counts = run.stdout.splitlines()
    assert re.fullmatch(
        r"\[Dataset\(name='risk_data.csv', id='\w+'\)\] \[Project\(Risk Assessment v1\)\]", listings
    )
    assert counts == "3 5"  # three models trained; a prediction for each of the five rows
