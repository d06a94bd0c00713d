"""``Leaderboard``: a project's models, best first on its metric, as a table.

The service sorts the models (``GET projects/{id}/models/``); this part only picks the metric's
columns and hands them to the front end as text and numbers.
"""

from __future__ import annotations

from typing import Any

from traitlets import Any as AnyTrait
from traitlets import Dict, Unicode, observe

from ucwidgets.widgets._common import action
from ucwidgets.widgets._parts import UseCaseWidget

__all__ = ["Leaderboard"]

PARTITIONS = (
    ("validation", "Validation"),
    ("cross_validation", "Cross-validation"),
    ("holdout", "Holdout"),
)


class Leaderboard(UseCaseWidget):
    """The models of one project, best first.

    Parameters
    ----------
    project : Project or str, optional
        The project to show.

    Examples
    --------
    >>> from ucwidgets.widgets.leaderboard import Leaderboard
    >>> board = Leaderboard(project=project)  # doctest: +SKIP
    >>> board.table["columns"]  # doctest: +SKIP
    ['Model', 'AUC · Validation', 'AUC · Cross-validation']
    """

    _module = "leaderboard.js"

    project_id = Unicode(
        None, allow_none=True, help="The project shown; None hides the board."
    ).tag(sync=True)
    board = AnyTrait(
        None,
        help="The project's id, name, metric, modeling status and failure, and its models as a "
        "DataFrame; None when hidden.",
    )
    table = Dict(
        help="What the front end draws: name, metric, status, failure, columns, rows."
    ).tag(sync=True)

    def __init__(self, client: Any = None, project: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("autoload", False)  # nothing to show until a project is set
        super().__init__(client=client, **kwargs)
        self.add_class("ucw-leaderboard")
        if project is not None:
            self.project_id = getattr(project, "id", project)

    def load(self) -> None:
        """Reload the shown project's models."""
        self.show(self.project_id)

    def show(self, project_id: str | None) -> None:
        """Show a project's leaderboard (None hides it)."""
        from ucwidgets.models.project import Project

        if project_id is None:
            self.board = None
            self.project_id = None
            return
        with self.api():
            project = Project.get(project_id)
            frame = project.get_models().to_frame()
        self.board = {
            "id": project.id,
            "name": project.project_name or project.id,
            "metric": project.metric,
            "status": project.modeling_status,
            "failure": project.failure,
            "models": frame,
        }
        self.project_id = project.id

    @action("close")
    def close_board(self) -> None:
        """Hide the board."""
        self.show(None)

    @observe("project_id")
    def _on_project_id_change(self, change: Any) -> None:
        shown = self.board["id"] if self.board else None
        if change["new"] != shown:
            self.run("panel", self.show, change["new"])

    @observe("board")
    def _on_board_change(self, change: Any) -> None:
        self.table = _table(self.board)


def _table(board: dict | None) -> dict[str, Any]:
    """The board as columns and rows of plain values (NaN as None)."""
    if board is None:
        return {}
    models = board["models"]
    metric = (board["metric"] or "").lower().replace(" ", "_")
    columns = {"model_type": "Model"}
    for part, label in PARTITIONS:
        if f"{metric}_{part}" in models:
            columns[f"{metric}_{part}"] = f"{board['metric']} · {label}"
    frame = models[list(columns)] if not models.empty else models.iloc[0:0]
    rows = [[_plain(value) for value in record] for record in frame.itertuples(index=False)]
    return {
        "id": board["id"],
        "name": board["name"],
        "metric": board["metric"] or "",
        "status": board["status"] or "",
        "failure": board["failure"] or "",
        "columns": list(columns.values()),
        "rows": rows,
    }


def _plain(value: Any) -> Any:
    """A cell as JSON: numpy scalars as Python numbers, NaN and NA as None."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value
