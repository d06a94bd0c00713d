"""How fast the widgets are with 10,000 use cases in the store: in Python, and in the browser.

The store is seeded in bulk (``benchmarks/service.py``'s ``seed``: 10,000 use cases the
benchmarking user owns, one dataset linked to each, two events each), then served by
``ServerThread`` in this process.

* Python: the time to construct each widget (its first requests included), median of N.
* Browser: JupyterLab in headless Chromium (``tests/browser/_jlab.py``); the time from clicking
  Run > Run All Cells to the browser showing the first page of the use-case list (50 options in
  the DOM). The first run includes the kernel's imports; the warm runs re-run the same notebook.

The table is printed and written into ``benchmarks/README.md`` between ``<!-- widgets:begin -->``
and ``<!-- widgets:end -->``.

Usage::

    .venv/bin/python benchmarks/widgets.py            # full run, updates benchmarks/README.md
    .venv/bin/python benchmarks/widgets.py --quick    # 1,000 use cases, no README
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
README = HERE / "README.md"
BEGIN, END = "<!-- widgets:begin -->", "<!-- widgets:end -->"
COMMAND = ".venv/bin/python benchmarks/widgets.py"
sys.path[:0] = [str(HERE), str(ROOT / "tests" / "browser")]


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """(median, max) wall time of ``fn`` in milliseconds."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def python_side(
    url: str, token: str, use_case_id: str, runs: int
) -> list[tuple[str, float, float]]:
    import ipywidgets as w
    import requests

    import ucwidgets
    from ucwidgets.widgets import ActivityFeed, AssetPicker, SharingEditor, UseCaseBrowser

    ucwidgets.Client(token=token, endpoint=url)
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"

    def floor() -> Any:
        """The least a list of use cases can cost: one raw GET and a plain Select."""
        page = session.get(f"{url}/useCases/", params={"limit": 51}).json()["data"]
        return w.VBox([w.Select(options=[(u["name"], u["id"]) for u in page[:50]], rows=14)])

    cases: list[tuple[str, Callable[[], Any]]] = [
        ("floor: one raw `GET useCases/?limit=51` + a plain `Select`", floor),
        ("`UseCaseBrowser()` (first page of 50)", lambda: UseCaseBrowser()),
        (
            "`UseCaseBrowser(use_case=uc)` (page + detail)",
            lambda: UseCaseBrowser(use_case=use_case_id),
        ),
        ("`AssetPicker(use_case=uc)`", lambda: AssetPicker(use_case=use_case_id)),
        ("`SharingEditor(use_case=uc)`", lambda: SharingEditor(use_case=use_case_id)),
        ("`ActivityFeed(use_case=uc)`", lambda: ActivityFeed(use_case=use_case_id)),
        ("`ActivityFeed()` (notifications)", lambda: ActivityFeed(notifications=True)),
    ]
    rows = []
    for name, build in cases:
        for widget in [build()]:  # warm-up: imports and connection pool
            widget.close()
        med, worst = median_ms(lambda b=build: b().close(), runs)
        rows.append((name, med, worst))
    return rows


