"""Many assets at once in JupyterLab in headless Chromium: three are selected with the keyboard,
then with clicks (shift-click a range, ctrl-click to toggle), and moved to another use case in
one request (checked through the API); the screenshot ``docs/screenshots/multiselect.png``."""

from __future__ import annotations

from typing import Any

import pytest
from _jlab import RISK_ROWS, assert_rendered, roomy, save_screenshot, settled
from playwright.sync_api import expect

from ucwidgets.models.dataset import Dataset
from ucwidgets.models.use_cases.use_case import UseCase

pytestmark = pytest.mark.browser


def test_moves_three_assets_between_use_cases_with_multi_select(
    page: Any, run_notebook: Any, make_user: Any
) -> None:
    ann = make_user("ann", "Ann Owner")
    with ann.signed_in():
        source = UseCase.create(name="Credit risk", description="Who repays their loan")
        target = UseCase.create(name="Credit risk 2027", description="Next year's")
        names = ["applicants.csv", "bureau.csv", "loans.csv", "payments.csv"]
        ids = {
            n: Dataset.create_from_in_memory_data(records=RISK_ROWS, fname=n, use_case=source).id
            for n in names
        }
    panel = run_notebook(ann.token, f"browser = UseCaseBrowser(use_case={source.id!r})\nbrowser")
    root = panel.locator(".ucw-browser-root")
    rows = root.locator(".ucw-asset")
    expect(rows).to_have_count(4)
    assert_rendered(panel)
    chosen = root.locator(".ucw-asset.ucw-chosen")
    count = root.locator(".ucw-selection-count")

    # The keyboard: the first row, then shift+down twice.
    root.locator(".ucw-detail-assets").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Shift+ArrowDown")
    expect(count).to_have_text("3 selected")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")  # space toggles the row the keyboard is on
    expect(count).to_have_text("4 selected")
    root.locator("button.ucw-selection-clear").click()
    expect(chosen).to_have_count(0)

    # The mouse: a click, a shift-click for the range, a ctrl-click on and off again.
    rows.nth(0).locator(".ucw-asset-name").click()
    rows.nth(2).locator(".ucw-asset-name").click(modifiers=["Shift"])
    expect(count).to_have_text("3 selected")
    rows.nth(3).locator(".ucw-asset-name").click(modifiers=["Control"])
    expect(count).to_have_text("4 selected")
    rows.nth(3).locator(".ucw-asset-name").click(modifiers=["Control"])
    expect(count).to_have_text("3 selected")
    shown = rows.locator(".ucw-asset-name").all_inner_texts()  # newest first
    assert sorted(shown) == names
    expect(chosen.locator(".ucw-asset-name")).to_have_text(shown[:3])

    root.locator("button.ucw-selection-move").click()
    choice = root.locator("select.ucw-move-target")
    expect(choice.locator("option", has_text="Credit risk 2027")).to_have_count(1)
    choice.select_option(label="Credit risk 2027")
    roomy(page)
    settled(page, light=True)
    save_screenshot(root.locator(".ucw-detail-root"), "multiselect.png")
    root.locator("button.ucw-move-go").click()
    expect(root.locator(".ucw-detail-root .ucw-notice")).to_have_text(
        "Moved 3 assets to Credit risk 2027."
    )
    expect(rows).to_have_count(1)
    expect(count).to_be_hidden()

    with ann.signed_in():
        moved = {d.id for d in UseCase.get(target.id).list_datasets()}
        assert moved == {ids[n] for n in shown[:3]}
        assert [d.id for d in UseCase.get(source.id).list_datasets()] == [ids[shown[3]]]
    assert page.console_errors == []
