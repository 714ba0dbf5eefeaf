"""The seek index: keyframes (screen snapshots with byte offsets) and timeline marks.

A keyframe is taken every :data:`KEYFRAME_BYTES` of output, and at least every
:data:`KEYFRAME_SECONDS` of recorded time. Seeking to ``t`` restores the last
keyframe at or before ``t`` into a fresh :class:`Terminal` and replays the events
from its byte offset, so a seek emulates at most ~32 KB whatever the file size.

:class:`SeekIndex` is shared between the thread that builds it and the player
that reads it: it only grows, and every read takes its lock. Keyframe dumps are
kept zlib-compressed (by :mod:`.index_cache` on disk for big files, else in
memory), so memory grows by a few bytes of bookkeeping per keyframe.
"""

from __future__ import annotations

import bisect
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from .errors import CastError
from .timeline import Mark, merge_marks

__all__ = ["KEYFRAME_BYTES", "KEYFRAME_SECONDS", "Keyframe", "SeekIndex"]

#: Output characters between keyframes (DESIGN: ~24–32 KB keeps a seek < 50 ms).
KEYFRAME_BYTES = 32 * 1024
#: Recorded seconds between keyframes at most (when anything was output).
KEYFRAME_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Keyframe:
    """The screen after the first ``seq`` events.

    ``offset`` is where the next event's line starts and ``t0`` the absolute time
    of the last applied event (what ``CastReader.iter_events`` needs to resume);
    ``t`` is the keyframe's time (== ``t0``; 0 for the first keyframe).
    """

    t: float
    offset: int | None
    t0: float
    seq: int
    cols: int
    rows: int
    blob: bytes | None = None  # zlib-compressed dump, when held in memory
    blob_pos: int = -1  # else its position in the cache file
    blob_len: int = 0


def short_error(exc: CastError) -> str:
    """``name:line: reason`` (the full path is too long for a status line)."""
    where = ""
    if exc.path is not None:
        name = exc.path.rsplit("/", 1)[-1]
        where = f"{name}:{exc.line}: " if exc.line is not None else f"{name}: "
    return where + exc.reason


def compress_dump(dump: str) -> bytes:
    return zlib.compress(dump.encode("utf-8"), 1)


def decompress_dump(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


class SeekIndex:
    """Keyframes and marks of one recording, growing while it is indexed."""

    def __init__(self, size: int = 0) -> None:
        self._lock = threading.Lock()
        self._frames: list[Keyframe] = []
        self._times: list[float] = []
        self._seqs: list[int] = []
        self._marks: tuple[Mark, ...] = ()
        #: Total bytes of the file, and bytes covered so far (for progress).
        self.size = size
        self.done_bytes = 0
        #: Time of the last event indexed so far; the duration once complete.
        self.indexed_t = 0.0
        self.events = 0
        self.complete = False
        #: The reason indexing stopped early (a bad line), if any.
        self.error: str | None = None
        #: Reads a keyframe's dump from the cache file (set by the cache).
        self.reader: Callable[[Keyframe], bytes] | None = None

    # building -------------------------------------------------------------

    def add(self, kf: Keyframe) -> None:
        with self._lock:
            if self._seqs and kf.seq <= self._seqs[-1]:
                return  # already known (resuming a cached index)
            self._frames.append(kf)
            self._times.append(kf.t)
            self._seqs.append(kf.seq)

    def insert(self, kf: Keyframe) -> None:
        """Add a keyframe anywhere in sequence order (a live session's keyframes come
        from the relay and from the viewer's own emulation, not in order)."""
        with self._lock:
            i = bisect.bisect_left(self._seqs, kf.seq)
            if i < len(self._seqs) and self._seqs[i] == kf.seq:
                return
            self._frames.insert(i, kf)
            self._seqs.insert(i, kf.seq)
            self._times.insert(i, kf.t)

    def add_marks(self, marks: list[Mark]) -> None:
        if marks:
            with self._lock:
                self._marks = merge_marks(self._marks, marks)

    def progress(self, done_bytes: int, t: float, events: int) -> None:
        with self._lock:
            self.done_bytes = max(self.done_bytes, done_bytes)
            self.indexed_t = max(self.indexed_t, t)
            self.events = max(self.events, events)

    def finish(self, t: float, events: int, error: str | None = None) -> None:
        with self._lock:
            self.indexed_t = max(self.indexed_t, t)
            self.events = max(self.events, events)
            self.done_bytes = self.size
            self.error = error
            self.complete = True

    # reading --------------------------------------------------------------

    @property
    def fraction(self) -> float:
        """How much of the file is indexed, 0..1."""
        if self.complete or self.size <= 0:
            return 1.0 if self.complete else 0.0
        return min(1.0, self.done_bytes / self.size)

    @property
    def duration(self) -> float | None:
        """The recording's length, once known."""
        return self.indexed_t if self.complete else None

    @property
    def marks(self) -> tuple[Mark, ...]:
        return self._marks

    def __len__(self) -> int:
        return len(self._frames)

    def last(self) -> Keyframe | None:
        with self._lock:
            return self._frames[-1] if self._frames else None

    def frames(self) -> list[Keyframe]:
        with self._lock:
            return list(self._frames)

    def before_time(self, t: float) -> Keyframe | None:
        """The last keyframe at or before recorded time ``t``."""
        with self._lock:
            i = bisect.bisect_right(self._times, t)
            return self._frames[i - 1] if i else None

    def before_seq(self, seq: int) -> Keyframe | None:
        """The last keyframe taken after at most ``seq`` events."""
        with self._lock:
            i = bisect.bisect_right(self._seqs, seq)
            return self._frames[i - 1] if i else None

    def dump_of(self, kf: Keyframe) -> str:
        if kf.blob is not None:
            return decompress_dump(kf.blob)
        if self.reader is None:
            raise LookupError("keyframe dump is on disk but no cache reader is set")
        return decompress_dump(self.reader(kf))
