"""asciicast writer: v3 (relative intervals, error-diffused) or v2 (absolute times).

Each event's absolute time is rounded to the microsecond first; a v3 interval is
the difference of two rounded absolute times, so the times a reader recovers by
summing intervals are exactly the rounded times given, however long the file
(no drift). Times that go backwards are clamped to the previous event's time
(v3 cannot express a negative interval).

Lines look like asciinema's own: a compact JSON header, then
``[1.25, "o", "text"]``, non-ASCII written as UTF-8.
"""

from __future__ import annotations

import json
import os
from types import TracebackType
from typing import IO, Any

from ..errors import EventError
from ..events import Event, Header
from .codec import encode_data, format_time, to_us
from .header import header_to_json

__all__ = ["CastWriter"]

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
_encode_ascii = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode


def _line(obj_text: str) -> bytes:
    return (obj_text + "\n").encode("utf-8")


#: Control characters JSON escapes that terminal output rarely holds (the common ones
#: are replaced one by one in :func:`json_string`).
_RARE_CONTROLS = bytes(c for c in range(32) if c not in b"\x1b\n\r\t\x08")
_COMMON_ESCAPES = ((b"\\", b"\\\\"), (b'"', b'\\"'), (b"\x1b", b"\\u001b"), (b"\n", b"\\n"),
                   (b"\r", b"\\r"), (b"\t", b"\\t"), (b"\x08", b"\\b"))


def json_string(text: str) -> bytes:
    """``text`` as a JSON string literal in UTF-8, exactly as ``json`` writes it with
    ``ensure_ascii=False``. Terminal output is mostly text with ESC, CR and LF in it:
    escaping those on the UTF-8 bytes with ``bytes.replace`` is about twice as fast as
    ``json``'s encoder followed by an encode; anything else takes the general path."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: escaped as JSON does
        return _encode_ascii(text).encode("ascii")
    if len(raw.translate(None, _RARE_CONTROLS)) != len(raw):
        return _encode(text).encode("utf-8")
    for old, new in _COMMON_ESCAPES:
        raw = raw.replace(old, new)
    return b'"' + raw + b'"'


class CastWriter:
    """Write a header, then events, to a path (created/truncated; closed by
    :meth:`close`) or to a binary file object (flushed, left open)."""

    def __init__(self, target: str | os.PathLike[str] | IO[bytes], header: Header,
                 version: int = 3) -> None:
        if version not in (2, 3):
            raise EventError(f"cannot write asciicast version {version!r}")
        self.version = version
        self._owns = isinstance(target, (str, os.PathLike))
        self._file: IO[bytes] = (
            open(target, "wb")  # noqa: SIM115 -- owned by the writer until close()
            if isinstance(target, (str, os.PathLike)) else target
        )
        self._prev_us = 0
        self._closed = False
        try:
            self._file.write(_line(_encode(header_to_json(header, version))))
        except BaseException:
            self._abandon()
            raise

    def _abandon(self) -> None:
        if self._owns:
            self._file.close()
        self._closed = True

    def __enter__(self) -> CastWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def write(self, event: Event) -> None:
        """Append one event (its time absolute, in seconds)."""
        us = to_us(event.t)
        if us < self._prev_us:
            us = self._prev_us
        stamp = format_time(us - self._prev_us if self.version == 3 else us)
        code, data = encode_data(event)
        self._file.write(self._event_line(stamp, code, data))
        self._prev_us = us

    @staticmethod
    def _event_line(stamp: str, code: str, data: Any) -> bytes:
        if isinstance(data, str) and len(code) == 1 and code.isalpha():
            return b"".join((b"[", stamp.encode("ascii"), b', "', code.encode("ascii"), b'", ',
                             json_string(data), b"]\n"))
        try:
            return _line(f"[{stamp}, {_encode(code)}, {_encode(data)}]")
        except UnicodeEncodeError:  # a lone surrogate: escape it as JSON does
            return _line(f"[{stamp}, {_encode_ascii(code)}, {_encode_ascii(data)}]")

    def comment(self, text: str) -> None:
        """Append a ``#`` comment line (v3 only; v2 has no comments, so it is dropped)."""
        if self.version == 3:
            clean = text.replace("\r", " ").replace("\n", " ")
            self._file.write(("#" + clean + "\n").encode("utf-8", "replace"))

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        """Flush, and close the file if this writer opened it. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            self._file.flush()
        finally:
            if self._owns:
                self._file.close()
