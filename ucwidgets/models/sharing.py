"""``SharingRole``: one grant, change or revocation of a role on a use case.

Examples
--------
>>> from ucwidgets.models.sharing import SharingRole
>>> from ucwidgets.enums import SHARING_ROLE, SHARING_RECIPIENT_TYPE
>>> SharingRole(role=SHARING_ROLE.CONSUMER, share_recipient_type=SHARING_RECIPIENT_TYPE.USER,
...             id="60912e09fd1f04e832a575c1", can_share=True)
SharingRole(role='CONSUMER', id='60912e09fd1f04e832a575c1', username=None, can_share=True)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from ucwidgets.enums import SHARING_RECIPIENT_TYPE, SHARING_ROLE
from ucwidgets.errors import NotSupported, ValidationError
from ucwidgets.models._base import TIME, APIObject, field, listed, parse_time, user_label
from ucwidgets.models.listing import Listing


def _value(member: Any) -> Any:
    """What a frame shows of an enum member: its value."""
    return member.value


class SharingRole(APIObject):
    """A role for one recipient; ``NO_ROLE`` revokes.

    Parameters
    ----------
    role : SHARING_ROLE or str
        Looked up by name: ``"CONSUMER"`` and ``SHARING_ROLE.CONSUMER`` are the same.
    share_recipient_type : SHARING_RECIPIENT_TYPE or str
        Use cases support ``SHARING_RECIPIENT_TYPE.USER`` only.
    id : str, optional
        The recipient's user id.
    username : str, optional
        The recipient's username; ``id`` or ``username`` (or both) is required.
    can_share : bool, optional
        Whether the recipient may share in turn (up to their own role).
    user_full_name : str, optional
        Filled in on roles read back with ``UseCase.get_shared_roles``.

    Notes
    -----
    ``Listing.to_frame()`` columns: ``id`` string, ``username`` string, ``user_full_name`` string,
    ``role`` string, ``share_recipient_type`` string, ``can_share`` boolean, ``granted_by``
    string (who gave the role; read back only), ``granted_at`` datetime64[ns, UTC].

    Examples
    --------
    >>> SharingRole(role="NO_ROLE", share_recipient_type="user", username="bob@example.com")
    SharingRole(role='NO_ROLE', id=None, username='bob@example.com', can_share=None)
    """

    id: str | None = field(frame="string")
    username: str | None = field("name", "username", frame="string")  # WIRE.md 3.4
    user_full_name: str | None = field(frame="string")
    role: SHARING_ROLE = field(required=True, frame="string", shown=_value)
    share_recipient_type: SHARING_RECIPIENT_TYPE = field(
        default="user", frame="string", shown=_value
    )
    can_share: bool | None = field(frame="boolean")
    #: Who gave this role (a username) and when, on roles read back from ucwidgets' service.
    granted_by: str | None = field(convert=user_label, frame="string")
    granted_at: datetime | None = field(convert=parse_time, frame=TIME)
    #: What the caller may set this member to, as the service says (``{"roles": [...],
    #: "canShare": bool}``; ``NO_ROLE`` in roles means removable); None when it does not say.
    assignable: dict[str, Any] | None = field()

    def __init__(
        self,
        role: SHARING_ROLE | str,
        share_recipient_type: SHARING_RECIPIENT_TYPE | str = SHARING_RECIPIENT_TYPE.USER,
        can_share: bool | None = None,
        id: str | None = None,
        username: str | None = None,
        user_full_name: str | None = None,
    ) -> None:
        name = role.name if isinstance(role, SHARING_ROLE) else str(role)
        try:
            self.role = SHARING_ROLE[name]
        except KeyError:
            raise ValidationError(
                f"Unknown role {role!r}; use one of {', '.join(SHARING_ROLE.__members__)}"
            ) from None
        if id is None and username is None:
            raise ValidationError("A SharingRole needs the recipient's id or username")
        try:
            self.share_recipient_type = SHARING_RECIPIENT_TYPE(str(share_recipient_type))
        except ValueError:
            raise ValidationError(
                f"Unknown share_recipient_type {share_recipient_type!r}"
            ) from None
        self.id = id
        self.username = username
        self.can_share = can_share
        self.user_full_name = user_full_name
        self.assignable = None
        self.granted_by = None
        self.granted_at = None

    @classmethod
    def from_server_data(cls, data: dict[str, Any]) -> SharingRole:
        """Build from a ``sharedRoles`` item."""
        values = cls._read(data)
        read_back = {name: values.pop(name) for name in ("assignable", "granted_by", "granted_at")}
        role = cls(**values)
        vars(role).update(read_back)
        return role

    def to_api(self) -> dict[str, Any]:
        """The PATCH body item; keys whose value is None are left out."""
        body = {
            "role": self.role.value,
            "shareRecipientType": self.share_recipient_type.value,
            "id": self.id,
            "username": self.username,
            "canShare": self.can_share,
        }
        return {key: value for key, value in body.items() if value is not None}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SharingRole):
            return NotImplemented
        return self.to_api() == other.to_api()

    __hash__ = None  # type: ignore[assignment] - mutable

    def __repr__(self) -> str:
        return (
            f"SharingRole(role={self.role.value!r}, id={self.id!r}, username={self.username!r}, "
            f"can_share={self.can_share!r})"
        )


class SharingAccess(APIObject):
    """One user's access to a dataset or a project, in DataRobot's access-list form.

    What ``Dataset.share`` and ``Project.share`` take and ``get_access_list()`` returns. A
    ``role`` of ``None`` revokes.

    Parameters
    ----------
    username : str
    role : str or None
        ``OWNER``, ``EDITOR`` (DataRobot's projects also say ``USER``) or ``CONSUMER``.
    can_share : bool, optional
    can_use_data : bool, optional
        Accepted for DataRobot's sake; whoever may see a dataset here may use its data.
    user_id : str, optional

    Notes
    -----
    ``Listing.to_frame()`` columns: ``username`` string, ``user_id`` string, ``role`` string,
    ``can_share`` boolean, ``can_use_data`` boolean.

    Examples
    --------
    >>> SharingAccess("bob@example.com", "CONSUMER", can_share=False)
    SharingAccess(username='bob@example.com', role='CONSUMER', can_share=False)
    """

    username: str = field(required=True, frame="string")
    user_id: str | None = field(frame="string")
    role: str | None = field(frame="string")
    can_share: bool | None = field(frame="boolean")
    can_use_data: bool | None = field(frame="boolean")

    def __init__(
        self,
        username: str,
        role: SHARING_ROLE | str | None,
        can_share: bool | None = None,
        can_use_data: bool | None = None,
        user_id: str | None = None,
    ) -> None:
        self.username = username
        self.role = None if role is None else str(getattr(role, "value", role))
        self.can_share = can_share
        self.can_use_data = can_use_data
        self.user_id = user_id

    @classmethod
    def from_server_data(cls, data: dict[str, Any]) -> SharingAccess:
        """Build from an access-list item."""
        return cls(**cls._read(data))

    def to_api(self) -> dict[str, Any]:
        """The PATCH body item (``role`` is kept even when ``None``: that revokes)."""
        body = {"username": self.username, "role": self.role}
        for key, value in (("canShare", self.can_share), ("canUseData", self.can_use_data)):
            if value is not None:
                body[key] = value
        return body

    def __repr__(self) -> str:
        return (
            f"SharingAccess(username={self.username!r}, role={self.role!r}, "
            f"can_share={self.can_share!r})"
        )


class Rights:
    """The caller's rights on a use case or an asset, as the service sent them with it.

    ``None`` against a service that does not send them (DataRobot's). Widgets show their
    controls from these flags alone and never re-derive a role rule.

    Attributes
    ----------
    role : str or None
        The caller's effective role on it (``OWNER``, ``EDITOR``, ``CONSUMER``).
    can_edit, can_delete : bool or None
        Whether the caller may rename and edit it, and delete it.
    can_share : bool or None
        Whether the caller may share it (and, for an asset, link it into a use case).
    grantable_roles : list of str
        The roles the caller may give a new member.
    """

    role: str | None = field()
    can_edit: bool | None = field()
    can_share: bool | None = field()
    can_delete: bool | None = field()
    grantable_roles: list[str] = field(convert=listed)


#: The options of DataRobot's ``share`` on datasets and projects: accepted unset or false.
_DATAROBOT_SHARE_OPTIONS = frozenset(
    {"apply_grant_to_linked_objects", "send_notification", "include_feature_discovery_entities"}
)


class Roles(Rights):
    """Roles on a use case or an asset: grant, change or revoke them, and list them."""

    id: str
    #: The URL segment of its routes (``useCases``, ``datasets``, ...).
    _route: ClassVar[str]

    def share(self, roles: list[SharingRole] | list[SharingAccess]) -> None:
        """Grant, change or revoke roles on this asset alone, all or none.

        Takes ``SharingRole`` items (as ``UseCase.share``) or DataRobot's ``SharingAccess``
        items (as its ``Dataset.share`` and ``Project.share``).

        Examples
        --------
        >>> dataset.share([SharingAccess("bob@example.com", "CONSUMER")])  # doctest: +SKIP
        >>> app.share([SharingRole(role="EDITOR", username="bob@example.com")])  # doctest: +SKIP
        """
        if roles and all(isinstance(r, SharingAccess) for r in roles):
            body: dict[str, Any] = {"data": [r.to_api() for r in roles]}
        else:
            body = {"operation": "updateRoles", "roles": [r.to_api() for r in roles]}
        self._client().patch(f"{self._route}/{self.id}/sharedRoles/", body)  # type: ignore[attr-defined]

    def get_shared_roles(
        self, offset: int | None = None, limit: int | None = None, id: str | None = None
    ) -> Listing[SharingRole]:
        """Its members' or the asset's own roles (``id`` filters by user id); ``.to_frame()``
        for a table."""
        params = {"offset": offset, "limit": limit, "id": id}
        items = self._client().paginate(  # type: ignore[attr-defined]
            f"{self._route}/{self.id}/sharedRoles/", params, follow=limit is None
        )
        return Listing((SharingRole.from_server_data(item) for item in items), SharingRole)


class Shareable(Roles):
    """An asset's own roles: share it, list who has it, find the use cases that hold it."""

    #: The reverse-lookup filter of ``GET useCases/`` (``datasetId``, ...).
    _lookup: ClassVar[str] = ""

    def share(  # type: ignore[override]
        self, access_list: list[SharingAccess] | list[SharingRole], **options: Any
    ) -> None:
        """Grant, change or revoke roles on this asset alone, all or none.

        DataRobot's ``Dataset.share(access_list)`` and ``Project.share(access_list)``, with
        ``SharingAccess`` or ``SharingRole`` items. Their options
        (``apply_grant_to_linked_objects``, ``send_notification``,
        ``include_feature_discovery_entities``) may be given unset or false; set, they raise
        ``NotSupported`` before anything changes: this service grants nothing beyond the asset
        and sends no mail.

        Examples
        --------
        >>> access = [SharingAccess("bob@example.com", "CONSUMER")]
        >>> dataset.share(access_list=access)  # doctest: +SKIP
        """
        for name in options.keys() - _DATAROBOT_SHARE_OPTIONS:
            raise TypeError(f"share() got an unexpected keyword argument {name!r}")
        unsupported = sorted(name for name, value in options.items() if value)
        if unsupported:
            raise NotSupported(
                f"share() does not support {', '.join(unsupported)} on this service: it shares "
                "the asset alone and sends no notification"
            )
        super().share(access_list)

    def get_access_list(self) -> Listing[SharingAccess]:
        """The asset's own roles as DataRobot's ``SharingAccess`` items."""
        items = self._client().paginate(f"{self._route}/{self.id}/sharedRoles/", {})  # type: ignore[attr-defined]
        return Listing(
            (SharingAccess.from_server_data({**i, "userId": i.get("id")}) for i in items),
            SharingAccess,
        )

    def list_use_cases(self) -> Any:
        """The use cases holding this asset that the caller is a member of.

        Examples
        --------
        >>> dataset.list_use_cases()  # doctest: +SKIP
        [UseCase(name='Financial Risk', id='...')]
        """
        from ucwidgets.models.use_cases.use_case import UseCase

        return UseCase.list(search_params={self._lookup: self.id})
