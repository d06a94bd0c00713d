"""``Notebook``: a Jupyter notebook registered by its path; linkable to many use cases.

Registering and linking are ucwidgets features; listing uses DataRobot's ``GET notebooks/``.

Examples
--------
>>> import ucwidgets as dr
>>> dr.Notebook.create(name="Exploration", path="analysis/explore.ipynb",
...                    use_case=uc)  # doctest: +SKIP
Notebook(name='Exploration', id='65f0...', path='analysis/explore.ipynb')
"""

from __future__ import annotations

from typing import Any, ClassVar

from ucwidgets.enums import UseCaseEntityType
from ucwidgets.models._base import (
    APIObject,
    UseCaseLike,
    card_html,
    link,
    parse_time,
    require_ucwidgets,
    target_use_case_ids,
    user_label,
)
from ucwidgets.models.listing import Listing
from ucwidgets.models.sharing import Shareable
from ucwidgets.models.trash import Trashable


class Notebook(APIObject, Shareable, Trashable):
    """A notebook.

    Attributes
    ----------
    id, name : str
    path : str or None
        Relative to the Jupyter root the service was given.
    description : str or None
    created_at : datetime or None
    created_by : str or None
    use_case_id, use_case_name : str or None

    Notes
    -----
    ``Listing.to_frame()`` columns: ``id`` string, ``name`` string, ``path`` string,
    ``description`` string, ``created_by`` string, ``created_at`` datetime64[ns, UTC],
    ``use_case_id`` string.
    """

    _entity_type = UseCaseEntityType.NOTEBOOK
    _route = "notebooks"
    _trash_kind = "notebook"
    _lookup = "notebookId"
    _frame_columns: ClassVar[dict[str, str]] = {
        "id": "string",
        "name": "string",
        "path": "string",
        "description": "string",
        "created_by": "string",
        "created_at": "datetime64[ns, UTC]",
        "use_case_id": "string",
    }

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self.id: str = data["id"]
        self.name: str = data.get("name", "")
        self.path: str | None = data.get("path")
        self.description: str | None = data.get("description")
        self.type: str | None = data.get("type")
        self.tags: list[str] = list(data.get("tags") or [])
        self.permissions: list[str] = list(data.get("permissions") or [])
        created = data.get("created") if isinstance(data.get("created"), dict) else {}
        self.created_at = parse_time(created.get("at") or data.get("createdAt"))
        self.created_by: str | None = user_label(created.get("by") or data.get("createdBy"))
        self.use_case_id: str | None = data.get("useCaseId")
        self.use_case_name: str | None = data.get("useCaseName")
        #: Every use case it is linked to that the caller can see (ucwidgets' service only).
        self.use_case_ids: list[str] = list(data.get("useCaseIds") or [])

    def __repr__(self) -> str:
        return f"Notebook(name={self.name!r}, id={self.id!r}, path={self.path!r})"

    def _repr_html_(self) -> str:
        rows = [
            ("id", self.id),
            ("path", self.path),
            ("created by", self.created_by),
            ("created", self.created_at),
        ]
        return card_html("Notebook", self.name, rows)

    @classmethod
    def create(
        cls,
        name: str,
        path: str,
        description: str | None = None,
        *,
        use_case: UseCaseLike = None,
        use_cases: UseCaseLike = None,
    ) -> Notebook:
        """Register a notebook by its path relative to the Jupyter root, then link it.

        Raises
        ------
        ucwidgets.errors.ValidationError
            The path leaves the Jupyter root.
        ucwidgets.errors.NotSupported
            Against DataRobot, which keeps notebooks in its own workbench.

        Examples
        --------
        >>> nb = dr.Notebook.create(name="Exploration", path="explore.ipynb")  # doctest: +SKIP
        """
        rest = cls._client()
        require_ucwidgets(rest, "registering notebooks")
        data = rest.post(
            "notebooks/", {"name": name, "path": path, "description": description}
        ).json()
        notebook = cls(data if "name" in data else rest.get(f"notebooks/{data['id']}/"))
        link(cls._entity_type, notebook.id, target_use_case_ids(use_case, use_cases))
        return notebook

    register = create

    @classmethod
    def get(cls, notebook_id: str) -> Notebook:
        """Fetch one notebook by id."""
        return cls(cls._client().get(f"notebooks/{notebook_id}/"))

    @classmethod
    def list(
        cls,
        use_cases: UseCaseLike = None,
        *,
        use_case: UseCaseLike = None,
        shared_with_me: bool = False,
    ) -> Listing[Notebook]:
        """The notebooks the caller can see, filtered by the given or current use case(s).

        ``shared_with_me=True`` keeps only those shared with the caller individually.

        DataRobot's route filters by one ``useCaseId``, so several use cases cost one request
        each; a notebook in more than one of them is listed once.
        """
        rest = cls._client()
        ids = target_use_case_ids(use_case, use_cases)
        seen: dict[str, Notebook] = {}
        for use_case_id in ids or [None]:
            params = {"useCaseId": use_case_id, "sharedWithMe": "true" if shared_with_me else None}
            for item in rest.paginate("notebooks/", params):
                seen.setdefault(item["id"], cls(item))
        return Listing(seen.values(), cls)
