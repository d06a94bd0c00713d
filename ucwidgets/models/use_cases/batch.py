"""Many assets at once: :meth:`add_many`, :meth:`remove_many` and :meth:`move` on a use case.

Each call is one request, applied by the service whole or not at all (ucwidgets' service only:
DataRobot's API has no such routes). A refusal raises the error the single ``add``/``remove``
would have raised, its ``errors`` naming the entry (``{"add[2]": "..."}``).

Examples
--------
>>> risk.add_many([dataset, project, ("application", app_id)])  # doctest: +SKIP
>>> risk.move([dataset, project], to=churn)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from ucwidgets.enums import UseCaseEntityType
from ucwidgets.errors import ValidationError
from ucwidgets.models._base import require_ucwidgets

__all__ = ["BatchLinks", "entity_refs"]


def entity_refs(entities: Iterable[Any]) -> list[dict[str, str]]:
    """The wire entries (``{"entityType", "entityId"}``) of model objects, reference entities
    or ``(type, id)`` pairs.

    Examples
    --------
    >>> entity_refs([("DATASET", "65f0c0ffee0000000000aa01")])
    [{'entityType': 'dataset', 'entityId': '65f0c0ffee0000000000aa01'}]
    """
    if isinstance(entities, (str, bytes, dict)) or not isinstance(entities, Iterable):
        raise TypeError("pass a list of model objects, reference entities or (type, id) pairs")
    refs = []
    for item in entities:
        if isinstance(item, tuple) and len(item) == 2:
            kind, eid = item
        elif hasattr(item, "entity_type") and hasattr(item, "entity_id"):  # a reference entity
            kind, eid = item.entity_type, item.entity_id
        elif getattr(type(item), "_entity_type", None) is not None:
            kind, eid = type(item)._entity_type, item.id
        else:
            raise TypeError(f"cannot add, remove or move a {type(item).__name__} in a use case")
        try:
            kind = UseCaseEntityType(str(getattr(kind, "value", kind)).lower())
        except ValueError:
            raise ValidationError(f"Unsupported entity type: {kind}") from None
        refs.append({"entityType": kind.value, "entityId": str(eid)})
    return refs


class BatchLinks:
    """What :class:`~ucwidgets.UseCase` does with many assets at once."""

    id: str
    #: The class each link comes back as (``UseCaseReferenceEntity``).
    _reference: ClassVar[type]
    _client: Callable[[], Any]  # the model base class's

    def _send(self, method: str, path: str, body: dict) -> list[Any]:
        rest = self._client()
        require_ucwidgets(rest, "linking many assets at once")
        got = getattr(rest, method)(f"useCases/{self.id}/{path}", body).json()
        return [self._reference(item) for item in got["added"]]

    def add_many(self, entities: Iterable[Any]) -> list[Any]:
        """Link many assets in one request, all or none (at most 500).

        Parameters
        ----------
        entities : list
            Datasets, projects, applications, notebooks, reference entities, or
            ``(entity_type, entity_id)`` pairs.

        Returns
        -------
        list of UseCaseReferenceEntity
            The links, datasets first (an asset already linked gives its existing link).

        Examples
        --------
        >>> refs = uc.add_many([dataset, ("application", app_id)])  # doctest: +SKIP
        >>> [r.entity_type.value for r in refs]  # doctest: +SKIP
        ['dataset', 'application']
        """
        return self._send("patch", "assets/", {"add": entity_refs(entities)})

    def remove_many(self, entities: Iterable[Any]) -> None:
        """Unlink many assets in one request, all or none (they are not deleted).

        Parameters
        ----------
        entities : list
            As for :meth:`add_many`; each must be linked to this use case.

        Examples
        --------
        >>> uc.remove_many([dataset, project])  # doctest: +SKIP
        """
        self._send("patch", "assets/", {"remove": entity_refs(entities)})

    def move(self, entities: Iterable[Any], to: Any) -> list[Any]:
        """Move many assets from this use case to another, all or none.

        Parameters
        ----------
        entities : list
            As for :meth:`add_many`; each must be linked to this use case.
        to : UseCase or str
            The use case (or its id) they move to; the caller needs EDITOR in both, and the
            right to share each asset, as linking does.

        Returns
        -------
        list of UseCaseReferenceEntity
            Their links in ``to``.

        Examples
        --------
        >>> refs = risk.move([dataset, project], to=churn)  # doctest: +SKIP
        >>> {r.use_case_id for r in refs} == {churn.id}  # doctest: +SKIP
        True
        """
        target = getattr(to, "id", to)
        if not isinstance(target, str):
            raise TypeError("to= takes a UseCase or a use case id")
        return self._send("post", "assets/move/", {"to": target, "entities": entity_refs(entities)})
