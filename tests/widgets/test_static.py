"""The panels' front ends, checked on their source: names only ever go in as text, nothing is
fetched from a CDN, and each module stays small enough to read."""

from __future__ import annotations

import re

import pytest

from widgets._helpers import STATIC

MODULES = sorted(STATIC.glob("*.js"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_markup_from_strings(path):
    source = path.read_text()
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", source)


@pytest.mark.parametrize("path", [*MODULES, *STATIC.glob("*.css")], ids=lambda p: p.name)
def test_nothing_is_fetched_from_the_network(path):
    source = path.read_text()
    assert not re.search(
        r"""(import\s[^;]*from\s*|import\(|@import\s|url\()\s*["']?https?:""", source
    )
    assert "cdn" not in source.lower()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_modules_stay_small(path):
    assert len(path.read_text().splitlines()) < 400


def test_every_panel_module_has_a_render():
    for path in MODULES:
        if path.name != "common.js":
            assert "export default" in path.read_text() and "render(" in path.read_text()
