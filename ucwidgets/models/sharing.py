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

from typing import Any, ClassVar

from ucwidgets.enums import SHARING_RECIPIENT_TYPE, SHARING_ROLE
from ucwidgets.errors import ValidationError
from ucwidgets.models._base import APIObject


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
    ``role`` string, ``share_recipient_type`` string, ``can_share`` boolean.

    Examples
    --------
    >>> SharingRole(role="NO_ROLE", share_recipient_type="user", username="bob@example.com")
    SharingRole(role='NO_ROLE', id=None, username='bob@example.com', can_share=None)
    """

    _frame_columns: ClassVar[dict[str, str]] = {
        "id": "string",
        "username": "string",
        "user_full_name": "string",
        "role": "string",
        "share_recipient_type": "string",
        "can_share": "boolean",
    }

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

    @classmethod
    def from_server_data(cls, data: dict[str, Any]) -> SharingRole:
        """Build from a ``sharedRoles`` item; the username travels as ``name`` (WIRE.md 3.4)."""
        return cls(
            role=data["role"],
            share_recipient_type=data.get("shareRecipientType", "user"),
            can_share=data.get("canShare"),
            id=data.get("id"),
            username=data.get("name") or data.get("username"),
            user_full_name=data.get("userFullName"),
        )

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

    def _frame_row(self) -> dict[str, Any]:
        row = super()._frame_row()
        row["role"] = self.role.value
        row["share_recipient_type"] = self.share_recipient_type.value
        return row

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