def browser_side(url: str, token: str, runs: int) -> tuple[float, list[float], list[float]]:
    """First run (cold), then alternating warm runs of the browser and of the floor."""
    import nbformat
    from _jlab import (
        CHROMIUM,
        CHROMIUM_ARGS,
        JupyterLabServer,
        free_port,
        open_notebook,
    )
    from playwright.sync_api import expect, sync_playwright

    scratch = Path(tempfile.mkdtemp(prefix="ucw-bench-lab-"))
    (scratch / "root").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell(src)
        for src in (
            f"import ucwidgets\nucwidgets.Client(token={token!r}, endpoint={url!r})",
            # Odd runs build the browser, even runs the floor: a plain Select of the same page.
            "import ipywidgets as w, requests\n"
            "from ucwidgets.widgets import UseCaseBrowser\n"
            "RUN = globals().get('RUN', 0) + 1\n"
            "if RUN % 2:\n"
            "    b = UseCaseBrowser()\n"
            "else:\n"
            f"    page = requests.get({url!r} + '/useCases/', params={{'limit': 51}},\n"
            f"                        headers={{'Authorization': 'Token {token}'}}).json()\n"
            "    b = w.VBox([w.Select(options=[(u['name'], u['id']) for u in page['data'][:50]],\n"
            "                         rows=14)])\n"
            "    b.children[0].add_class('bench-list')\n"
            "b.add_class(f'bench-run-{RUN}')\nb",
        )
    ]
    nbformat.write(nb, scratch / "root" / "bench.ipynb")
    server = JupyterLabServer(scratch / "root", scratch, free_port(), secrets.token_hex(16))
    server.start()
    times: list[float] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(120_000)
            expect.set_options(timeout=120_000)
            panel = open_notebook(page, server, "bench.ipynb", workspace="bench")
            for run in range(1, 2 * runs + 2):
                page.locator("#jp-MainMenu").get_by_role("menuitem", name="Run", exact=True).click()
                item = page.get_by_role("menuitem", name="Run All Cells", exact=True)
                t0 = time.perf_counter()
                item.click()
                listed = ".ucw-browser-list" if run % 2 else ".bench-list"
                options = panel.locator(f".bench-run-{run} {listed} option")
                expect(options).to_have_count(50)
                expect(options.first).to_be_visible()
                times.append((time.perf_counter() - t0) * 1000)
                page.wait_for_timeout(300)
            browser.close()
    finally:
        server.stop()
    return times[0], times[2::2], times[1::2]


def seed_store(n: int) -> tuple[Path, str, str]:
    from service import seed  # benchmarks/service.py: one bulk seed for both benchmarks

    data = Path(tempfile.mkdtemp(prefix="ucw-bench-widgets-"))
    seeded = seed(data, n)
    return data, seeded.token, seeded.use_cases[-1]


def write_readme(text: str) -> None:
    body = README.read_text() if README.exists() else "# Benchmarks\n"
    block = f"{BEGIN}\n{text.rstrip()}\n{END}"
    if BEGIN in body:
        body = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, body, flags=re.S)
    else:
        body = body.rstrip() + "\n\n" + block + "\n"
    README.write_text(body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 use cases, no README")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measure")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser part")
    args = parser.parse_args()
    n = 1_000 if args.quick else 10_000

    from ucwidgets.server.app import ServerThread

    t0 = time.perf_counter()
    data, token, use_case_id = seed_store(n)
    seeded_s = time.perf_counter() - t0
    server = ServerThread(data_dir=data)
    server.start()
    try:
        py_rows = python_side(server.url, token, use_case_id, args.runs)
        cold = warm = floor = None
        if not args.no_browser and Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).exists():
            cold, warm, floor = browser_side(server.url, token, max(3, args.runs // 2))
    finally:
        server.stop()

    lines = [
        "## Widgets (`benchmarks/widgets.py`)",
        "",
        f"Command: `{COMMAND}` on {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; {n:,} use cases "
        f"seeded in bulk ({seeded_s:.1f} s), the service on a thread of the same process.",
        "",
        "| measure | median | max | x floor |",
        "|---|---|---|---|",
    ]
    base = py_rows[0][1]
    lines += [
        f"| build {name} | {med:.0f} ms | {worst:.0f} ms | {med / base:.1f}x |"
        for name, med, worst in py_rows
    ]
    if cold is not None and warm and floor:
        paint = statistics.median(floor)
        lines.append(
            f"| browser floor: Run All → a plain `Select` of the same page painted "
            f"({len(floor)} runs) | {paint:.0f} ms | {max(floor):.0f} ms | 1.0x |"
        )
        lines.append(
            f"| browser: Run All → first page painted, warm kernel "
            f"({len(warm)} runs, alternating with the floor) | {statistics.median(warm):.0f} ms | "
            f"{max(warm):.0f} ms | {statistics.median(warm) / paint:.1f}x |"
        )
        lines.append(
            f"| browser: the same, first run (kernel imports ucwidgets, ipywidgets, "
            f"pandas) | {cold:.0f} ms | | |"
        )
    lines += [
        "",
        "Python figures: construction of the widget including its first requests (the "
        "browser's page is one `GET useCases/?limit=51`; its detail adds the use case, its "
        "members and four asset listings), median of "
        f"{args.runs} after one warm-up. Browser figures: from the click on *Run All Cells* "
        "to 50 options of the list in Chromium's DOM, measured by Playwright; they include "
        "the notebook's first cell (configuring the client) and JupyterLab's own work.",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.quick:
        write_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
