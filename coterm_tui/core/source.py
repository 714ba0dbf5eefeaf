"""Frame sources: where a player's events come from.

The player is written against :class:`FrameSource`, so the same app replays a
file (:class:`FileSource`, here) or follows a live session (the watch viewer
adds a relay-backed source). A source gives the header, a growing
:class:`~.seek_index.SeekIndex`, and events from a keyframe's offset on demand.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from .asciicast import CastReader, open_cast
from .events import Event, Header
from .index_builder import build_index, memory_store
from .index_cache import IndexCache
from .seek_index import KEYFRAME_BYTES, KEYFRAME_SECONDS, SeekIndex

__all__ = ["CACHE_MIN_BYTES", "FileSource", "FrameSource"]

#: Recordings smaller than this are indexed in memory (milliseconds) and not cached.
CACHE_MIN_BYTES = 1 << 20


class FrameSource(Protocol):
    """What a player needs from a recording or a live session."""

    name: str
    header: Header
    index: SeekIndex
    #: True for a session still being recorded (its end moves).
    live: bool

    def events(self, offset: int | None, t0: float) -> Iterator[tuple[int, Event]]:
        """Events from ``offset`` (a keyframe's; None = the start), ``t0`` the time
        of the event before it. Raises CastError at a bad line."""
        ...

    def start(self, on_progress: Callable[[], None] | None = None) -> None:
        """Begin filling :attr:`index` (in the background); ``on_progress`` is called
        from that thread as it grows."""
        ...

    def close(self) -> None: ...


class FileSource:
    """An asciicast file; indexed by a background thread, cached when big."""

    live = False

    def __init__(self, path: str | Path, *, cache: bool = True, skim: bool = True,
                 keyframe_bytes: int = KEYFRAME_BYTES,
                 keyframe_seconds: float = KEYFRAME_SECONDS) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self._reader: CastReader = open_cast(self.path)
        self.header = self._reader.header
        size = self.path.stat().st_size
        self.index = SeekIndex(size)
        self._cache: IndexCache | None = None
        if cache and size >= CACHE_MIN_BYTES and self._reader.version != 1:
            self._cache = IndexCache.open(self.path, self.index)
        self._skim = skim
        self._every = (keyframe_bytes, keyframe_seconds)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def warnings(self) -> list[str]:
        return self._reader.warnings

    def events(self, offset: int | None, t0: float) -> Iterator[tuple[int, Event]]:
        return self._reader.iter_events(offset, t0)

    def start(self, on_progress: Callable[[], None] | None = None) -> None:
        if self.index.complete or self._thread is not None:
            if on_progress:
                on_progress()
            return
        self._thread = threading.Thread(target=self._build, args=(on_progress,),
                                        name=f"index {self.name}", daemon=True)
        self._thread.start()

    def build(self, on_progress: Callable[[], None] | None = None) -> None:
        """Index in the calling thread (the CLI's snapshot, tests, benchmarks)."""
        if not self.index.complete:
            self._build(on_progress)

    def _build(self, on_progress: Callable[[], None] | None) -> None:
        cache = self._cache
        build_index(
            self._reader, self.index,
            store=cache.store if cache else memory_store,
            start=self.index.last(), skim=self._skim, stop=self._stop,
            on_progress=on_progress,
            on_mark=cache.add_marks if cache else None,
            keyframe_bytes=self._every[0], keyframe_seconds=self._every[1],
        )
        if cache is not None:
            if self.index.complete:
                cache.finish()
            else:
                cache.flush()
        if on_progress:
            on_progress()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._cache is not None:
            self._cache.close()
        self._reader.close()
