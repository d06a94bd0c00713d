"""The one writer of ``benchmarks/README.md``: each script owns a marked section of it.

A script's section lies between ``<!-- NAME:begin -->`` and ``<!-- NAME:end -->``; writing it
replaces that section (or appends it) and leaves every other section as it is, so the scripts can
be run in any order and each keeps its latest run.
"""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def write_section(name: str, text: str) -> None:
    """Replace (or append) the section ``name`` of the README with ``text``."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{text.strip()}\n{end}"
    current = README.read_text() if README.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"{re.escape(begin)}.*?{re.escape(end)}", re.S)
    if pattern.search(current):
        current = pattern.sub(lambda _: block, current, count=1)
    else:
        current = f"{current.rstrip()}\n\n{block}"
    README.write_text(current.rstrip("\n") + "\n")
