"""Each widget in JupyterLab in headless Chromium: one real interaction, checked in the DOM and in
the service. See ``shared/testing/BROWSER.md`` for the set-up these fixtures follow."""

from __future__ import annotations

import pytest
from _jlab import SCREENSHOTS, assert_rendered
from playwright.sync_api import expect

from ucwidgets.models.use_cases.use_case import UseCase

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"
RISK_CSV = b"age,income,credit_risk\n25,40000,0\n40,85000,1\n33,52000,0\n51,99000,1\n"


def test_hostile_name_is_literal_text(page, run_notebook, make_user, output_dir):
    eve = make_user("eve", HOSTILE)
    with eve.signed_in():
        uc = UseCase.create(name=HOSTILE, description=HOSTILE)
    panel = run_notebook(
        eve.token,
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
