"""Use case tags, and the listing filters beyond search: tag, owner, your role, asset kind and
dates.

A tag is a label of 1 to 64 code points with the rules of a name (no control, bidirectional or
invisible-only text) and no comma, so that a comma-separated input splits one way; a use case
carries at most 50. Tags are stored as given and matched by their NFKC-casefolded key, which no
two tags of one use case share. Every filter reads the caller's memberships (their copies of
the use case's sort keys) or an index keyed by the value sought, never the whole store.

Examples
--------
>>> clean_tags(["Credit", " risk ", "Q3"])
['Credit', 'risk', 'Q3']
>>> clean_tags(["risk", "RISK"])
Traceback (most recent call last):
...
ucwidgets.errors.ValidationError: tags[1] repeats tags[0] (tags match whatever their case).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select

from ... import roles
from ...errors import ValidationError
from . import validate
from .db import Repository, escape_like
from .records import User
from .schema import memberships, use_case_tags, users

TAG_MAX = 64
TAGS_MAX = 50
ASSET_KINDS = ("dataset", "project", "application", "notebook")
#: Date filters: query key -> (the membership's copy of the date, compare as "after").
DATE_FILTERS = {
    "createdAfter": ("uc_created_at", True),
    "createdBefore": ("uc_created_at", False),
    "updatedAfter": ("uc_updated_at", True),
    "updatedBefore": ("uc_updated_at", False),
}
FILTER_KEYS = ("tag", "owner", "role", "assetType", *DATE_FILTERS)


def tag(value: Any, field: str = "tag") -> str:
    """One tag, cleaned (``ValidationError`` naming ``field`` otherwise)."""
    value = validate.name(value, field, TAG_MAX)
    if "," in value:
        raise ValidationError(f"{field} must not contain a comma.", errors={field: "comma"})
    return value


def key(value: str) -> str:
    """What a tag matches by: its NFKC-casefolded form."""
    return validate.username_key(value)


def clean_tags(value: list[str]) -> list[str]:
    """A use case's tags, distinct, in the order given; the list's shape (at most
    ``TAGS_MAX`` strings) is ``openapi.json``'s, checked before a body reaches the store."""
    cleaned, seen = [], {}
    for i, raw in enumerate(value):
        label = f"tags[{i}]"
        one = tag(raw, label)
        if key(one) in seen:
            message = f"repeats {seen[key(one)]} (tags match whatever their case)"
            raise ValidationError(f"{label} {message}.", errors={label: message})
        seen[key(one)] = label
        cleaned.append(one)
    return cleaned


def set_tags(conn: Any, use_case_id: str, tags: list[str]) -> None:
    """Replace a use case's tags with ``tags`` (already cleaned)."""
    conn.execute(use_case_tags.delete().where(use_case_tags.c.use_case_id == use_case_id))
    if tags:
        conn.execute(
            use_case_tags.insert(),
            [
                {"use_case_id": use_case_id, "tag_key": key(t), "tag": t, "position": i}
                for i, t in enumerate(tags)
            ],
        )


_TAGS = (
    select(use_case_tags.c.use_case_id, use_case_tags.c.tag)
    .where(use_case_tags.c.use_case_id.in_(bindparam("ids", expanding=True)))
    .order_by(use_case_tags.c.use_case_id, use_case_tags.c.position)
)


def tags_of(conn: Any, ids: list[str]) -> dict[str, list[str]]:
    """The tags of each use case of ``ids``, in their order (one query)."""
    found: dict[str, list[str]] = defaultdict(list)
    for uc_id, one in conn.execute(_TAGS, {"ids": ids}):
        found[uc_id].append(one)
    return found


def _one(filters: dict, name: str) -> Any:
    values = filters.get(name)
    if isinstance(values, list):
        if len(values) > 1:
            raise ValidationError(f"Give {name} once.", errors={name: "given more than once"})
        values = values[0] if values else None
    return values


def _date(value: str, name: str) -> str:
    """An ISO-8601 date or time as the stored form (UTC, microseconds, ``Z``)."""
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(
            f"{name} must be an ISO-8601 date or time.", errors={name: "not a date"}
        ) from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def listing_filter(filters: dict[str, Any] | None) -> Any:
    """The condition on the caller's memberships that ``filters`` (raw query values: lists for
    ``tag`` and ``assetType``, one string for the rest) ask for; ``None`` for none."""
    if not filters:
        return None
    validate.only_keys(filters, set(FILTER_KEYS))
    conds = []
    tags = filters.get("tag") or []
    if len(tags) > TAGS_MAX:
        raise ValidationError(f"Give at most {TAGS_MAX} tags.", errors={"tag": "too many"})
    for one in tags:  # all must match
        held = select(use_case_tags.c.use_case_id).where(use_case_tags.c.tag_key == key(tag(one)))
        conds.append(memberships.c.use_case_id.in_(held))
    for kind in filters.get("assetType") or []:
        kind = validate.choice(kind, "assetType", ASSET_KINDS)
        conds.append(memberships.c[f"uc_{kind}s_count"] > 0)
    role = _one(filters, "role")
    if role is not None:
        conds.append(memberships.c.role == validate.choice(role, "role", roles.ROLES))
    owner = _one(filters, "owner")
    if owner is not None:
        conds.append(memberships.c.use_case_id.in_(_owned_by(owner)))
    for name, (column, after) in DATE_FILTERS.items():
        value = _one(filters, name)
        if value is not None:
            at = _date(value, name)
            conds.append(memberships.c[column] >= at if after else memberships.c[column] < at)
    return and_(*conds) if conds else None


def _owned_by(owner: str) -> Any:
    """The use cases whose OWNERs include ``owner`` (a user id or a username)."""
    owner = validate.name(owner, "owner", 254)
    other = memberships.alias("owners")
    who = select(users.c.id).where(or_(users.c.id == owner, users.c.username == owner))
    return select(other.c.use_case_id).where(other.c.user_id.in_(who), other.c.role == "OWNER")


class Tags(Repository):
    """The tags a caller may pick from: those of the use cases they belong to.

    Examples
    --------
    >>> uc = store.use_cases.create(ann, {"name": "Risk", "tags": ["Credit", "Q3"]})
    >>> store.tags.suggest(ann, "cr")
    ([{'name': 'Credit', 'use_cases_count': 1}], 1)
    """

    def suggest(
        self, actor: User, prefix: str = "", offset: int = 0, limit: int = 20
    ) -> tuple[list[dict], int]:
        """Tags starting with ``prefix`` (whatever its case) on the caller's use cases, by
        key, each with how many of those use cases carry it; and how many tags match."""
        if prefix:
            prefix = validate.text(prefix, "prefix", TAG_MAX)
        t = use_case_tags.c
        where = [memberships.c.user_id == actor["id"]]
        if prefix:
            where.append(t.tag_key.like(f"{escape_like(key(prefix))}%", escape="\\"))

        def mine(*columns: Any) -> Any:
            return (
                select(*columns)
                .join(memberships, memberships.c.use_case_id == t.use_case_id)
                .where(*where)
            )

        with self.db.read() as conn:
            total = conn.execute(mine(func.count(t.tag_key.distinct()))).scalar_one()
            rows = conn.execute(
                mine(func.min(t.tag).label("tag"), func.count().label("n"))
                .group_by(t.tag_key)
                .order_by(t.tag_key)
                .offset(offset)
                .limit(limit)
            ).all()
        return [{"name": r.tag, "use_cases_count": r.n} for r in rows], total
