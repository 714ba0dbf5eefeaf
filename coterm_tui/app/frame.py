"""What the playback thread hands to the UI: immutable rows and a status.

The thread owns the :class:`Terminal`; the UI never reads it. After each change
the thread copies the dirty rows (tuples of immutable cells) into the
:class:`FrameBuffer`; the UI takes everything accumulated since its last take,
so however many frames the thread makes, the UI draws at its own pace.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

#: One screen row: cells with pyte Char's fields (data, fg, bg, bold, …).
Row = tuple[Any, ...]


@dataclass(frozen=True)
class PlayerStatus:
    """The player's state as the UI shows it."""

    t: float = 0.0
    playing: bool = False
    speed: float = 1.0
    ended: bool = False
    seeking: bool = False
    error: str | None = None
    offset: int | None = None


@dataclass
class Frame:
    """Screen changes since the UI's last take."""

    cols: int
    rows: int
    lines: dict[int, Row] = field(default_factory=dict)
    cursor: tuple[int, int, bool] = (0, 0, True)
    full: bool = False
    title: str = ""


class FrameBuffer:
    """Accumulates frames from the playback thread until the UI takes them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frame: Frame | None = None

    def put(self, cols: int, rows: int, lines: dict[int, Row],
            cursor: tuple[int, int, bool], full: bool, title: str) -> bool:
        """Merge a change (``full``: ``lines`` holds every row, size may differ);
        True if the UI must be told (nothing was waiting)."""
        with self._lock:
            old = self._frame
            if old is None or full:
                self._frame = Frame(cols, rows, dict(lines), cursor, full, title)
                return old is None
            old.lines.update(lines)
            old.cursor = cursor
            old.title = title
            return False

    def take(self) -> Frame | None:
        with self._lock:
            frame, self._frame = self._frame, None
            return frame


def rows_of(term: Any, ys: Sequence[int]) -> dict[int, Row]:
    """Copy rows ``ys`` of a terminal (cells are immutable; the tuple is a snapshot)."""
    return {y: tuple(term.row(y)) for y in ys if 0 <= y < term.rows}
