"""Request bodies checked against the schemas ``openapi.json`` serves, so the shapes a client
reads and the shapes the service takes are one text.

Each JSON body is validated (``jsonschema``, OpenAPI 3.0's JSON Schema dialect, draft 4) against
the ``requestBody`` of the operation its path and method name in the document, before any
handler or store code sees it. The first violation becomes a ``ValidationError`` (422) naming
the field, in the words of ``store/validate.py``; what a schema cannot say (control and invisible
characters, normalisation, what exists) stays with the store.

Examples
--------
>>> check_body("post", "useCases/", {"name": "Risk"})
>>> check_body("post", "useCases/", {"name": 7})
Traceback (most recent call last):
...
ucwidgets.errors.ValidationError: name must be a string.
>>> check_body("patch", "useCases/65f0c0ffee0000000000aa01/assets/", {"add": [{"entityId": "x"}]})
Traceback (most recent call last):
...
ucwidgets.errors.ValidationError: add[0]: entityType is required.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from importlib import resources
from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError as SchemaError

from ...errors import ValidationError
from ..store.validate import ID_RE

JSON_TYPE = "application/json"
#: A schema's own words for a value it refuses (an OpenAPI extension), for a refusal whose reason
#: a generic message would hide (``unsupervisedMode``); named before any other violation.
_REFUSAL = "x-refusal"
#: Which of several violations of one body is named: the shallowest, then the one a client
#: fixes first (a misspelt or missing field before a wrong value).
_ORDER = ("additionalProperties", "maxProperties", "required", "oneOf", "anyOf", "type")
_TYPES = {
    "string": "a string",
    "boolean": "true or false",
    "integer": "an integer",
    "number": "a number",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


@functools.lru_cache(maxsize=1)
def _openapi_text() -> str:
    return resources.files("ucwidgets.server").joinpath("openapi.json").read_text("utf-8")


def openapi_document() -> dict:
    """The service's OpenAPI 3 description, ``ucwidgets/server/openapi.json``: a fresh copy on
    each call, so a caller (a tool that resolves references in place) cannot change it."""
    return json.loads(_openapi_text())


@functools.lru_cache(maxsize=1)
def _operations() -> dict[str, list[tuple[re.Pattern[str], str]]]:
    """Method -> (path regex, document path) of every operation with a JSON body, the most
    literal path first (``assets/move/`` before a ``{segment}/{id}/``)."""
    found: dict[str, list[tuple[re.Pattern[str], str]]] = {}
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            if JSON_TYPE in (operation.get("requestBody") or {}).get("content", {}):
                pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path.strip("/")))
                found.setdefault(method, []).append((re.compile(f"{pattern}/?"), path))
    for paths in found.values():
        paths.sort(key=lambda entry: entry[1].count("{"))
    return found


def operation_path(method: str, path: str) -> str | None:
    """The document's path of the operation ``method`` ``path`` (relative to the API root)
    whose JSON body the document describes, or ``None``.

    >>> operation_path("patch", "datasets/65f0c0ffee0000000000aa01")
    '/datasets/{datasetId}/'
    """
    for regex, template in _operations().get(method, []):
        if regex.fullmatch(path):
            return template
    return None


@functools.cache
def validator(method: str, template: str) -> Draft4Validator:
    """The compiled validator of one operation's JSON body (compiled once, then cached)."""
    doc = openapi_document()
    schema = doc["paths"][template][method]["requestBody"]["content"][JSON_TYPE]["schema"]
    return Draft4Validator(_plain(schema, doc["components"]["schemas"]), format_checker=None)


