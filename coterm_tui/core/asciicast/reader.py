"""Streaming asciicast reader (v2, v3; v1 read whole).

A file is read line by line in binary, so memory stays constant whatever its
size; each event is yielded with the byte offset of its line, and reading can
resume at any such offset (the player's seek index keeps them).

Errors name the file and 1-based line (:class:`CastError`) and are raised only
when the bad line is reached, so everything before it has been yielded. A final
line cut short (no newline, not valid JSON or UTF-8: what a crashed recorder
leaves) is skipped and reported in :attr:`CastReader.warnings`.

v2 times are absolute and should not decrease; a time earlier than the previous
event's is clamped to it (with one warning), as asciinema's players do in effect
by playing it at once. v3 times are intervals, summed in integer microseconds.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, cast

from ..errors import CastError, EventError
from ..events import Event, Header, Output
from .codec import MAX_TIME_US, decode_event, loads, time_us
from .header import header_from_json
from .v1 import load_v1, looks_like_v1

__all__ = ["CastReader", "Comment", "open_cast", "read_header", "MAX_LINE_BYTES"]

#: A longer line is refused (a sane recorder writes output in small chunks).
MAX_LINE_BYTES = 16 << 20
#: At most this many warnings are kept per reader.
MAX_WARNINGS = 100


@dataclass(frozen=True, slots=True)
class Comment:
    """A ``#`` comment line of a v3 file (``text`` follows the ``#``)."""

    text: str


class CastReader:
    """An open asciicast file: its header, and events read on demand."""

    def __init__(self, path: Path, header: Header, version: int, data_start: int,
                 v1_events: list[Event] | None = None) -> None:
        self.path = path
        self.header = header
        self.version = version
        #: Non-fatal problems met so far (a truncated last line, times going backwards).
        self.warnings: list[str] = []
        self._data_start = data_start
        self._v1 = v1_events
        self._closed = False

    def __enter__(self) -> CastReader:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True

    @property
    def data_start(self) -> int:
        """The offset of the first line after the header (where events begin)."""
        return self._data_start

    def events(self) -> Iterator[Event]:
        """Every event, in file order, with absolute times."""
        for _, event in self.iter_events():
            yield event

    def iter_events(self, offset: int | None = None,
                    t0: float = 0.0) -> Iterator[tuple[int, Event]]:
        """Yield ``(line offset, event)``, starting at ``offset`` (a line start yielded
        before) where ``t0`` is the absolute time of the event preceding that line."""
        return cast("Iterator[tuple[int, Event]]", self._iterate(offset, t0, comments=False))

    def iter_records(self, offset: int | None = None,
                     t0: float = 0.0) -> Iterator[tuple[int, Event | Comment]]:
        """Like :meth:`iter_events`, also yielding comment lines (to keep them on export)."""
        return self._iterate(offset, t0, comments=True)

    def _iterate(self, offset: int | None, t0: float,
                 comments: bool) -> Iterator[tuple[int, Event | Comment]]:
        if self._closed:
            raise ValueError("the cast reader is closed")
        if self._v1 is not None:
            events = self._v1
            return ((i, events[i]) for i in range(offset or 0, len(events)))
        return self._stream(offset, round(t0 * 1_000_000), comments)

    def _warn(self, message: str) -> None:
        if message not in self.warnings and len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)

    def _stream(self, offset: int | None, prev_us: int,
                comments: bool) -> Iterator[tuple[int, Event | Comment]]:
        relative = self.version == 3
        path = str(self.path)
        with open(self.path, "rb") as f:
            start = self._check_offset(f, offset)
            f.seek(start)
            readline = f.readline
            pos = start
            n = 0  # lines read since start
            backwards = False  # warned about v2 times going backwards (once per pass)
            while True:
                raw = readline(MAX_LINE_BYTES + 1)
                if not raw:
                    return
                line_pos = pos
                pos += len(raw)
                n += 1
                final = raw[-1] != 10  # b"\n": only the last line may lack one
                if final and len(raw) > MAX_LINE_BYTES:
                    raise self._error(start, n, f"line is longer than {MAX_LINE_BYTES >> 20} MiB")
                try:
                    text = raw.decode("utf-8")
                    obj = loads(text)
                except (UnicodeDecodeError, ValueError) as exc:
                    stripped = raw.strip()
                    if stripped.startswith(b"#"):
                        if comments:
                            yield line_pos, Comment(_decode_comment(raw))
                        continue
                    if not stripped:
                        continue
                    if final:
                        self._warn(f"{path}:{self._line(start, n)}: the last line is "
                                   "incomplete (recording cut short?); skipped")
                        return
                    raise self._error(start, n, _describe(exc)) from None
                try:
                    if type(obj) is not list or len(obj) != 3:
                        raise EventError("an event must be a [time, code, data] array")
                    t_raw, code, data = obj
                    us = time_us(t_raw)
                    if relative:
                        us += prev_us
                        if us > MAX_TIME_US:
                            raise EventError("time out of range")
                    elif us < prev_us:
                        if not backwards:
                            backwards = True
                            self._warn(f"{path}:{self._line(start, n)}: time goes backwards; "
                                       "clamped to the previous event's")
                        us = prev_us
                    t = us / 1_000_000
                    if code == "o" and type(data) is str:
                        event: Event = Output(t, data)
                    else:
                        event = decode_event(t, code, data)
                except EventError as exc:
                    raise self._error(start, n, str(exc)) from None
                prev_us = us
                yield line_pos, event

    def _check_offset(self, f: BinaryIO, offset: int | None) -> int:
        if offset is None:
            return self._data_start
        if offset < self._data_start:
            raise ValueError(f"offset {offset} is inside the header")
        if offset > self._data_start:
            f.seek(offset - 1)
            if f.read(1) != b"\n":
                raise ValueError(f"offset {offset} is not the start of a line")
        return offset

    def _line(self, start: int, n: int) -> int:
        """The 1-based line number of the ``n``-th line read from ``start`` (counted
        from the top only when needed: for an error or a warning)."""
        return _count_lines(self.path, start) + n

    def _error(self, start: int, n: int, reason: str) -> CastError:
        return CastError(reason, str(self.path), self._line(start, n))


