"""How fast the widgets are with 10,000 and 100,000 use cases: in Python and in the browser.

The store is seeded in bulk (``benchmarks/_bulk_seed.py``: use cases the benchmarking
user owns, one dataset linked to each, two events each), then served by ``ServerThread`` in
this process.

* Python: the time to construct each widget until its first requests are done, median of N.
* Browser: JupyterLab in headless Chromium (``tests/browser/_jlab.py``):
  - *run cell to first page painted*: from clicking Run > Run All Cells to the use-case table
    showing its first page (50 rows); the floor is a plain ``Select`` of the same page, built from
    one raw request, in the same notebook, alternating with it;
  - *keystroke to filtered results painted*: from the key's ``input`` event in the search box to
    the table showing only matching rows (the browser's debounce included); the floor is a plain
    ``Text`` whose observer sends the same search as one raw request and fills a ``Select``;
  - *another user's change to painted*: a teammate renames a use case; until the open browser's
    list and the feed show the new name, with no click; the floor is a raw long poll on a thread
    of the kernel that writes the name into a plain ``HTML``.

The table is printed and written into ``benchmarks/README.md`` between ``<!-- widgets:begin -->``
and ``<!-- widgets:end -->``.

Usage::

    .venv/bin/python benchmarks/widgets.py            # 10,000 and 100,000; updates the README
    .venv/bin/python benchmarks/widgets.py --quick    # 1,000 use cases, no README
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _readme

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
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
    from ucwidgets.widgets import AssetPicker, SharingEditor, UseCaseBrowser

    ucwidgets.Client(token=token, endpoint=url)
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"

    def floor() -> Any:
        """The least a list of use cases can cost: one raw GET and a plain Select."""
        page = session.get(f"{url}/useCases/", params={"limit": 51}).json()["data"]
        return w.VBox([w.Select(options=[(u["name"], u["id"]) for u in page[:50]], rows=14)])

    def built(widget: Any) -> Any:
        widget.wait()  # the panels request on worker threads: until they are done
        return widget

    cases: list[tuple[str, Callable[[], Any]]] = [
        ("floor: one raw `GET useCases/?limit=51` + a plain `Select`", floor),
        ("`UseCaseBrowser()` (first page of 50)", lambda: built(UseCaseBrowser())),
        (
            "`UseCaseBrowser(use_case=uc)` (page + detail)",
            lambda: built(UseCaseBrowser(use_case=use_case_id)),
        ),
        ("`AssetPicker(use_case=uc)`", lambda: built(AssetPicker(use_case=use_case_id))),
        ("`SharingEditor(use_case=uc)`", lambda: built(SharingEditor(use_case=use_case_id))),
    ]
    rows = []
    for name, build in cases:
        for widget in [build()]:  # warm-up: imports and connection pool
            widget.close()
        med, worst = median_ms(lambda b=build: b().close(), runs)
        rows.append((name, med, worst))
    return rows


#: The notebook: the client, then (alternating by run) the browser or the floor, then the
#: keystroke floor: a plain Text whose observer sends the search as one raw request.
CELLS = (
    "import ucwidgets\nucwidgets.Client(token={token!r}, endpoint={url!r})",
    "import ipywidgets as w, requests\n"
    "from ucwidgets.widgets import UseCaseBrowser\n"
    "H = {{'Authorization': 'Token {token}'}}\n"
    "def page(search=''):\n"
    "    params = {{'limit': 51, 'search': search}} if search else {{'limit': 51}}\n"
    "    return requests.get({url!r} + '/useCases/', params=params, headers=H).json()['data']\n"
    "RUN = globals().get('RUN', 0) + 1\n"
    "if RUN % 2:\n"
    "    b = UseCaseBrowser()\n"
    "else:\n"
    "    b = w.VBox([w.Select(options=[(u['name'], u['id']) for u in page()[:50]], rows=14)])\n"
    "    b.children[0].add_class('bench-list')\n"
    "b.add_class(f'bench-run-{{RUN}}')\nb",
    "box = w.Text(continuous_update=True).add_class('bench-floor-search')\n"
    "hits = w.Select(options=[], rows=5).add_class('bench-floor-list')\n"
    "box.observe(lambda c: setattr(hits, 'options', [u['name'] for u in page(c['new'])]),"
    " 'value')\n"
    "w.VBox([box, hits])",
    # Another user's change: the feed (pushed by the service), beside the floor, a raw long
    # poll on a thread of the kernel that writes the changed name into a plain HTML widget.
    "import threading\n"
    "from ucwidgets.widgets import ActivityFeed\n"
    "if 'bench_feed' not in globals():\n"
    "    bench_feed = ActivityFeed(notifications=True)\n"
    "    bench_feed.add_class('bench-feed')\n"
    "    pushed = w.HTML('').add_class('bench-floor-push')\n"
    "    def _poll(after=None):\n"
    "        ev = {url!r} + '/events/'\n"
    "        after = requests.get(ev, headers=H).json()['lastEventId']\n"
    "        while True:\n"
    "            r = requests.get(ev, params={{'after': after, 'wait': 25}}, headers=H).json()\n"
    "            if r['data']:\n"
    "                after = r['lastEventId']\n"
    "                pushed.value = r['data'][-1]['entityName']\n"
    "    threading.Thread(target=_poll, daemon=True).start()\n"
    "w.VBox([bench_feed, pushed])",
)

#: In the page: resolve on the first frame that shows ``want`` in ``selector``.
PAINTED_JS = """
([selector, want]) => {
  const el = document.querySelector(selector);
  return el !== null && el.textContent.includes(want);
}
"""

#: In the page: replace the search box's last character, then wait for the rows to match.
KEYSTROKE_JS = """
async ([input, rows, text, want]) => {
  const box = document.querySelector(input);
  const t0 = performance.now();
  box.value = text;
  box.dispatchEvent(new Event("input", { bubbles: true }));
  const done = () => {
    const text = (r) => r.textContent.replace(/\\u00a0/g, " ");  // ipywidgets' no-break spaces
    const shown = [...document.querySelectorAll(rows)].map(text);
    return shown.length > 0 && shown.every((t) => t.includes(want));
  };
  while (!done()) {
    if (performance.now() - t0 > 20000) throw new Error(`no rows matching ${want} in ${rows}`);
    await new Promise((r) => requestAnimationFrame(r));
  }
  await new Promise((r) => requestAnimationFrame(r));
  return performance.now() - t0;
}
"""


def change_to_paint(
    page: Any, other: Any, use_case_id: str, runs: int, browser: str
) -> dict[str, list]:
    """Another user renames a use case the viewer is in; ms until the open browser's list (the
    renamed use case moves to the top of its first page), the feed, and (the floor) a plain
    HTML written by a raw long poll show the new name."""
    targets = {
        "browser": f"{browser} .ucw-list-table tbody",
        "feed": ".bench-feed .ucw-feed-item",
        "floor": ".bench-floor-push",
    }
    found: dict[str, list[float]] = {which: [] for which in targets}
    page.wait_for_selector(".bench-feed .ucw-feed-live:text('live')")
    for k in range(2 * runs):
        for which, selector in targets.items():
            name = f"renamed {k} {which} {secrets.token_hex(3)}"
            t0 = time.perf_counter()
            other.patch(f"useCases/{use_case_id}/", json={"name": name}).raise_for_status()
            page.wait_for_function(PAINTED_JS, arg=[selector, name], polling="raf")
            found[which].append((time.perf_counter() - t0) * 1000)
            page.wait_for_timeout(200)
    return found


def browser_side(
    url: str, token: str, runs: int, other: Any = None, use_case_id: str = ""
) -> dict[str, Any]:
    """Run cell -> first page (cold, then warm alternating with the floor); keystrokes."""
    import nbformat
    from _jlab import CHROMIUM, CHROMIUM_ARGS, JupyterLabServer, free_port, open_notebook
    from playwright.sync_api import expect, sync_playwright

    scratch = Path(tempfile.mkdtemp(prefix="ucw-bench-lab-"))
    (scratch / "root").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(c.format(token=token, url=url)) for c in CELLS]
    nbformat.write(nb, scratch / "root" / "bench.ipynb")
    server = JupyterLabServer(scratch / "root", scratch, free_port(), secrets.token_hex(16))
    server.start()
    times: list[float] = []
    keys: dict[str, list[float]] = {"browser": [], "floor": []}
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
                listed = ".ucw-list-table tbody tr" if run % 2 else ".bench-list option"
                rows = panel.locator(f".bench-run-{run} {listed}")
                expect(rows).to_have_count(50)
                expect(rows.first).to_be_visible()
                times.append((time.perf_counter() - t0) * 1000)
                page.wait_for_timeout(300)
            last = f".bench-run-{2 * runs + 1}"
            targets = {
                "browser": (f"{last} .ucw-list-search", f"{last} .ucw-list-table tbody tr"),
                "floor": (".bench-floor-search input", ".bench-floor-list option"),
            }
            for k in range(2 * runs):
                digit = str(k % 10)
                for which, (box, rows) in targets.items():
                    page.locator(box).fill("model 000")  # the state before the keystroke
                    page.wait_for_timeout(400)
                    text = f"model 000{digit}"
                    keys[which].append(page.evaluate(KEYSTROKE_JS, [box, rows, text, text]))
            if other:  # the browser's whole first page again, then the pushes
                page.locator(targets["browser"][0]).fill("")
                expect(page.locator(targets["browser"][1])).to_have_count(50)
            pushes = change_to_paint(page, other, use_case_id, runs, last) if other else None
            browser.close()
    finally:
        server.stop()
    return {
        "cold": times[0],
        "warm": times[2::2],
        "floor": times[1::2],
        "keys": keys,
        "pushes": pushes,
    }


def seed_store(n: int) -> tuple[Path, str, str]:
    from _bulk_seed import seed  # one bulk seed for this and the service benchmarks

    data = Path(tempfile.mkdtemp(prefix="ucw-bench-widgets-"))
    seeded = seed(data, n)
    return data, seeded.token, seeded.use_cases[-1]


def teammate(server: Any, token: str, use_case_id: str) -> Any:
    """A second user, an EDITOR of the viewer's use case: a requests session acting as them."""
    import requests

    user, other_token = server.store.users.create(f"teammate-{secrets.token_hex(3)}@example.com")
    owner = requests.Session()
    owner.headers["Authorization"] = f"Token {token}"
    role = {"shareRecipientType": "user", "id": user["id"], "role": "EDITOR"}
    owner.patch(
        f"{server.url}/useCases/{use_case_id}/sharedRoles/",
        json={"operation": "updateRoles", "roles": [role]},
    ).raise_for_status()
    other = requests.Session()
    other.headers["Authorization"] = f"Token {other_token}"
    base = server.url

    class Other:
        def patch(self, path: str, **kw: Any) -> Any:
            return other.patch(f"{base}/{path}", **kw)

    return Other()


