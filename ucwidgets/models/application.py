"""``Application``: a registered app (DataRobot's No-Code AI App); linkable to one use case.

DataRobot's client cannot create applications; ours can register one on our service
(``POST applications/`` with name, description and url).

Examples
--------
>>> import ucwidgets as dr
>>> dr.Application.create(name="Financial Risk Detection",
...                       url="https://apps.example.com/risk")  # doctest: +SKIP
Application(name='Financial Risk Detection')
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ucwidgets.enums import UseCaseEntityType
from ucwidgets.models._base import (
    TIME,
    APIObject,
    UseCaseLike,
    card_html,
    field,
    link,
    listed,
    parse_time,
    require_ucwidgets,
    target_use_case_ids,
    user_label,
)
from ucwidgets.models.listing import Listing
from ucwidgets.models.sharing import Shareable
from ucwidgets.models.trash import Trashable


class Application(APIObject, Shareable, Trashable):
    """An application.

    Attributes
    ----------
    id, name : str
    description, url : str or None
    created_by : str or None
    created_at, updated_at : datetime or None
    permissions : list of str

    Notes
    -----
    ``Listing.to_frame()`` columns: ``id`` string, ``name`` string, ``description`` string,
    ``url`` string, ``created_by`` string, ``created_at`` datetime64[ns, UTC], ``updated_at``
    datetime64[ns, UTC].
    """

    _entity_type = UseCaseEntityType.APPLICATION
    _route = "applications"
    _trash_kind = "application"
    _lookup = "applicationId"

    id: str = field(required=True, frame="string")
    name: str = field(default="", frame="string")
    description: str | None = field(frame="string")
    url: str | None = field("url", "applicationUrl", frame="string")
    created_by: str | None = field(convert=user_label, frame="string")
    created_at: datetime | None = field(convert=parse_time, frame=TIME)
    updated_at: datetime | None = field(convert=parse_time, frame=TIME)
    #: The use cases it is linked to that the caller can see (ucwidgets' service only).
    use_case_ids: list[str] = field(convert=listed)
    application_type_id: str | None = field()
    user_id: str | None = field()
    model_deployment_id: str | None = field()
    datasets: list[str] = field(convert=listed)
    deployment_ids: list[str] = field(convert=listed)
    permissions: list[str] = field(convert=listed)
    org_id: str | None = field()
    related_entities: dict[str, Any] | None = field()

    def __repr__(self) -> str:
        return f"Application(name={self.name!r})"

    def _repr_html_(self) -> str:
        rows = [
            ("id", self.id),
            ("url", self.url),
            ("created by", self.created_by),
            ("created", self.created_at),
        ]
        return card_html("Application", self.name, rows)

    @classmethod
    def create(
        cls,
        name: str,
        description: str | None = None,
        url: str | None = None,
        *,
        use_case: UseCaseLike = None,
        use_cases: UseCaseLike = None,
    ) -> Application:
        """Register an application (ucwidgets service only) and link it to the use case(s).

        Raises
        ------
        ucwidgets.errors.NotSupported
            Against DataRobot, whose API creates applications from deployments instead.

        Examples
        --------
        >>> app = dr.Application.create(name="Financial Risk Detection")  # doctest: +SKIP
        """
        rest = cls._client()
        require_ucwidgets(rest, "registering applications")
        body = rest.post("applications/", {"name": name, "description": description, "url": url})
        data = body.json()
        app = cls(data if "name" in data else rest.get(f"applications/{data['id']}/"))
        link(cls._entity_type, app.id, target_use_case_ids(use_case, use_cases))
        return app

    @classmethod
    def get(cls, application_id: str) -> Application:
        """Fetch one application by id."""
        return cls(cls._client().get(f"applications/{application_id}/"))

    @classmethod
    def list(
        cls,
        offset: int | None = None,
        limit: int | None = None,
        use_cases: UseCaseLike = None,
        *,
        use_case: UseCaseLike = None,
        shared_with_me: bool = False,
    ) -> Listing[Application]:
        """The applications the caller can see, filtered by the given or current use case(s).

        With ``limit`` only that page is returned; otherwise every page is read.
        ``shared_with_me=True`` keeps only those shared with the caller individually.

        Examples
        --------
        >>> dr.Application.list()  # doctest: +SKIP
        [Application(name='Financial Risk Detection')]
        """
        params = {
            "offset": offset,
            "limit": limit,
            "useCaseIds": target_use_case_ids(use_case, use_cases) or None,
            "sharedWithMe": "true" if shared_with_me else None,
        }
        items = cls._client().paginate("applications/", params, follow=limit is None, whole=True)
        return Listing((cls(item) for item in items), cls)
