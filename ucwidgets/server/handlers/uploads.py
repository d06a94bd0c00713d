"""Streaming uploads: multipart bodies go to disk chunk by chunk, never into memory.

The size limit is checked against ``Content-Length`` in ``prepare`` (413 before a byte is read)
and again as bytes arrive, for chunked bodies. The file part streams into a temporary blob file;
the other form fields (small by nature) are kept in memory up to a bound.
"""

from __future__ import annotations

from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header

from ...errors import (
    BadRequest,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationError,
)
from ..blobs import BlobWriter, describe_csv
from .base import ApiHandler

FIELD_MAX = 64 * 1024


class _Form:
    """Collects one multipart body: small fields in memory, the ``file`` part into a blob."""

    def __init__(self, boundary: bytes, open_blob: Any) -> None:
        self.fields: dict[str, str] = {}
        self.file_name: str | None = None
        self.blob: BlobWriter | None = None
        self._open_blob = open_blob
        self._headers: dict[bytes, bytes] = {}
        self._field = self._value = b""
        self._part: tuple[str, bool] | None = None
        self._buf = bytearray()
        self.complete = False  # whether the closing boundary arrived
        self.parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._part_begin,
                "on_header_field": lambda d, s, e: self._grow("_field", d[s:e]),
                "on_header_value": lambda d, s, e: self._grow("_value", d[s:e]),
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
                "on_end": self._end,
            },
        )

    def _grow(self, attr: str, data: bytes) -> None:
        setattr(self, attr, getattr(self, attr) + data)

    def _part_begin(self) -> None:
        self._headers, self._buf = {}, bytearray()

    def _header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field = self._value = b""

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = params.get(b"name", b"").decode("utf-8", "replace")
        is_file = name == "file" and self.blob is None
        if is_file:
            self.file_name = params.get(b"filename", b"").decode("utf-8", "replace")
            self.blob = self._open_blob()
        self._part = (name, is_file)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        assert self._part is not None
        if self._part[1] and self.blob is not None:
            self.blob.write(data[start:end])
            return
        self._buf += data[start:end]
        if len(self._buf) > FIELD_MAX:
            raise ValidationError(f"The form field {self._part[0]!r} is too long.")

    def _end(self) -> None:
        self.complete = True

    def _part_end(self) -> None:
        assert self._part is not None
        name, is_file = self._part
        if not is_file:
            try:
                self.fields[name] = bytes(self._buf).decode("utf-8")
            except UnicodeDecodeError as e:
                raise BadRequest(f"The form field {name!r} is not valid UTF-8.") from e


class UploadHandler(ApiHandler):
    """Base for routes that take a multipart file (and, where allowed, a small JSON body)."""

    accepts_json = False
    form: _Form | None = None

    def accept_body(self) -> None:
        self.request.connection.set_max_body_size(self.ctx.max_upload_bytes + 1)
        ctype, params = parse_options_header(self.request.headers.get("Content-Type", ""))
        if ctype == b"multipart/form-data" and params.get(b"boundary"):
            self.form = _Form(params[b"boundary"], self.ctx.store.blobs.writer)
        elif not (self.accepts_json and ctype == b"application/json"):
            expected = (
                "multipart/form-data or application/json"
                if self.accepts_json
                else "multipart/form-data with a 'file' part"
            )
            raise UnsupportedMediaType(f"Send the file as {expected}.")

    @property
    def body_limit(self) -> int:
        return self.ctx.max_upload_bytes

    def receive(self, chunk: bytes) -> None:
        if self.form is None:  # a JSON body: held to the JSON limit
            if self._received > self.ctx.max_json_bytes:
                raise PayloadTooLarge("The JSON body is too large.")
            super().receive(chunk)
        else:
            self.form.parser.write(chunk)

    def discard_body(self) -> None:
        super().discard_body()
        if self.form is not None and self.form.blob is not None:
            self.form.blob.abort()

    def on_finish(self) -> None:
        self.discard_body()

    def on_connection_close(self) -> None:
        # The client went away mid-upload: drop the partial file, write nothing.
        self.discard_body()
        super().on_connection_close()

    async def uploaded_file(self) -> tuple[str | None, BlobWriter, dict]:
        """Finish reading the upload and parse it once with pandas.

        Returns ``(file_name, upload, description)``; the store makes ``upload`` durable once
        the rest of the request has passed validation. Raises 422 when there is no file part or
        the file is not a readable CSV; the temporary file is removed when the request ends.
        """
        self.raise_body_error()
        assert self.form is not None
        try:
            self.form.parser.finalize()
        except Exception as e:
            raise BadRequest(f"The multipart body is incomplete: {e}") from e
        if not self.form.complete:
            # A body cut off mid-file would otherwise be stored as a shorter, valid-looking CSV.
            raise BadRequest(
                "The multipart body ends before its closing boundary; nothing was stored."
            )
        blob = self.form.blob
        if blob is None:
            raise ValidationError("The upload has no 'file' part.", errors={"file": "missing"})
        blob.flush()
        described = await self.call(describe_csv, blob.temp_path)
        return self.form.file_name, blob, described
