"""Where the capture pipeline sends numbered events.

A :class:`Sink` receives every event with its sequence number (from 1, no
gaps), is flushed at least every second and closed once at the end. The file
sink writes asciicast v3; the relay uplink is another sink.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Protocol

from coterm_tui.core.asciicast import CastWriter
from coterm_tui.core.events import Event, Header


class Sink(Protocol):
    def write(self, seq: int, event: Event) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


class FileSink:
    """An asciicast v3 file. Raises ``OSError`` when the disk refuses (full, gone)."""

    def __init__(self, path: Path, header: Header) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: BinaryIO = open(path, "xb")  # noqa: SIM115 - closed in close()
        try:
            self._writer = CastWriter(self._file, header, version=3)
            self._writer.flush()
        except BaseException:
            self._file.close()
            raise

    def write(self, seq: int, event: Event) -> None:
        self._writer.write(event)

    def flush(self) -> None:
        self._writer.flush()
        self._file.flush()

    def close(self) -> None:
        try:
            self._writer.close()
        finally:
            self._file.close()
