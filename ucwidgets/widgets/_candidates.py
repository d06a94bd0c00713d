"""What the asset picker offers: the assets of each kind that can be added to a use case, the
notebooks under the Jupyter root, and a CSV checked before it is uploaded.

Datasets, projects and applications are asked one page at a time (the newest ``PAGE``), so the
picker costs the same whether the caller sees a hundred datasets or a hundred thousand.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ucwidgets.models._base import user_label
from ucwidgets.models.application import Application
from ucwidgets.models.dataset import Dataset
from ucwidgets.models.notebook import Notebook
from ucwidgets.models.project import Project
from ucwidgets.widgets._parts import iso

#: How many notebook files the picker lists under the Jupyter root at most.
MAX_NOTEBOOK_FILES = 500
#: How many datasets, projects or applications the picker asks for (the newest first).
PAGE = 100
#: Rows of a CSV shown before it is uploaded.
PREVIEW_ROWS = 5
#: (candidates, blocked, total): what can be added, what cannot with the reason, and how many
#: of that kind the caller can see in all (None when every one was read).
Found = tuple[list[dict], list[dict], int | None]


def _item(
    kind: str,
    obj: Any,
    name: str,
    detail: str = "",
    path: str | None = None,
    owner: str | None = None,
    created: Any = None,
) -> dict[str, Any]:
    """One candidate; its label carries what tells look-alikes apart (detail, owner, date)."""
    id = obj.id if obj is not None else ""
    owner = owner if obj is None else (owner or getattr(obj, "created_by", None) or "")
    created = created if obj is None else (created or getattr(obj, "created_at", None))
    day = iso(created)[:10] if iso(created) else ""
    parts = [name, detail, f"by {owner}" if owner else "", day]
    return {
        "value": f"{kind}:{id or path}",
        "label": "  ·  ".join(p for p in parts if p),
        "entity_type": kind,
        "id": id,
        "name": name,
        "path": path,
        "owner": owner or "",
        "created_at": iso(created),
        "detail": detail,
    }


def _newest(cls: Any, skip: int) -> Any:
    """One page of the newest assets of ``cls`` the caller can see, whatever use case is current
    (``use_cases=[]``), with room for the ``skip`` already in the use case."""
    return cls.list(use_cases=[], limit=PAGE + skip)


def _datasets(root: str, use_case_id: str) -> Found:
    linked = {d.id for d in Dataset.list(use_case=use_case_id)}
    page = _newest(Dataset, len(linked))
    items = [
        _item("dataset", d, d.name, rows_text(d.row_count)) for d in page if d.id not in linked
    ]
    return items[:PAGE], [], page.total_count


def _projects(root: str, use_case_id: str) -> Found:
    items, blocked = [], []
    page = _newest(Project, 0)
    for p in page:
        name = p.project_name or p.id
        if p.use_case_id == use_case_id:
            continue
        if p.use_case_id:
            blocked.append({"name": name, "reason": "already in another use case"})
        elif p.target and p.target_type not in ("Binary", "Regression"):
            blocked.append({"name": name, "reason": f"its target type is {p.target_type}"})
        else:
            state = f"target {p.target} ({p.target_type})" if p.target else "in set-up"
            owner = user_label(p._data.get("createdBy"))
            items.append(_item("project", p, name, state, owner=owner, created=p.created))
    return items, blocked, None  # GET projects/ is a bare list: no total to tell


def _applications(root: str, use_case_id: str) -> Found:
    linked = {a.id for a in Application.list(use_case=use_case_id)}
    page = _newest(Application, len(linked))
    items = [_item("application", a, a.name) for a in page if a.id not in linked]
    return items[:PAGE], [], page.total_count


def _notebooks(root: str, use_case_id: str) -> Found:
    linked = {n.id for n in Notebook.list(use_case=use_case_id)}
    registered = list(Notebook.list(use_cases=[]))
    known_paths = {n.path for n in registered if n.path}
    items = [_item("notebook", n, n.name, n.path or "") for n in registered if n.id not in linked]
    for path in _notebook_files(Path(root)):
        if path not in known_paths:
            name = Path(path).stem
            items.append(_item("notebook", None, name, f"{path} (not registered yet)", path))
    return items, [], None


CANDIDATES: dict[str, Callable[[str, str], Found]] = {
    "dataset": _datasets,
    "project": _projects,
    "application": _applications,
    "notebook": _notebooks,
}


def _notebook_files(root: Path) -> list[str]:
    """``.ipynb`` files under ``root`` (relative POSIX paths), skipping hidden folders."""
    found: list[str] = []
    if not root.is_dir():
        return found
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".ipynb") and not name.startswith("."):
                found.append(Path(folder, name).relative_to(root).as_posix())
                if len(found) >= MAX_NOTEBOOK_FILES:
                    return found
    return found


def check_csv(filename: str, content: bytes) -> dict[str, Any]:
    """A CSV's first rows and column types, or why it cannot become a dataset."""
    import pandas as pd

    staged: dict[str, Any] = {"name": filename, "size": len(content), "columns": [], "rows": []}
    try:
        frame = pd.read_csv(io.BytesIO(content))
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        return {**staged, "problem": f"This file does not read as a CSV table: {exc}"}
    if frame.columns.empty:
        return {**staged, "problem": "This file has no columns."}
    if frame.columns.duplicated().any() or any(str(c).startswith("Unnamed:") for c in frame):
        return {**staged, "problem": "Every column needs a name of its own in the header row."}
    head = frame.head(PREVIEW_ROWS).astype(object)
    return {
        **staged,
        "columns": [{"name": str(c), "dtype": str(t)} for c, t in frame.dtypes.items()],
        "rows": head.where(head.notna(), None).values.tolist(),
        "row_count": len(frame),
        "problem": "" if len(frame) else "This file has a header but no rows.",
    }


def rows_text(count: int | None) -> str:
    count = count or 0
    return f"{count:,} row" if count == 1 else f"{count:,} rows"
