"""The upload limit (`serve.max_upload_mb`): a request body larger than it is refused (413)
with a page that names the files that made it too large and the limit.

A browser says how large a form is (Content-Length) before it sends it, so a form over the
limit is refused before the app reads any of it: no file of it is written. To name its
files the refusal reads the body on (up to `DRAIN_BYTES` past the limit) and throws it
away, reading only the headers of its parts with python-multipart's streaming parser: the
name of each file and how many bytes of it came. A body sent without a Content-Length is
counted as it arrives and refused once it passes the limit, the same way.

What the refusal reads is bounded however the body is made: at most `DRAIN_BYTES`, for at
most `DRAIN_SECONDS` (a body that comes slowly, or stops coming, is named as far as it
came), and the names of at most `MAX_NAMED` files (a part's headers are bounded by
python-multipart).
"""

from __future__ import annotations

import asyncio
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tema.serve.security import sent_name
from tema.serve.web import ListedFile, message

# How much of a body over the limit is read (and thrown away) to name its files; a body
# larger still is refused with the files named so far.
DRAIN_BYTES = 1024 * 1024 * 1024
# How long the refusal waits for the rest of a body: 1 GiB takes seconds on this computer,
# about a minute and a half over a 100 Mbit/s network.
DRAIN_SECONDS = 90.0
# The most files a refusal names: more than anyone picks in one upload, and a page (and a
# language switch carrying it) of bounded size for a form crafted of countless tiny files.
MAX_NAMED = 500
MB = 1024 * 1024


class UploadedFiles:
    """The files of a multipart/form-data body as it streams past: each one's name as the
    user's computer has it (`sent_name`) and how many of its bytes came (`sizes`)."""

    def __init__(self, content_type: bytes) -> None:
        self.names: list[str] = []
        self.sizes: list[int] = []
        self.complete = False  # the whole body came
        self.unnamed = 0  # files after the first MAX_NAMED
        self._field, self._value, self._disposition = b"", b"", b""
        self._in_file = False
        kind, options = parse_options_header(content_type)
        boundary = options.get(b"boundary")
        self._parser: MultipartParser | None = None
        if kind == b"multipart/form-data" and boundary:
            try:
                self._parser = MultipartParser(boundary, self._callbacks())
            except ValueError:  # a boundary python-multipart refuses: names unknown
                self._parser = None

    def _callbacks(self) -> Any:
        def header_field(data: bytes, start: int, end: int) -> None:
            self._field += data[start:end]

        def header_value(data: bytes, start: int, end: int) -> None:
            self._value += data[start:end]

        def header_end() -> None:
            if self._field.lower() == b"content-disposition":
                self._disposition = self._value
            self._field, self._value = b"", b""

        def part_data(data: bytes, start: int, end: int) -> None:
            if self._in_file:
                self.sizes[-1] += end - start

        def end() -> None:
            self.complete = True

        return {
            "on_header_field": header_field,
            "on_header_value": header_value,
            "on_header_end": header_end,
            "on_headers_finished": self._part_begins,
            "on_part_data": part_data,
            "on_end": end,
        }

    def _part_begins(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._disposition = b""
        self._in_file = b"filename" in options and len(self.names) < MAX_NAMED
        if b"filename" in options and not self._in_file:
            self.unnamed += 1
        elif self._in_file:
            raw = options[b"filename"]
            try:  # as Starlette's form parser decodes it
                name = raw.decode("utf-8")
            except UnicodeDecodeError:
                name = raw.decode("latin-1")
            self.names.append(sent_name(name))
            self.sizes.append(0)

    def feed(self, chunk: bytes) -> None:
        if self._parser is None or not chunk:
            return
        try:
            self._parser.write(chunk)
        except Exception:  # a body python-multipart cannot read: the names seen so far
            self._parser = None

    def refusal(self, max_bytes: int) -> tuple[str, dict[str, Any], list[ListedFile]]:
        """The refusal's text (key and values) and the files it names."""
        last = len(self.names) - 1
        whole = self.complete or self.unnamed > 0  # of the last one named: a file came after
        files = [
            ListedFile(name, size / MB, whole or number < last, size > max_bytes)
            for number, (name, size) in enumerate(zip(self.names, self.sizes, strict=True))
        ]
        alone = [item.name for item in files if item.alone]
        mb = max_bytes // MB
        if not files:
            return "too_large_help", {"mb": mb}, []
        if len(alone) == 1:
            return "too_large_file", {"file": alone[0], "mb": mb}, files
        if alone:
            return "too_large_files", {"n": len(alone), "mb": mb}, files
        return "too_large_all", {"mb": mb}, files


class BodyLimit:
    """Refuse (413) a request whose body is larger than `max_bytes`, before the app reads
    more than that: by its Content-Length, or by counting what arrives."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        files = UploadedFiles(headers.get(b"content-type", b""))
        declared = headers.get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send, files, 0)
            return
        received = 0
        started = False
        # The server reads no more than a declared length, so only a body sent without one
        # can pass the limit while it streams: only such a body is parsed on its way for
        # the names of its files. An upload within its declared length is parsed once, by
        # the app.
        named_on_the_way = b"content-length" not in headers

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if named_on_the_way:
                files.feed(message.get("body", b""))
            if received > self.max_bytes:
                raise _TooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send, files, received)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, files: UploadedFiles, read: int
    ) -> None:
        """The refusal, once the files have been named: the rest of the body is read, up to
        DRAIN_BYTES past the limit, and thrown away."""
        await drain(receive, files, self.max_bytes + DRAIN_BYTES - read)
        key, values, listed = files.refusal(self.max_bytes)
        request = Request(scope)
        response = message(
            request, key, 413, values, heading="too_large_title", back="/", files=listed
        )
        await response(scope, _nothing_more, send)


async def drain(receive: Receive, files: UploadedFiles, budget: int) -> None:
    """Read the rest of a body, up to `budget` bytes and for up to DRAIN_SECONDS, into
    `files` (its names and sizes), and throw it away."""
    more = True
    try:
        async with asyncio.timeout(DRAIN_SECONDS):
            while more and budget > 0:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the browser went away
                body = message.get("body", b"")
                budget -= len(body)
                files.feed(body)
                more = message.get("more_body", False)
    except TimeoutError:
        return  # named as far as the body came


async def _nothing_more() -> Message:
    return {"type": "http.disconnect"}


class _TooLarge(Exception):
    pass
