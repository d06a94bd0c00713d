"""The live feed in JupyterLab in headless Chromium: a teammate's change and a deletion arrive
with no click; a paused service leaves the kernel free while the widget shows a spinner with
Cancel; a failed ``Client(token=...)`` never shows another user's data, in the feed or the
browser."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _jlab import assert_rendered
from playwright.sync_api import expect

from ucwidgets.models.sharing import SharingRole
from ucwidgets.models.use_cases.use_case import UseCase

pytestmark = pytest.mark.browser


@pytest.fixture
def standalone(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """``ucwidgets serve`` in a process of its own (it can be paused): (endpoint, token)."""
    data_dir = tmp_path / "standalone"
    serve = subprocess.Popen(
        [
            *(sys.executable, "-c", "from ucwidgets.cli import main; main()"),
            *("serve", "--port", "0", "--data-dir", str(data_dir)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = serve.stdout.readline().split()[-1]
        yield url, (data_dir / "token").read_text().strip()
    finally:
        os.kill(serve.pid, signal.SIGCONT)
        os.kill(serve.pid, signal.SIGTERM)
        serve.wait(30)
        serve.stdout.close()


def _dark_theme(page: Any) -> None:
    page.locator("#jp-MainMenu").get_by_role("menuitem", name="Settings", exact=True).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Theme$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^JupyterLab Dark$")).click()
    expect(page.locator("body[data-jp-theme-light='false']")).to_have_count(1)
    expect(page.locator("#jupyterlab-splash")).to_have_count(0)  # the theme's fade is over


def test_a_teammates_change_and_a_deletion_reach_an_open_feed(
    page, run_notebook, make_user, output_dir
):
    ann = make_user("ann", "Ann Owner")
    bob = make_user("bob", "Bob Editor")
    with ann.signed_in():
        uc = UseCase.create(name="Fraud CNP")
        uc.share([SharingRole(role="EDITOR", id=bob.id)])
        for n in (1, 2, 3):
            uc.update(description=f"draft {n}")
    panel = run_notebook(bob.token, "feed = ActivityFeed()\nfeed")
    root = panel.locator(".ucw-feed")
    expect(root.locator(".ucw-feed-live")).to_have_text("● live")
    assert_rendered(panel)
    first = root.locator(".ucw-feed-item").first
    expect(first).to_contain_text(f"{ann.username} edited Fraud CNP · 3 changes")
    expect(root.locator(".ucw-feed-list")).to_contain_text("shared Fraud CNP with you as EDITOR")
    expect(root.locator(".ucw-feed-unread")).to_have_text("5 unread")

    with ann.signed_in():  # no click in bob's notebook from here on
        uc.update(name="Fraud CNP v2")
    # The same change again: it joins the run on top.
    expect(first).to_contain_text(f"{ann.username} edited Fraud CNP v2 · 4 changes")
    expect(root.locator(".ucw-feed-unread")).to_have_text("6 unread")
    first.locator("button.ucw-feed-read").click()  # one item (its run), by itself
    expect(root.locator(".ucw-feed-unread")).to_have_text("2 unread")
    expect(root.locator(".ucw-feed-item.ucw-unread")).to_have_count(2)
    root.screenshot(path=str(output_dir / "feed.png"))
    page.set_viewport_size({"width": 700, "height": 900})
    root.screenshot(path=str(output_dir / "feed-700.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    with ann.signed_in():
        uc.delete()
    expect(first).to_contain_text(f"{ann.username} deleted Fraud CNP v2")
    _dark_theme(page)
    root.screenshot(path=str(output_dir / "feed-dark.png"))
    # The theme is a setting of the session's JupyterLab: give the next test the light one.
    page.locator("#jp-MainMenu").get_by_role("menuitem", name="Settings", exact=True).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Theme$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^JupyterLab Light$")).click()
    expect(page.locator("body[data-jp-theme-light='true']")).to_have_count(1)


def test_a_paused_service_leaves_the_kernel_free(page, run_notebook, make_user, standalone):
    url, token = standalone
    cy = make_user("cy", "Cy")  # the notebook's setup cell connects somewhere; we go elsewhere
    panel = run_notebook(
        cy.token,
        f"ucwidgets.Client(token={token!r}, endpoint={url!r})\nfeed = ActivityFeed()\nfeed",
        "6 * 7",
    )
    root = panel.locator(".ucw-feed")
    expect(root.locator(".ucw-feed-live")).to_have_text("● live")
    serve_pid = int(re.search(r":(\d+)/", url).group(1))  # the port, to find the process
    pid = _listening_pid(serve_pid)
    os.kill(pid, signal.SIGSTOP)
    try:
        kind = root.locator("select.ucw-feed-kind")
        kind.select_option("dataset")  # a request that hangs
        expect(root.locator(".ucw-spinner")).to_be_visible()
        root.locator("button.ucw-cancel").click()
        expect(root.locator(".ucw-spinner")).to_have_count(0)
        expect(root.locator(".ucw-notice")).to_have_text("Cancelled.")
        kind.select_option("project")  # another; while it hangs, another cell runs
        expect(root.locator("button.ucw-cancel")).to_be_visible()
        last = panel.locator(".jp-CodeCell").nth(2)  # Shift+Enter adds a cell after it
        last.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Shift+Enter")
        expect(last.locator(".jp-InputArea-prompt").first).to_have_text("[4]:")
        expect(last.locator(".jp-OutputArea-output")).to_have_text("42")
        # Still waiting, or given up after the 10 s read timeout with a Retry: never frozen.
        expect(root.locator(".ucw-spinner, .ucw-retry")).to_be_visible()
    finally:
        os.kill(pid, signal.SIGCONT)


def _listening_pid(port: int) -> int:
    import psutil

    for conn in psutil.net_connections("tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == "LISTEN" and conn.pid:
            return conn.pid
    raise AssertionError(f"nothing listens on {port}")


def test_a_failed_client_never_shows_another_users_data(page, run_notebook, make_user, service):
    ann = make_user("ann", "Ann Owner")
    with ann.signed_in():
        UseCase.create(name="Ann's secret plans")
    panel = run_notebook(
        ann.token,  # connected as ann first; then a Client() that fails
        f"try:\n    ucwidgets.Client(token='wrong', endpoint={service.url!r})\n"
        "except Exception as e:\n    print(type(e).__name__)",
        "ActivityFeed()",
        "UseCaseBrowser()",
    )
    expect(panel.locator(".jp-OutputArea-output", has_text="Unauthorized")).to_have_count(1)
    root = panel.locator(".ucw-feed")
    expect(root.locator(".ucw-error")).to_contain_text("the last Client() failed")
    expect(root.locator(".ucw-feed-item")).to_have_count(0)
    expect(root.locator(".ucw-feed-me")).to_have_text("")
    browser = panel.locator(".ucw-browser-root")
    expect(browser.locator(".ucw-error").first).to_contain_text("the last Client() failed")
    expect(browser.locator(".ucw-chip")).to_have_text("Signed in as …")
    expect(browser.locator(".ucw-list-table tbody tr")).to_have_count(0)
    assert "Ann's secret plans" not in panel.inner_text()