def _plain(node: Any, schemas: dict[str, Any]) -> Any:
    """``node`` as plain JSON Schema: its ``#/components/schemas/`` references in place (the
    body schemas hold no cycle), so none is resolved per request, and OpenAPI 3.0's
    ``nullable: true`` as the ``null`` type."""
    if isinstance(node, list):
        return [_plain(n, schemas) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _plain(schemas[node["$ref"].rsplit("/", 1)[1]], schemas)
    node = {k: _plain(v, schemas) for k, v in node.items()}
    if node.pop("nullable", False) and isinstance(node.get("type"), str):
        node["type"] = [node["type"], "null"]
    return node


def check_body(method: str, path: str, body: Any) -> None:
    """Refuse ``body`` unless it matches its operation's schema: 422 naming the first field
    that does not. A method and path the document gives no JSON body is a fault of the
    service (a route that reads one must document it; a test walks them)."""
    template = operation_path(method, path)
    if template is None:
        raise LookupError(f"openapi.json documents no JSON body for {method.upper()} {path}")
    errors = list(validator(method, template).iter_errors(body))
    if errors:
        raise _refusal(min(errors, key=_rank))


def _rank(error: SchemaError) -> tuple[bool, int, int]:
    keyword = str(error.validator)
    return (
        _REFUSAL not in error.schema,
        len(error.absolute_path),
        _ORDER.index(keyword) if keyword in _ORDER else len(_ORDER),
    )


def _refusal(error: SchemaError) -> ValidationError:
    """The project's 422 for one violation: ``errors`` names the field, or the list entry
    (``add[3]``) that holds it, as the store's own refusals do."""
    path = list(error.absolute_path)
    last_index = max((i for i, part in enumerate(path) if isinstance(part, int)), default=-1)
    entry, rest = _render(path[: last_index + 1]), path[last_index + 1 :]
    keyword = str(error.validator)
    if _REFUSAL in error.schema:
        reason = error.schema[_REFUSAL]
        return ValidationError(reason, errors={_render(path) or "body": reason})
    if keyword in ("additionalProperties", "maxProperties"):
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        if not entry:
            return ValidationError(
                f"Unknown field(s): {', '.join(unknown)}.",
                errors=dict.fromkeys(unknown, "unknown field"),
            )
        return _invalid(entry, f"unknown field(s) {', '.join(unknown)}.")
    if keyword == "required":
        rest = [*rest, _missing(error)]
        message = "is required."
    else:
        message = _MESSAGES.get(keyword, _generic)(error)
    field = _render(rest)
    if not entry:
        # A violation of the whole body (a choice between fields) is the body's.
        return ValidationError(
            f"{field or 'The request body'} {message}", errors={field or "body": message}
        )
    return _invalid(entry, f"{field} {message}" if field else message)


def _invalid(entry: str, message: str) -> ValidationError:
    return ValidationError(f"{entry}: {message}", errors={entry: message})


def _render(path: list[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _missing(error: SchemaError) -> str:
    present = error.instance if isinstance(error.instance, dict) else {}
    return next(name for name in error.validator_value if name not in present)


def _type(error: SchemaError) -> str:
    wanted = error.validator_value
    names = [wanted] if isinstance(wanted, str) else list(wanted)
    if "integer" in names and ("minimum" in error.schema or "maximum" in error.schema):
        return _range(error)
    return f"must be {' or '.join(_TYPES.get(n, n) for n in names)}."


def _range(error: SchemaError) -> str:
    low, high = error.schema.get("minimum"), error.schema.get("maximum")
    if low is None:
        return f"must be an integer of at most {high}."
    if high is None:
        return f"must be an integer of at least {low}."
    return f"must be an integer from {low} to {high}."


def _enum(error: SchemaError) -> str:
    names = ("null" if v is None else str(v) for v in error.validator_value)
    return f"must be one of {', '.join(names)}."


def _pattern(error: SchemaError) -> str:
    if error.validator_value == ID_RE.pattern:
        return "must be a 24-character hexadecimal id."
    return f"must match {error.validator_value}."


def _alternatives(error: SchemaError) -> str:
    """``anyOf``/``oneOf`` over sets of required fields (a recipient's id or username), in
    words; any other choice of shapes is named as such."""
    choices = [branch.get("required") for branch in error.validator_value]
    if all(choices):
        names = " or ".join(", ".join(c) for c in choices)
        return f"must give {'exactly ' if error.validator == 'oneOf' else ''}one of {names}."
    return "matches none of the shapes this route takes."


def _generic(error: SchemaError) -> str:
    # Not jsonschema's own message: it quotes the value, which may be a megabyte of anything.
    return f"does not fit its schema ({error.validator})."


_MESSAGES: dict[str, Callable[[SchemaError], str]] = {
    "type": _type,
    "minimum": _range,
    "maximum": _range,
    "enum": _enum,
    "pattern": _pattern,
    "minLength": lambda e: (
        "must not be empty."
        if e.validator_value == 1
        else f"must be at least {e.validator_value} characters long."
    ),
    "maxLength": lambda e: f"must be at most {e.validator_value} characters long.",
    "minItems": lambda e: (
        "must not be empty."
        if e.validator_value == 1
        else f"must hold at least {e.validator_value} items."
    ),
    "maxItems": lambda e: f"must hold at most {e.validator_value} items.",
    "anyOf": _alternatives,
    "oneOf": _alternatives,
}
