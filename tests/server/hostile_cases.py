"""The hostile corpus: requests the service must refuse, each with the status it must answer.

Every case names an actor of the corpus world (``alice`` OWNS everything, ``bob`` is an EDITOR
of her use case, ``carol`` a CONSUMER, ``dave`` no member, ``anon`` has no token), a request,
and the expected 4xx. ``test_hostile_corpus.py`` runs each on SQLite and on PostgreSQL and
checks the error shape and that the database did not change. Paths are templates over the
world's ids (``{uc}``, ``{dataset}``, ``{gone_uc}``, ...). The cases live by area in
``hostile_values``, ``hostile_sharing``, ``hostile_transport``, ``hostile_batches`` and
``hostile_trash``; ``corpus`` gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HUGE = "9" * 5000


@dataclass(frozen=True)
class Case:
    """One hostile request and the answer it must get."""

    group: str
    label: str
    actor: str
    method: str
    path: str
    status: int
    json: Any = None
    data: bytes | None = None
    params: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    files: dict[str, Any] | None = None
    raw: bytes | None = None  # sent as is on a socket (``{token}`` is the actor's)

    @property
    def id(self) -> str:
        return f"{self.group}: {self.label}"


def raw_json(raw: bytes) -> dict[str, Any]:
    """``raw`` sent as is, as a JSON body (for what ``json.dumps`` cannot write)."""
    return {"data": raw, "headers": {"Content-Type": "application/json"}}


def corpus() -> list[Case]:
    """Every case, in a stable order."""
    from hostile_batches import batches, tags
    from hostile_sharing import asset_sharing_cases, sharing_cases
    from hostile_transport import transport_cases, upload_cases
    from hostile_trash import trash_cases
    from hostile_values import id_cases, name_cases, notebook_cases, number_cases, paging_cases

    return [
        *name_cases(),
        *id_cases(),
        *number_cases(),
        *paging_cases(),
        *sharing_cases(),
        *upload_cases(),
        *notebook_cases(),
        *transport_cases(),
        *asset_sharing_cases(),
        *batches(),
        *tags(),
        *trash_cases(),
    ]
