"""Each widget in JupyterLab in headless Chromium: one real interaction, checked in the DOM and in
the service. See ``shared/testing/BROWSER.md`` for the set-up these fixtures follow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _jlab import assert_rendered
from playwright.sync_api import expect

from ucwidgets.client import client_configuration
from ucwidgets.models.use_cases.use_case import UseCase

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
RISK_CSV = b"age,income,credit_risk\n25,40000,0\n40,85000,1\n33,52000,0\n51,99000,1\n"


def _as(service: Any, token: str) -> Any:
    return client_configuration(token=token, endpoint=service.url)


def test_hostile_name_is_literal_text(page, run_notebook, actor, ucw_service, output_dir):
    _, token = actor("eve", HOSTILE)
    with _as(ucw_service, token):
        uc = UseCase.create(name=HOSTILE, description=HOSTILE)
    panel = run_notebook(
        token,
        f"browser = UseCaseBrowser(use_case={uc.id!r})\nbrowser",
        f"ActivityFeed(use_case={uc.id!r})",
    )
    root = panel.locator(".ucw-browser-root")
    expect(root).to_be_visible()
    assert_rendered(panel)
    expect(root.locator(".ucw-detail-name")).to_have_value(HOSTILE)
    root.locator("button.ucw-detail-delete").click()
    expect(root.locator(".ucw-confirm-text")).to_contain_text(f"Delete {HOSTILE}?")
    expect(root.locator(".ucw-detail-members")).to_contain_text(HOSTILE)  # the full name
    expect(panel.locator(".ucw-feed-list")).to_contain_text(f"you created {HOSTILE}")
    expect(root.locator(".ucw-list-table td.ucw-col-name").first).to_have_text(HOSTILE)
    assert panel.locator(".jp-OutputArea-output img").count() == 0
    page.wait_for_timeout(500)  # give a broken image's onerror the time to fire
    assert page.dialogs == []
    page.screenshot(path=str(output_dir / "page.png"))
    root.screenshot(path=str(SCREENSHOTS / "hostile-name.png"))
