"""The records the store's repositories hand out and take back.

They are ``TypedDict``s: plain dicts at run time, which the handlers pass to ``server/wire.py``
as they are, with their shape declared once here for readers and type checkers.
"""

from __future__ import annotations

from typing import TypedDict


class User(TypedDict):
    """A user as the store hands one out, and as every operation takes the acting user.

    Examples
    --------
    >>> User(id="u1", username="ann@example.com", full_name="Ann")["username"]
    'ann@example.com'
    """

    id: str
    username: str
    full_name: str


class Member(User):
    """A user with their role in one use case."""

    role: str
    can_share: bool


class UseCaseRecord(TypedDict):
    """A use case as its members see it: who made and last changed it, how many assets of
    each type it holds, its members and tags, and the viewer's rights on it."""

    id: str
    name: str
    description: str
    created_at: str
    updated_at: str
    created: User
    updated: User
    counts: dict[str, int]
    members: list[Member]
    tags: list[str]
    rights: dict[str, bool]


class Link(TypedDict):
    """One asset in one use case: who added it, and when."""

    id: str
    use_case_id: str
    entity_type: str
    entity_id: str
    created_by: str
    created_at: str
