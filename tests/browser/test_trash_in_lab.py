"""The browser's Trash view in JupyterLab in headless Chromium: a deleted use case is restored
from it with its assets and members (checked through the API); the screenshot
``docs/screenshots/trash.png`` (light)."""

from __future__ import annotations

from typing import Any

import pytest
from _jlab import RISK_ROWS, assert_rendered, roomy, save_screenshot, settled
from playwright.sync_api import expect

from ucwidgets.models.dataset import Dataset
from ucwidgets.models.sharing import SharingRole
from ucwidgets.models.use_cases.use_case import UseCase

pytestmark = pytest.mark.browser


def test_restores_a_deleted_use_case_from_the_trash_view_with_its_assets_and_members(
    page: Any, run_notebook: Any, make_user: Any
) -> None:
    ann = make_user("ann", "Ann Owner")
    bob = make_user("bob", "Bob Editor")
    with ann.signed_in():
        risk = UseCase.create(name="Credit risk", description="Who repays their loan")
        ds = Dataset.create_from_in_memory_data(records=RISK_ROWS, fname="loans.csv", use_case=risk)
        risk.share([SharingRole(role="EDITOR", id=bob.id)])
        UseCase.create(name="Churn", description="Who leaves")
        old = UseCase.create(name="Old pricing", description="Replaced")
        UseCase.delete(old.id)
        UseCase.delete(risk.id)
    panel = run_notebook(ann.token, "browser = UseCaseBrowser()\nbrowser")
    root = panel.locator(".ucw-browser-root")
    expect(root.locator(".ucw-list-table tbody tr")).to_have_count(1)
    assert_rendered(panel)

    root.locator("button.ucw-trash-toggle").click()
    trash = root.locator(".ucw-trash-root")
    rows = trash.locator(".ucw-trash-row")
    expect(rows).to_have_count(2)
    row = rows.filter(has_text="Credit risk")
    expect(row.locator(".ucw-trash-kind")).to_have_text("Use case")
    expect(row.locator(".ucw-trash-info")).to_contain_text(f"by {ann.username}")
    expect(root.locator(".ucw-pane-list")).to_be_hidden()

    # Purge asks first; "Keep it" leaves the row alone.
    rows.filter(has_text="Old pricing").locator("button.ucw-trash-purge").click()
    expect(trash.locator(".ucw-purge-confirm")).to_contain_text("Purge Old pricing for good?")
    roomy(page)
    settled(page, light=True)
    save_screenshot(root, "trash.png")
    trash.locator("button.ucw-trash-keep").click()
    expect(trash.locator(".ucw-purge-confirm")).to_have_count(0)

    row.locator("button.ucw-trash-restore").click()
    expect(rows).to_have_count(1)
    expect(trash.locator(".ucw-notice")).to_have_text("Restored Credit risk.")
    # It opens beside the trash with its dataset and member, and is back in the list.
    expect(root.locator(".ucw-detail-name")).to_have_value("Credit risk")
    expect(root.locator(".ucw-asset", has_text="loans.csv")).to_be_visible()
    expect(root.locator(".ucw-member-row", has_text=bob.username)).to_contain_text("EDITOR")
    root.locator("button.ucw-trash-toggle").click()
    expect(root.locator(".ucw-list-table tbody tr")).to_have_count(2)

    with ann.signed_in():
        back = UseCase.get(risk.id)
        assert [d.id for d in back.list_datasets()] == [ds.id]
        roles = {r.username: r.role.value for r in back.get_shared_roles()}
        assert roles == {ann.username: "OWNER", bob.username: "EDITOR"}
        assert [t.name for t in UseCase.list_trash()] == ["Old pricing"]
    assert page.console_errors == []
