"""The service's log lines: text for a terminal, or one JSON object a line for a log pipeline.

Every request has an id: the caller's ``X-Request-Id`` when it is a plain token of at most 64
characters, else a new one. The response sends it back in ``X-Request-Id`` and the lines the
request logs carry it. No line carries a token: requests are logged by method and path (never
the query string or headers), and anything shaped like an ``Authorization`` value is masked
before a line is written.

Examples
--------
>>> import logging
>>> record = logging.LogRecord("ucwidgets.server", logging.INFO, __file__, 1,
...                            "sent Token abc123", None, None)
>>> RedactTokens().filter(record) and record.getMessage()
'sent Token [redacted]'
>>> json.loads(JsonFormatter().format(record))["message"]
'sent Token [redacted]'
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import sys
import uuid
from typing import Any

#: The id of the request whose code is running (set when its handler is made).
REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "ucwidgets_request_id", default=None
)
_CALLER_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_CREDENTIAL = re.compile(r"(?i)\b(token|bearer)(\s+|=)[^\s\"',;&]+")
#: Fields a record may carry (``extra=``) that the JSON line keeps.
FIELDS = ("request_id", "status", "method", "path", "duration_ms")


def request_id(request: Any) -> str:
    """The id of a tornado ``request``, made once; it also becomes the current ``REQUEST_ID``."""
    rid = getattr(request, "ucwidgets_request_id", None)
    if rid is None:
        given = request.headers.get("X-Request-Id", "")
        rid = given if _CALLER_ID.fullmatch(given) else uuid.uuid4().hex
        request.ucwidgets_request_id = rid
    REQUEST_ID.set(rid)
    return rid


class RedactTokens(logging.Filter):
    """Mask ``Token x``, ``Bearer x`` and ``token=x`` in a record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _CREDENTIAL.sub(lambda m: f"{m[1]}{m[2]}[redacted]", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the request's fields, and the
    traceback of an exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        current = REQUEST_ID.get()
        if current is not None:
            entry["request_id"] = current
        entry.update({k: getattr(record, k) for k in FIELDS if hasattr(record, k)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(log_format: str = "text", level: int = logging.INFO) -> None:
    """Send the process's log lines to stderr as ``text`` or ``json``, tokens masked; a no-op
    where logging is already set up (a program that runs the command line in-process)."""
    if logging.getLogger().handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactTokens())
    handler.setFormatter(
        JsonFormatter()
        if log_format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    )
    logging.basicConfig(level=level, handlers=[handler])
    logging.getLogger("alembic").setLevel(logging.WARNING)
