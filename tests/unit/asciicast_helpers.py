"""Small helpers shared by the asciicast tests: write a cast from lines, read it back."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from coterm_tui.core.asciicast import CastWriter, open_cast
from coterm_tui.core.events import Event, Header

V3_HEADER = '{"version": 3, "term": {"cols": 80, "rows": 24}}'
V2_HEADER = '{"version": 2, "width": 80, "height": 24}'


def write_lines(path: Path, *lines: str, newline_at_end: bool = True) -> Path:
    text = "\n".join(lines) + ("\n" if newline_at_end else "")
    path.write_bytes(text.encode("utf-8"))
    return path


def read_all(path: Path) -> list[Event]:
    with open_cast(path) as reader:
        return list(reader.events())


def write_events(header: Header, events: Iterable[Event], version: int = 3) -> bytes:
    buf = io.BytesIO()
    with CastWriter(buf, header, version) as writer:
        for event in events:
            writer.write(event)
    return buf.getvalue()
