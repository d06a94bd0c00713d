"""What every model shares: parsing wire values, use case arguments, linking, HTML cards.

Private to :mod:`ucwidgets.models`; the public names live in the model modules.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any, ClassVar, Generic, TypeVar

from ucwidgets import context
from ucwidgets.client import get_client
from ucwidgets.enums import UseCaseEntityType
from ucwidgets.errors import NotSupported
from ucwidgets.rest import RESTClientObject

T = TypeVar("T")

#: What ``use_case=`` / ``use_cases=`` accept: a UseCase, an id, or a list of either.
UseCaseLike = Any


class APIObject:
    """Base of the models: the client in use and the row a listing's ``to_frame`` shows."""

    #: Column name -> pandas dtype of ``Listing.to_frame()`` for this type (documented per class).
    _frame_columns: ClassVar[dict[str, str]] = {}

    @staticmethod
    def _client() -> RESTClientObject:
        return get_client()

    def _frame_row(self) -> dict[str, Any]:
        return {name: getattr(self, name, None) for name in self._frame_columns}


class class_or_instance_method(Generic[T]):
    """A method callable on the class with an id (``UseCase.delete(id)``) or on an instance.

    DataRobot's ``UseCase.delete`` is a classmethod taking the id, so ``uc.delete()`` fails there;
    this descriptor binds the instance when there is one, and the class otherwise.
    """

    def __init__(self, func: Callable[..., T]) -> None:
        self.func = func
        self.__doc__ = func.__doc__
        self.__name__ = func.__name__

    def __get__(self, obj: Any, owner: type) -> Callable[..., T]:
        target = owner if obj is None else obj

        def bound(*args: Any, **kwargs: Any) -> T:
            return self.func(target, *args, **kwargs)

        bound.__doc__ = self.func.__doc__
        bound.__name__ = self.func.__name__
        return bound


def parse_time(value: Any) -> datetime | None:
    """An ISO-8601 string from the wire as a timezone-aware datetime (UTC when unzoned)."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


#: What ``use_cases=[None]`` filters a listing by: the assets in none of the caller's use cases.
NO_USE_CASE = "null"


def ids_of(use_cases: UseCaseLike) -> list[str]:
    """``use_cases`` as a list of ids: a UseCase, an id, or a list of either; ``None`` in a
    list stands for "in no use case" (``NO_USE_CASE``), as in DataRobot's client."""
    if use_cases is None:
        return []
    items = use_cases if isinstance(use_cases, list | tuple | set) else [use_cases]
    ids = []
    for item in items:
        if item is None:
            ids.append(NO_USE_CASE)
        elif isinstance(item, str):
            ids.append(item)
        elif isinstance(getattr(item, "id", None), str):
            ids.append(item.id)
        else:
            raise TypeError(f"expected a UseCase or a use case id, got {type(item).__name__}")
    return list(dict.fromkeys(ids))  # keep order, drop repeats


def target_use_case_ids(use_case: UseCaseLike = None, use_cases: UseCaseLike = None) -> list[str]:
    """The use cases a creation links to or a listing filters by.

    The explicit arguments win (both spellings accepted, merged); otherwise the current use case
    (``with uc:``, ``%use_case``, or the client's default); otherwise none.
    """
    if use_case is not None or use_cases is not None:
        return ids_of([*ids_of(use_case), *ids_of(use_cases)])
    current = context.get_current_use_case_id()
    return [current] if current else []


def link(entity_type: str, entity_id: str, use_case_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Link an entity to each use case (WIRE.md 2.3: created first, then linked); return refs."""
    kind = UseCaseEntityType(entity_type)
    rest = get_client()
    refs = []
    for use_case_id in use_case_ids:
        if use_case_id == NO_USE_CASE:
            continue  # use_cases=[None]: link to nothing
        require_ucwidgets(rest, "linking notebooks", when=kind is UseCaseEntityType.NOTEBOOK)
        response = rest.post(f"useCases/{use_case_id}/{kind.url_segment}/{entity_id}/")
        refs.append(response.json() if response.content else {})
    return refs


def require_ucwidgets(rest: RESTClientObject, feature: str, when: bool = True) -> None:
    """Raise NotSupported when ``feature`` needs our service and the endpoint is DataRobot."""
    if when and not rest.is_ucwidgets:
        raise NotSupported(
            f"{feature[0].upper()}{feature[1:]} is not supported by the server at {rest.endpoint}: "
            "it is a ucwidgets feature that DataRobot's API does not offer"
        )


def camel(params: dict[str, Any] | None) -> dict[str, Any]:
    """snake_case query keys to the wire's camelCase (``order_by`` -> ``orderBy``)."""
    out = {}
    for key, value in (params or {}).items():
        if value is None:
            continue  # never let an unset keyword hide a value given another way
        head, *rest = key.split("_")
        out[head + "".join(word[:1].upper() + word[1:] for word in rest)] = value
    return out


def card_html(kind: str, title: str, rows: Iterable[tuple[str, Any]]) -> str:
    """A small HTML card; every value passes through ``html.escape`` (names are text, not HTML)."""
    cells = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(label)}</th>"
        f"<td style='text-align:left'>{html.escape('' if value is None else str(value))}</td></tr>"
        for label, value in rows
    )
    return (
        "<div style='border:1px solid #ccc;border-radius:4px;padding:6px 10px;"
        "display:inline-block'>"
        f"<div style='font-size:smaller;color:#666'>{html.escape(kind)}</div>"
        f"<div style='font-weight:bold'>{html.escape(title)}</div>"
        f"<table style='font-size:smaller'>{cells}</table></div>"
    )


def user_label(user: Any) -> str | None:
    """The username (else full name, else id) of a wire user object or a bare string."""
    if isinstance(user, str):
        return user
    if isinstance(user, dict):
        return user.get("username") or user.get("fullName") or user.get("id")
    return None
