"""The widgets notebook of ``notebooks/`` in JupyterLab, with nothing configured: the kernel
finds the service of the JupyterLab extension through its runtime file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _jlab import assert_rendered, open_notebook, run_all_cells
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def test_widgets_notebook_renders_every_widget(page, jupyter_lab, output_dir):
    folder = jupyter_lab.root / "tour"
    folder.mkdir(exist_ok=True)
    for name in ("widgets.ipynb", "risk_data.csv"):
        shutil.copy(NOTEBOOKS / name, folder / name)
    panel = open_notebook(page, jupyter_lab, "tour/widgets.ipynb", workspace="widgets-tour")
    run_all_cells(page, panel)
    assert_rendered(panel)
    for css in (".ucw-browser", ".ucw-picker", ".ucw-share", ".ucw-feed"):
        expect(panel.locator(css)).to_be_visible()
    browser = panel.locator(".ucw-browser")
    expect(browser.locator(".ucw-list-table tbody")).to_contain_text("Widgets Tour")
    # The magic linked this notebook to the use case it made current.
    expect(panel.locator(".ucw-feed")).to_contain_text("widgets.ipynb")
    page.screenshot(path=str(output_dir / "widgets-notebook.png"), full_page=True)
