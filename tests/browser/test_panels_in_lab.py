"""The use-case panels in JupyterLab in headless Chromium: the keyboard, typing, an unsaved rename,
sharing one dataset; screenshots in light, dark and 700 px for the README (docs/screenshots/).

See ``shared/testing/BROWSER.md`` for the set-up these fixtures follow.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from _jlab import RISK_ROWS, assert_rendered, roomy, save_screenshot, settled
from playwright.sync_api import expect

from ucwidgets.models.dataset import Dataset
from ucwidgets.models.sharing import SharingRole
from ucwidgets.models.use_cases.use_case import UseCase

pytestmark = pytest.mark.browser

CSV = b"age,income,approved\n25,40000,0\n40,85000,1\n33,52000,0\n51,99000,1\n"


def _active_cell(panel: Any) -> int:
    cells = panel.locator(".jp-Cell")
    return next(
        i for i in range(cells.count()) if "jp-mod-active" in cells.nth(i).get_attribute("class")
    )


def _set_theme(page: Any, name: str) -> None:
    page.locator("#jp-MainMenu").get_by_role("menuitem", name="Settings", exact=True).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Theme$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{name}$")).click()
    expect(page.locator("body")).to_have_attribute("data-jp-theme-name", name)


#: In the page: the list's header cells (and sort buttons) whose text does not fit.
CLIPPED_JS = """
() => [...document.querySelectorAll(".ucw-list-table th, .ucw-list-table th .ucw-sort")]
  .filter((e) => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map((e) => e.textContent)
"""


def test_keyboard_typing_and_an_unsaved_rename(page, run_notebook, make_user):
    ann = make_user("ann", "Ann Owner")
    bob = make_user("bob", "Bob Editor")
    with ann.signed_in():
        risk = UseCase.create(name="Credit risk", description="Who repays their loan")
        Dataset.create_from_in_memory_data(records=RISK_ROWS, fname="loans.csv", use_case=risk)
        # Two files of one name: the picker tells them apart.
        for rows in (RISK_ROWS[:5], RISK_ROWS * 3):
            Dataset.create_from_in_memory_data(records=rows, fname="loans.csv")
        for name in ("Churn", "Fraud alerts", "Demand forecast", "Île-de-France pricing"):
            UseCase.create(name=name, description=f"About {name.lower()}")
        risk.share([SharingRole(role="EDITOR", id=bob.id)])
    with bob.signed_in():
        UseCase.create(name="Bob's scratchpad", description="Shared with Ann").share(
            [SharingRole(role="CONSUMER", id=ann.id)]
        )
    panel = run_notebook(ann.token, "browser = UseCaseBrowser()\nbrowser", "after = 1")
    root = panel.locator(".ucw-browser-root")
    expect(root).to_be_visible()
    assert_rendered(panel)
    expect(root.locator(".ucw-chip")).to_have_text(f"Signed in as {ann.username} (Ann Owner)")
    rows = root.locator(".ucw-list-table tbody tr")
    expect(rows).to_have_count(6)

    # Arrow keys move the highlight and stay in the widget: the notebook keeps its cell.
    root.locator(".ucw-grid").focus()
    cell = _active_cell(panel)
    first = rows.nth(0).locator(".ucw-col-name").inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(root.locator("tr.ucw-cursor")).to_have_attribute(
        "data-id", rows.nth(1).get_attribute("data-id")
    )
    assert (
        _active_cell(panel) == cell and rows.nth(0).locator(".ucw-col-name").inner_text() == first
    )
    page.keyboard.press("Enter")  # opens it
    opened = rows.nth(1).locator(".ucw-col-name").inner_text()
    expect(root.locator(".ucw-detail-name")).to_have_value(opened)
    page.keyboard.press("Escape")  # back to the list
    expect(root.locator(".ucw-grid")).to_be_focused()
    assert _active_cell(panel) == cell

    # Typing filters, no Enter: the service searches as the user types.
    root.locator(".ucw-list-search").click()
    page.keyboard.type("chur")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".ucw-col-name")).to_have_text("Churn")
    root.locator(".ucw-list-search").fill("")
    expect(rows).to_have_count(6)

    # An unsaved rename survives clicking Share.
    rows.filter(has_text="Credit risk").locator(".ucw-col-name").click()
    name = root.locator(".ucw-detail-name")
    expect(name).to_have_value("Credit risk")
    name.fill("Credit risk (2026)")
    root.locator("button.ucw-detail-share").click()
    expect(root.locator(".ucw-share-root")).to_be_visible()
    expect(root.locator(".ucw-share-row", has_text=bob.username)).to_be_visible()
    expect(name).to_have_value("Credit risk (2026)")
    root.locator("button.ucw-refresh").click()  # a reload keeps it too
    expect(root.locator(".ucw-share-root")).to_be_visible()
    expect(name).to_have_value("Credit risk (2026)")
    roomy(page)
    if page.locator("body[data-jp-theme-light='false']").count():  # left dark by another test
        _set_theme(page, "JupyterLab Light")
    settled(page, light=True)
    assert page.evaluate(CLIPPED_JS) == []  # no column header cut
    save_screenshot(root.locator(".ucw-share-root"), "sharing.png")
    with ann.signed_in():
        assert UseCase.get(risk.id).name == "Credit risk"  # not saved: the user did not say so
    assert page.console_errors == []

    save_screenshot(root, "browser-light.png")
    root.locator("button.ucw-detail-share").click()  # close the editor, open the picker
    root.locator("button.ucw-detail-add").click()
    picker = root.locator(".ucw-picker-root")
    expect(picker.locator(".ucw-picker-title")).to_have_text("Add assets to Credit risk")
    looks = picker.locator(".ucw-picker-list li")
    expect(looks).to_have_count(2)
    assert sorted(looks.locator(".ucw-cand-detail").all_inner_texts()) == ["36 rows", "5 rows"]
    # A CSV is read and shown before anything is uploaded.
    picker.locator(".ucw-picker-file").set_input_files(
        files=[{"name": "applicants.csv", "mimeType": "text/csv", "buffer": CSV}]
    )
    expect(picker.locator(".ucw-staged")).to_contain_text("applicants.csv · 64 bytes")
    expect(picker.locator(".ucw-staged-table th")).to_have_text(["age", "income", "approved"])
    with ann.signed_in():
        assert len(UseCase.get(risk.id).list_datasets()) == 1  # nothing created yet
    save_screenshot(picker, "picker.png")
    _set_theme(page, "JupyterLab Dark")
    settled(page, light=False)
    save_screenshot(root, "browser-dark.png")
    page.set_viewport_size({"width": 700, "height": 1300})
    expect(root.locator(".ucw-layout")).to_have_css(
        "grid-template-columns", re.compile(r"^\d+(\.\d+)?px$")
    )
    settled(page, light=False)
    assert page.evaluate(CLIPPED_JS) == []
    save_screenshot(root, "browser-700.png")
    _set_theme(page, "JupyterLab Light")


def test_a_dataset_shared_from_its_row_reaches_the_other_user(page, run_notebook, make_user):
    ann = make_user("ann", "Ann Owner")
    bob = make_user("bob", "Bob Analyst")
    with ann.signed_in():
        uc = UseCase.create(name="Credit risk", description="Who repays their loan")
        ds = Dataset.create_from_in_memory_data(records=RISK_ROWS, fname="loans.csv", use_case=uc)
    panel = run_notebook(ann.token, f"browser = UseCaseBrowser(use_case={uc.id!r})\nbrowser")
    root = panel.locator(".ucw-browser-root")
    expect(root.locator(".ucw-asset", has_text="loans.csv")).to_be_visible()
    assert_rendered(panel)
    root.locator(".ucw-asset", has_text="loans.csv").locator("button.ucw-asset-share").click()
    editor = root.locator(".ucw-share-root")
    expect(editor).to_contain_text("loans.csv")
    user = editor.locator(".ucw-share-user")
    user.click()
    page.keyboard.type("nobody-at-all")
    expect(editor.locator(".ucw-flag")).to_have_text("No user matches “nobody-at-all”.")
    user.fill("")
    page.keyboard.type(bob.username)
    expect(editor.locator(".ucw-flag")).to_be_hidden()
    page.keyboard.press("Enter")  # Enter adds the person
    expect(editor.locator(".ucw-pending")).to_contain_text(f"add {bob.username} as CONSUMER")
    editor.locator("button.ucw-share-apply").click()
    expect(editor.locator(".ucw-notice")).to_have_text("Applied 1 change.")

    with bob.signed_in():
        assert [d.id for d in Dataset.list(use_cases=[], shared_with_me=True)] == [ds.id]
        assert list(Dataset.get(ds.id).list_use_cases()) == []  # nothing of Ann's around it
    tab = page.context.new_page()  # Bob's JupyterLab tab, beside Ann's
    tab.set_default_timeout(60_000)
    other = run_notebook(bob.token, "browser = UseCaseBrowser()\nbrowser", name="-bob", tab=tab)
    root = other.locator(".ucw-browser-root")
    root.get_by_role("radio", name="Shared with me").click()  # the list's one filter
    shared = root.locator(".ucw-shared-table tbody tr")
    expect(shared).to_have_count(1)
    expect(shared.first).to_contain_text("loans.csv")
    expect(shared.first).to_contain_text(ann.username)
    expect(root.locator(".ucw-list-table tbody tr")).to_have_count(0)  # no use case of Ann's