def measure(n: int, runs: int, with_browser: bool) -> tuple[list[str], float]:
    """The table rows for one store size, and the seconds its seeding took."""
    from ucwidgets.server.app import ServerThread

    t0 = time.perf_counter()
    data, token, use_case_id = seed_store(n)
    seeded_s = time.perf_counter() - t0
    server = ServerThread(data_dir=data)
    server.start()
    try:
        py_rows = python_side(server.url, token, use_case_id, runs)
        other = teammate(server, token, use_case_id)
        lab = (
            browser_side(server.url, token, max(3, runs // 2), other, use_case_id)
            if with_browser
            else None
        )
    finally:
        server.stop()
    base = py_rows[0][1]
    lines = [
        f"| {n:,} | build {name} | {med:.0f} ms | {worst:.0f} ms | {med / base:.1f}x |"
        for name, med, worst in py_rows
    ]
    if lab:
        paint = statistics.median(lab["floor"])
        warm = statistics.median(lab["warm"])
        lines += [
            f"| {n:,} | browser floor: Run All → a plain `Select` of the same page painted "
            f"({len(lab['floor'])} runs) | {paint:.0f} ms | {max(lab['floor']):.0f} ms | 1.0x |",
            f"| {n:,} | **browser: Run All → first page painted** (target < 1.5 s; warm kernel, "
            f"{len(lab['warm'])} runs) | {warm:.0f} ms | {max(lab['warm']):.0f} ms | "
            f"{warm / paint:.1f}x |",
            f"| {n:,} | browser: the same, first run (the kernel imports ucwidgets, anywidget, "
            f"pandas) | {lab['cold']:.0f} ms | | |",
        ]
        key_floor = statistics.median(lab["keys"]["floor"])
        key = statistics.median(lab["keys"]["browser"])
        lines += [
            f"| {n:,} | keystroke floor: a plain `Text` → one raw search → `Select` painted "
            f"({len(lab['keys']['floor'])} keys) | {key_floor:.0f} ms | "
            f"{max(lab['keys']['floor']):.0f} ms | 1.0x |",
            f"| {n:,} | **keystroke → filtered results painted** (target < 150 ms; the first "
            f"key after a pause is sent at once, {len(lab['keys']['browser'])} keys) | "
            f"{key:.0f} ms | "
            f"{max(lab['keys']['browser']):.0f} ms | {key / key_floor:.1f}x |",
        ]
        pushes = lab["pushes"]
        push_floor = statistics.median(pushes["floor"])
        lines.append(
            f"| {n:,} | push floor: a raw long poll in the kernel → a plain `HTML` painted "
            f"({len(pushes['floor'])} changes) | {push_floor:.0f} ms | "
            f"{max(pushes['floor']):.0f} ms | 1.0x |"
        )
        for which, what in (("browser", "open browser's list"), ("feed", "feed")):
            push = statistics.median(pushes[which])
            lines.append(
                f"| {n:,} | **another user's change → {what} painted** (target < 1 s; "
                f"{len(pushes[which])} changes) | {push:.0f} ms | {max(pushes[which]):.0f} ms | "
                f"{push / push_floor:.1f}x |"
            )
    return lines, seeded_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 use cases, no README")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measure")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser part")
    parser.add_argument(
        "--sizes", default="", help="comma-separated store sizes instead (no README), e.g. 10000"
    )
    args = parser.parse_args()
    load = os.getloadavg()[0]  # the machine should be quiet: others' work skews every figure
    sizes = [1_000] if args.quick else [10_000, 100_000]
    if args.sizes:
        sizes, args.quick = [int(n) for n in args.sizes.split(",")], True
    with_browser = (
        not args.no_browser and Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).exists()
    )
    rows, seeding = [], []
    for n in sizes:
        lines, seeded_s = measure(n, args.runs, with_browser)
        rows += lines
        seeding.append(f"{n:,} in {seeded_s:.1f} s")
    lines = [
        "## Widgets (`benchmarks/widgets.py`)",
        "",
        f"Measured {time.strftime('%Y-%m-%d', time.gmtime())} (1-minute load average at the "
        f"start: {load:.1f}). Command: `{COMMAND}` on {platform.system()} "
        f"{platform.machine()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; use cases seeded in bulk "
        f"({', '.join(seeding)}), the service on a thread of the same process.",
        "",
        "| use cases | measure | median | max | x floor |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "Python figures: construction of the widget until its first requests are done (they run "
        "on worker threads), median of "
        f"{args.runs} after one warm-up. Browser figures are measured by Playwright in Chromium: "
        "from the click on *Run All Cells* to 50 rows of the table in the DOM (the notebook's "
        "first cell, configuring the client, and JupyterLab's own work included), and from a "
        "key's `input` event in the search box to the next frame after the table shows only "
        "matching rows (searching `model 000d`, each digit in turn), and from a teammate's "
        "`PATCH` renaming a use case to the frame that shows the new name (in the open browser's "
        "list, where it moves to the top of the first page, and in the feed), with no click.",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.quick:
        _readme.write_section("widgets", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
