"""What the four kinds of asset share: datasets, projects, applications and notebooks.

Each is linkable to use cases, shareable on its own, moved to the trash when deleted, fetched by
id and listed by the use cases it is in. A subclass names its ``_entity_type``; its routes, its
kind in the trash and its reverse-lookup filter follow from it.

Examples
--------
>>> from ucwidgets.models.notebook import Notebook
>>> Notebook._route, Notebook._trash_kind, Notebook._lookup
('notebooks', 'notebook', 'notebookId')
"""

from __future__ import annotations

from typing import Any, ClassVar

from ucwidgets.enums import UseCaseEntityType
from ucwidgets.models._base import (
    APIObject,
    Card,
    UseCaseLike,
    link,
    require_ucwidgets,
    target_use_case_ids,
)
from ucwidgets.models.listing import Listing
from ucwidgets.models.sharing import Shareable
from ucwidgets.models.trash import Trashable


class Asset(Card, APIObject, Shareable, Trashable):
    """Base of :class:`~ucwidgets.Dataset`, :class:`~ucwidgets.Project`,
    :class:`~ucwidgets.Application` and :class:`~ucwidgets.Notebook`.

    Each also carries the caller's rights on it, ``role``, ``can_edit``, ``can_share``,
    ``can_delete`` and ``grantable_roles`` (see :class:`~ucwidgets.models.sharing.Rights`).
    """

    #: The asset's kind in a use case.
    _entity_type: ClassVar[UseCaseEntityType]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        kind = vars(cls).get("_entity_type")
        if kind is not None:
            cls._route = kind.url_segment
            cls._trash_kind = kind.value
            cls._lookup = f"{kind.value}Id"

    @classmethod
    def get(cls, entity_id: str | None = None, /, **named: str) -> Any:
        """Fetch one by id: ``Dataset.get(id)``, or with the keyword of DataRobot's client
        (``Project.get(project_id=...)``, ``Dataset.get(dataset_id=...)``).

        Raises
        ------
        ucwidgets.errors.NotFound
            No such asset, or the caller may not see it.

        Examples
        --------
        >>> dr.Project.get(project_id=project.id)  # doctest: +SKIP
        Project(Risk Assessment v1)
        """
        keyword = f"{cls._trash_kind}_id"
        if entity_id is None and set(named) == {keyword}:
            entity_id = named[keyword]
        elif named or not entity_id:
            raise TypeError(f"{cls.__name__}.get() takes the id, or {keyword}=")
        return cls._fetch(entity_id)

    @classmethod
    def _register(cls, body: dict[str, Any], use_case: UseCaseLike, use_cases: UseCaseLike) -> Any:
        """Create one on our service (``POST <route>/`` with ``body``), then link it to the
        given or current use case(s)."""
        rest = cls._client()
        require_ucwidgets(rest, f"registering {cls._route}")
        data = rest.post(f"{cls._route}/", body).json()
        # Our service answers with the whole object; another may send only the id.
        asset = cls(data if "name" in data else rest.get(f"{cls._route}/{data['id']}/"))
        link(cls._entity_type, asset.id, target_use_case_ids(use_case, use_cases))
        return asset

    @classmethod
    def _list_in(
        cls,
        params: dict[str, Any],
        use_case: UseCaseLike,
        use_cases: UseCaseLike,
        shared_with_me: bool,
        whole: bool = True,
    ) -> Listing[Any]:
        """``GET <route>/`` by ``params``, in the given or current use case(s), and with
        ``shared_with_me`` only those shared with the caller individually; with a ``limit`` in
        ``params``, that one page (``whole``: see ``RESTClientObject.paginate``)."""
        query = {
            **params,
            "useCaseIds": target_use_case_ids(use_case, use_cases) or None,
            "sharedWithMe": "true" if shared_with_me else None,
        }
        meta: dict[str, Any] = {}
        follow = query.get("limit") is None
        items = cls._client().paginate(f"{cls._route}/", query, follow, meta, whole)
        return Listing((cls(item) for item in items), cls, meta)
