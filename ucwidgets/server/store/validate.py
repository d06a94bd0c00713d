"""Checks for user-supplied values, shared by every store operation.

The shapes of request bodies (types, required and unknown fields, choices, lengths) are
``openapi.json``'s, checked before a body reaches the store (``handlers/bodies.py``); what a
schema cannot say is checked here: control, bidirectional and invisible characters, scripts,
normalisation, and what fits a column on every backend. They also serve query parameters.

Each function returns the cleaned value or raises ``ValidationError`` (422) naming the field,
so that a bad field is refused before any write begins.

Examples
--------
>>> name("  Risk  ", "name")
'Risk'
>>> name("a\\x00b", "name")
Traceback (most recent call last):
...
ucwidgets.errors.ValidationError: name must not contain control characters.
>>> name("\\u200b\\u200b", "name")
Traceback (most recent call last):
...
ucwidgets.errors.ValidationError: name must contain a visible character.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import BigInteger, Column, SmallInteger

from ...errors import ValidationError

NAME_MAX = 500
#: The largest integer SQL's BIGINT holds: any offset, cursor or id above it names nothing.
BIGINT_MAX = 2**63 - 1
DESCRIPTION_MAX = 10_000
ID_RE = re.compile(r"^[0-9a-f]{24}$")


#: Bidirectional embeddings, overrides and isolates: they reorder what follows them on screen,
#: so a name could show as another (``exe.txt`` shown for ``txt.exe``) in a sharing dialog.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Letters that render as blank space although Unicode classes them as letters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
#: Unicode categories that draw nothing on their own: separators, format characters (zero-width
#: spaces and joiners), combining marks with nothing to combine with, controls.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cf", "Mn", "Me", "Cc"})


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(f"{field} {message}", errors={field: message})


def _has_controls(value: str, allowed: str = "") -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in value)


def name(value: Any, field: str = "name", max_len: int = NAME_MAX) -> str:
    """A display name: a non-blank string of at most ``max_len`` code points, no controls."""
    if not isinstance(value, str):
        raise _invalid(field, "must be a string.")
    if _has_controls(value):
        raise _invalid(field, "must not contain control characters.")
    if not BIDI_CONTROLS.isdisjoint(value):
        raise _invalid(field, "must not contain bidirectional override or isolate characters.")
    value = value.strip()
    if not value:
        raise _invalid(field, "must not be empty.")
    if len(value) > max_len:
        raise _invalid(field, f"must be at most {max_len} characters long.")
    if all(_invisible(c) for c in value):
        raise _invalid(field, "must contain a visible character.")
    return value


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES or char in _BLANK_LETTERS


#: Scripts that are written together (UTS #39's "highly restrictive" level): a username may
#: use the letters of one script, or of one of these sets.
_SCRIPT_SETS = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
)


def username(value: Any) -> str:
    """A username: a name each of whose parts (between ``@`` and ``.``) takes its letters from
    one script (or a set written together), so that ``b\\u043eb`` with a Cyrillic ``o`` cannot
    pass for ``bob``.

    >>> username("b\\u043eb")
    Traceback (most recent call last):
    ...
    ucwidgets.errors.ValidationError: username must not mix letters of different scripts.
    """
    from confusable_homoglyphs import categories

    value = name(value, "username", max_len=254)
    # Label by label, as IDNA does for domains: a Cyrillic name at a Latin domain is fine.
    for label in re.split(r"[@.]", value):
        scripts = {categories.alias(c) for c in label} - {"COMMON", "INHERITED"}
        if len(scripts) > 1 and not any(scripts <= allowed for allowed in _SCRIPT_SETS):
            raise _invalid("username", "must not mix letters of different scripts.")
    return value


def username_key(value: str) -> str:
    """What two usernames must not share: the NFKC-casefolded form (``Bob``, ``bob`` and the
    full-width ``\\uff42\\uff4f\\uff42`` are one).

    >>> username_key("\\uff22\\uff2f\\uff22") == username_key("bob")
    True
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())


def integer(value: Any, field: str, column: Column, low: int | None = None) -> int:
    """A JSON integer that fits ``column`` (and is at least ``low``): one check for every
    number bound for the database, since SQLite stores 64 bits and PostgreSQL's INTEGER 32.

    >>> from ucwidgets.server.store.schema import projects
    >>> integer(2**31, "workerCount", projects.c.worker_count)
    Traceback (most recent call last):
    ...
    ucwidgets.errors.ValidationError: workerCount must be an integer from -2147483648 to 2147483647.
    """
    top = column_max(column)
    low = -top - 1 if low is None else low
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= top:
        raise _invalid(field, f"must be an integer from {low} to {top}.")
    return value


def column_max(column: Column) -> int:
    """The largest value an integer column holds on every backend."""
    bits = (
        64
        if isinstance(column.type, BigInteger)
        else 16
        if isinstance(column.type, SmallInteger)
        else 32
    )
    return 2 ** (bits - 1) - 1


def text(value: Any, field: str = "description", max_len: int = DESCRIPTION_MAX) -> str:
    """Free text: a string (may be empty) of at most ``max_len`` code points; tabs and newlines
    are allowed, other control characters are not."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid(field, "must be a string.")
    if _has_controls(value, allowed="\t\n\r"):
        raise _invalid(field, "must not contain control characters.")
    if len(value) > max_len:
        raise _invalid(field, f"must be at most {max_len} characters long.")
    return value


def is_object_id(value: str) -> bool:
    """Whether ``value`` has the shape of an id (anything else cannot exist)."""
    return bool(ID_RE.match(value))


def choice(value: Any, field: str, allowed: tuple[str, ...] | list[str]) -> str:
    """One of ``allowed``, exactly (case matters)."""
    if not isinstance(value, str) or value not in allowed:
        raise _invalid(field, f"must be one of {', '.join(allowed)}.")
    return value


def only_keys(body: dict[str, Any], allowed: set[str] | frozenset[str]) -> None:
    """Refuse unknown keys, so a misspelt field is an error rather than silently ignored."""
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise ValidationError(
            f"Unknown field(s): {', '.join(unknown)}.", errors={k: "unknown field" for k in unknown}
        )
