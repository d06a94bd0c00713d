"""Tags in JupyterLab in headless Chromium: one is added with Enter and shown as a chip in the
detail and the list; a click on a chip filters the list; its close button removes it (checked
through the API); the screenshot ``docs/screenshots/tags.png``."""

from __future__ import annotations

from typing import Any

import pytest
from _jlab import assert_rendered, roomy, save_screenshot, settled
from playwright.sync_api import expect

from ucwidgets.models.use_cases.use_case import UseCase

pytestmark = pytest.mark.browser


def test_tags_are_added_with_enter_filter_the_list_and_are_removed(
    page: Any, run_notebook: Any, make_user: Any
) -> None:
    ann = make_user("ann", "Ann Owner")
    with ann.signed_in():
        risk = UseCase.create(name="Credit risk", description="Who repays their loan")
        UseCase.create(name="Cards", description="Card fraud").update(tags=["credit", "fraud"])
        UseCase.create(name="Churn", description="Who leaves")
    panel = run_notebook(ann.token, f"browser = UseCaseBrowser(use_case={risk.id!r})\nbrowser")
    root = panel.locator(".ucw-browser-root")
    expect(root.locator(".ucw-list-table tbody tr")).to_have_count(3)
    assert_rendered(panel)

    field = root.locator(".ucw-detail-root .ucw-tag-input")
    field.click()
    page.keyboard.type("credit")
    page.keyboard.press("Enter")
    detail_tags = root.locator(".ucw-detail-root .ucw-tag .ucw-tag-label")
    expect(detail_tags).to_have_text(["credit"])
    page.keyboard.type("retail")
    page.keyboard.press("Enter")
    expect(detail_tags).to_have_text(["credit", "retail"])
    row = root.locator(".ucw-list-table tbody tr", has_text="Credit risk")
    expect(row.locator(".ucw-tag")).to_have_text(["credit", "retail"])
    roomy(page)
    settled(page, light=True)
    # The whole name shows, and the first chip in the room it leaves, not clipped past the cell.
    cell = row.locator(".ucw-col-name")
    name = cell.locator(".ucw-name").bounding_box()
    chip = row.locator(".ucw-tag").first.bounding_box()
    right = cell.bounding_box()["x"] + cell.bounding_box()["width"]
    assert cell.locator(".ucw-name").evaluate("e => e.scrollWidth <= e.clientWidth")
    assert name["x"] + name["width"] <= chip["x"] < right - 20, (name, chip, right)
    save_screenshot(root, "tags.png")

    detail_tags.first.click()  # "credit": the list filters by it
    expect(root.locator(".ucw-tag-filters .ucw-tag-active .ucw-tag-label")).to_have_text(["credit"])
    names = root.locator(".ucw-list-table tbody tr .ucw-col-name")
    expect(names).to_have_count(2)
    root.locator(".ucw-tag-filters .ucw-tag-remove").click()
    expect(names).to_have_count(3)

    root.locator('.ucw-detail-root .ucw-tag[data-tag="retail"] .ucw-tag-remove').click()
    expect(detail_tags).to_have_text(["credit"])
    with ann.signed_in():
        assert UseCase.get(risk.id).tags == ["credit"]
    assert page.console_errors == []
