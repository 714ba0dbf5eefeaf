"""Builds a :class:`~.seek_index.SeekIndex` by emulating a recording once.

Runs in a background thread (or a benchmark) while the player already plays:
the index grows keyframe by keyframe and marks appear as they are met. Output
between keyframes is buffered and, when it contains a full clear, the text
before the clear is skimmed (:mod:`.skim`) instead of drawn.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from .asciicast import CastReader
from .errors import CastError
from .events import Output, Resize
from .seek_index import (
    KEYFRAME_BYTES,
    KEYFRAME_SECONDS,
    Keyframe,
    SeekIndex,
    compress_dump,
    short_error,
)
from .skim import ends_clean, scroll_point, skim_point, strip_text
from .terminal import Terminal
from .timeline import Mark, mark_of

__all__ = ["BuildStats", "build_index", "memory_store"]

#: Stores a new keyframe's compressed dump and returns the keyframe to index.
Store = Callable[[Keyframe, bytes], Keyframe]
#: Pending output shorter than this is fed as is (skimming would not pay).
SKIM_MIN = 2048
#: Progress is published (and the stop flag checked) every this many events.
TICK_EVENTS = 512


def memory_store(kf: Keyframe, blob: bytes) -> Keyframe:
    """Keep the dump in memory, in the keyframe itself."""
    return replace(kf, blob=blob)


@dataclass
class BuildStats:
    """What a build did: events and characters seen, characters skimmed."""

    events: int = 0
    chars: int = 0
    skimmed: int = 0
    keyframes: int = 0


def _full_margins(term: Terminal) -> bool:
    margins = getattr(term.screen, "margins", None)
    return margins is None or (margins.top == 0 and margins.bottom == term.rows - 1)


class _Feeder:
    """Buffers output between keyframes and feeds it, skimming what a clear wipes."""

    def __init__(self, term: Terminal, skim: bool, stats: BuildStats) -> None:
        self.term = term
        self.skim = skim
        self.stats = stats
        self.pending: list[str] = []
        self.size = 0
        self.tail = ""  # the last characters seen, to know if a sequence is open
        self.start_clean = True

    def push(self, data: str) -> None:
        self.pending.append(data)
        self.size += len(data)
        self.tail = (self.tail + data)[-256:] if len(data) < 256 else data[-256:]

    def clean(self) -> bool:
        return ends_clean(self.tail)

    def flush(self) -> None:
        if not self.pending:
            return
        text = "".join(self.pending)
        self.pending.clear()
        self.size = 0
        if self.skim and self.start_clean and len(text) >= SKIM_MIN:
            p = skim_point(text)
            if _full_margins(self.term):
                p = max(p, scroll_point(text, self.term.rows))
            if p:
                self.term.feed(strip_text(text[:p]))
                self.stats.skimmed += p
                text = text[p:]
        self.term.feed(text)
        self.start_clean = self.clean()


def build_index(reader: CastReader, index: SeekIndex, *, store: Store = memory_store,
                start: Keyframe | None = None, skim: bool = True,
                stop: threading.Event | None = None,
                on_progress: Callable[[], None] | None = None,
                on_mark: Callable[[list[Mark]], None] | None = None,
                keyframe_bytes: int = KEYFRAME_BYTES,
                keyframe_seconds: float = KEYFRAME_SECONDS) -> BuildStats:
    """Emulate ``reader``'s events from ``start`` (or the beginning), adding keyframes
    to ``index``; returns early when ``stop`` is set. A bad line ends the index
    there, with ``index.error`` saying why."""
    stats = BuildStats()
    if start is None:
        term = Terminal(reader.header.cols, reader.header.rows)
        seq, t_last = 0, 0.0
        first = store(Keyframe(0.0, None, 0.0, 0, term.cols, term.rows), compress_dump(term.dump()))
        index.add(first)
        stats.keyframes += 1
        offset = None
    else:
        term = Terminal(start.cols, start.rows)
        term.feed(index.dump_of(start))
        seq, t_last, offset = start.seq, start.t0, start.offset
    feeder = _Feeder(term, skim, stats)
    since = 0  # output since the last keyframe (characters; a resize counts as one)
    last_kf_t = t_last
    marks: list[Mark] = []
    pos = offset or 0
    error: str | None = None

    def publish() -> None:
        index.progress(pos, t_last, seq)
        if marks:
            index.add_marks(marks)
            if on_mark:
                on_mark(list(marks))
            marks.clear()
        if on_progress:
            on_progress()

    try:
        for pos, event in reader.iter_events(offset, t_last):
            if since and (since >= keyframe_bytes or t_last - last_kf_t >= keyframe_seconds) \
                    and feeder.clean():
                feeder.flush()
                kf = Keyframe(t_last, pos, t_last, seq, term.cols, term.rows)
                index.add(store(kf, compress_dump(term.dump())))
                stats.keyframes += 1
                since, last_kf_t = 0, t_last
            if isinstance(event, Output):
                feeder.push(event.data)
                since += len(event.data)
                stats.chars += len(event.data)
            elif isinstance(event, Resize):
                feeder.flush()
                term.resize(event.cols, event.rows)
                since += 1
            else:
                mark = mark_of(event)
                if mark is not None:
                    marks.append(mark)
            seq += 1
            t_last = event.t
            if seq % TICK_EVENTS == 0:
                publish()
                if stop is not None and stop.is_set():
                    stats.events = seq
                    return stats
    except CastError as exc:
        error = short_error(exc)
    feeder.flush()
    publish()
    index.finish(t_last, seq, error)
    stats.events = seq
    return stats
