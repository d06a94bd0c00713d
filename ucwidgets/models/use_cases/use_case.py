"""``UseCase``: a folder-like container of datasets, projects, applications and notebooks.

Examples
--------
>>> import ucwidgets as dr
>>> uc = dr.UseCase.create(name="Risk", description="Credit risk")  # doctest: +SKIP
>>> uc.add(entity=dataset)  # doctest: +SKIP
>>> with uc:  # creations inside link to uc   # doctest: +SKIP
...     dr.Dataset.create_from_file(file_path="risk_data.csv")
>>> uc.assets_frame()  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from ucwidgets import _lazy, context
from ucwidgets.client import get_client
from ucwidgets.enums import USE_CASE_ROLES, UseCaseEntityType
from ucwidgets.errors import ValidationError
from ucwidgets.models._base import (
    TIME,
    APIObject,
    Card,
    camel,
    camel_case,
    column,
    field,
    link,
    listed,
    parse_time,
    require_ucwidgets,
)
from ucwidgets.models.application import Application
from ucwidgets.models.dataset import Dataset
from ucwidgets.models.events import Event, list_events
from ucwidgets.models.listing import Listing
from ucwidgets.models.notebook import Notebook
from ucwidgets.models.project import Project
from ucwidgets.models.sharing import Roles, SharingRole
from ucwidgets.models.trash import Trashable, TrashBin
from ucwidgets.models.use_cases.batch import BatchLinks
from ucwidgets.models.use_cases.views import Views

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["UseCase", "UseCaseReferenceEntity", "UseCaseUser", "list_use_cases"]


@dataclass
class UseCaseUser:
    """A user as use cases show them (creator, updater, members).

    Examples
    --------
    >>> UseCaseUser(id="u1", full_name="Ann Owner", username="ann")
    UseCaseUser(id='u1', full_name='Ann Owner', email=None, userhash=None, username='ann')
    """

    id: str
    full_name: str | None = None
    email: str | None = None
    userhash: str | None = None
    username: str | None = None

    @classmethod
    def from_server_data(cls, data: dict[str, Any] | None) -> UseCaseUser | None:
        if not isinstance(data, dict) or not data.get("id"):
            return None
        return cls(**{f.name: data.get(camel_case(f.name)) for f in fields(cls)})

    @classmethod
    def me(cls) -> UseCaseUser:
        """The caller (ucwidgets service only)."""
        rest = get_client()
        require_ucwidgets(rest, "looking up the current user")
        user = cls.from_server_data(rest.get("users/me/"))
        assert user is not None
        return user

    @classmethod
    def search(cls, search: str = "", limit: int | None = 20) -> Listing[UseCaseUser]:
        """Users whose name matches ``search`` (ucwidgets service only; for share completion)."""
        rest = get_client()
        require_ucwidgets(rest, "searching users")
        items = rest.paginate("users/", {"search": search, "limit": limit}, follow=limit is None)
        return Listing(filter(None, map(cls.from_server_data, items)), cls)

    #: ``Listing.to_frame()`` columns, all ``string``: every field but ``userhash``.
    _frame_columns: ClassVar[dict[str, str]] = dict.fromkeys(
        ("id", "full_name", "email", "username"), "string"
    )

    def _frame_row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._frame_columns}


def _users(items: Any) -> list[UseCaseUser]:
    return [user for user in map(UseCaseUser.from_server_data, items or []) if user]


def _count(value: Any) -> int:
    return int(value or 0)


def _entity_type(value: Any) -> UseCaseEntityType:
    return UseCaseEntityType(str(value).lower())


class UseCaseReferenceEntity(APIObject):
    """The link between a use case and one entity, as ``UseCase.add`` returns it.

    Pass it to another use case's ``add`` to share the same entity there.
    """

    id: str = field(default="")
    entity_type: UseCaseEntityType = field(required=True, convert=_entity_type)
    entity_id: str = field(required=True)
    use_case_id: str = field("experimentContainerId", "useCaseId", default="")
    created_at: datetime | None = field(convert=parse_time)
    created: UseCaseUser | None = field(convert=UseCaseUser.from_server_data)
    is_deleted: bool = field(default=False, convert=bool)

    def __repr__(self) -> str:
        return (
            f"UseCaseReferenceEntity(entity_type={self.entity_type.value!r}, "
            f"entity_id={self.entity_id!r}, use_case_id={self.use_case_id!r})"
        )


class UseCase(Card, APIObject, Roles, BatchLinks, Views, Trashable, TrashBin):
    """A use case.

    Attributes
    ----------
    id, name : str
    description : str or None
    created_at, updated_at : datetime
    created, updated : UseCaseUser
    datasets_count, projects_count, applications_count, notebooks_count, models_count,
    files_count : int
    members, owners : list of UseCaseUser
    tags : list of str
        Its labels, as set (ucwidgets' service; always empty on DataRobot).
    role, can_edit, can_share, can_delete, grantable_roles
        The caller's rights on it (see :class:`~ucwidgets.models.sharing.Rights`).

    Notes
    -----
    ``Listing.to_frame()`` columns: ``id`` string, ``name`` string, ``description`` string,
    ``created_by`` string, ``created_at`` datetime64[ns, UTC], ``updated_at``
    datetime64[ns, UTC], then int64 counts ``datasets_count``, ``projects_count``,
    ``applications_count``, ``notebooks_count``, ``models_count``, ``members_count``, then
    ``tags`` object (a list of str per row).
    """

    _route = "useCases"
    _trash_kind = "useCase"
    _card_kind = "Use Case"
    _card_rows = (
        "id",
        "description",
        "datasets_count",
        "projects_count",
        "applications_count",
        "notebooks_count",
        "members_count",
        "updated_at",
    )
    _reference = UseCaseReferenceEntity

    id: str = field(required=True, frame="string")
    name: str = field(default="", frame="string")
    description: str | None = field(frame="string")

    @column("string")
    def created_by(self) -> str | None:
        """The creator's username."""
        return self.created.username or self.created.full_name if self.created else None

    created_at: datetime | None = field(convert=parse_time, frame=TIME)
    updated_at: datetime | None = field(convert=parse_time, frame=TIME)
    datasets_count: int = field(convert=_count, frame="int64")
    projects_count: int = field(convert=_count, frame="int64")
    applications_count: int = field(convert=_count, frame="int64")
    notebooks_count: int = field(convert=_count, frame="int64")
    models_count: int = field(convert=_count, frame="int64")

    @column("int64")
    def members_count(self) -> int:
        """How many members it has."""
        return len(self.members)

    tags: list[str] = field(convert=listed, frame="object")
    files_count: int = field(convert=_count)
    playgrounds_count: int = field(convert=_count)
    vector_databases_count: int = field(convert=_count)
    created: UseCaseUser | None = field(convert=UseCaseUser.from_server_data)
    updated: UseCaseUser | None = field(convert=UseCaseUser.from_server_data)
    members: list[UseCaseUser] = field(convert=_users)
    owners: list[UseCaseUser] = field(convert=_users)

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data)
        self._previous: list[Any] = []

    def __repr__(self) -> str:
        return (
            f"UseCase(id={self.id!r}, name={self.name!r}, description={self.description!r}, "
            f"models={self.models_count}, projects={self.projects_count}, "
            f"datasets={self.datasets_count}, files={self.files_count}, "
            f"notebooks={self.notebooks_count}, applications={self.applications_count})"
        )

    # -- the current use case ---------------------------------------------------------------

    def __enter__(self) -> UseCase:
        self._previous.append(context._get_raw())
        context.set_current_use_case(self)
        return self

    def __exit__(self, *exc: object) -> None:
        context.set_current_use_case(self._previous.pop())

    # -- CRUD -------------------------------------------------------------------------------

    @classmethod
    def create(cls, name: str | None = None, description: str | None = None) -> UseCase:
        """Create a use case; the caller becomes its OWNER.

        Examples
        --------
        >>> uc = dr.UseCase.create(name="Risk", description="Credit risk")  # doctest: +SKIP
        """
        rest = cls._client()
        data = rest.post("useCases/", {"name": name, "description": description}).json()
        # Our service answers with the full object; DataRobot's may send only the id.
        return cls(data if "createdAt" in data else rest.get(f"useCases/{data['id']}/"))

    @classmethod
    def get(cls, use_case_id: str | None = None, *, id: str | None = None) -> UseCase:
        """Fetch a use case by id (``UseCase.get(id)``, ``use_case_id=`` or ``id=``)."""
        use_case_id = use_case_id or id
        if not use_case_id:
            raise TypeError("UseCase.get() needs the use case id")
        return cls._fetch(use_case_id)

    @classmethod
    def list(
        cls,
        search_params: dict[str, Any] | None = None,
        *,
        search: str | None = None,
        order_by: str | None = None,
        offset: int | None = None,
        limit: int | None = None,
        mine: bool = False,
        shared_with_me: bool = False,
        tags: list[str] | None = None,
    ) -> Listing[UseCase]:
        """The use cases the caller is a member of.

        Parameters
        ----------
        search_params : dict, optional
            DataRobot's form: keys ``search``, ``order_by``, ``offset``, ``limit``,
            ``project_id``, ``application_id`` (snake or camel case); on ucwidgets' service
            also ``tag`` (a tag or a list, all must match), ``owner``, ``role``,
            ``asset_type``, ``created_after``, ``created_before``, ``updated_after``,
            ``updated_before``.
        search : str, optional
            Matches names and descriptions.
        order_by : str, optional
            ``id``, ``name``, ``description``, ``projectsCount``, ``datasetsCount``,
            ``filesCount``, ``notebooksCount``, ``applicationsCount``, ``createdAt``,
            ``createdBy``, ``updatedAt`` or ``updatedBy`` (or DataRobot's snake_case,
            ``projects_count``), ``role`` (the caller's own) or ``owner`` (the first of its
            OWNERs' usernames); a leading ``-`` sorts
            descending. Default ``-updatedAt``.
        offset, limit : int, optional
            With ``limit``, that one page is returned; otherwise every page is read.
        mine, shared_with_me : bool, optional
            Only those the caller created, or only those someone else created and shared with
            the caller (ucwidgets' service only).
        tags : list of str, optional
            Only those carrying every one of these tags, whatever their case.

        Examples
        --------
        >>> dr.UseCase.list(search="risk", order_by="-updatedAt", limit=10)  # doctest: +SKIP
        """
        explicit = {
            "search": search,
            "order_by": order_by,
            "offset": offset,
            "limit": limit,
            "mine": "true" if mine else None,
            "shared_with_me": "true" if shared_with_me else None,
            "tag": tags,
        }
        params = {**camel(search_params), **camel(explicit)}
        params = {key: value for key, value in params.items() if value is not None}
        meta: dict[str, Any] = {}
        follow = "limit" not in params
        items = cls._client().paginate("useCases/", params, follow=follow, meta=meta, whole=True)
        return Listing((cls(item) for item in items), cls, meta)

    def browse(self, **kwargs: Any) -> Any:
        """A :class:`~ucwidgets.widgets.UseCaseBrowser` opened on this use case.

        Examples
        --------
        >>> risk.browse()  # doctest: +SKIP
        """
        # The widgets sit above this layer: reached at call time, through the one sanctioned
        # place, so that the API layer never imports them (nor ipywidgets unless asked).
        return _lazy.load("ucwidgets.widgets", "browse")(self, **kwargs)

    def refresh(self) -> UseCase:
        """Reload this object's fields (names, counts, members) in place."""
        self._load(self._client().get(f"useCases/{self.id}/"))
        return self

    def update(
        self, name: str | None = None, description: str | None = None, tags: Any = None
    ) -> UseCase:
        """Change the name, description and/or tags (a list that replaces them; ucwidgets'
        service); returns a new object (this one is unchanged)."""
        body = {"name": name, "description": description, "tags": tags}
        return UseCase(self._client().patch(f"useCases/{self.id}/", body).json())

    # -- assets -----------------------------------------------------------------------------

    def add(
        self, entity: Any = None, entity_type: Any = None, entity_id: str | None = None
    ) -> UseCaseReferenceEntity:
        """Link an entity: a Dataset, Project, Application, Notebook, a reference entity, or
        ``entity_type`` with ``entity_id``. Adding twice returns the existing link.

        Examples
        --------
        >>> ref = uc.add(entity=dataset)  # doctest: +SKIP
        >>> other_uc.add(entity=ref)  # doctest: +SKIP
        """
        kind, eid = _entity_info(entity, entity_type, entity_id)
        (data,) = link(kind, eid, [self.id])
        return UseCaseReferenceEntity(data)

    def remove(
        self, entity: Any = None, entity_type: Any = None, entity_id: str | None = None
    ) -> None:
        """Unlink an entity (it is not deleted); takes the same arguments as :meth:`add`."""
        kind, eid = _entity_info(entity, entity_type, entity_id)
        rest = self._client()
        require_ucwidgets(rest, "unlinking notebooks", when=kind is UseCaseEntityType.NOTEBOOK)
        rest.delete(f"useCases/{self.id}/{kind.url_segment}/{eid}/")

    def list_datasets(self) -> Listing[Dataset]:
        """The datasets linked to this use case."""
        return Dataset.list(use_cases=self)

    def list_projects(self) -> Listing[Project]:
        """The projects linked to this use case."""
        return Project.list(use_cases=self)

    def list_applications(self) -> Listing[Application]:
        """The applications linked to this use case."""
        return Application.list(use_cases=self)

    def list_notebooks(self) -> Listing[Notebook]:
        """The notebooks linked to this use case."""
        return Notebook.list(use_cases=self)

    # -- sharing and events -----------------------------------------------------------------

    def share(self, roles: list[SharingRole]) -> None:
        """Grant, change or revoke (``NO_ROLE``) roles, all or none.

        Examples
        --------
        >>> uc.share([SharingRole(role=SHARING_ROLE.CONSUMER, share_recipient_type="user",
        ...                       id=user_id, can_share=True)])  # doctest: +SKIP
        """
        for role in roles:
            if role.role.value not in USE_CASE_ROLES:
                raise ValidationError(
                    "Only NO_ROLE, OWNER, EDITOR, and CONSUMER roles are supported by Use Cases"
                )
        super().share(roles)

    def events(self, after: int | None = None, limit: int | None = None) -> Listing[Event]:
        """This use case's change feed, oldest first, after the event id ``after``."""
        return list_events(self, after=after, limit=limit)


def list_use_cases(
    search: str | None = None,
    order_by: str | None = None,
    offset: int | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """The caller's use cases as a DataFrame (the columns of ``UseCase.list().to_frame()``).

    Examples
    --------
    >>> import ucwidgets
    >>> ucwidgets.list_use_cases(search="risk")  # doctest: +SKIP
    """
    return UseCase.list(search=search, order_by=order_by, offset=offset, limit=limit).to_frame()


def _entity_info(
    entity: Any, entity_type: Any, entity_id: str | None
) -> tuple[UseCaseEntityType, str]:
    """(type, id) of what ``add``/``remove`` were given."""
    if isinstance(entity, UseCaseReferenceEntity):
        return entity.entity_type, entity.entity_id
    if entity is not None:
        kind = getattr(type(entity), "_entity_type", None)
        if kind is None:
            raise TypeError(f"cannot add or remove a {type(entity).__name__} in a use case")
        return kind, entity.id
    if entity_type is None or not entity_id:
        raise TypeError("pass entity=, or entity_type= with entity_id=")
    try:
        return UseCaseEntityType(str(entity_type).lower()), entity_id
    except ValueError:
        raise ValidationError(f"Unsupported entity type: {entity_type}") from None
