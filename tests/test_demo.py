"""The demo (examples/demo.py) run as a newcomer would: nothing set, run more than once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from service_api import risk_frame

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(EXAMPLES))
from demo import RISK_DATA, main, seed, service  # noqa: E402 - examples/ is not a package


def test_the_demo_data_is_the_tests_risk_frame():
    assert RISK_DATA.read_text(encoding="utf-8") == risk_frame().to_csv(index=False)


def test_the_walkthrough_prints_the_documented_listings_every_time(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("UCWIDGETS_DATA_DIR", str(tmp_path / "user-data"))
    for _ in range(2):
        assert main(["--walkthrough"]) == 0
        out = capsys.readouterr().out
        assert "datasets: [Dataset(name='risk_data.csv', id='" in out
        assert "projects: [Project(Risk Assessment v1)]" in out
        assert "applications: [Application(name='Financial Risk Detection')]" in out
        assert "projects=1, datasets=2" in out
    assert not (tmp_path / "user-data").exists()  # a throwaway service, not the user's data


def test_seeding_twice_changes_nothing(tmp_path):
    with service(tmp_path / "demo") as dr:
        first = seed(dr, RISK_DATA)
    with service(tmp_path / "demo") as dr:
        again = seed(dr, RISK_DATA)
        assert again.id == first.id
        counts = (again.datasets_count, again.projects_count, again.applications_count)
        assert counts == (1, 1, 1)
        assert [uc.name for uc in dr.UseCase.list()] == ["Financial Risk"]
        assert dr.Project.get(again.list_projects()[0].id).target == "credit_risk"


def test_without_jupyterlab_the_demo_says_which_extra_and_seeds_nothing(tmp_path):
    code = (
        "import sys; sys.modules['jupyterlab'] = None\n"  # as if it were not installed
        f"sys.path.insert(0, {str(EXAMPLES)!r})\n"
        "from demo import main\n"
        f"sys.exit(main(['--no-browser', '--data-dir', {str(tmp_path / 'demo')!r}]))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "demo: The demo needs jupyterlab, which is not installed: pip install 'ucwidgets[lab]'"
    ]
    assert not (tmp_path / "demo").exists()
