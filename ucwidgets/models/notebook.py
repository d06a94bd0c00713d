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

from datetime import datetime

from ucwidgets.enums import UseCaseEntityType
from ucwidgets.models._base import (
    TIME,
    UseCaseLike,
    field,
    listed,
    parse_time,
    target_use_case_ids,
    user_label,
)
from ucwidgets.models.asset import Asset
from ucwidgets.models.listing import Listing


class Notebook(Asset):
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
    use_case_ids : list of str
        Every use case it is linked to that the caller can see (ucwidgets' service only).
    type : str or None
    tags, permissions : list of str

    Notes
    -----
    ``Listing.to_frame()`` columns: ``id`` string, ``name`` string, ``path`` string,
    ``description`` string, ``created_by`` string, ``created_at`` datetime64[ns, UTC],
    ``use_case_id`` string.
    """

    _entity_type = UseCaseEntityType.NOTEBOOK
    _card_rows = ("id", "path", "created_by", "created_at")

    id: str = field(required=True, frame="string")
    name: str = field(default="", frame="string")
    path: str | None = field(frame="string")
    description: str | None = field(frame="string")
    created_by: str | None = field("created.by", "createdBy", convert=user_label, frame="string")
    created_at: datetime | None = field("created.at", "createdAt", convert=parse_time, frame=TIME)
    use_case_id: str | None = field(frame="string")
    use_case_name: str | None = field()
    use_case_ids: list[str] = field(convert=listed)
    type: str | None = field()
    tags: list[str] = field(convert=listed)
    permissions: list[str] = field(convert=listed)

    def __repr__(self) -> str:
        return f"Notebook(name={self.name!r}, id={self.id!r}, path={self.path!r})"

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
        body = {"name": name, "path": path, "description": description}
        return cls._register(body, use_case, use_cases)

    register = create

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