def _decode_comment(raw: bytes) -> str:
    text = raw.strip().decode("utf-8", "replace")
    return text[1:]


def _describe(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"invalid UTF-8 at byte {exc.start + 1} of the line"
    msg = getattr(exc, "msg", None) or str(exc)
    return f"not valid JSON ({msg})"


def _count_lines(path: Path, end: int) -> int:
    """How many newlines precede byte ``end`` (only computed to report an error)."""
    count = 0
    with open(path, "rb") as f:
        left = end
        while left > 0:
            chunk = f.read(min(left, 1 << 20))
            if not chunk:
                break
            count += chunk.count(b"\n")
            left -= len(chunk)
    return count


def open_cast(path: str | os.PathLike[str]) -> CastReader:
    """Open an asciicast file (v3, v2, or v1), reading and validating its header."""
    p = Path(path)
    try:
        with open(p, "rb") as f:
            return _read_header(p, f)
    except OSError as exc:
        raise CastError(exc.strerror or "cannot read", str(p), None) from None


def _read_header(p: Path, f: BinaryIO) -> CastReader:
    raw = f.readline(MAX_LINE_BYTES + 1)
    if not raw.strip():
        raise CastError("empty file: no asciicast header", str(p), 1)
    if len(raw) > MAX_LINE_BYTES:
        raise CastError(f"line is longer than {MAX_LINE_BYTES >> 20} MiB", str(p), 1)
    obj: Any = None
    try:
        obj = loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CastError("not an asciicast file: invalid UTF-8 in the header", str(p), 1) from None
    except ValueError:
        if not raw.lstrip().startswith(b"{"):
            raise CastError("not an asciicast file: the first line is not JSON",
                            str(p), 1) from None
        obj = None  # perhaps a pretty-printed v1 document
    if obj is None or looks_like_v1(obj):
        header, events = load_v1(p, f)
        return CastReader(p, header, 1, 0, events)
    try:
        header = header_from_json(obj)
    except EventError as exc:
        raise CastError(str(exc), str(p), 1) from None
    return CastReader(p, header, header.version, len(raw))


def read_header(path: str | os.PathLike[str]) -> Header:
    """The header of an asciicast file."""
    with open_cast(path) as reader:
        return reader.header
