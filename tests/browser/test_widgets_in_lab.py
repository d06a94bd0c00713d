"""Each widget in JupyterLab in headless Chromium: one real interaction, checked in the DOM and in
the service. See ``shared/testing/BROWSER.md`` for the set-up these fixtures follow."""

from __future__ import annotations

from typing import Any

import pytest
from _jlab import assert_rendered
from playwright.sync_api import expect

from ucwidgets.client import client_configuration
from ucwidgets.models.dataset import Dataset
from ucwidgets.models.sharing import SharingRole
from ucwidgets.models.use_cases.use_case import UseCase

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"
RISK_CSV = b"age,income,credit_risk\n25,40000,0\n40,85000,1\n33,52000,0\n51,99000,1\n"


def _as(service: Any, token: str) -> Any:
    return client_configuration(token=token, endpoint=service.url)


def _options(select: Any) -> list[str]:
    # ipywidgets' Select shows spaces as no-break spaces, so labels keep their spacing.
    return [t.replace("\u00a0", " ") for t in select.locator("option").all_inner_texts()]


def _option_index(select: Any, prefix: str) -> int:
    return next(i for i, t in enumerate(_options(select)) if t.startswith(prefix))


def test_browser_selects_a_use_case(page, run_notebook, actor, ucw_service, output_dir):
    user, token = actor("ann", "Ann Owner")
    with _as(ucw_service, token):
        risk = UseCase.create(name="Credit risk", description="Who repays their loan")
        Dataset.create_from_in_memory_data(
            records=[{"a": 1, "b": 2}], fname="loans.csv", use_case=risk
        )
        for name in ("Churn", "Fraud alerts", "Demand forecast"):
            UseCase.create(name=name, description=f"About {name.lower()}")
    panel = run_notebook(token, "browser = UseCaseBrowser()\nbrowser")
    root = panel.locator(".ucw-browser")
    expect(root).to_be_visible()
    assert_rendered(panel)
    expect(root.locator(".ucw-browser-page")).to_have_text("1-4 of 4")
    select = root.locator(".ucw-browser-list select")
    select.select_option(index=_option_index(select, "Credit risk"))
    expect(root.locator(".ucw-browser-name input")).to_have_value("Credit risk")
    expect(root.locator(".ucw-asset-name")).to_have_text("loans.csv")
    expect(root.locator(".ucw-browser-counts")).to_contain_text("1 dataset")
    expect(root.locator(".ucw-browser-members")).to_contain_text(user["username"])
    page.screenshot(path=str(output_dir / "page.png"))
    root.screenshot(path=str(output_dir / "browser.png"))


def test_picker_adds_a_dataset(page, run_notebook, actor, ucw_service, output_dir):
    _, token = actor("ann")
    with _as(ucw_service, token):
        uc = UseCase.create(name="Credit risk")
        ds = Dataset.create_from_in_memory_data(records=[{"a": 1}], fname="applicants.csv")
        Dataset.create_from_in_memory_data(records=[{"a": 1}], fname="bureau_scores.csv")
    panel = run_notebook(token, f"picker = AssetPicker(use_case={uc.id!r})\npicker")
    root = panel.locator(".ucw-picker")
    expect(root).to_be_visible()
    assert_rendered(panel)
    select = root.locator(".ucw-picker-list select")
    select.select_option(index=_option_index(select, "applicants.csv"))
    root.locator("button.ucw-picker-add").click()
    expect(root.locator(".ucw-message")).to_have_text("Added applicants.csv.")
    expect(select.locator("option")).to_have_count(1)
    with _as(ucw_service, token):
        assert [d.id for d in uc.list_datasets()] == [ds.id]
    page.screenshot(path=str(output_dir / "page.png"))
    root.screenshot(path=str(output_dir / "picker.png"))


def test_sharing_editor_changes_a_role(page, run_notebook, actor, ucw_service, output_dir):
    _, token = actor("ann", "Ann Owner")
    bob, _ = actor("bob", "Bob Editor")
    carol, _ = actor("carol", "Carol Consumer")
    with _as(ucw_service, token):
        uc = UseCase.create(name="Credit risk")
        uc.share(
            [
                SharingRole(role="EDITOR", id=bob["id"]),
                SharingRole(role="CONSUMER", id=carol["id"], can_share=True),
            ]
        )
    panel = run_notebook(token, f"editor = SharingEditor(use_case={uc.id!r})\neditor")
    root = panel.locator(".ucw-share")
    expect(root).to_be_visible()
    assert_rendered(panel)
    row = root.locator(".ucw-share-row", has_text=bob["username"])
    row.locator(".ucw-share-row-role select").select_option("CONSUMER")
    expect(root.locator(".ucw-share-pending")).to_contain_text("EDITOR → CONSUMER")
    root.locator("button.ucw-share-apply").click()
    expect(root.locator(".ucw-message")).to_have_text("Applied 1 change.")
    with _as(ucw_service, token):
        roles = {r.username: r.role.value for r in uc.get_shared_roles()}
    assert roles[bob["username"]] == "CONSUMER"
    page.screenshot(path=str(output_dir / "page.png"))
    root.screenshot(path=str(output_dir / "sharing.png"))


def test_hostile_name_is_literal_text(page, run_notebook, actor, ucw_service, output_dir):
    _, token = actor("eve", HOSTILE)
    with _as(ucw_service, token):
        uc = UseCase.create(name=HOSTILE, description=HOSTILE)
    panel = run_notebook(
        token,
        f"browser = UseCaseBrowser(use_case={uc.id!r})\nbrowser",
        f"ActivityFeed(use_case={uc.id!r})",
    )
    root = panel.locator(".ucw-browser")
    expect(root).to_be_visible()
    assert_rendered(panel)
    expect(root.locator(".ucw-browser-name input")).to_have_value(HOSTILE)
    root.locator("button.ucw-browser-delete").click()
    expect(root.locator(".ucw-browser-confirm-text")).to_contain_text(f"Delete {HOSTILE}?")
    expect(root.locator(".ucw-browser-members")).to_contain_text(HOSTILE)  # the full name
    expect(panel.locator(".ucw-feed-list")).to_contain_text(f"you created {HOSTILE}")
    assert _options(root.locator(".ucw-browser-list select"))[0].startswith(HOSTILE)
    assert panel.locator(".jp-OutputArea-output img").count() == 0
    page.wait_for_timeout(500)  # give a broken image's onerror the time to fire
    assert page.dialogs == []
    page.screenshot(path=str(output_dir / "page.png"))
