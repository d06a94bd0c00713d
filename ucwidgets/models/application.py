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
    UseCaseLike,
    field,
    listed,
    parse_time,
    user_label,
)
from ucwidgets.models.asset import Asset
from ucwidgets.models.listing import Listing


class Application(Asset):
    """An application.

    Attributes
    ----------
    id, name : str
    description, url : str or None
    created_by : str or None
    created_at, updated_at : datetime or None
    permissions : list of str
    use_case_ids : list of str
        The use cases it is linked to that the caller can see (ucwidgets' service only).
    application_type_id, user_id, model_deployment_id, org_id : str or None
    datasets, deployment_ids : list of str
    related_entities : dict or None

    Notes
    -----
    ``Listing.to_frame()`` columns: ``id`` string, ``name`` string, ``description`` string,
    ``url`` string, ``created_by`` string, ``created_at`` datetime64[ns, UTC], ``updated_at``
    datetime64[ns, UTC].
    """

    _entity_type = UseCaseEntityType.APPLICATION
    _card_rows = ("id", "url", "created_by", "created_at")

    id: str = field(required=True, frame="string")
    name: str = field(default="", frame="string")
    description: str | None = field(frame="string")
    url: str | None = field("url", "applicationUrl", frame="string")
    created_by: str | None = field(convert=user_label, frame="string")
    created_at: datetime | None = field(convert=parse_time, frame=TIME)
    updated_at: datetime | None = field(convert=parse_time, frame=TIME)
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

    @classmethod
    def create(
        cls,
        name: str,
        description: str = "",
        url: str = "",
        *,
        use_case: UseCaseLike = None,
        use_cases: UseCaseLike = None,
    ) -> Application:
        """Register an application (ucwidgets service only) and link it to the use case(s).

        ``url`` is where people open it; the service keeps it as given (empty for none).

        Raises
        ------
        ucwidgets.errors.NotSupported
            Against DataRobot, whose API creates applications from deployments instead.

        Examples
        --------
        >>> app = dr.Application.create(name="Financial Risk Detection")  # doctest: +SKIP
        """
        body = {"name": name, "description": description, "url": url}
        return cls._register(body, use_case, use_cases)

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
        return cls._list_in({"offset": offset, "limit": limit}, use_case, use_cases, shared_with_me)
