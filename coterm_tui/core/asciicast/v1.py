"""asciicast v1: one JSON document (asciinema 1.x), read whole but capped in size.

v1 has no lines to stream: its events are kept in memory (the file is at most
:data:`MAX_V1_BYTES`), and their "offsets" are indexes into ``stdout``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import CastError, EventError
from ..events import Event, Header, Output
from .codec import MAX_TIME_US, loads, time_us
from .header import header_from_json

#: A v1 file is parsed whole; beyond this it is refused rather than eating memory.
MAX_V1_BYTES = 64 << 20


def looks_like_v1(obj: Any) -> bool:
    return isinstance(obj, Mapping) and obj.get("version") == 1


def load_v1(path: Path, f: BinaryIO) -> tuple[Header, list[Event]]:
    """Read a whole v1 document from ``f`` (positioned anywhere)."""
    f.seek(0)
    raw = f.read(MAX_V1_BYTES + 1)
    if len(raw) > MAX_V1_BYTES:
        raise CastError(f"not asciicast v2/v3, and too large (over {MAX_V1_BYTES >> 20} MiB) "
                        "to read as a v1 document", str(path), 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CastError("invalid UTF-8", str(path), line) from None
    try:
        doc = loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", 1)
        raise CastError(f"not valid JSON ({getattr(exc, 'msg', exc)})", str(path), line) from None
    if not looks_like_v1(doc):
        raise CastError("the header is not an asciicast v1/v2/v3 object", str(path), 1)
    try:
        meta = {k: v for k, v in doc.items() if k != "stdout"}
        meta["version"] = 2  # v1 metadata is v2's (width, height, env, ...)
        header = dataclasses.replace(header_from_json(meta), version=1)
    except EventError as exc:
        raise CastError(str(exc), str(path), 1) from None
    return header, _frames(path, doc.get("stdout"))


def _frames(path: Path, frames: Any) -> list[Event]:
    if not isinstance(frames, list):
        raise CastError("v1 'stdout' must be a list of [delay, text] frames", str(path), None)
    events: list[Event] = []
    us = 0
    for i, frame in enumerate(frames):
        try:
            if not isinstance(frame, list) or len(frame) != 2 or not isinstance(frame[1], str):
                raise EventError("a frame must be [delay, text]")
            us += time_us(frame[0])
            if us > MAX_TIME_US:
                raise EventError("time out of range")
        except EventError as exc:
            raise CastError(f"stdout frame {i + 1}: {exc}", str(path), None) from None
        events.append(Output(us / 1_000_000, frame[1]))
    return events
