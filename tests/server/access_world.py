"""The scene each cell of the role table runs in (``access_table.py``): one use case, its
members, and the caller of the column under test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import requests
from sqlalchemy import select

from ucwidgets.server.store.schema import (
    events,
    links,
    memberships,
    trash,
    trashed_grants,
    use_cases,
)

if TYPE_CHECKING:
    from service_api import Api


@dataclass
class World:
    """One use case seeded by ``alice`` (OWNER) with an EDITOR, a CONSUMER, an outsider, one
    linked application (the cheapest asset to make), and the column's caller."""

    service: Any
    invariants: Callable[..., None]
    alice: Api
    actor: Api  # the caller of the column under test (without a token in the last column)
    me: Api  # the same user as ``actor``, always with a token: seeds what the caller owns
    editor: Api
    consumer: Api
    outsider: Api
    uc: str
    app: str  # alice's, linked to the use case
    csv: bytes
    made: dict[str, Any] = field(default_factory=dict)  # what an operation's set-up made
    role: str = ""  # the column under test

    def role_of(self, who: Api, uc: str | None = None) -> tuple[str, bool] | None:
        with self.service.store.db.read() as conn:
            row = conn.execute(
                select(memberships.c.role, memberships.c.can_share).where(
                    memberships.c.use_case_id == (uc or self.uc), memberships.c.user_id == who.id
                )
            ).first()
        return None if row is None else (row.role, bool(row.can_share))

    def linked(self, etype: str, entity_id: str) -> bool:
        with self.service.store.db.read() as conn:
            return (
                conn.execute(
                    select(links.c.id).where(
                        links.c.use_case_id == self.uc,
                        links.c.entity_type == etype,
                        links.c.entity_id == entity_id,
                    )
                ).first()
                is not None
            )

    def snapshot(self, stamps: bool = True) -> dict[str, list]:
        """Every row that an access decision could change; ``stamps=False`` drops updated_*."""
        with self.service.store.db.read() as conn:
            snap = {
                t.name: sorted(tuple(r) for r in conn.execute(select(t)))
                for t in (memberships, links, events, trash, trashed_grants)
            }
            cols = [c for c in use_cases.c if stamps or not c.name.startswith("updated")]
            snap["use_cases"] = sorted(tuple(r) for r in conn.execute(select(*cols)))
        return snap

    def share(self, *entries: dict) -> requests.Response:
        return self.actor.share(self.uc, *entries)

    def make_me_last_owner(self) -> None:
        """If the caller is an OWNER, alice leaves, so the caller is the only OWNER."""
        if (self.role_of(self.me) or ("",))[0] == "OWNER":
            assert self.alice.share(self.uc, to(self.alice, "NO_ROLE")).status_code == 204


def to(who: Api, role: str, can_share: bool | None = False) -> dict:
    entry = {"role": role, "shareRecipientType": "user", "id": who.id}
    if can_share is not None:
        entry["canShare"] = can_share
    return entry
