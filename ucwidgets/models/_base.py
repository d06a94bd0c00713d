"""What every model shares: its fields, parsing wire values, use case arguments, linking, cards.

Private to :mod:`ucwidgets.models`; the public names live in the model modules.

A model declares each attribute once, as a :func:`field`: where it comes from on the wire, how it
is converted, its default, and its ``Listing.to_frame()`` column. :class:`APIObject` builds the
attributes and the frame's rows from those declarations.

Examples
--------
>>> class Thing(APIObject):
...     id: str = field(required=True, frame="string")
...     name: str = field(default="", frame="string")
...     made_at: datetime | None = field("created.at", "createdAt", convert=parse_time, frame=TIME)
...     tags: list[str] = field(convert=listed)
>>> thing = Thing({"id": "t1", "createdAt": "2024-05-01T12:00:00Z", "tags": None})
>>> thing.name, thing.made_at.isoformat(), thing.tags
('', '2024-05-01T12:00:00+00:00', [])
>>> Thing._frame_columns
{'id': 'string', 'name': 'string', 'made_at': 'datetime64[ns, UTC]'}
>>> Thing({"name": "no id"})
Traceback (most recent call last):
    ...
KeyError: 'id'
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from operator import attrgetter
from typing import Any, ClassVar, Generic, TypeVar

from ucwidgets import context
from ucwidgets.client import get_client
from ucwidgets.enums import UseCaseEntityType
from ucwidgets.errors import NotSupported
from ucwidgets.rest import RESTClientObject

T = TypeVar("T")

#: What ``use_case=`` / ``use_cases=`` accept: a UseCase, an id, or a list of either.
UseCaseLike = Any


#: The dtype of a time column in ``Listing.to_frame()``.
TIME = "datetime64[ns, UTC]"

_MISSING = object()


def _identity(value: Any) -> Any:
    return value


def listed(value: Any) -> list[Any]:
    """A wire list as a new list; a missing or null one as ``[]``."""
    return list(value or [])


def dict_or_empty(value: Any) -> dict[str, Any]:
    """A wire object as is; a missing or null one as ``{}``."""
    return value or {}


def _lookup(data: Any, path: str, missing: Any) -> Any:
    """``data[path]``, where ``a.b`` reads ``b`` of the object under ``a``; else ``missing``."""
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return missing
        data = data[part]
    return data


class Field:
    """One attribute of a model: where it is read on the wire and how it shows in a frame.

    Made by :func:`field`; :meth:`read` gives the attribute's value from a wire object.
    """

    __slots__ = ("convert", "default", "frame", "keys", "name", "required", "shown")

    def __init__(
        self,
        keys: tuple[str, ...],
        convert: Callable[[Any], Any] | None,
        default: Any,
        frame: str | None,
        shown: Callable[[Any], Any] | None,
        required: bool,
    ) -> None:
        self.keys = keys
        self.convert = convert or _identity
        self.default = default
        self.frame = frame
        self.shown = shown or _identity
        self.required = required
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        if not self.keys:  # the wire spells the attribute in camelCase
            self.keys = (camel_case(name),)

    def __repr__(self) -> str:
        return f"field({', '.join(map(repr, self.keys))}, frame={self.frame!r})"

    def read(self, data: dict[str, Any]) -> Any:
        """The value in ``data``: the first key's, or a later one's while the earlier are falsy
        (``a or b``), then converted; ``KeyError`` when a required key is missing."""
        *earlier, last = self.keys
        for key in earlier:
            value = _lookup(data, key, self.default)
            if value:
                return self.convert(value)
        value = _lookup(data, last, _MISSING)
        if value is _MISSING:
            if self.required:
                raise KeyError(last)
            value = self.default
        return self.convert(value)


def field(
    *keys: str,
    convert: Callable[[Any], Any] | None = None,
    default: Any = None,
    frame: str | None = None,
    shown: Callable[[Any], Any] | None = None,
    required: bool = False,
) -> Any:
    """Declare a model attribute read from the wire (in a class body, as ``dataclasses.field``).

    Parameters
    ----------
    *keys : str
        The wire keys, tried in order while their values are falsy; ``a.b`` reads ``b`` of the
        object under ``a``. Default: the attribute's name in camelCase.
    convert : callable, optional
        Applied to the value read, also to a missing one (then ``default``).
    default : optional
        The value of a missing key.
    frame : str, optional
        The pandas dtype of its ``Listing.to_frame()`` column; without it, no column.
    shown : callable, optional
        What the column shows of the value (default: the value itself).
    required : bool, optional
        A missing key raises ``KeyError``: the object means nothing without it.
    """
    return Field(keys, convert, default, frame, shown, required)


class Column(property):
    """A read-only attribute computed from the fields that is also a ``to_frame()`` column
    (made by :func:`column`)."""

    frame: str = ""
    shown: Callable[[Any], Any] = staticmethod(_identity)


def column(frame: str) -> Callable[[Callable[[Any], Any]], Column]:
    """Decorate a method, declared among the fields where its column goes, as a computed
    attribute shown in ``to_frame()`` with the pandas dtype ``frame``."""

    def wrap(getter: Callable[[Any], Any]) -> Column:
        prop = Column(getter, doc=getter.__doc__)
        prop.frame = frame
        return prop

    return wrap


class APIObject:
    """Base of the models: attributes built from the declared fields, the client in use, and
    the row a listing's ``to_frame`` shows."""

    #: The declared fields, the bases' first, in declaration order.
    _fields: ClassVar[tuple[Field, ...]] = ()
    #: Column name -> pandas dtype of ``Listing.to_frame()`` for this type (documented per class).
    _frame_columns: ClassVar[dict[str, str]] = {}
    #: The URL segment of the type's routes (``useCases``, ``datasets``, ...).
    _route: ClassVar[str] = ""
    #: Column name -> the field or column it shows.
    _shown: ClassVar[dict[str, Field | Column]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared: dict[str, Field | Column] = {}
        for klass in reversed(cls.__mro__):  # mixins' fields too (``Rights``)
            for name, value in vars(klass).items():
                if isinstance(value, Field | Column):
                    declared[name] = value
                elif name in declared:  # a subclass made it something else
                    del declared[name]
        cls._fields = tuple(f for f in declared.values() if isinstance(f, Field))
        cls._shown = {name: f for name, f in declared.items() if f.frame}
        cls._frame_columns = {name: f.frame for name, f in cls._shown.items()}  # type: ignore[misc]

    def __init__(self, data: dict[str, Any]) -> None:
        self._load(data)

    def _load(self, data: dict[str, Any]) -> None:
        """(Re)set every field from the wire object ``data``, kept as ``_data``."""
        self._data = data
        for spec in self._fields:
            setattr(self, spec.name, spec.read(data))

    @classmethod
    def _read(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Attribute name -> value of each field, for models built by keyword."""
        return {spec.name: spec.read(data) for spec in cls._fields}

    @staticmethod
    def _client() -> RESTClientObject:
        return get_client()

    @classmethod
    def _fetch(cls, entity_id: str) -> Any:
        """The object of this id (``GET <route>/<id>/``)."""
        return cls(cls._client().get(f"{cls._route}/{entity_id}/"))

    def _frame_row(self) -> dict[str, Any]:
        return {name: f.shown(getattr(self, name, None)) for name, f in self._shown.items()}


def alias(name: str, doc: str) -> property:
    """A read-only attribute that is the attribute ``name`` under a second name."""
    return property(attrgetter(name), doc=doc)


class Card:
    """The HTML card Jupyter shows for a model (``_repr_html_``): its kind, title and a few
    attributes."""

    #: The attributes shown, each labelled by its name without ``_at`` or ``_count``
    #: (``created_at``: ``created``), or a (label, attribute) pair.
    _card_rows: ClassVar[tuple[str | tuple[str, str], ...]] = ()
    #: What the card calls the kind; default: the class name.
    _card_kind: ClassVar[str] = ""

    @property
    def _card_title(self) -> str:
        return self.name  # type: ignore[attr-defined]

    def _repr_html_(self) -> str:
        rows = []
        for entry in self._card_rows:
            label, name = entry if isinstance(entry, tuple) else (_card_label(entry), entry)
            rows.append((label, getattr(self, name)))
        return card_html(self._card_kind or type(self).__name__, self._card_title, rows)


def _card_label(name: str) -> str:
    return name.removesuffix("_at").removesuffix("_count").replace("_", " ")


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


def camel_case(name: str) -> str:
    """A snake_case name in the wire's camelCase (``order_by`` -> ``orderBy``)."""
    head, *rest = name.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def camel(params: dict[str, Any] | None) -> dict[str, Any]:
    """snake_case query keys to the wire's camelCase, leaving out those set to None."""
    # never let an unset keyword hide a value given another way
    return {camel_case(key): value for key, value in (params or {}).items() if value is not None}


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
